"""Batch benchmark: ``sourcelight batch -j N`` over the WCXB corpus beside a trafilatura-only
process pool over the same pages, in the same run; where our batch time goes; then the
command's start-up times.

Both sides hand page file names to ``-j`` worker processes started by the same fork server;
the workers read and gunzip the same ``.html.gz`` files in place and each page's result comes
back to the parent, which writes one JSON line per page to a temporary file; the clock runs
from the pool's start to the last page written (start-up included, as a researcher's run has
it). Our side is the real ``run_batch`` (annotation on, JSONL with article HTML: its workers
encode the lines, each holding the next page's name while it cleans one); trafilatura's is a
``multiprocessing`` pool (``imap_unordered``, one page per task, its queue filled ahead).
trafilatura runs twice: its default extraction (``extract(html)``: plain text, with its
fallbacks), and JSON with its metadata (title, author, date, site: closer to what our record
carries). The rounds alternate the systems, so a neighbour's load on a shared machine
falls on both.

Beside wall-clock pages/s (what the issue asks) each system's CPU per page is measured over
all its processes (this one, the fork server and the workers it reaped), which a neighbour's
load does not change; and, in this process, the CPU per page of ``clean()`` itself and of
``trafilatura.extract()`` on a sample of the same pages: the ratio no batch mechanics can beat.

    .venv/bin/python bench/batch.py [--jobs 2] [--limit N] [--rounds 1] [--sample-step 4]

Needs the bench extra (trafilatura). Linux (reads /proc for the workers' CPU).
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev" / "html"
STARTUP_RUNS = 5
# The fork server's workers are reaped asynchronously after a pool closes: wait this long at
# most for their CPU to be added to the fork server's children's time.
REAP_WAIT_SECONDS = 5.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------- CPU of a process tree
def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _process_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and of its children it has reaped (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS  # utime stime cutime cstime


def tree_cpu() -> float:
    """CPU seconds used so far by this process and its helpers: the fork server (a child of
    this process) with every worker it forked and reaped, live workers included."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    for child in _children(os.getpid()):
        total += _process_cpu(child) + sum(_process_cpu(grandchild)
                                           for grandchild in _children(child))
    return total


def settled_tree_cpu() -> float:
    """:func:`tree_cpu` once the fork server has reaped the workers of the last pool."""
    deadline = time.monotonic() + REAP_WAIT_SECONDS
    while time.monotonic() < deadline:
        if not any(_children(child) for child in _children(os.getpid())):
            break
        time.sleep(0.05)
    return tree_cpu()


# ---------------------------------------------------------------------- the two systems
def sourcelight_batch(files: list[Path], jobs: int) -> tuple[float, float, int, float]:
    """Seconds, CPU seconds, failed pages and parent-process CPU seconds for
    ``sourcelight batch -j jobs`` over ``files``."""
    from sourcelight.batch.run import BatchOptions, run_batch
    from sourcelight.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        options = BatchOptions([str(path) for path in files], str(Path(folder) / "out.jsonl"),
                               jobs=jobs, progress=False)
        cpu, own = settled_tree_cpu(), time.process_time()
        started = time.perf_counter()
        summary = run_batch(options, Settings())
        seconds = time.perf_counter() - started
        own = time.process_time() - own
        cpu = settled_tree_cpu() - cpu
    assert summary.pages == len(files), summary.text()
    if summary.failed:
        print(f"  sourcelight failures by code: {dict(summary.failed)}")
    return seconds, cpu, sum(summary.failed.values()), own


def _trafilatura_text(path: str) -> tuple[str, str | None]:
    import trafilatura

    return path, trafilatura.extract(gzip.decompress(Path(path).read_bytes()))


def _trafilatura_metadata(path: str) -> tuple[str, str | None]:
    import trafilatura

    return path, trafilatura.extract(gzip.decompress(Path(path).read_bytes()),
                                     output_format="json", with_metadata=True)


def trafilatura_pool(files: list[Path], jobs: int,
                     metadata: bool) -> tuple[float, float, int, float]:
    """Seconds, CPU seconds, pages without a result and parent CPU seconds for a
    ``jobs``-process trafilatura pool that writes one JSON line per page, as ours does."""
    work = _trafilatura_metadata if metadata else _trafilatura_text
    # The fork server ours starts (one per process), one page per message as ours.
    context = multiprocessing.get_context("forkserver")
    missing = 0
    with tempfile.TemporaryDirectory() as folder:
        cpu, own = settled_tree_cpu(), time.process_time()
        started = time.perf_counter()
        with context.Pool(jobs) as pool, open(Path(folder) / "out.jsonl", "wb") as out:
            for path, result in pool.imap_unordered(work, [str(path) for path in files]):
                missing += result is None
                line = json.dumps({"path": path, "result": result}, ensure_ascii=False)
                out.write((line + "\n").encode("utf-8", "surrogatepass"))
                out.flush()
            os.fsync(out.fileno())  # as the batch's writer does at the end
        seconds = time.perf_counter() - started
        own = time.process_time() - own
        cpu = settled_tree_cpu() - cpu
    return seconds, cpu, missing, own


# ---------------------------------------------------------------------- in one process
def in_process_cpu(files: list[Path]) -> dict[str, float]:
    """CPU ms per page in this process: ``extract_article`` (extraction alone), ``clean``
    (extraction and annotation: the pipeline a batch worker runs) and ``trafilatura.extract``
    on ``files``, warmed up first; pages that fail count (a batch pays for them too)."""
    import trafilatura

    from sourcelight.pipeline import clean, extract_article, warm_up
    from sourcelight.settings import Settings

    settings = Settings()
    warm_up(settings)
    pages = [gzip.decompress(path.read_bytes()) for path in files]
    trafilatura.extract(pages[0])
    steps: dict[str, Callable] = {
        "extract_article": lambda html: extract_article(html, None, settings),
        "clean": lambda html: clean(html, None, settings),
        "trafilatura": trafilatura.extract,
    }
    spent = dict.fromkeys(steps, 0.0)
    # Each step over all the pages in turn: one page run through the three steps one after
    # the other would find it in the CPU's caches from the step before.
    for name, step in steps.items():
        started = time.process_time()
        for html in pages:
            try:
                step(html)
            except Exception:  # noqa: BLE001 - a page our pipeline refuses still cost time
                pass
        spent[name] += time.process_time() - started
    return {name: seconds * 1000 / len(pages) for name, seconds in spent.items()}


# ---------------------------------------------------------------------- start-up
def sourcelight_command() -> list[str]:
    """The installed ``sourcelight`` script (what a user runs), else ``python -m``."""
    script = Path(sys.executable).with_name("sourcelight")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sourcelight.cli"]


def startup_seconds(argv: list[str]) -> tuple[float, float]:
    """Median wall and CPU seconds of ``sourcelight ARGV`` as a new process."""
    walls, cpus = [], []
    for _ in range(STARTUP_RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*sourcelight_command(), *argv], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# ---------------------------------------------------------------------- report
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="processes on each side")
    parser.add_argument("--limit", type=int, default=None, help="first N corpus pages")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds")
    parser.add_argument("--sample-step", type=int, default=4,
                        help="every Nth page for the in-process CPU figures (0: skip them)")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.html.gz"))[:args.limit]
    if not files:
        sys.exit(f"no pages in {CORPUS}")
    print(f"{len(files)} WCXB pages, -j {args.jobs}, {args.rounds} round(s), "
          f"{os.cpu_count()} cores; load average {load_average()}")
    ours_name = "sourcelight batch (annotated)"
    systems = {
        ours_name: lambda: sourcelight_batch(files, args.jobs),
        "trafilatura default (text)": lambda: trafilatura_pool(files, args.jobs, False),
        "trafilatura JSON + metadata": lambda: trafilatura_pool(files, args.jobs, True),
    }
    runs: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in systems}
    for _ in range(args.rounds):
        for name, run in systems.items():
            runs[name].append(run())
    seconds = {name: statistics.median(r[0] for r in done) for name, done in runs.items()}
    cpu_ms = {name: statistics.median(r[1] for r in done) * 1000 / len(files)
              for name, done in runs.items()}
    parent_ms = {name: statistics.median(r[3] for r in done) * 1000 / len(files)
                 for name, done in runs.items()}
    rate = {name: len(files) / took for name, took in seconds.items()}
    print(f"{'system':29} {'pages/s':>7} {'seconds':>7} {'no result':>9} {'ours/this':>9} "
          f"{'CPU ms/page':>11} {'ours/this by CPU':>16}")
    for name in systems:
        print(f"{name:29} {rate[name]:7.1f} {seconds[name]:7.1f} {runs[name][-1][2]:9d} "
              f"{rate[ours_name] / rate[name]:9.2f} {cpu_ms[name]:11.1f} "
              f"{cpu_ms[name] / cpu_ms[ours_name]:16.2f}")
    print(f"load average after the runs {load_average()}")
    if args.sample_step:
        sample = files[::args.sample_step]
        step = in_process_cpu(sample)
        print(f"in one process, CPU ms/page over {len(sample)} of the pages: clean() "
              f"{step['clean']:.1f} (extraction {step['extract_article']:.1f}, annotation "
              f"{step['clean'] - step['extract_article']:.1f}), trafilatura.extract() "
              f"{step['trafilatura']:.1f}: the pipeline alone gives "
              f"{step['trafilatura'] / step['clean']:.2f}x trafilatura's pages per CPU second")
        ours = cpu_ms[ours_name]
        print(f"our batch's CPU ms/page {ours:.1f} = pipeline {step['clean']:.1f} "
              f"({step['clean'] / ours:.0%}) + batch mechanics {ours - step['clean']:.1f} "
              f"(of which the parent process {parent_ms[ours_name]:.1f}: listing the "
              f"pages, handing them out, writing); trafilatura's pool: extract "
              f"{step['trafilatura']:.1f} + mechanics "
              f"{cpu_ms['trafilatura default (text)'] - step['trafilatura']:.1f}")
    sample_page = files[0]
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "page.html"
        small.write_bytes(gzip.decompress(sample_page.read_bytes()))
        help_wall, help_cpu = startup_seconds(["--help"])
        clean_wall, clean_cpu = startup_seconds(["clean", str(small), "--format", "text"])
        size_kb = small.stat().st_size // 1024
    print(f"start-up (median of {STARTUP_RUNS}, wall / CPU): sourcelight --help "
          f"{help_wall:.2f} s / {help_cpu:.2f} s; sourcelight clean {sample_page.name} "
          f"({size_kb} KB) {clean_wall:.2f} s / {clean_cpu:.2f} s; load average "
          f"{load_average()}")


if __name__ == "__main__":
    main()
