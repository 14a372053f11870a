"""The worker pool: a hard time limit per page, bounded concurrency, typed errors across the
process boundary, crashed workers replaced, and no worker left behind.

Every page here is real HTML run by the real pipeline in real worker processes. The slow page
is a long record of 100,000 elements: readability-lxml alone takes about 2 s on it on this
machine (the annotation stage far longer), so a limit of a fraction of that stops it every time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import STORY, load_bench
from sourcelight.app import get_worker_pool
from sourcelight.errors import NoArticle, NotHtml, TooComplex, WorkerFailed
from sourcelight.model import Result
from sourcelight.pipeline import clean
from sourcelight.settings import Settings
from sourcelight.workers import WorkerPool

JSON = "application/json"
SMALL_PAGE = ("<!DOCTYPE html><html lang=\"en\"><head><title>Buses</title></head><body><article>"
              + "".join(f"<p>{text}</p>" for text in STORY) + "</article></body></html>")


def slow_page(elements: int = 100_000) -> str:
    """A long record: ``elements`` elements of paragraphs with bold text and links."""
    paragraphs = "".join(f"<p>{STORY[i % 4]} <b>Note {i}</b> <a href='/n/{i}'>source</a></p>"
                         for i in range(elements // 3))
    return (f"<html><head><title>Long record</title></head><body><article>{paragraphs}"
            "</article></body></html>")


SLOW_BODY = json.dumps({"html": slow_page()})
SMALL_BODY = json.dumps({"url": "https://news.example/buses", "html": SMALL_PAGE})


def is_running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for(condition, timeout: float = 30.0, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(step)


def wait_until_gone(pids, timeout: float = 10.0) -> None:
    wait_for(lambda: not any(is_running(pid) for pid in pids), timeout)


def post(client, body: str):
    return client.post("/v1/clean", data=body, content_type=JSON)


def test_a_page_over_the_time_limit_is_504_and_its_worker_replaced(make_app):
    app = make_app(workers=1, request_timeout=0.5)
    pool = get_worker_pool(app)
    pool.start(wait=True)
    (old_pid,) = pool.status().pids
    client = app.test_client()

    started = time.perf_counter()
    response = post(client, SLOW_BODY)
    elapsed = time.perf_counter() - started

    assert response.status_code == 504, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["error"] == "timeout"
    assert "0.5 seconds" in body["message"] and "request_timeout" in body["message"]
    assert elapsed < 5, f"the 504 took {elapsed:.1f}s"
    # The worker that ran over is gone and a new one took its place ...
    wait_until_gone([old_pid])
    (new_pid,) = pool.status().pids
    assert new_pid != old_pid
    # ... and the next page is cleaned as usual.
    response = post(client, SMALL_BODY)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert STORY[0] in response.get_json()["article"]["text"]


def test_pages_past_workers_and_queue_get_503_with_retry_after(make_app):
    app = make_app(workers=1, queue_size=1, request_timeout=2.0, retry_after=3)
    pool = get_worker_pool(app)
    pool.start(wait=True)
    answers: dict[str, object] = {}

    def send(name: str, body: str) -> None:
        answers[name] = post(app.test_client(), body)

    in_work = threading.Thread(target=send, args=("in_work", SLOW_BODY))
    in_work.start()
    wait_for(lambda: pool.status().in_work == 1)
    waiting = threading.Thread(target=send, args=("waiting", SMALL_BODY))
    waiting.start()
    wait_for(lambda: pool.status().waiting == 1)

    started = time.perf_counter()
    refused = post(app.test_client(), SMALL_BODY)
    elapsed = time.perf_counter() - started
    in_work.join(60)
    waiting.join(60)

    assert refused.status_code == 503, refused.get_data(as_text=True)[:300]
    assert refused.headers["Retry-After"] == "3"
    body = refused.get_json()
    assert body["error"] == "busy"
    assert "3 seconds" in body["message"]
    assert elapsed < 1, "a full pool must refuse at once, not make the caller wait"
    # The page in work ran over its limit; the one that waited got the new worker.
    assert answers["in_work"].status_code == 504
    assert answers["waiting"].status_code == 200
    assert pool.status().in_work == 0 and pool.status().waiting == 0


def test_typed_errors_cross_the_process_boundary_unchanged():
    pool = WorkerPool(Settings(workers=1, max_elements=50))
    try:
        cases = [
            ("<html><body><form><input name=q></form></body></html>", NoArticle),
            ('{"title": "not a page"}', NotHtml),
            ("<html><body>" + "<p>x</p>" * 60 + "</body></html>", TooComplex),
        ]
        for html, error_type in cases:
            with pytest.raises(error_type) as raised:
                pool.clean(html, None)
            with pytest.raises(error_type) as direct:
                clean(html, None, pool.settings)
            assert raised.value.status == direct.value.status == 422
            assert raised.value.message == direct.value.message
        # One worker served all of them: typed errors do not cost a worker.
        assert len(pool.status().pids) == 1
    finally:
        pool.close()


def test_the_pool_returns_what_the_pipeline_returns():
    pool = WorkerPool(Settings(workers=1))
    try:
        result = pool.clean(SMALL_PAGE, "https://news.example/buses")
    finally:
        pool.close()
    assert isinstance(result, Result)
    assert result.to_dict() == clean(SMALL_PAGE, "https://news.example/buses").to_dict()


def test_an_unexpected_error_in_a_worker_is_500_and_the_worker_replaced():
    pool = WorkerPool(Settings(workers=1))
    try:
        pool.start(wait=True)
        (old_pid,) = pool.status().pids
        # The API only ever passes text; a number makes the pipeline itself raise TypeError.
        with pytest.raises(WorkerFailed) as raised:
            pool.clean(12345, None)
        assert raised.value.status == 500 and raised.value.code == "internal_error"
        assert "TypeError" not in raised.value.message
        wait_until_gone([old_pid])
        assert pool.clean(SMALL_PAGE, None).article.text
        assert pool.status().pids != [old_pid]
    finally:
        pool.close()


def test_a_worker_killed_mid_page_is_500_without_traceback_and_replaced(make_app):
    app = make_app(workers=1, request_timeout=30)
    pool = get_worker_pool(app)
    pool.start(wait=True)
    (old_pid,) = pool.status().pids
    answers = {}
    thread = threading.Thread(
        target=lambda: answers.setdefault("killed", post(app.test_client(), SLOW_BODY)))
    thread.start()
    wait_for(lambda: pool.status().in_work == 1)
    time.sleep(0.2)  # the page is in the worker's hands
    os.kill(old_pid, signal.SIGKILL)  # what the kernel's OOM killer does
    thread.join(30)

    response = answers["killed"]
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"] == "internal_error"
    assert "Traceback" not in body["message"] and "EOFError" not in body["message"]
    response = post(app.test_client(), SMALL_BODY)
    assert response.status_code == 200
    assert old_pid not in pool.status().pids


def test_closing_the_pool_stops_every_worker():
    pool = WorkerPool(Settings(workers=2))
    pool.start(wait=True)
    pids = pool.status().pids
    assert len(pids) == 2 and all(is_running(pid) for pid in pids)
    pool.close()
    wait_until_gone(pids, timeout=5)
    assert pool.status().pids == []


def test_app_fixture_teardown_leaves_no_worker(make_app):
    # make_app's teardown closes the pools of the apps it built; here by hand, to check it.
    app = make_app(workers=2)
    response = post(app.test_client(), SMALL_BODY)
    assert response.status_code == 200
    pids = get_worker_pool(app).status().pids
    assert len(pids) == 2
    get_worker_pool(app).close()
    wait_until_gone(pids, timeout=5)


# ---------------------------------------------------------------- `sourcelight serve`
SERVER_DIR = Path(__file__).resolve().parents[1] / "server"


def test_serve_cleans_in_workers_and_stops_them_on_sigterm(tmp_path):
    load = load_bench("load")
    env = dict(os.environ, SOURCELIGHT_CONFIG_DIR=str(tmp_path),
               PYTHONPATH=os.pathsep.join(filter(None, [str(SERVER_DIR),
                                                       os.environ.get("PYTHONPATH")])))
    server = subprocess.Popen(
        [sys.executable, "-m", "sourcelight.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        url, token = load.read_banner(server.stdout, timeout=60)
        workers = load.descendant_pids(server.pid)
        # The pool's workers run before the first page (and the fork server beside them).
        assert len(workers) >= Settings().workers
        request = urllib.request.Request(
            f"{url}/v1/clean", data=SMALL_BODY.encode(), method="POST",
            headers={"Content-Type": JSON, "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert STORY[0] in json.loads(response.read())["article"]["text"]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        wait_until_gone(workers, timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

