"""Quality gate for what a fact-checker sees: the sources dev set (``../shared/corpus/
sources-dev``, all 38 pages) through ``clean()``, scored by the corpus's own scorer as
``bench/sources.py`` does (its functions are imported, not reimplemented).

Floors are pinned at (measured - 0.02), rounded down to 2 decimals; the split rate has a
ceiling (measured + 0.02, rounded up). When the annotator gets better, raise the floors the
same way and update the measured values and date beside them.
"""

from __future__ import annotations

from types import ModuleType

import pytest
from helpers import load_bench

pytestmark = pytest.mark.quality

# measured on 2026-12-04 (all 38 pages, Settings() defaults)
FLOORS = {
    "precision": 0.83,  # measured 0.852 (min_confidence 0.67)
    "recall": 0.73,  # measured 0.758
    "category_accuracy": 0.91,  # measured 0.934
}
SPLIT_RATE_CEILING = 0.07  # measured 0.048 (the issue asks for at most 0.08)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    module = load_bench("sources")
    if not module.GOLD_DIR.is_dir():  # a gate that skips silently guards nothing
        pytest.fail(f"sources dev set not found at {module.GOLD_DIR}")
    return module


@pytest.fixture(scope="module")
def report(bench) -> dict:
    return bench.run("all")


def test_every_page_is_scored(bench, report):
    assert report["summaries"]["all"]["pages"] == len(bench.gold_pages()) == 38


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_sources_figure_stays_above_its_floor(report, figure):
    summary = report["summaries"]["all"]
    assert summary[figure] >= FLOORS[figure], (
        f"sources dev set: {figure} {summary[figure]:.4f} < floor {FLOORS[figure]}; "
        f"run bench/sources.py --pages --show non-attribution to see where")


def test_split_rate_stays_below_its_ceiling(report):
    assert report["summaries"]["all"]["split_rate"] <= SPLIT_RATE_CEILING


def test_held_out_half_is_reported_apart(report):
    # The figure that counts is the one on pages nobody tuned on: both halves are scored.
    summaries = report["summaries"]
    assert summaries["open"]["pages"] + summaries["held-out"]["pages"] == 38
    assert summaries["held-out"]["pages"] > 0
