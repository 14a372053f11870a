"""Hardening, round two (issue 10): bounded output, every fault path of the worker pool and the
pairing token, safe Markdown, and layers that only point down.

Every page here goes through the real pipeline in real worker processes; every fault is real
(a stopped or killed process, a FIFO, a file-size limit), loopback only, bounded in time.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import STORY
from sourcelight.app import get_worker_pool
from sourcelight.model import Article
from sourcelight.pairing import PairingError, load_or_create
from sourcelight.render import article_to_markdown, html_to_markdown
from sourcelight.settings import Settings
from sourcelight.workers import WorkerPool

JSON = "application/json"
SERVER_DIR = Path(__file__).resolve().parents[1] / "server"
STORY_HTML = "".join(f"<p>{text}</p>" for text in STORY)
LONG_ADDRESS = "https://example.com/" + "a" * 7970 + "/"


def post(client, payload: dict):
    return client.post("/v1/clean", data=json.dumps(payload), content_type=JSON)


def links_page(count: int, tag: str = "<a href=a>x</a> ") -> str:
    return "<article><p>" + STORY[0] + " " + tag * count + "</p>" + STORY_HTML + "</article>"


# ---------------------------------------------------------------- 1. output amplification
def test_links_against_a_huge_page_address_do_not_amplify_the_answer(client):
    # The case: 0.33 MB in gave 322 MB out. The address is over max_base_url_chars.
    payload = {"url": LONG_ADDRESS, "html": links_page(20_000)}
    started = time.perf_counter()
    response = post(client, payload)
    elapsed = time.perf_counter() - started
    body_bytes = len(json.dumps(payload).encode())
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert len(response.get_data()) <= Settings().max_answer_ratio * body_bytes
    assert "render:base-url-too-long" in answer["notes"]
    assert 'href="a"' not in answer["article"]["html"]  # no relative link left unresolved
    assert STORY[1] in answer["article"]["text"]
    assert elapsed < Settings().request_timeout


def test_links_that_would_pass_the_answer_limit_are_refused_with_422(client):
    # Under the base-address cap, 20,000 links would each repeat 1,000 characters.
    payload = {"url": "https://example.com/" + "b" * 1000 + "/", "html": links_page(20_000)}
    response = post(client, payload)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["error"] == "answer_too_large"
    assert "max_answer_ratio" in body["message"]


def test_images_against_a_long_base_href_are_refused_before_they_take_memory(client):
    page = ("<html><head><base href='https://example.com/" + "c" * 1500 + "/'></head><body>"
            + links_page(50_000, "<img src=a> ") + "</body></html>")
    response = post(client, {"html": page})
    assert response.status_code == 422
    assert response.get_json()["error"] == "answer_too_large"


def test_a_link_over_the_length_limit_after_resolving_is_dropped(make_app):
    app = make_app(max_link_chars=200)
    long_link = "https://example.com/" + "d" * 300
    page = (f"<article><p>{STORY[0]} <a href='{long_link}'>long</a> "
            f"<a href='/short'>short</a></p>{STORY_HTML}</article>")
    response = post(app.test_client(), {"url": "https://example.com/story", "html": page})
    assert response.status_code == 200
    answer = response.get_json()
    assert long_link not in answer["article"]["html"]
    assert 'href="https://example.com/short"' in answer["article"]["html"]
    assert "render:dropped-long-links" in answer["notes"]


def test_the_answer_limit_is_checked_in_the_worker(make_app):
    app = make_app(max_answer_ratio=0.01, min_answer_bytes=100)
    page = f"<article>{STORY_HTML}</article>"
    response = post(app.test_client(), {"html": page})
    assert response.status_code == 422
    assert response.get_json()["error"] == "answer_too_large"
    # The same page is answered under the default limits.
    assert post(make_app().test_client(), {"html": page}).status_code == 200


def test_the_answer_is_encoded_in_the_worker_inside_the_time_limit():
    # The service process only passes bytes on: nothing of a page's cost is left outside the
    # worker, where the time limit and the memory cap hold.
    from sourcelight.pipeline import clean

    page = f"<article>{STORY_HTML}</article>"
    pool = WorkerPool(Settings(workers=1))
    try:
        answer = pool.clean_to_json(page, "https://news.example/buses")
    finally:
        pool.close()
    assert isinstance(answer.body, bytes)
    expected = clean(page, "https://news.example/buses").to_dict()
    assert json.loads(answer.body) == expected
    assert (answer.words, answer.text_chars) == (expected["article"]["word_count"],
                                                len(expected["article"]["text"]))


def test_a_worker_over_its_memory_cap_gives_422_and_is_replaced():
    # An address-space cap a little above what a warm worker maps (about 110 MiB): a page of
    # a million elements cannot be parsed under it.
    pool = WorkerPool(Settings(workers=1, worker_memory_limit=250 * 1024 * 1024))
    try:
        pool.start(wait=True)
        (old_pid,) = pool.status().pids
        page = "<article>" + "<p>x</p>" * 1_000_000 + "</article>"
        with pytest.raises(Exception) as raised:
            pool.clean(page, None)
        assert getattr(raised.value, "status", None) == 422, repr(raised.value)
        assert "worker_memory_limit" in raised.value.message
        assert pool.clean(f"<article>{STORY_HTML}</article>", None).article.text
        assert old_pid not in pool.status().pids
    finally:
        pool.close()


def test_a_worker_that_grew_past_max_rss_is_recycled():
    pool = WorkerPool(Settings(workers=1, worker_max_rss=1))
    try:
        pool.start(wait=True)
        seen = set(pool.status().pids)
        for _ in range(2):
            assert pool.clean(f"<article>{STORY_HTML}</article>", None).article.text
            seen.update(pool.status().pids)
        assert len(seen) == 3  # a fresh worker after each page
    finally:
        pool.close()


# ---------------------------------------------------------------- 4. handing a page over
def test_a_page_for_stopped_workers_is_answered_instead_of_hanging(make_app):
    app = make_app(workers=2)
    pool = get_worker_pool(app)
    pool.start(wait=True)
    pids = pool.status().pids
    # Larger than a pipe's buffer (64 KiB), so sending it to a stopped worker blocks; cheap to
    # clean (the script is dropped at once), so a busy machine answers it well in time.
    big = {"html": "<html><head><script>" + "var x = 1;\n" * 50_000 + "</script></head>"
                   f"<body><article>{STORY_HTML}</article></body></html>"}
    assert len(big["html"]) > 256 * 1024

    def wake() -> None:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    # Without a limit on the hand-over the request would wait for this (bounds the test).
    waker = threading.Timer(8, wake)
    waker.start()
    try:
        started = time.perf_counter()
        response = post(app.test_client(), big)
        elapsed = time.perf_counter() - started
    finally:
        waker.cancel()
        wake()
    # A stopped worker is found before the page reaches it and replaced by a fresh one (a
    # page one took anyway would be stopped by the watchdog at request_timeout: 504).
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert elapsed < 6, f"the hand-over to a stopped worker took {elapsed:.1f}s"
    assert post(app.test_client(), {"html": f"<article>{STORY_HTML}</article>"}
                ).status_code == 200


def test_an_idle_worker_killed_is_replaced_before_the_next_page(make_app):
    app = make_app(workers=1)
    pool = get_worker_pool(app)
    pool.start(wait=True)
    (old_pid,) = pool.status().pids
    os.kill(old_pid, signal.SIGKILL)
    time.sleep(0.2)
    response = post(app.test_client(), {"html": f"<article>{STORY_HTML}</article>"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert old_pid not in pool.status().pids


# ---------------------------------------------------------------- 3. token rotation
def test_a_new_token_on_disk_revokes_the_old_one_in_the_running_app(tmp_path):
    from flask.testing import FlaskClient

    from sourcelight.app import close_worker_pool, create_app

    app = create_app(Settings(config_dir=str(tmp_path)), {"TESTING": True})
    try:
        client = FlaskClient(app, app.response_class)
        old = load_or_create(tmp_path).token

        def status(token: str) -> int:
            return client.get("/v1/clean", headers={"Authorization": f"Bearer {token}"}
                              ).status_code

        assert status(old) == 405  # paired: past the guard, wrong method
        new = load_or_create(tmp_path, renew=True).token
        assert status(old) == 403 and status(new) == 405
        (tmp_path / "token").unlink()  # no token file: no token works (fail closed)
        assert status(new) == 403
    finally:
        close_worker_pool(app)


# ---------------------------------------------------------------- 5. pairing faults
def run_token_command(config_dir: Path, preexec=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCELIGHT_CONFIG_DIR=str(config_dir),
               PYTHONPATH=os.pathsep.join(filter(None, [str(SERVER_DIR),
                                                       os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "sourcelight.cli", "token"], env=env,
                          capture_output=True, text=True, timeout=30, preexec_fn=preexec)


def test_a_fifo_at_the_token_path_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "token", 0o600)
    done = run_token_command(tmp_path)  # the timeout fails the test if the open blocks
    assert done.returncode == 1
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_a_config_dir_that_cannot_be_written_gives_a_message(tmp_path):
    def no_file_may_grow() -> None:  # what a full disk does to the token write
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    done = run_token_command(tmp_path, no_file_may_grow)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert "Cannot write the pairing token file" in done.stderr
    assert "SOURCELIGHT_CONFIG_DIR" in done.stderr


def test_a_fifo_token_path_is_a_typed_pairing_error(tmp_path):
    os.mkfifo(tmp_path / "token", 0o600)
    outcome: dict = {}

    def load() -> None:
        try:
            load_or_create(tmp_path)
        except PairingError as error:
            outcome["error"] = error

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # unblock the open so the thread ends, then fail
        os.close(os.open(tmp_path / "token", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("opening a FIFO token path blocked")
    assert "not a regular file" in outcome["error"].message


# ---------------------------------------------------------------- 6. Markdown
def article(title: str, html: str) -> Article:
    return Article(title=title, byline=None, published=None, site_name=None,
                   url="https://example.com/s", lang="en", dateline=None, wire_service=None,
                   word_count=3, reading_minutes=1, html=html, text="")


@pytest.mark.parametrize("html, shown, never", [
    ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "&lt;script&gt;", "<script"),
    ("<p>see &lt;https://evil.test/x&gt;</p>", "&lt;https://evil.test/x&gt;", "<a "),
    ("<p>&amp;lt;b&amp;gt; stays text</p>", "&amp;lt;b&amp;gt;", "&lt;b&gt;"),
])
def test_markdown_never_turns_text_into_html(html, shown, never):
    import markdown_it

    rendered = markdown_it.MarkdownIt("commonmark").render(html_to_markdown(html))
    assert shown in rendered  # the text reads as the page showed it
    assert never not in rendered.replace(shown, "")


@pytest.mark.parametrize("text, block", [
    ("# not a heading", "<h1>"), ("&gt; not a quote", "<blockquote>"),
    ("- not a list", "<ul>"), ("1. not a list", "<ol>"), ("Title<br>=====", "<h1>"),
])
def test_markdown_paragraphs_stay_paragraphs(text, block):
    import markdown_it

    rendered = markdown_it.MarkdownIt("commonmark").render(html_to_markdown(f"<p>a</p><p>{text}"
                                                                            "</p>"))
    assert block not in rendered


def test_markdown_link_addresses_cannot_close_early_or_carry_markup():
    import markdown_it

    html = ('<p><a href="https://x.org/a)b&lt;script&gt;x&lt;/script&gt; c">t</a> '
            '<img src="https://x.org/i(1).png" alt="a"></p>')
    rendered = markdown_it.MarkdownIt("commonmark").render(html_to_markdown(html))
    assert "<script" not in rendered
    assert 'href="https://x.org/a%29b%3Cscript%3Ex%3C/script%3E%20c"' in rendered
    assert 'src="https://x.org/i%281%29.png"' in rendered


def test_markdown_title_and_front_matter_are_escaped():
    import yaml

    markdown = article_to_markdown(article("&lt;img src=x onerror=alert(1)&gt; \x85 aux",
                                           "<p>Body.</p>"))
    _, front, rest = markdown.split("---\n", 2)
    assert yaml.safe_load(front)["title"].startswith("&lt;img")
    assert "<img" not in rest
    markdown = article_to_markdown(article("Zeichen \u0080 und \x9f", "<p>Body.</p>"))
    assert yaml.safe_load(markdown.split("---\n")[1])["title"] == "Zeichen \u0080 und \x9f"


# ---------------------------------------------------------------- 8. layers
def test_the_api_module_does_not_import_the_app_module():
    code = ("import sys; import sourcelight.api; "
            "print('sourcelight.app' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [
        str(SERVER_DIR), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
