"""Hardening of the running service (`sourcelight serve` in a subprocess, loopback only): slow
clients cannot lock the paired extension out, and `sourcelight token --new` revokes the old
token at once. The slow connections are bounded in count (110, the issue's attack) and time.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import STORY, load_bench, stop_process
from sourcelight.settings import Settings

SERVER_DIR = Path(__file__).resolve().parents[1] / "server"
SLOW_CONNECTIONS = 110
JSON = "application/json"
SMALL_PAGE = ("<html lang='en'><body><article>" + "".join(f"<p>{t}</p>" for t in STORY)
              + "</article></body></html>")


def env_for(config_dir: Path) -> dict:
    return dict(os.environ, SOURCELIGHT_CONFIG_DIR=str(config_dir),
                PYTHONPATH=os.pathsep.join(filter(None, [str(SERVER_DIR),
                                                        os.environ.get("PYTHONPATH")])))


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """`sourcelight serve --port 0` with its own config dir: (url, token, config dir)."""
    config_dir = tmp_path_factory.mktemp("serve-config")
    load = load_bench("load")
    server = subprocess.Popen(
        [sys.executable, "-m", "sourcelight.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env_for(config_dir), text=True)
    try:
        url, token = load.read_banner(server.stdout, timeout=60)
        yield url, token, config_dir
    finally:
        stop_process(server, timeout=30)


def request(url: str, method: str, path: str, token: str | None = None, body: bytes | None = None,
            timeout: float = 5.0, headers: dict | None = None) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        sent["Content-Type"] = JSON
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def open_slow_connections(url: str, count: int) -> list[socket.socket]:
    """``count`` connections that start a request and never finish its headers."""
    parts = urlsplit(url)
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
        sock.sendall(b"POST /v1/clean HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(sock)
    return sockets


def test_slow_connections_do_not_lock_the_paired_extension_out(service):
    url, token, _ = service
    body = json.dumps({"url": "https://news.example/buses", "html": SMALL_PAGE}).encode()
    slow = open_slow_connections(url, SLOW_CONNECTIONS)
    try:
        time.sleep(0.5)  # all of them accepted (or queued) by the server
        started = time.perf_counter()
        status, _, _ = request(url, "GET", "/v1/health", timeout=5)
        assert status == 200
        status, _, data = request(url, "POST", "/v1/clean", token, body, timeout=10)
        elapsed = time.perf_counter() - started
        assert status == 200, data[:300]
        assert STORY[0] in json.loads(data)["article"]["text"]
        assert elapsed < 5, f"the paired request waited {elapsed:.1f}s behind slow clients"
    finally:
        for sock in slow:
            sock.close()


def test_token_new_revokes_the_old_token_in_the_running_service(service):
    url, old, config_dir = service
    assert request(url, "GET", "/v1/clean", old)[0] == 405  # paired: past the guard
    made = subprocess.run([sys.executable, "-m", "sourcelight.cli", "token", "--new"],
                          env=env_for(config_dir), capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    new = made.stdout.strip()
    assert new != old and "running" in made.stderr
    status, _, data = request(url, "GET", "/v1/clean", old)
    assert status == 403 and json.loads(data)["error"] == "forbidden"
    assert request(url, "GET", "/v1/clean", new)[0] == 405


def test_a_web_page_cannot_read_that_the_service_runs(service):
    # Cross-Origin-Resource-Policy turns a page's no-cors fetch into a network error.
    url, _, _ = service
    status, headers, _ = request(url, "GET", "/v1/health", headers={
        "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "cross-site"})
    assert status == 403
    assert headers.get("Cross-Origin-Resource-Policy") == "same-origin"


# ---------------------------------------------------------------- the deadline, in-process
@pytest.fixture
def quick_server(make_app):
    """The serve server in this process with a 1 s request deadline and a budget of 4."""
    from sourcelight.serving import create_http_server

    app = make_app(port=0, request_read_timeout=1.0, max_waiting_connections=4)
    settings = app.config["SOURCELIGHT_SETTINGS"]
    server = create_http_server(app, settings, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        from waitress import wasyncore

        server.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(server._map)
        thread.join(10)


def test_a_client_that_trickles_its_headers_is_closed_at_the_deadline(quick_server):
    parts = urlsplit(quick_server)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    try:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\n")
        started = time.monotonic()
        closed_after = None
        # One header line every 0.3 s: each byte is activity, but not a whole request.
        while time.monotonic() - started < 6:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                sock.settimeout(0.3)
                if sock.recv(1024) == b"":
                    closed_after = time.monotonic() - started
                    break
            except socket.timeout:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break
        assert closed_after is not None, "a trickling client kept its connection for 6 s"
        assert closed_after < 4
    finally:
        sock.close()


def test_past_the_budget_the_longest_waiting_connection_is_closed(quick_server):
    parts = urlsplit(quick_server)
    first = socket.create_connection((parts.hostname, parts.port), timeout=5)
    first.sendall(b"GET /v1/health HTTP/1.1\r\n")
    time.sleep(0.1)
    others = [socket.create_connection((parts.hostname, parts.port), timeout=5)
              for _ in range(Settings(max_waiting_connections=4).max_waiting_connections)]
    try:
        first.settimeout(3)
        assert first.recv(1024) == b"", "the longest-waiting connection was kept"
        # A client that sends its request at once is still answered.
        status, _, _ = request(quick_server, "GET", "/v1/health", timeout=3)
        assert status == 200
    finally:
        for sock in [first, *others]:
            sock.close()
