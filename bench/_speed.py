"""Speed tables for bench/extraction.py: per-page time of every system, and time against page size.

``print_speed_table`` takes the per-page timings the quality run collected (systems interleaved
page by page) and prints, per corpus group, each system's median and p95 CPU milliseconds per
page, its median wall milliseconds, and its median and p95 as a multiple of trafilatura's
(default settings) in the same run. CPU time of this process is the figure to trust on a shared
machine: the systems are single-threaded, and wall time mostly measures the other programs.

``scaling_table`` builds pages of growing size (10 KB to 3 MB by default) from real paragraphs of
the corpus — the article's paragraphs with subheadings, inside a page with navigation, a
related-links box and a footer — and times each system on each size (best of ``repeat`` runs,
sizes and systems interleaved). The growth exponent between two sizes is
log(time ratio) / log(size ratio): 1.0 is linear, 2.0 quadratic.
"""

from __future__ import annotations

import gc
import html
import math
import statistics
import time
from typing import Callable

SCALING_SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000)
# Paragraphs per subheading in a built page (long articles have sections).
SECTION_PARAGRAPHS = 8
TRAFILATURA = "trafilatura"


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def print_speed_table(cpu: dict[str, dict[str, list[float]]],
                      wall: dict[str, dict[str, list[float]]], systems: list[str]) -> None:
    """Per group and system: median/p95 CPU ms per page, median wall ms, and the median and
    p95 over trafilatura's (default) median and p95 in the same run."""
    header = (f"{'group':<20} {'system':<12} {'pages':>5} {'med cpu':>8} {'p95 cpu':>8}"
              f" {'med wall':>8} {'med/trf':>7} {'p95/trf':>7}")
    print("Speed: milliseconds per page (CPU time of this process; wall beside it)")
    print(header)
    print("-" * len(header))
    for group in sorted(cpu):
        traf = cpu[group].get(TRAFILATURA)
        traf_median = statistics.median(traf) if traf else None
        traf_p95 = pct(traf, 0.95) if traf else None
        for name in systems:
            times = cpu[group].get(name)
            if not times:
                continue
            median, p95 = statistics.median(times), pct(times, 0.95)
            ratios = (f"{median / traf_median:7.2f} {p95 / traf_p95:7.2f}"
                      if traf_median and traf_p95 else f"{'-':>7} {'-':>7}")
            print(f"{group:<20} {name:<12} {len(times):>5} {median:8.1f} {p95:8.1f}"
                  f" {statistics.median(wall[group][name]):8.1f} {ratios}")
        print()


def corpus_paragraphs(html_fragments: list[str], limit: int = 2000) -> list[str]:
    """Running-text paragraphs (at least 80 characters) from article HTML fragments."""
    import lxml.html

    found: list[str] = []
    for fragment in html_fragments:
        try:
            root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except Exception:  # noqa: BLE001 - a fragment that does not parse gives no paragraphs
            continue
        for p in root.iter("p"):
            text = " ".join(p.text_content().split())
            if len(text) >= 80:
                found.append(text)
                if len(found) >= limit:
                    return found
    return found


def build_page(paragraphs: list[str], size: int) -> bytes:
    """A news page of about ``size`` bytes: navigation, the article (headline, paragraphs with
    a subheading every few, cycling through ``paragraphs``), related links and a footer."""
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(12))
    related = "".join(f'<li><a href="/story/{i}">{html.escape(p[:70])}</a></li>'
                      for i, p in enumerate(paragraphs[:8]))
    head = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A long story'
            f'</title></head><body><header class="site-header"><nav><ul>{nav}</ul></nav>'
            f'</header><main><article><h1>A long story</h1><p class="byline">By Jane Doe</p>')
    tail = (f'</article></main><aside class="related"><h2>Most read</h2><ul>{related}</ul>'
            f'</aside><footer class="site-footer"><p>© Example News</p></footer></body></html>')
    body: list[str] = []
    used = len(head) + len(tail)
    i = 0
    while used < size:
        if i and i % SECTION_PARAGRAPHS == 0:
            piece = f"<h2>Part {i // SECTION_PARAGRAPHS + 1}</h2>"
        else:
            piece = f"<p>{html.escape(paragraphs[i % len(paragraphs)])}</p>"
        body.append(piece)
        used += len(piece.encode("utf-8"))
        i += 1
    return (head + "".join(body) + tail).encode("utf-8")


def _cpu_seconds(run: Callable[[], object]) -> float:
    gc.collect()  # the previous run's garbage is not charged to this one
    start = time.process_time()
    try:
        run()
    except Exception:  # noqa: BLE001 - a system that fails on a size is timed to its failure
        pass
    return time.process_time() - start


def scaling_table(runners: dict[str, Callable[[bytes, str], str]], paragraphs: list[str],
                  sizes: tuple[int, ...] = SCALING_SIZES, repeat: int = 3) -> None:
    """Time every system on pages of each size (best of ``repeat``) and print CPU ms per
    size, then the growth exponent between neighbouring sizes."""
    pages = {size: build_page(paragraphs, size) for size in sizes}
    best: dict[str, dict[int, float]] = {name: {} for name in runners}
    for run in runners.values():  # lazy loading (profiles, lexicons) is not charged to a size
        _cpu_seconds(lambda: run(pages[sizes[0]], "https://example.org/story"))
    for _ in range(repeat):
        for size, page in pages.items():
            for name, run in runners.items():
                seconds = _cpu_seconds(lambda: run(page, "https://example.org/story"))
                best[name][size] = min(best[name].get(size, math.inf), seconds)
    labels = [_size_label(s) for s in sizes]
    print(f"Size scaling: CPU ms per page (best of {repeat}), pages built from "
          f"{len(paragraphs)} corpus paragraphs")
    header = f"{'system':<12}" + "".join(f" {label:>9}" for label in labels)
    print(header)
    print("-" * len(header))
    for name, times in best.items():
        print(f"{name:<12}" + "".join(f" {times[s] * 1000:9.1f}" for s in sizes))
    print()
    steps = list(zip(sizes, sizes[1:]))
    header = f"{'exponent':<12}" + "".join(
        f" {_size_label(a) + '-' + _size_label(b):>11}" for a, b in steps)
    print(header)
    print("-" * len(header))
    for name, times in best.items():
        print(f"{name:<12}" + "".join(
            f" {growth_exponent(a, times[a], b, times[b]):11.2f}" for a, b in steps))
    print()


def growth_exponent(size_a: int, time_a: float, size_b: int, time_b: float) -> float:
    """k in time ∝ size^k between two measurements."""
    if time_a <= 0 or time_b <= 0:
        return math.nan
    return math.log(time_b / time_a) / math.log(size_b / size_a)


def _size_label(size: int) -> str:
    return f"{size / 1_000_000:g}MB" if size >= 1_000_000 else f"{size // 1000}KB"
