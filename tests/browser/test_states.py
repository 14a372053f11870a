"""Every state of the overlay is visible: service not running, not paired, wrong token, no
article, page too large, time-out — each with what the reader can do, never a spinner forever."""

from __future__ import annotations

import time

import harness

SEED = harness.SEED_PATH


def failure_of(frame) -> dict:
    return frame.evaluate(
        """() => ({state: document.body.dataset.state, kind: document.body.dataset.failure,
                   title: document.getElementById('sl-failure-title').textContent,
                   message: document.getElementById('sl-failure-message').textContent,
                   found: document.getElementById('sl-failure-found').textContent,
                   commands: [...document.querySelectorAll('#sl-failure-commands code')].map(c => c.textContent),
                   options: !document.getElementById('sl-open-options').hidden,
                   focused: document.activeElement.id})"""
    )


def test_service_not_running_names_the_command(paired, page, origin, artifacts):
    port = harness.free_port()  # nothing listens there
    harness.configure(paired, address=f"http://127.0.0.1:{port}")
    frame = harness.open_overlay(paired, page, origin + SEED)
    page.screenshot(path=str(artifacts / "state-not-running.png"))
    shown = failure_of(frame)
    assert shown["state"] == "failed" and shown["kind"] == "not_running"
    assert "not running" in shown["title"]
    assert f"http://127.0.0.1:{port}" in shown["message"]
    assert shown["commands"] == [f"sourcelight serve --port {port}"]
    # Keyboard users land on a button, and Esc still closes.
    assert shown["focused"] == "sl-failure-close"
    page.keyboard.press("Escape")
    harness.wait_overlay_closed(page)


def test_not_paired_links_to_the_options(paired, page, origin, artifacts):
    harness.configure(paired, token=None)
    frame = harness.open_overlay(paired, page, origin + SEED)
    page.screenshot(path=str(artifacts / "state-not-paired.png"))
    shown = failure_of(frame)
    assert shown["kind"] == "not_paired"
    assert "sourcelight token" in shown["message"]
    assert shown["options"] and shown["focused"] == "sl-open-options"
    with paired.expect_page() as opened:
        page.keyboard.press("Enter")
    options = opened.value
    options.wait_for_load_state()
    assert options.url == f"chrome-extension://{harness.extension_id()}/extension/options.html"
    options.close()


def test_wrong_token_is_not_paired_with_the_service_s_reason(paired, page, origin):
    harness.configure(paired, token="W" * 43)
    frame = harness.open_overlay(paired, page, origin + SEED)
    shown = failure_of(frame)
    assert shown["kind"] == "not_paired"
    assert "paired" in shown["message"] and "sourcelight token" in shown["message"]
    assert shown["options"]


def test_not_an_article_says_so_and_what_was_found(paired, page, origin, pages_dir):
    (pages_dir / "login.html").write_text(
        "<!DOCTYPE html><html><head><title>Sign in to Example</title></head><body>"
        "<form><label>Name <input name=u></label><button>Sign in</button></form></body></html>",
        "utf-8")
    frame = harness.open_overlay(paired, page, origin + "/pages/login.html")
    shown = failure_of(frame)
    assert shown["kind"] == "not_article"
    assert "No article" in shown["title"]
    assert "No article text was found" in shown["message"]  # the service's own words
    assert "Sign in to Example" in shown["found"]


def test_page_too_large_is_refused_before_sending(paired, page, origin, pages_dir):
    (pages_dir / "huge.html").write_text(
        "<!DOCTYPE html><html><head><title>Huge</title></head><body><p>Start.</p><script>"
        "document.body.append(document.createElement('p'));"
        "document.body.lastChild.textContent = 'x'.repeat(16 * 1024 * 1024);"
        "</script></body></html>", "utf-8")
    frame = harness.open_overlay(paired, page, origin + "/pages/huge.html")
    shown = failure_of(frame)
    assert shown["kind"] == "too_large"
    assert "too large" in shown["title"]
    assert "over the limit" in shown["message"]


def test_a_silent_service_times_out_with_a_message(paired, page, origin, artifacts):
    with harness.silent_server() as address:
        harness.configure(paired, address=address, timeoutSeconds=1)
        started = time.monotonic()
        frame = harness.open_overlay(paired, page, origin + SEED, timeout=15)
        elapsed = time.monotonic() - started
        page.screenshot(path=str(artifacts / "state-timeout.png"))
    shown = failure_of(frame)
    assert shown["kind"] == "timeout"
    assert "within 1 s" in shown["message"]
    assert elapsed < 6
