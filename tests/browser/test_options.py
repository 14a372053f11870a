"""The options page pairs the extension: address, pasted token, test connection, then the
overlay works with what the page saved."""

from __future__ import annotations

import harness


def options_url() -> str:
    return f"chrome-extension://{harness.extension_id()}/extension/options.html"


def stored(context) -> dict:
    return harness.service_worker(context).evaluate("() => chrome.storage.local.get(null)")


def test_pairing_through_the_options_page(browser, page, origin, service, token, artifacts):
    harness.configure(browser, address=None, token=None, theme=None, categories=None,
                      timeoutSeconds=None)
    options = browser.new_page()
    try:
        options.goto(options_url())
        assert options.locator("#address").input_value() == "http://127.0.0.1:8765"

        # A wrong address is refused with a reason, and nothing is saved.
        options.fill("#address", "http://example.com:8765")
        options.click("#save")
        assert "only talks to a service on this computer" in options.locator("#address-error").inner_text()
        assert "address" not in stored(browser)

        # The right address without a token: the service answers, but pairing is missing.
        options.fill("#address", f"127.0.0.1:{service.port}")
        options.click("#test")
        result = options.locator("#test-result")
        options.locator("#test-result[data-outcome]").wait_for()
        assert result.get_attribute("data-outcome") == "not_paired"
        assert "sourcelight token" in result.inner_text()

        # Paste the token the service printed: connected and paired, and saved at once.
        options.fill("#token", token)
        options.click("#test")
        options.locator('#test-result[data-outcome="ok"]').wait_for()
        assert "Connected and paired" in result.inner_text()
        assert "sourcelight" in result.inner_text()
        options.uncheck("#category-organization")
        options.select_option("#theme", "light")
        options.click("#save")
        options.locator("#saved").wait_for(state="visible")
        options.screenshot(path=str(artifacts / "options.png"))
        saved = stored(browser)
        assert saved["address"] == service.address
        assert saved["token"] == token
        assert saved["theme"] == "light"
        assert saved["categories"]["organization"] is False
    finally:
        options.close()

    frame = harness.open_overlay(browser, page, origin + harness.SEED_PATH)
    assert frame.evaluate("document.body.dataset.state") == "done"
    assert frame.evaluate("document.documentElement.dataset.theme") == "light"
    organisations = frame.evaluate(
        "() => [...document.querySelectorAll('#sl-body mark[data-category=\"organization\"]')]"
        ".every(m => m.classList.contains('off'))")
    assert organisations


def test_test_connection_reports_a_stopped_service(browser):
    port = harness.free_port()
    options = browser.new_page()
    try:
        options.goto(options_url())
        options.fill("#address", f"http://localhost:{port}")
        options.click("#test")
        options.locator("#test-result[data-outcome]").wait_for()
        result = options.locator("#test-result")
        assert result.get_attribute("data-outcome") == "not_running"
        assert f"sourcelight serve --port {port}" in result.inner_text()
    finally:
        options.close()
