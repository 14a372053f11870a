"""What a web page can do to the extension (issue 10, item 7), in Chromium with the real
extension and service: it cannot tell the extension is installed by probing its overlay page,
cannot close the overlay with a synthetic key, cannot draw its own element over the overlay, and
a content script cannot read the pairing token from the extension's storage."""

from __future__ import annotations

import time

import harness

SEED_URL_PATH = harness.SEED_PATH


def host_is_on_top(page) -> bool:
    """Whether the overlay's host is what the page hits at the middle and at a corner."""
    return page.evaluate(
        """() => [[innerWidth / 2, innerHeight / 2], [5, 5]].every(([x, y]) =>
              document.elementFromPoint(x, y)?.hasAttribute('data-sourcelight'))""")


def wait_on_top(page, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if host_is_on_top(page):
            return True
        page.wait_for_timeout(20)
    return host_is_on_top(page)


def test_a_page_cannot_probe_for_the_overlay_page(paired, page, origin):
    page.goto(origin + SEED_URL_PATH)
    static = f"chrome-extension://{harness.extension_id()}{harness.OVERLAY_PATH}"
    probe = page.evaluate(
        """url => fetch(url).then(r => 'loaded ' + r.status, e => 'failed')""", static)
    assert probe == "failed"
    # The overlay itself still loads (from the per-session address the extension knows).
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    assert frame.evaluate("document.body.dataset.state") == "done"


def test_a_synthetic_escape_does_not_close_the_overlay(paired, page, origin):
    harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    page.evaluate(
        """() => { for (const target of [document, document.body, window]) {
              target.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', code: 'Escape',
                                                                 bubbles: true, cancelable: true}));
           } }""")
    page.wait_for_timeout(300)
    assert harness.overlay_host_count(page) == 1
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-sourcelight]')).display") != "none"
    # The reader's own Escape still closes it.
    page.keyboard.press("Escape")
    harness.wait_overlay_closed(page)


def test_a_page_cannot_draw_over_the_overlay(paired, page, origin):
    harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    assert wait_on_top(page)
    # An element of the page's own, added later with the highest z-index (a fake prompt).
    page.evaluate(
        """() => { const fake = document.createElement('div'); fake.id = 'fake';
              fake.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:#fff';
              fake.textContent = 'Paste your Sourcelight token here';
              document.documentElement.appendChild(fake); }""")
    assert wait_on_top(page)
    # The top layer: a popover the page shows after the overlay opened.
    page.evaluate(
        """() => { const pop = document.createElement('div'); pop.popover = 'manual';
              pop.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh;margin:0;max-width:none;max-height:none';
              pop.textContent = 'Paste your Sourcelight token here';
              document.body.appendChild(pop); pop.showPopover(); }""")
    assert wait_on_top(page)
    # The page hides the overlay's popover: it comes back.
    page.evaluate("() => document.querySelector('[data-sourcelight]').hidePopover?.()")
    assert wait_on_top(page)
    # A page's modal dialog: the overlay is raised over it (though the dialog makes it inert,
    # which hit-testing shows as the dialog), and the reader's Esc still closes the overlay.
    page.evaluate(
        """() => { const dialog = document.createElement('dialog'); dialog.textContent = 'x';
              document.body.appendChild(dialog); dialog.showModal(); }""")
    page.keyboard.press("Escape")
    harness.wait_overlay_closed(page)


def test_content_scripts_cannot_read_the_pairing_token(paired, page, origin, token):
    page.goto(origin + SEED_URL_PATH)
    worker = harness.service_worker(paired)
    # Run in the extension's isolated world of the tab, where its content script runs (the
    # extension holds host permission for 127.0.0.1).
    seen = worker.evaluate(
        """async (url) => {
            const [tab] = await chrome.tabs.query({url});
            const [injection] = await chrome.scripting.executeScript({
                target: {tabId: tab.id}, world: 'ISOLATED',
                func: async () => { try { return JSON.stringify(await chrome.storage.local.get(null)); }
                                    catch (error) { return 'refused: ' + error.message; } }});
            return injection.result;
        }""", page.url)
    assert token not in seen
    assert seen.startswith("refused")
    # Extension pages still read their settings: the overlay works with the stored token.
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    assert frame.evaluate("document.body.dataset.state") == "done"
