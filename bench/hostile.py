"""The hostile mix of bench/load.py (issue 10): while real pages are posted, other clients
post pages built to amplify the answer, hold slow connections open (a header line every two
seconds, reconnecting when closed), and one worker is stopped with SIGSTOP for a while.

Used by load.py (``--attack-requests 0`` skips it); loopback only, bounded in time and count.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SLOW_CONNECTIONS = 110
SLOW_LINE_SECONDS = 2.0
STOP_WORKER_SECONDS = 5.0


def amplifying_pages() -> list[tuple[str, bytes]]:
    """(name, body) of the pages that amplified before issue 10."""
    links = "<article><p>" + "<a href=a>x</a> " * 20000 + "</p></article>"
    images = "<article><p>" + "<img src=a> " * 100000 + "</p></article>"
    base = ("<html><head><base href='https://example.com/" + "b" * 1500 + "/'></head><body>"
            + images + "</body></html>")
    return [
        ("links x20k, 8k-char URL", json.dumps(
            {"url": "https://example.com/" + "a" * 7970 + "/", "html": links}).encode()),
        ("links x20k, 1k-char URL", json.dumps(
            {"url": "https://example.com/" + "a" * 1000 + "/", "html": links}).encode()),
        ("images x100k, 8k-char URL", json.dumps(
            {"url": "https://example.com/" + "a" * 7970 + "/", "html": images}).encode()),
        ("images x100k, long <base>", json.dumps({"html": base}).encode()),
    ]


@dataclass
class HostileOutcome:
    statuses: Counter = field(default_factory=Counter)
    largest_ratio: tuple[float, str] = (0.0, "")
    slow_opened: int = 0
    slow_closed_by_server: int = 0
    stopped_worker: int | None = None


def post_hostile(url: str, token: str, stop: threading.Event, outcome: HostileOutcome) -> None:
    """Post the amplifying pages in turn until ``stop``."""
    parts = urlsplit(url)
    pages = amplifying_pages()
    index = 0
    while not stop.is_set():
        name, body = pages[index % len(pages)]
        index += 1
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            conn.request("POST", "/v1/clean", body=body, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            answer = response.read()
            outcome.statuses[f"{response.status} {name}"] += 1
            outcome.largest_ratio = max(outcome.largest_ratio, (len(answer) / len(body), name))
        except (OSError, http.client.HTTPException) as error:
            outcome.statuses[f"{type(error).__name__} {name}"] += 1
        finally:
            conn.close()


def hold_slow_connections(url: str, stop: threading.Event, outcome: HostileOutcome) -> None:
    """Keep :data:`SLOW_CONNECTIONS` connections sending one header line every
    :data:`SLOW_LINE_SECONDS`, opening a new one for each the server closes."""
    parts = urlsplit(url)
    sockets: list[socket.socket] = []

    def open_one() -> None:
        try:
            sock = socket.create_connection((parts.hostname, parts.port), timeout=2)
            sock.sendall(b"POST /v1/clean HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sock.setblocking(False)
            sockets.append(sock)
            outcome.slow_opened += 1
        except OSError:
            pass

    while len(sockets) < SLOW_CONNECTIONS and not stop.is_set():
        open_one()
    while not stop.wait(SLOW_LINE_SECONDS):
        for sock in list(sockets):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                if sock.recv(1) == b"":
                    raise ConnectionResetError
            except BlockingIOError:
                continue  # nothing to read: still open
            except OSError:
                sockets.remove(sock)
                sock.close()
                outcome.slow_closed_by_server += 1
                open_one()
    for sock in sockets:
        sock.close()


def stop_one_worker(workers: list[int], stop: threading.Event, outcome: HostileOutcome) -> None:
    """SIGSTOP one worker for :data:`STOP_WORKER_SECONDS`, then SIGCONT it (if it still runs)."""
    if not workers or stop.wait(1.0):
        return
    pid = workers[-1]
    outcome.stopped_worker = pid
    try:
        os.kill(pid, signal.SIGSTOP)
        stop.wait(STOP_WORKER_SECONDS)
    except ProcessLookupError:
        return
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def start_attack(url: str, token: str, workers: list[int]
                 ) -> tuple[threading.Event, list[threading.Thread], HostileOutcome]:
    """Start the hostile clients; set the event and join the threads to end them."""
    stop = threading.Event()
    outcome = HostileOutcome()
    threads = [threading.Thread(target=hold_slow_connections, args=(url, stop, outcome)),
               threading.Thread(target=post_hostile, args=(url, token, stop, outcome)),
               threading.Thread(target=stop_one_worker, args=(workers, stop, outcome))]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the slow connections are open before the real pages start
    return stop, threads, outcome


def run_attack(url: str, token: str, workers: list[int], run_clients, pages: list,
               requests: int, concurrency: int) -> tuple:
    """Real pages (load.py's ``run_clients``) while the hostile clients attack:
    (outcome, wall seconds, hostile outcome)."""
    stop, threads, hostile_outcome = start_attack(url, token, workers)
    try:
        outcome, wall = run_clients(url, token, pages, requests, concurrency)
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)
    return outcome, wall, hostile_outcome


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def print_attack(attack: tuple, memory, calm_ms: list[float]) -> None:
    """The hostile mix's figures (``memory``: load.py's MemoryPeak over the whole run);
    ``calm_ms`` are the real pages' latencies without the attack, in the same run."""
    outcome, wall, hostile_outcome = attack
    lat = outcome.latencies_ms
    statuses = dict(sorted(outcome.statuses.items()))
    print()
    print(f"hostile mix: {hostile_outcome.slow_opened} slow connections opened "
          f"({hostile_outcome.slow_closed_by_server} closed by the service and reopened), "
          f"amplifying pages posted in a loop, worker {hostile_outcome.stopped_worker} stopped "
          f"(SIGSTOP) for {STOP_WORKER_SECONDS:g} s")
    print(f"real pages during the attack: {len(lat)} in {wall:.1f}s, answers by status "
          f"{statuses}, p50 {pct(lat, 0.5):.0f} ms, p99 {pct(lat, 0.99):.0f} ms, "
          f"max {max(lat):.0f} ms; against the same pages without the attack (this run): "
          f"p50 x{pct(lat, 0.5) / pct(calm_ms, 0.5):.2f}, "
          f"p99 x{pct(lat, 0.99) / pct(calm_ms, 0.99):.2f}")
    print(f"hostile answers by status: {dict(sorted(hostile_outcome.statuses.items()))}")
    worst = max(outcome.largest_ratio, hostile_outcome.largest_ratio)
    print(f"largest answer/input ratio under attack: {worst[0]:.2f} ({worst[1]})")
    by_role: dict[str, list[int]] = {}
    for pid, kib in memory.per_process_kib.items():
        by_role.setdefault(memory.roles.get(pid, "worker"), []).append(kib)
    shown = ", ".join(f"{role} {max(sizes) / 1024:.0f} MiB"
                      + (f" (largest of {len(sizes)})" if len(sizes) > 1 else "")
                      for role, sizes in sorted(by_role.items()))
    print(f"peak RSS of each process over the whole run: {shown}")
