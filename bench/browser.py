"""Click-to-overlay latency of the extension in Debian's Chromium, against the real service.

For each page: N real toolbar clicks (CDP Extensions.triggerAction), each timed from just
before the click to the moment the overlay has painted its result (the overlay stamps
``data-rendered-at`` in a requestAnimationFrame after rendering). The baseline, measured in the
same run: the service's own ``POST /v1/clean`` round trip for the same live DOM, from Python.
The ratio says what the browser side (injection, reading the DOM, messaging, iframe, render)
adds on top of the cleaning itself.

    .venv/bin/python bench/browser.py [--runs 15] [--page PATH ...]

Done means (issue 5): median click-to-overlay <= 250 ms on the seed page and on a ~200 KB page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import harness  # noqa: E402  (tests/browser/harness.py: the launch recipe and the service)

DEFAULT_PAGES = [
    harness.SEED_PATH,
    # About 200 KB of HTML, a real news page from Mozilla's readability test corpus.
    "/corpus/readability-test-pages/aclu/source.html",
]
TARGET_MEDIAN_MS = 250.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_clicks(context, page, runs: int) -> list[float]:
    """Milliseconds from the click to the painted overlay, ``runs`` times (Esc between runs)."""
    times = []
    for _ in range(runs):
        started_ms = time.time() * 1000
        harness.click_action(context, page)
        frame = harness.wait_overlay_finished(page)
        rendered_ms = float(frame.evaluate("() => document.documentElement.dataset.renderedAt"))
        state = frame.evaluate("() => document.body.dataset.state")
        if state != "done":
            raise RuntimeError(f"the overlay shows a failure ({state}) on {page.url}")
        times.append(rendered_ms - started_ms)
        page.keyboard.press("Escape")
        harness.wait_overlay_closed(page)
    return times


def time_service(service: harness.Service, html: str, url: str, token: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        status, _ = service.clean(html, url, token)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"the service answered {status} for {url}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="clicks per page (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed clicks first (default 2)")
    parser.add_argument("--page", action="append", help="page path on the test server (repeatable)")
    args = parser.parse_args(argv)
    pages = args.page or DEFAULT_PAGES

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sourcelight-bench-") as tmp:
        tmp_path = Path(tmp)
        service = harness.Service(tmp_path / "config").start()
        try:
            token = service.token()
            (tmp_path / "pages").mkdir()
            with harness.page_server(tmp_path / "pages") as origin, sync_playwright() as playwright:
                context = harness.launch(playwright, tmp_path / "profile", tmp_path / "downloads")
                harness.configure(context, address=service.address, token=token)
                page = context.new_page()
                print(f"click-to-overlay, Chromium {context.browser.version}, {args.runs} runs per page "
                      f"(after {args.warmup} warm-up clicks)")
                print(f"{'page':48} {'KB':>6} {'median':>8} {'p90':>8} {'service':>8} {'ratio':>6}")
                worst = 0.0
                for path in pages:
                    page.goto(origin + path)
                    html = harness.live_html(page)
                    time_clicks(context, page, args.warmup)
                    clicks = time_clicks(context, page, args.runs)
                    baseline = time_service(service, html, page.url, token, args.runs)
                    median = statistics.median(clicks)
                    base = statistics.median(baseline)
                    worst = max(worst, median)
                    print(f"{path[-48:]:48} {len(html.encode('utf-8')) / 1024:6.0f} {median:7.0f}ms "
                          f"{percentile(clicks, 0.9):7.0f}ms {base:7.0f}ms {median / base:5.1f}x")
                context.close()
        finally:
            service.stop()
    verdict = "ok" if worst <= TARGET_MEDIAN_MS else "OVER"
    print(f"worst median {worst:.0f} ms; target <= {TARGET_MEDIAN_MS:.0f} ms: {verdict}")
    print("(service = POST /v1/clean round trip from Python for the same live DOM, median; "
          "ratio = click-to-overlay / service)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
