"""Letters at speed, on the benchmark stores of 100,000 and 1,000,000 cases: one letter
against a bare reportlab page of the same text (same run), and 1,000 letters against 1,000
bare pages: through the batch the desk uses for many letters (app.letters.batch, with the
worker processes it chooses for the machine's idle cores at that moment, named in the row),
and, for comparison, one `render_letter` call after another. Figures go to the table
(tests/bench/tally.py).

Run: .venv/bin/python -m pytest tests/bench/test_bench_letters.py -o addopts="" \
     --benchmark-enable -p no:cacheprovider
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate
from sqlalchemy import func, select

from app import cases
from app.letters import render_letter
from app.letters.batch import default_workers, render_letters
from app.letters.layout import styles
from app.letters.markup import fill
from app.letters.placeholders import placeholder_values
from app.letters.stages import Stage
from app.letters.templates import default_text, parse_template
from app.models import Case
from app.settings import load_settings
from app.store import Store, open_store
from tests.bench.tally import Goal, record
from tests.conftest import TODAY

BATCH = 1_000


@pytest.fixture(scope="module")
def bulk_store(sized_store: Path) -> Iterator[Store]:
    store = open_store(sized_store)
    yield store
    store.close()


def _case_ids(store: Store) -> list[int]:
    """BATCH open cases (an acknowledgement is refused for a closed one) spread over the
    whole store, not only its oldest."""
    with store.read() as session:
        open_ids = list(
            session.scalars(select(Case.id).where(Case.status == "open").order_by(Case.id))
        )
    step = len(open_ids) // BATCH
    return open_ids[::step][:BATCH]


def _cases(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(Case)).scalar_one())


def _paragraphs(store: Store, case_id: int) -> list[str]:
    case = cases.get_case(store, case_id)
    values = placeholder_values(case, load_settings(store), TODAY)
    parsed = parse_template(default_text(Stage.ACKNOWLEDGEMENT))
    paragraphs = [fill(parsed.subject, values)] + [fill(b.text, values) for b in parsed.blocks]
    return [*paragraphs, values["dpo_name"], values["dpo_title"], values["org_name"]]


def _bare_page(paragraphs: list[str]) -> bytes:
    """The same words as the letter, on a plain A4 page in the same font: no store, no
    letterhead, no window, no page numbering."""
    buffer = io.BytesIO()
    body = styles().body
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(p, body) for p in paragraphs])
    return buffer.getvalue()


def _interleaved_medians(
    first: Callable[[], object], second: Callable[[], object], rounds: int = 21
) -> tuple[float, float]:
    """Median seconds of each, run alternately so that load from elsewhere on the machine
    falls on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for work, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            work()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def test_one_letter_against_a_bare_page(benchmark: BenchmarkFixture, bulk_store: Store) -> None:
    case_id = _case_ids(bulk_store)[BATCH // 2]
    paragraphs = _paragraphs(bulk_store, case_id)

    def letter() -> bytes:
        return render_letter(bulk_store, case_id, Stage.ACKNOWLEDGEMENT, today=TODAY)

    letter()  # warm caches (fonts, templates)
    _bare_page(paragraphs)
    # 101 rounds: with 21, one burst of load from elsewhere moved the ratio by 0.8
    bare_median, letter_median = _interleaved_medians(
        lambda: _bare_page(paragraphs), letter, rounds=101
    )
    benchmark.pedantic(letter, rounds=3, iterations=1)
    record(
        "one letter (acknowledgement PDF)",
        _cases(bulk_store),
        letter_median * 1000,
        baseline=bare_median * 1000,
        baseline_is="bare reportlab A4 page of the same paragraphs, same font",
        goal=Goal(ratio=2),
    )


def test_a_thousand_letters(benchmark: BenchmarkFixture, bulk_store: Store) -> None:
    ids = _case_ids(bulk_store)
    assert len(set(ids)) == BATCH
    pages = [_paragraphs(bulk_store, i) for i in ids[:20]]

    workers = default_workers(BATCH)

    def batch() -> int:
        letters = render_letters(bulk_store, ids, Stage.ACKNOWLEDGEMENT, today=TODAY)
        return sum(len(r.letter.pdf) for r in letters if r.letter is not None)

    def one_at_a_time() -> int:
        return sum(
            len(render_letter(bulk_store, i, Stage.ACKNOWLEDGEMENT, today=TODAY)) for i in ids
        )

    def bare_batch() -> int:
        return sum(len(_bare_page(pages[n % len(pages)])) for n in range(BATCH))

    start = time.perf_counter()
    bare_batch()
    bare_seconds = time.perf_counter() - start
    benchmark.pedantic(batch, rounds=1, iterations=1)
    batch_seconds = benchmark.stats.stats.max
    start = time.perf_counter()
    one_at_a_time()
    loop_seconds = time.perf_counter() - start
    cases = _cases(bulk_store)
    plural = "es" if workers > 1 else ""
    where = f"{workers} worker process{plural}" if workers > 1 else "in-process"
    for measure, seconds in (
        (f"1,000 letters (batch, {where})", batch_seconds),
        ("1,000 letters (render_letter one at a time)", loop_seconds),
    ):
        record(
            measure,
            cases,
            seconds,
            unit="s",
            baseline=bare_seconds,
            baseline_is="1,000 bare reportlab pages of letter text",
            goal=Goal(value=10),
        )
