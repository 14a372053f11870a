"""Quality gate (like trafilatura's CI): extraction quality on a FIXED slice of the corpora must
not fall below pinned floors, and no page may crash the pipeline.

The slices:
- WCXB-dev articles: the first 100 ids (sorted) whose ``metadata.json`` ``page_type`` is
  ``article``; truth is ``ground-truth/<id>.json`` ``ground_truth.main_content``.
- Mozilla real pages: the first 50 folders (sorted) of ``readability-test-pages`` whose
  ``source.html`` is at least 8 KiB; truth is ``expected.html`` as text; url
  ``http://fakehost/test/page.html``.

Scored with bench/extraction.py's own ``html_to_text`` and ``prf`` (imported from the file, not
reimplemented): pageF1 is the mean per-page F1, a page that fails scoring 0.

Floors are pinned at (measured pageF1 - 0.02), rounded down to 2 decimals. When extraction gets
better, raise the floor the same way and update the measured value and date beside it.
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from helpers import load_bench as load_bench_module

from sourcelight.errors import SourcelightError
from sourcelight.pipeline import clean

pytestmark = pytest.mark.quality

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BENCH_FILE = ROOT / "bench" / "extraction.py"

WCXB_ARTICLES = 100
MOZILLA_REAL = 50
REAL_PAGE_BYTES = 8 * 1024
MOZILLA_URL = "http://fakehost/test/page.html"

# Floors sit just under the measured value (issue 11, quality: extraction may only get better).
FLOORS = {
    "wcxb-articles": 0.961,  # measured 0.9622 on 2026-12-05 (first 100 articles; 0.9566 before the quality3 rules)
    "mozilla-real": 0.975,  # measured 0.9760 on 2026-12-05 (first 50 real pages; 0.9709 before the quality3 rules and the media-player caption rule)
}


@dataclass
class PageScore:
    name: str
    f1: float
    error: BaseException | None = None  # an exception other than SourcelightError
    refused: SourcelightError | None = None


def load_bench() -> ModuleType:
    """bench/extraction.py as a module, for its metric (``html_to_text``, ``prf``)."""
    return load_bench_module("extraction")


def wcxb_slice() -> list[tuple[str, bytes, str | None, str]]:
    """(id, html, url, truth) of the first WCXB-dev article pages in sorted id order."""
    base = CORPUS / "wcxb-dev"
    files = json.loads((base / "metadata.json").read_text(encoding="utf-8"))["files"]
    pages = []
    for page_id in sorted(files):
        if files[page_id]["page_type"] != "article":
            continue
        record = json.loads((base / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        html = gzip.decompress((base / "html" / f"{page_id}.html.gz").read_bytes())
        truth = record["ground_truth"].get("main_content") or ""
        pages.append((page_id, html, record.get("url") or None, truth))
        if len(pages) == WCXB_ARTICLES:
            break
    return pages


def mozilla_slice(bench: ModuleType) -> list[tuple[str, bytes, str | None, str]]:
    """(folder, html, url, truth) of the first real Mozilla test pages in sorted order."""
    pages = []
    for folder in sorted((CORPUS / "readability-test-pages").iterdir()):
        source = folder / "source.html"
        if not source.is_file() or source.stat().st_size < REAL_PAGE_BYTES:
            continue
        truth = bench.html_to_text((folder / "expected.html").read_text(encoding="utf-8"))
        pages.append((folder.name, source.read_bytes(), MOZILLA_URL, truth))
        if len(pages) == MOZILLA_REAL:
            break
    return pages


def score(bench: ModuleType, pages) -> list[PageScore]:
    scores = []
    for name, html, url, truth in pages:
        try:
            text = clean(html, url).article.text
        except SourcelightError as exc:  # a refused page scores 0, but is not a crash
            scores.append(PageScore(name, 0.0, refused=exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a crash scores 0 and fails the gate below
            scores.append(PageScore(name, 0.0, error=exc))
            continue
        scores.append(PageScore(name, bench.prf(text, truth)[2]))
    return scores


@pytest.fixture(scope="module")
def results() -> dict[str, list[PageScore]]:
    if not CORPUS.is_dir():  # a gate that skips silently guards nothing
        pytest.fail(f"shared corpus not found at {CORPUS}; the project expects ../shared beside it")
    bench = load_bench()
    started = time.perf_counter()
    out = {
        "wcxb-articles": score(bench, wcxb_slice()),
        "mozilla-real": score(bench, mozilla_slice(bench)),
    }
    out["_seconds"] = time.perf_counter() - started  # type: ignore[assignment]
    return out


def page_f1(scores: list[PageScore]) -> float:
    return statistics.mean(s.f1 for s in scores)


@pytest.mark.parametrize("corpus_slice, size", [
    ("wcxb-articles", WCXB_ARTICLES), ("mozilla-real", MOZILLA_REAL),
])
def test_slice_is_complete(results, corpus_slice, size):
    assert len(results[corpus_slice]) == size


@pytest.mark.parametrize("corpus_slice", sorted(FLOORS))
def test_page_f1_stays_above_its_floor(results, corpus_slice):
    scores = results[corpus_slice]
    measured = page_f1(scores)
    worst = sorted(scores, key=lambda s: s.f1)[:5]
    assert measured >= FLOORS[corpus_slice], (
        f"{corpus_slice}: pageF1 {measured:.4f} < floor {FLOORS[corpus_slice]}; worst pages: "
        + ", ".join(f"{s.name}={s.f1:.3f}" for s in worst))


def test_no_page_raises_anything_but_a_sourcelight_error(results):
    crashes = [(name, s.name, f"{type(s.error).__name__}: {s.error}")
               for name, scores in results.items() if not name.startswith("_")
               for s in scores if s.error is not None]
    assert crashes == []


def test_metric_is_the_benchmarks():
    # The gate is only meaningful if the imported metric behaves as the issue defines it.
    if not BENCH_FILE.is_file():
        pytest.skip("bench/extraction.py is missing")
    bench = load_bench()
    truth = "the cat sat on the mat today"  # 4 shingles of 4 tokens
    assert bench.prf(truth, truth) == (1.0, 1.0, 1.0)
    assert bench.prf("", truth) == (0.0, 0.0, 0.0)
    precision, recall, f1 = bench.prf("the cat sat on the mat", truth)  # 3 of 4 shingles
    assert (precision, recall) == (1.0, 0.75)
    assert f1 == pytest.approx(2 * 0.75 / 1.75)
    assert bench.html_to_text("<div><p>One <b>two</b></p><script>x</script><p>Three</p></div>") \
        == "One two\nThree"


# ---------------------------------------------------------------- attribution
ATTRIBUTION_RECORDS = {"polnear": 80, "gnqa": 100}
# Floor = measured content+source overlap F1 - 0.02, rounded down to 2 decimals.
# Since 2026-12-04 the gate scores the marked attributions only: the confidence threshold
# (Settings.min_confidence) trades span recall for precision on purpose (issue 9), so the
# floors were lowered with it (before: 0.6783 and 0.5824 for every attribution found).
ATTRIBUTION_FLOORS = {
    "polnear": 0.62,  # measured 0.6429 at min_confidence 0.67 (first 80 records)
    "gnqa": 0.55,  # measured 0.5722 at min_confidence 0.67 - 0.15 (first 100 records)
}


def load_attribution_bench() -> ModuleType:
    return load_bench_module("attribution")


def attribution_f1(corpus_name: str) -> float:
    """Micro content+source overlap F1 of what the reader sees (marked attributions, not
    candidates) on the first records of a corpus."""
    from sourcelight.attribution.annotate import attribute
    bench = load_attribution_bench()
    lang = {"polnear": "en", "gnqa": "de"}[corpus_name]
    gold_n = pred_n = matched = 0
    for i, record in enumerate(bench.records(corpus_name)):
        if i == ATTRIBUTION_RECORDS[corpus_name]:
            break
        predicted = [bench._to_item(a) for a in attribute(record.text, lang).attributions]
        tokens = bench.Tokens(record.text)
        matched += len(bench.match_attributions(tokens, record.gold, predicted))
        gold_n += len(record.gold)
        pred_n += len(predicted)
    return bench.prf(gold_n, pred_n, matched)[2]


@pytest.mark.parametrize("corpus_name", sorted(ATTRIBUTION_FLOORS))
def test_attribution_f1_stays_above_its_floor(corpus_name):
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    measured = attribution_f1(corpus_name)
    assert measured >= ATTRIBUTION_FLOORS[corpus_name], (
        f"{corpus_name}: content+source overlap F1 {measured:.4f} < floor "
        f"{ATTRIBUTION_FLOORS[corpus_name]}")
