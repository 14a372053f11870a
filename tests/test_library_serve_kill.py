"""The service itself killed mid-save: a real `sourcelight serve` takes saves over HTTP while
it is killed with SIGKILL (its whole process group: the service, its fork server and workers);
after each kill the library is consistent and every save it answered 201 is there.
tests/test_library_crash.py does the same 50 times at the store level, where a restart costs
nothing; here each restart starts the service and its worker, so 10 rounds (about 10 s)."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers import TEST_TOKEN

ROUNDS = 10
SOURCELIGHT = Path(sys.executable).with_name("sourcelight")
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_service(tmp_path: Path, port: int) -> subprocess.Popen:
    """`sourcelight serve` with its own config (a known token) and data directories."""
    config = tmp_path / "config"
    config.mkdir(mode=0o700, exist_ok=True)
    (config / "token").write_text(TEST_TOKEN)
    os.chmod(config / "token", 0o600)
    env = {**os.environ, "SOURCELIGHT_CONFIG_DIR": str(config),
           "SOURCELIGHT_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen([str(SOURCELIGHT), "serve", "--port", str(port), "--workers", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("sourcelight serve did not start")


def save_loop(port: int, page: str, acknowledged: list, stop: threading.Event, seed: int) -> None:
    """POST saves until the service dies; record each 201's id and copy size."""
    rng = random.Random(seed)
    while not stop.is_set():
        copy = "<p>" + rng.randbytes(rng.randrange(1, 400_000)).hex()
        body = json.dumps({"url": "https://japannews.example/story", "html": page,
                           "copy": copy}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/library", data=body, method="POST",
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {TEST_TOKEN}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                acknowledged.append(json.load(answer)["id"])
        except (OSError, urllib.error.HTTPError, ValueError):
            return  # the service is gone


def test_service_killed_mid_save_keeps_every_answered_save(tmp_path: Path,
                                                           seed_page: Path) -> None:
    page = seed_page.read_text("utf-8")
    rng = random.Random(7)
    acknowledged: list[int] = []
    started = time.monotonic()
    for round_number in range(ROUNDS):
        port = free_port()
        process = start_service(tmp_path, port)
        stop = threading.Event()
        before = len(acknowledged)
        saver = threading.Thread(target=save_loop,
                                 args=(port, page, acknowledged, stop, round_number))
        saver.start()
        try:
            deadline = time.monotonic() + 30
            while len(acknowledged) <= before and time.monotonic() < deadline:
                time.sleep(0.02)
            assert len(acknowledged) > before, "no save was answered"
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # the service, its fork server, its workers
            process.wait(timeout=10)
            stop.set()
            saver.join(timeout=40)
        conn = sqlite3.connect(tmp_path / "data" / "library.sqlite3")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")
            stored = {row[0] for row in conn.execute("SELECT id FROM entries")}
            assert set(acknowledged) <= stored
            assert conn.execute("SELECT count(*) FROM entry_content").fetchone()[0] == len(stored)
        finally:
            conn.close()
    assert time.monotonic() - started < 120
