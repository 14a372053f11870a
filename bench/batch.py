"""Batch benchmark: ``sourcelight batch -j N`` over the WCXB corpus beside a trafilatura-only
process pool over the same pages, in the same run; then the command's start-up times.

Both sides read the same ``.html.gz`` files in place, in worker processes, and the clock runs
from the pool's start to the last page (start-up included, as a researcher's run has it).
Our side is the real ``run_batch`` (annotation on, JSONL with article HTML written to a
temporary file); trafilatura runs twice: plain text only (its default), and JSON with its
metadata (title, author, date, site: closer to what our record carries). The rounds alternate
the systems, so a neighbour's load on a shared machine falls on both. A benchmark, not a test:

    .venv/bin/python bench/batch.py [--jobs 2] [--limit N] [--rounds 1]

Needs the bench extra (trafilatura).
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev" / "html"
STARTUP_RUNS = 5


def sourcelight_batch(files: list[Path], jobs: int) -> tuple[float, int]:
    """Seconds and failed pages for ``sourcelight batch -j jobs`` over ``files``."""
    from sourcelight.batch.run import BatchOptions, run_batch
    from sourcelight.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        options = BatchOptions([str(path) for path in files], str(Path(folder) / "out.jsonl"),
                               jobs=jobs, progress=False)
        started = time.perf_counter()
        summary = run_batch(options, Settings())
        seconds = time.perf_counter() - started
    assert summary.pages == len(files), summary.text()
    if summary.failed:
        print(f"  sourcelight failures by code: {dict(summary.failed)}")
    return seconds, sum(summary.failed.values())


def _trafilatura_text(path: str) -> bool:
    import trafilatura

    return trafilatura.extract(gzip.decompress(Path(path).read_bytes())) is not None


def _trafilatura_metadata(path: str) -> bool:
    import trafilatura

    return trafilatura.extract(gzip.decompress(Path(path).read_bytes()),
                               output_format="json", with_metadata=True) is not None


def trafilatura_pool(files: list[Path], jobs: int, metadata: bool) -> tuple[float, int]:
    """Seconds and pages without a result for a ``jobs``-process trafilatura pool."""
    work = _trafilatura_metadata if metadata else _trafilatura_text
    context = multiprocessing.get_context("forkserver")
    started = time.perf_counter()
    with context.Pool(jobs) as pool:
        found = list(pool.imap_unordered(work, [str(path) for path in files], chunksize=4))
    return time.perf_counter() - started, found.count(False)


def startup_seconds(argv: list[str]) -> float:
    """Median wall time of ``sourcelight ARGV`` as a new process."""
    times = []
    for _ in range(STARTUP_RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sourcelight.cli", *argv], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="processes on each side")
    parser.add_argument("--limit", type=int, default=None, help="first N corpus pages")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.html.gz"))[:args.limit]
    if not files:
        sys.exit(f"no pages in {CORPUS}")
    print(f"{len(files)} WCXB pages, -j {args.jobs}, {args.rounds} round(s), "
          f"{os.cpu_count()} cores")
    systems = {
        "sourcelight batch (annotated)": lambda: sourcelight_batch(files, args.jobs),
        "trafilatura text only": lambda: trafilatura_pool(files, args.jobs, False),
        "trafilatura JSON + metadata": lambda: trafilatura_pool(files, args.jobs, True),
    }
    seconds: dict[str, list[float]] = {name: [] for name in systems}
    misses: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, run in systems.items():
            took, missed = run()
            seconds[name].append(took)
            misses[name] = missed
    rate = {name: len(files) / statistics.median(times) for name, times in seconds.items()}
    ours = rate["sourcelight batch (annotated)"]
    print(f"{'system':32} {'pages/s':>8} {'seconds':>8} {'no result':>9} {'ours/this':>9}")
    for name in systems:
        print(f"{name:32} {rate[name]:8.1f} {statistics.median(seconds[name]):8.1f} "
              f"{misses[name]:9d} {ours / rate[name]:9.2f}")
    sample = files[0]
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "page.html"
        small.write_bytes(gzip.decompress(sample.read_bytes()))
        help_time = startup_seconds(["--help"])
        clean_time = startup_seconds(["clean", str(small), "--format", "text"])
        size_kb = small.stat().st_size // 1024
    print(f"start-up (median of {STARTUP_RUNS}): sourcelight --help {help_time:.2f} s; "
          f"sourcelight clean {sample.name} ({size_kb} KB) "
          f"{clean_time:.2f} s")


if __name__ == "__main__":
    main()
