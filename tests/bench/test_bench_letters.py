"""Letters at speed: one letter against a bare reportlab page of the same text (same run),
and a batch of 1,000 letters.

Run: .venv/bin/python -m pytest tests/bench/test_bench_letters.py -o addopts="" \
     --benchmark-enable -p no:cacheprovider -s
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterator

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate
from sqlalchemy import select

from app import cases
from app.demo import fill_bulk
from app.letters import render_letter
from app.letters.layout import styles
from app.letters.markup import fill
from app.letters.placeholders import placeholder_values
from app.letters.stages import Stage
from app.letters.templates import default_text, parse_template
from app.models import Case
from app.settings import load_settings, save_settings
from app.store import Store, open_store
from tests.conftest import TODAY
from tests.letters.conftest import ORG

BATCH = 1_000


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("bench") / "dsar.sqlite")
    save_settings(store, ORG)
    fill_bulk(store, BATCH, today=TODAY)
    yield store
    store.close()


def _case_ids(store: Store) -> list[int]:
    with store.read() as session:
        return list(session.scalars(select(Case.id).order_by(Case.id)))


def _bare_page(paragraphs: list[str]) -> bytes:
    """The same words as the letter, on a plain A4 page in the same font: no store, no
    letterhead, no window, no page numbering."""
    buffer = io.BytesIO()
    body = styles().body
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(p, body) for p in paragraphs])
    return buffer.getvalue()


def _interleaved_medians(
    first: Callable[[], object], second: Callable[[], object], rounds: int = 60
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


def test_one_letter_within_three_times_a_bare_page(
    benchmark: BenchmarkFixture, bulk_store: Store
) -> None:
    case_id = _case_ids(bulk_store)[0]
    case = cases.get_case(bulk_store, case_id)
    values = placeholder_values(case, load_settings(bulk_store), TODAY)
    parsed = parse_template(default_text(Stage.ACKNOWLEDGEMENT))
    paragraphs = [fill(parsed.subject, values)] + [fill(b.text, values) for b in parsed.blocks]
    paragraphs += [values["dpo_name"], values["dpo_title"], values["org_name"]]

    def letter() -> bytes:
        return render_letter(bulk_store, case_id, Stage.ACKNOWLEDGEMENT, today=TODAY)

    letter()  # warm caches (fonts, templates)
    _bare_page(paragraphs)
    bare_median, letter_median = _interleaved_medians(lambda: _bare_page(paragraphs), letter)
    benchmark.pedantic(letter, rounds=40, iterations=1, warmup_rounds=2)
    ratio = letter_median / bare_median
    print(
        f"\nbare reportlab page: {bare_median * 1000:.1f} ms; letter: {letter_median * 1000:.1f} "
        f"ms (benchmark median {benchmark.stats.stats.median * 1000:.1f} ms); ratio {ratio:.2f} "
        "(limit 3)"
    )
    assert ratio <= 3


def test_a_thousand_letters_in_under_thirty_seconds(
    benchmark: BenchmarkFixture, bulk_store: Store
) -> None:
    ids = _case_ids(bulk_store)
    assert len(ids) == BATCH

    def batch() -> int:
        return sum(
            len(render_letter(bulk_store, i, Stage.ACKNOWLEDGEMENT, today=TODAY)) for i in ids
        )

    total_bytes = benchmark.pedantic(batch, rounds=1, iterations=1)
    seconds = benchmark.stats.stats.max
    print(
        f"\n{BATCH} letters: {seconds:.1f} s ({seconds / BATCH * 1000:.1f} ms each, "
        f"{total_bytes / BATCH / 1024:.0f} KiB each); limit 30 s"
    )
    assert seconds < 30
