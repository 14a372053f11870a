"""The manifest: one file for Chromium and Firefox, minimal permissions, a pinned id."""

from __future__ import annotations

import json

import harness

MANIFEST = json.loads((harness.ROOT / "manifest.json").read_text("utf-8"))


def test_manifest_permissions_are_minimal() -> None:
    assert MANIFEST["manifest_version"] == 3
    assert sorted(MANIFEST["permissions"]) == ["activeTab", "downloads", "scripting", "storage"]
    assert MANIFEST["host_permissions"] == ["http://127.0.0.1/*", "http://localhost/*"]
    # Other sites only when the reader saves a copy with their images (asked then).
    assert MANIFEST["optional_host_permissions"] == ["http://*/*", "https://*/*"]
    assert "content_scripts" not in MANIFEST  # injected on demand only
    # Only the overlay page is reachable from web pages (to be framed by the content script),
    # and only at a per-session address, so a page cannot probe for the extension.
    assert MANIFEST["web_accessible_resources"] == [
        {"resources": ["extension/overlay.html"], "matches": ["<all_urls>"], "use_dynamic_url": True}]


def test_one_manifest_for_chromium_and_firefox() -> None:
    background = MANIFEST["background"]
    assert background["service_worker"] == "extension/background.js"
    assert background["scripts"][-1] == "extension/background.js"
    for script in background["scripts"]:
        assert (harness.ROOT / script).is_file()
    # Firefox loads these in order: what save.js and export.js read must come before them.
    order = [script.rsplit("/", 1)[-1] for script in background["scripts"]]
    assert order.index("present.js") < order.index("corrections.js") < order.index("save.js")
    assert order.index("corrections.js") < order.index("export.js") < order.index("background.js")
    # Chromium's service worker imports the same files.
    worker = (harness.ROOT / "extension" / "background.js").read_text("utf-8")
    assert ('importScripts("messages.js", "present.js", "client.js", "corrections.js", "export.js", '
            '"save.js", "images.js")') in worker
    assert MANIFEST["browser_specific_settings"]["gecko"]["id"]
    for page in (MANIFEST["options_ui"]["page"], "extension/overlay.html"):
        assert (harness.ROOT / page).is_file()


def test_toolbar_button_and_shortcut_share_one_path() -> None:
    command = MANIFEST["commands"]["_execute_action"]
    assert command["suggested_key"]["default"]
    assert "default_popup" not in MANIFEST["action"]  # a popup would swallow onClicked


def test_the_key_pins_the_id_chromium_gives_the_extension(browser) -> None:
    worker = harness.service_worker(browser)
    assert worker.url == f"chrome-extension://{harness.extension_id()}/extension/background.js"
