"""The bundle at size: 300 pages (three 100-page PDFs) with 100 redactions (the same name on
every third page), built by `build_bundle`, against the bare libraries doing the same page
work in the same run: PDFium renders the 100 redacted pages, Pillow blacks out the boxes,
pikepdf puts the 300 pages together with the 100 replaced, reportlab makes the stamps and
pikepdf lays them on. The bare run has no store, no cover letter, no schedule, no checks.

Time is measured by pytest-benchmark; peak memory is each variant's peak resident set size
during the work (VmHWM, its high-water mark reset just before through /proc/self/clear_refs),
in a fresh Python process (PDFium and qpdf allocate outside Python, so tracemalloc would not
see most of it; and getrusage's ru_maxrss would report the pytest process it was forked
from).

Run: .venv/bin/python -m pytest tests/bench/test_bench_disclosure.py -o addopts="" \
     --benchmark-enable -p no:cacheprovider -s
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import ImageDraw
from pytest_benchmark.fixture import BenchmarkFixture
from reportlab.pdfgen.canvas import Canvas

from app.disclosure import add_item, build_bundle, mark_reviewed, redact_term, redaction_log
from app.disclosure.pages import find, open_pdf, render
from app.disclosure.surgery import picture_page
from app.disclosure.vocabulary import RENDER_DPI
from app.settings import save_settings
from app.store import Store, open_store
from tests.disclosure.conftest import close_fulfilled, log
from tests.disclosure.samples import NAME
from tests.letters.conftest import ORG

ITEMS, PAGES_EACH = 3, 100
ROOT = Path(__file__).resolve().parents[2]


def export_pdf(pages: int, offset: int) -> bytes:
    """A ticket export: text on every page, the third party's name on every third page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(pages):
        number = offset + page
        canvas.setFont("Helvetica", 10)
        for line in range(45):
            canvas.drawString(60, 790 - line * 16, f"Ticket {number}-{line}: printer queue reset")
        if number % 3 == 0:
            canvas.drawString(60, 60, f"Escalated to {NAME} (service desk).")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def exports() -> list[bytes]:
    return [export_pdf(PAGES_EACH, n * PAGES_EACH) for n in range(ITEMS)]


def prepared_store(path: Path) -> tuple[Store, int]:
    store = open_store(path)
    save_settings(store, ORG)
    case = close_fulfilled(store, log(store).id)
    for n, pdf in enumerate(exports()):
        add_item(store, case.id, filename=f"export-{n}.pdf", content=pdf, source="Service desk")
    redact_term(store, case.id, NAME, reason="Third-party personal data")
    mark_reviewed(store, case.id)
    return store, case.id


def bare_bundle(pdfs: list[bytes], term: str) -> bytes:
    """The same page work with the libraries alone."""
    out = pikepdf.new()
    sources = []
    for pdf in pdfs:
        with open_pdf(pdf, "export") as document:
            hits = find(document, term)
            burned = {}
            for hit in hits:
                width, height = document.get_page_size(hit.page - 1)
                image = render(document, hit.page - 1, RENDER_DPI)
                draw = ImageDraw.Draw(image)
                s = image.width / width
                for b in hit.boxes:
                    draw.rectangle((b.x0 * s, b.top * s, b.x1 * s, b.bottom * s), fill="black")
                burned[hit.page] = (image, width, height)
        source = pikepdf.open(io.BytesIO(pdf))
        sources.append(source)
        for number, page in enumerate(source.pages, start=1):
            if number in burned:
                out.pages.append(picture_page(out, *burned[number]))
            else:
                out.pages.append(page)
    stamps = io.BytesIO()
    canvas = Canvas(stamps)
    total = len(out.pages)
    for number in range(1, total + 1):
        canvas.drawRightString(560, 9, f"page {number} of {total}")
        canvas.showPage()
    canvas.save()
    stamped = pikepdf.open(io.BytesIO(stamps.getvalue()))
    for page, stamp in zip(out.pages, stamped.pages, strict=True):
        page.add_overlay(stamp)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def ready(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int]]:
    store, case_id = prepared_store(tmp_path_factory.mktemp("bench") / "dsar.sqlite")
    yield store, case_id
    store.close()


def test_bundle_300_pages_100_redactions(benchmark: BenchmarkFixture, ready) -> None:  # type: ignore[no-untyped-def]
    store, case_id = ready
    assert len([r for r in redaction_log(store, case_id) if r.in_force]) == 100
    pdf = benchmark.pedantic(lambda: build_bundle(store, case_id), rounds=3, iterations=1)
    with pikepdf.open(io.BytesIO(pdf)) as bundle:
        assert len(bundle.pages) > ITEMS * PAGES_EACH  # + cover letter and schedule


def test_bare_libraries_same_work(benchmark: BenchmarkFixture) -> None:
    pdfs = exports()
    pdf = benchmark.pedantic(lambda: bare_bundle(pdfs, NAME), rounds=3, iterations=1)
    with pikepdf.open(io.BytesIO(pdf)) as bundle:
        assert len(bundle.pages) == ITEMS * PAGES_EACH


PEAK = textwrap.dedent(
    """
    import json, sys, tempfile
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tests.bench.test_bench_disclosure import bare_bundle, exports, prepared_store
    from tests.disclosure.samples import NAME
    from app.disclosure import build_bundle

    def status(key):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB to MB

    if sys.argv[1] == "app":
        store, case_id = prepared_store(Path(tempfile.mkdtemp()) / "dsar.sqlite")
        run = lambda: build_bundle(store, case_id)
    else:
        pdfs = exports()
        run = lambda: bare_bundle(pdfs, NAME)
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts again here
    before = status("VmRSS")
    run()
    print(json.dumps({{"before_mb": before, "peak_mb": status("VmHWM")}}))
    """
)


def test_peak_memory_against_the_bare_libraries() -> None:
    script = PEAK.format(root=str(ROOT))
    results = {}
    for variant in ("app", "bare"):
        done = subprocess.run(
            [sys.executable, "-c", script, variant],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        results[variant] = json.loads(done.stdout.strip().splitlines()[-1])
    app, bare = results["app"], results["bare"]
    grown = {k: v["peak_mb"] - v["before_mb"] for k, v in results.items()}
    print(
        f"\npeak RSS during the work: build_bundle {app['peak_mb']:.0f} MB (from "
        f"{app['before_mb']:.0f} MB, +{grown['app']:.0f}); bare libraries "
        f"{bare['peak_mb']:.0f} MB (from {bare['before_mb']:.0f} MB, +{grown['bare']:.0f}); "
        f"peak ratio {app['peak_mb'] / bare['peak_mb']:.2f}, growth ratio "
        f"{grown['app'] / max(grown['bare'], 1):.2f}"
    )
    for result in results.values():
        assert result["peak_mb"] >= result["before_mb"] > 0
