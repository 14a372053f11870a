"""Load benchmark: the real service (`sourcelight serve`, waitress + worker processes) under
concurrent clients on loopback.

Starts ``sourcelight serve --port 0`` in a subprocess with a temporary config directory (its
pairing token is read from the banner), then ``--concurrency`` client threads post real pages
from ../shared/corpus (seed, readability-test-pages, wcxb-dev) until ``--requests`` requests
are answered. Prints requests/s, p50/p90/p99 latency, errors by status, the server's peak
memory (RSS summed over the server, its fork server and workers, and PSS, which counts pages
they share once, both read from /proc), and how long a 200,000-element page takes to be
answered. In the same run, before the service starts, the baseline: readability-lxml alone
over the same pages in this process, per-page median, and the ratio of the service's median
latency to it. The machine may be shared, so it also prints how the CPU was spent while the
clients ran (service, clients, other programs): a tail latency measured while other programs
took a core is not the service's own. Then the hostile mix of bench/hostile.py (issue 10):
``--attack-requests`` more real pages while amplifying pages are posted in a loop, 110 slow
connections trickle header lines and one worker is stopped for 5 s; it prints the real pages'
answers by status and p50/p99 during the attack (and their ratio to the calm run), the hostile
answers by status, the largest answer/input ratio, and the peak RSS of every process.

Memory (issue 11) is printed per process — server, resource tracker, fork server, workers —
as RSS and PSS (PSS counts a page shared by n processes as 1/n in each, so its sum is what
the service really costs) at three moments: idle (the service ready and settled, before any
page), peak (the largest each process reached during the ``--requests`` pages: 2,000 by
default) and after (the service settled again once those pages are answered), with the
issue's targets. ``--attack-requests 0 --no-baseline`` gives the memory and throughput run
alone. A benchmark, not a test:

    .venv/bin/python bench/load.py [--requests 2000] [--concurrency 8] [--workers N]
                                   [--limit-pages N] [--attack-requests 400] [--no-baseline]

Corpora are read in place (never copied). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
CORPUS = ROOT.parent / "shared" / "corpus"
MOZILLA_URL = "http://fakehost/test/page.html"
# The order pages are sent in is shuffled, the same way on every run.
SHUFFLE_SEED = 4
SAMPLE_SECONDS = 0.1
# How long the service is left alone before an idle or after-run memory reading.
SETTLE_SECONDS = 2.0
# Issue 11's targets, MiB summed over the service's processes.
TARGET_IDLE_PSS, TARGET_IDLE_RSS, TARGET_AFTER_PSS = 110, 220, 200
BANNER_URL_RE = re.compile(r"listening on (http://[^\s,]+)")
BANNER_TOKEN_RE = re.compile(r"Pairing token: (\S+)")


# ---------------------------------------------------------------- pages
@dataclass
class Page:
    name: str
    url: str
    html: str
    body: bytes = b""


def corpus_pages() -> list[Page]:
    """Every page of the seed, Mozilla and WCXB corpora, decoded as a browser would."""
    from sourcelight.extract.decode import decode_bytes

    pages = [Page("seed", "https://japannews.example/news/politics/20251127-trump-takaichi/",
                  decode_bytes((CORPUS / "seed" / "trump-takaichi.html").read_bytes()))]
    for source in sorted((CORPUS / "readability-test-pages").glob("*/source.html")):
        pages.append(Page(f"mozilla/{source.parent.name}", MOZILLA_URL,
                          decode_bytes(source.read_bytes())))
    base = CORPUS / "wcxb-dev"
    for html_path in sorted((base / "html").glob("*.html.gz")):
        page_id = html_path.name.removesuffix(".html.gz")
        truth = base / "ground-truth" / f"{page_id}.json"
        url = json.loads(truth.read_text("utf-8")).get("url") if truth.is_file() else None
        pages.append(Page(f"wcxb/{page_id}", url or MOZILLA_URL,
                          decode_bytes(gzip.decompress(html_path.read_bytes()))))
    for page in pages:
        page.body = json.dumps({"url": page.url, "html": page.html}).encode("utf-8")
    return pages


def many_elements_page(count: int = 200_000) -> bytes:
    return json.dumps({"html": "<html><body>" + "<p>x</p>" * (count - 2) + "</body></html>"}
                      ).encode("utf-8")


# ---------------------------------------------------------------- baseline
def readability_baseline(pages: list[Page]) -> list[float]:
    """Milliseconds readability-lxml alone takes on each page, in this process."""
    from readability import Document

    times = []
    for page in pages:
        started = time.perf_counter()
        try:
            Document(page.html, url=page.url).summary(html_partial=True)
        except Exception:  # noqa: BLE001 - a page readability cannot read still took its time
            pass
        times.append((time.perf_counter() - started) * 1000)
    return times


# ---------------------------------------------------------------- the service
def start_service(config_dir: str, workers: int | None = None
                  ) -> tuple[subprocess.Popen, str, str]:
    """``sourcelight serve`` on a free loopback port; returns the process, URL and token."""
    env = dict(os.environ, SOURCELIGHT_CONFIG_DIR=config_dir,
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "sourcelight.cli", "serve", "--port", "0"]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        url, token = read_banner(server.stdout, timeout=120)
    except Exception:
        server.kill()
        raise
    return server, url, token


def read_banner(stream: IO[str], timeout: float) -> tuple[str, str]:
    """The address and pairing token `sourcelight serve` prints when it is ready."""
    deadline = time.monotonic() + timeout
    url = token = None
    while time.monotonic() < deadline and not (url and token):
        line = stream.readline()
        if not line:
            break
        if match := BANNER_URL_RE.search(line):
            url = match.group(1)
        if match := BANNER_TOKEN_RE.search(line):
            token = match.group(1)
    if not (url and token):
        raise RuntimeError("sourcelight serve did not print its address and token")
    return url, token


def stop_service(server: subprocess.Popen) -> tuple[int | None, list[int]]:
    """SIGTERM the server; its exit code and the worker processes still alive afterwards."""
    processes = descendant_pids(server.pid)
    server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        code = None
    time.sleep(0.5)
    return code, [pid for pid in processes if is_running(pid)]


# ---------------------------------------------------------------- /proc
def parent_pids() -> dict[int, int]:
    """pid -> parent pid for every process."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(entry.name)] = int(fields[1])
    return parents


def descendant_pids(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, …)."""
    children: dict[int, list[int]] = {}
    for child, parent in parent_pids().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds one process has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; (0, 0) once it is gone."""
    try:
        rss = pss = 0
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
        return rss, pss
    except (OSError, ValueError):
        return 0, 0


@dataclass
class MemoryPeak:
    """The largest sums of RSS and PSS over a process tree, sampled in a thread."""

    root: int
    rss_kib: int = 0
    pss_kib: int = 0
    processes: int = 0
    # The largest RSS and PSS each process reached (KiB), and what it is (server, worker, …).
    per_process_kib: dict[int, int] = field(default_factory=dict)
    per_process_pss_kib: dict[int, int] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    # CPU seconds per process at its last sample (a replaced worker keeps its last figure).
    cpu: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        pids = [self.root, *descendant_pids(self.root)]
        for pid in pids:
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_seconds(pid))
        sizes = [memory_kib(pid) for pid in pids]
        parents = None
        for pid, (rss, pss) in zip(pids, sizes):
            self.per_process_kib[pid] = max(self.per_process_kib.get(pid, 0), rss)
            self.per_process_pss_kib[pid] = max(self.per_process_pss_kib.get(pid, 0), pss)
            if pid not in self.roles:
                parents = parents or parent_pids()
                self.roles[pid] = process_role(pid, self.root, parents)
        self.rss_kib = max(self.rss_kib, sum(rss for rss, _ in sizes))
        self.pss_kib = max(self.pss_kib, sum(pss for _, pss in sizes))
        self.processes = max(self.processes, len(pids))

    def run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sample()

    def peaks(self) -> "MemoryPeak":
        """A copy of the figures so far (the sampler goes on in this one)."""
        return MemoryPeak(self.root, self.rss_kib, self.pss_kib, self.processes,
                          dict(self.per_process_kib), dict(self.per_process_pss_kib),
                          dict(self.roles), dict(self.cpu))

    def stop(self) -> None:
        self._stop.set()


def snapshot(root: int) -> list[tuple[int, str, int, int]]:
    """(pid, role, RSS KiB, PSS KiB) of every process of the service now."""
    parents = parent_pids()
    return [(pid, process_role(pid, root, parents), *memory_kib(pid))
            for pid in [root, *descendant_pids(root)]]


# ---------------------------------------------------------------- clients
@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    # The largest answer bytes / request bytes, and the page it came from.
    largest_ratio: tuple[float, str] = (0.0, "")


def run_clients(url: str, token: str, pages: list[Page], requests: int,
                concurrency: int) -> tuple[Outcome, float]:
    """``concurrency`` threads post pages in turn until ``requests`` are answered."""
    parts = urlsplit(url)
    outcome = Outcome()
    lock = threading.Lock()
    next_index = iter(range(requests))
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def client() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            page = pages[index % len(pages)]
            started = time.perf_counter()
            try:
                conn.request("POST", "/v1/clean", body=page.body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                status = str(response.status)
                ratio = len(answer) / len(page.body)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                ratio = 0.0
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                outcome.latencies_ms.append(elapsed)
                outcome.statuses[status] += 1
                outcome.slowest.append((elapsed, f"{page.name} -> {status}"))
                outcome.largest_ratio = max(outcome.largest_ratio, (ratio, page.name))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome, time.perf_counter() - started


def post_once(url: str, token: str, body: bytes) -> tuple[int, float, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    started = time.perf_counter()
    conn.request("POST", "/v1/clean", body=body, headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    try:
        code = json.loads(data).get("error") or "ok"
    except ValueError:
        code = "?"
    return response.status, elapsed, code


# ---------------------------------------------------------------- hostile mix
def worker_pids(server_pid: int) -> list[int]:
    """The pool's workers: the fork server's children (grandchildren of the server)."""
    parents = parent_pids()
    children = [pid for pid, parent in parents.items() if parent == server_pid]
    return sorted(pid for pid, parent in parents.items() if parent in children)


def process_role(pid: int, server_pid: int, parents: dict[int, int]) -> str:
    """What a process of the service is: the server, the fork server, the resource tracker
    or a worker (a child of the fork server)."""
    if pid == server_pid:
        return "server (HTTP)"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        cmdline = b""
    if b"resource_tracker" in cmdline:
        return "resource tracker"
    if parents.get(pid) == server_pid:
        return "fork server"
    return "worker"


# ---------------------------------------------------------------- report
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def print_memory(idle: list[tuple[int, str, int, int]], calm: MemoryPeak,
                 after: list[tuple[int, str, int, int]], pages: int) -> None:
    """Per process RSS/PSS idle, peak during the pages and after them, with the targets."""
    def by_role(rows: list[tuple[str, int, int]]) -> dict[str, list[tuple[int, int]]]:
        grouped: dict[str, list[tuple[int, int]]] = {}
        for role, rss, pss in rows:
            grouped.setdefault(role, []).append((rss, pss))
        return grouped

    idle_roles = by_role([(role, rss, pss) for _, role, rss, pss in idle])
    after_roles = by_role([(role, rss, pss) for _, role, rss, pss in after])
    peak_roles = by_role([(calm.roles.get(pid, "worker"), rss, calm.per_process_pss_kib[pid])
                          for pid, rss in calm.per_process_kib.items()])

    def cell(rows: list[tuple[int, int]] | None) -> str:
        if not rows:
            return f"{'-':>7} {'-':>7}"
        rss, pss = max(rows)
        return f"{rss / 1024:>7.1f} {pss / 1024:>7.1f}"

    print()
    print(f"memory per process, MiB       {'idle':^15} | {f'peak, {pages} pages':^15} | "
          f"{'after them':^15}")
    print(f"{'':<29} {'RSS':>7} {'PSS':>7} | {'RSS':>7} {'PSS':>7} | {'RSS':>7} {'PSS':>7}")
    order = ["server (HTTP)", "resource tracker", "fork server", "worker"]
    roles = sorted(set(idle_roles) | set(peak_roles) | set(after_roles),
                   key=lambda r: (order.index(r) if r in order else len(order), r))
    for role in roles:
        counts = {len(group.get(role, [])) for group in (idle_roles, peak_roles, after_roles)}
        label = role + (f" (largest of {max(counts)})" if max(counts) > 1 else "")
        print(f"{label:<29} {cell(idle_roles.get(role))} | {cell(peak_roles.get(role))} | "
              f"{cell(after_roles.get(role))}")
    idle_rss, idle_pss = (sum(row[i] for row in idle) / 1024 for i in (2, 3))
    after_rss, after_pss = (sum(row[i] for row in after) / 1024 for i in (2, 3))
    print(f"{f'sum over {len(idle)}/{calm.processes}/{len(after)} processes':<29} "
          f"{idle_rss:>7.1f} {idle_pss:>7.1f} | {calm.rss_kib / 1024:>7.1f} "
          f"{calm.pss_kib / 1024:>7.1f} | {after_rss:>7.1f} {after_pss:>7.1f}")
    print("(peak sum: the largest sum sampled at one moment, every 0.1 s)")

    def verdict(value: float, target: float) -> str:
        return f"{value:.1f} <= {target} met" if value <= target else \
            f"{value:.1f} > {target} NOT met"

    print(f"targets: idle PSS {verdict(idle_pss, TARGET_IDLE_PSS)}, idle RSS "
          f"{verdict(idle_rss, TARGET_IDLE_RSS)}, PSS after {pages} pages "
          f"{verdict(after_pss, TARGET_AFTER_PSS)} (peak while serving "
          f"{calm.pss_kib / 1024:.1f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests in all")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--limit-pages", type=int, default=0,
                        help="use only the first N pages of the shuffled corpus (0 = all)")
    parser.add_argument("--workers", type=int, default=0,
                        help="the service's worker processes (default: its own default)")
    parser.add_argument("--show-slowest", type=int, default=5, help="slowest requests to list")
    parser.add_argument("--attack-requests", type=int, default=400,
                        help="real pages posted during the hostile mix (0 = no hostile mix)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip readability-lxml alone (its ratio column is then left out)")
    args = parser.parse_args(argv)

    pages = corpus_pages()
    random.Random(SHUFFLE_SEED).shuffle(pages)
    if args.limit_pages:
        pages = pages[:args.limit_pages]
    used = pages[:min(len(pages), args.requests)]
    print(f"pages: {len(used)} distinct from ../shared/corpus "
          f"({sum(len(p.body) for p in used) / len(used) / 1024:.0f} KiB mean body), "
          f"{args.requests} requests at concurrency {args.concurrency}")

    baseline_ms = [] if args.no_baseline else readability_baseline(used)
    base_median = statistics.median(baseline_ms) if baseline_ms else 0.0

    with tempfile.TemporaryDirectory(prefix="sourcelight-load-") as config_dir:
        started = time.perf_counter()
        server, url, token = start_service(config_dir, args.workers or None)
        ready_s = time.perf_counter() - started
        time.sleep(SETTLE_SECONDS)
        idle = snapshot(server.pid)
        memory = MemoryPeak(server.pid)
        memory.sample()
        service_cpu_before = sum(memory.cpu.values())
        server_cpu_before = memory.cpu[server.pid]
        bench_cpu_before = time.process_time()
        busy_before, total_before = machine_busy_seconds()
        sampler = threading.Thread(target=memory.run, daemon=True)
        sampler.start()
        try:
            outcome, wall = run_clients(url, token, pages, args.requests, args.concurrency)
            calm = memory.peaks()
            calm_cpu = sum(calm.cpu.values()) - service_cpu_before
            time.sleep(SETTLE_SECONDS)
            after = snapshot(server.pid)
            huge_status, huge_ms, huge_code = post_once(url, token, many_elements_page())
            attack = None
            if args.attack_requests:
                import hostile

                attack = hostile.run_attack(url, token, worker_pids(server.pid), run_clients,
                                            pages, args.attack_requests, args.concurrency)
        finally:
            memory.stop()
            sampler.join()
            memory.sample()
            busy_after, total_after = machine_busy_seconds()
            service_cpu = sum(memory.cpu.values()) - service_cpu_before
            server_cpu = memory.cpu[server.pid] - server_cpu_before
            bench_cpu = time.process_time() - bench_cpu_before
            exit_code, left = stop_service(server)

    lat = outcome.latencies_ms
    ok = outcome.statuses.get("200", 0)
    # A 4xx is the pipeline's own answer on a page (no_article on a page list, …); a 5xx
    # (503 busy, 504 timeout, 500) or a broken connection is the service failing.
    refused = {s: n for s, n in sorted(outcome.statuses.items()) if s.startswith("4")}
    errors = {s: n for s, n in sorted(outcome.statuses.items())
              if s != "200" and s not in refused}
    median = statistics.median(lat)
    print(f"service ready in {ready_s:.1f}s; {memory.processes} processes "
          f"(server, fork server, workers, resource tracker)")
    print()
    print(f"{'system':<28} {'req':>5} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'p50/rdb':>7}")
    print("-" * 84)
    if baseline_ms:
        print(f"{'readability-lxml alone':<28} {len(baseline_ms):>5} "
              f"{1000 / statistics.mean(baseline_ms):>7.1f} {base_median:>7.1f} "
              f"{pct(baseline_ms, 0.9):>7.1f} {pct(baseline_ms, 0.99):>7.1f} "
              f"{max(baseline_ms):>7.1f} {1.0:>7.2f}")
    ratio = f"{median / base_median:>7.2f}" if base_median else f"{'-':>7}"
    print(f"{'service, c=' + str(args.concurrency):<28} {len(lat):>5} {len(lat) / wall:>7.1f} "
          f"{median:>7.1f} {pct(lat, 0.9):>7.1f} {pct(lat, 0.99):>7.1f} {max(lat):>7.1f} "
          f"{ratio}")
    print("(readability: one process, one page at a time, req/s = 1000 / mean ms; "
          "service: end-to-end latency on loopback, full pipeline with annotation)")
    print()
    print(f"answers: {ok} x 200; pages refused (4xx, the pipeline's answer): "
          f"{refused or 'none'}; errors by status (5xx, connection): {errors or 'none'}")
    # The machine may be shared: how much of its CPU went to the service, to the clients here,
    # and to other programs while the clients ran.
    cores = os.cpu_count() or 1
    capacity = total_after - total_before
    busy = busy_after - busy_before
    print(f"CPU during the run ({cores} cores, {capacity:.0f} core-seconds): service "
          f"{service_cpu:.0f}s (HTTP process {server_cpu:.0f}s, workers "
          f"{service_cpu - server_cpu:.0f}s), clients {bench_cpu:.0f}s, other programs "
          f"{max(0.0, busy - service_cpu - bench_cpu):.0f}s, idle {capacity - busy:.0f}s; "
          f"load average at the end {os.getloadavg()[0]:.2f}")
    # req/s moves with what else the machine runs; the service's CPU per page does not.
    print(f"service CPU per page (the {len(lat)} pages, every process of the service): "
          f"{1000 * calm_cpu / max(1, len(lat)):.1f} ms; capacity on {cores} cores "
          f"{cores * len(lat) / max(calm_cpu, 1e-9):.1f} pages/s")
    print_memory(idle, calm, after, len(lat))
    print(f"peak memory over the whole run (hostile mix included): RSS "
          f"{memory.rss_kib / 1024:.0f} MiB summed over processes, PSS "
          f"{memory.pss_kib / 1024:.0f} MiB")
    print(f"200,000-element page: {huge_status} {huge_code} in {huge_ms:.0f} ms")
    print(f"server stopped with SIGTERM: exit code {exit_code}, "
          f"processes left behind: {len(left)}")
    print(f"largest answer/input ratio (real pages): {outcome.largest_ratio[0]:.2f} "
          f"({outcome.largest_ratio[1]})")
    if attack is not None:
        import hostile

        hostile.print_attack(attack, memory, lat)
    if args.show_slowest:
        print("slowest requests:")
        for elapsed, what in sorted(outcome.slowest, reverse=True)[:args.show_slowest]:
            print(f"  {elapsed:7.0f} ms  {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
