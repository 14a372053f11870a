"""The library in the browser: Save clean copy also keeps the article in the service's
library; the library page searches it as the reader types, filters by source, opens the saved
copy sandboxed, exports JSONL and deletes; a source card shows where else it was quoted."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import harness

TITLE = "Trump Asked Takaichi to Avoid Further Escalation in China Dispute, Sources Say"


def library_request(service, token: str, method: str, path: str, body: dict | None = None):
    """Call the library API as the extension does (token, extension Origin)."""
    request = urllib.request.Request(
        service.address + path, method=method,
        data=json.dumps(body).encode("utf-8") if body is not None else None,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                 "Origin": f"chrome-extension://{harness.extension_id()}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def wait_for(predicate, timeout: float = 15.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_save_then_search_open_export_delete(paired, page, origin, downloads, service, token,
                                             artifacts):
    frame = harness.open_overlay(paired, page, origin + harness.SEED_PATH)
    frame.locator("#sl-save").click()
    status = frame.locator("#sl-save-status")
    wait_for(lambda: "library" in status.inner_text(), what="the save status")
    assert "and to your library" in status.inner_text()
    found = library_request(service, token, "GET", "/v1/library?q=takaichi&per_page=100")
    entry_id = max(e["id"] for e in found["entries"] if e["title"] == TITLE)
    saved = library_request(service, token, "GET", f"/v1/library/{entry_id}")
    assert saved["has_copy"] and saved["page_sha256"]

    library = paired.new_page()
    try:
        library.goto(f"chrome-extension://{harness.extension_id()}/extension/library.html")
        library.locator("#q").press_sequentially("takaic", delay=30)  # as typed: a prefix
        item = library.locator(f'li.entry[data-id="{entry_id}"]')
        item.wait_for(state="visible", timeout=15000)
        assert item.locator("h3").inner_text() == TITLE
        # The answer to the typed words (the page lists everything first, without snippets).
        item.locator(".snippet mark").first.wait_for(timeout=15000)
        assert item.locator(".snippet mark").first.inner_text().lower().startswith("takaic")
        assert "saved article" in library.locator("#count").inner_text()
        library.locator("#q").fill("no such words anywhere zzqx")
        library.locator("#count").filter(has_text="Nothing saved matches").wait_for()
        library.locator("#q").fill("")
        library.locator("#source").select_option("Sanae Takaichi")
        item.wait_for(state="visible")
        library.screenshot(path=str(artifacts / "library.png"))

        item.get_by_role("button", name="Open saved copy").click()
        viewer = library.frame_locator("#viewer-frame")
        assert viewer.locator("h1").inner_text(timeout=10000) == TITLE
        assert library.locator("#viewer-frame").get_attribute("sandbox") == ""
        assert library.frame_locator("#viewer-frame").locator("script").count() == 0
        library.screenshot(path=str(artifacts / "library-copy.png"))
        library.keyboard.press("Escape")
        assert library.locator("#viewer").is_hidden()

        for old in downloads.glob("sourcelight-library-*"):
            old.unlink()
        library.locator("#export-jsonl").click()
        exported = wait_for(lambda: [p for p in downloads.glob("sourcelight-library-*.jsonl")
                                     if p.stat().st_size], what="the JSONL export")
        time.sleep(0.2)
        lines = [json.loads(line) for line in exported[0].read_text("utf-8").splitlines()]
        assert any(e["id"] == entry_id and e["title"] == TITLE for e in lines)

        library.once("dialog", lambda dialog: dialog.accept())
        item.get_by_role("button", name="Delete").click()
        item.wait_for(state="detached", timeout=10000)
        remaining = library_request(service, token, "GET", "/v1/library?q=takaichi&per_page=100")
        assert entry_id not in {e["id"] for e in remaining["entries"]}
    finally:
        library.close()


def test_source_card_shows_where_else_quoted(paired, page, origin, service, token) -> None:
    seed = (harness.CORPUS / "seed" / "trump-takaichi.html").read_text("utf-8")
    # Another article a week on, quoting the same person, saved earlier.
    later = seed.replace("2025-11-27T10:51:00+09:00", "2025-12-04T09:00:00+09:00").replace(
        "20251127-trump-takaichi", "20251204-trump-takaichi-follow-up")
    other = library_request(service, token, "POST", "/v1/library",
                            {"url": "https://japannews.example/follow-up", "html": later})
    try:
        frame = harness.open_overlay(paired, page, origin + harness.SEED_PATH)
        card = frame.locator("#sl-sources li").filter(has_text="Sanae Takaichi")
        card.get_by_role("button", name="Where else quoted?").click()
        trail = card.locator(".source-trail")
        trail.locator("ol li").first.wait_for(timeout=15000)
        text = trail.inner_text()
        assert "2025-12-04" in text and TITLE in text and "earliest first" in text
        assert trail.locator("q").count() >= 1
        anonymous = frame.locator("#sl-sources li.cat-anonymous")
        assert anonymous.get_by_role("button", name="Where else quoted?").count() == 0
    finally:
        library_request(service, token, "DELETE", f"/v1/library/{other['id']}")


def png_bytes(width: int = 12, height: int = 8) -> bytes:
    """A small valid PNG (solid colour), made here so the test needs no image file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xd0\x30\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def test_saved_copy_embeds_its_images_and_shows_them_offline(paired, page, origin, pages_dir,
                                                             downloads, service, token,
                                                             artifacts) -> None:
    from helpers import story_page

    (pages_dir / "bus.png").write_bytes(png_bytes())
    html = story_page('<img src="bus.png" alt="A bus at the depot" width="12" height="8"> '
                      '<img src="gone.png" alt="A picture that is gone">',
                      title="Council expands the bus network with pictures")
    (pages_dir / "with-images.html").write_text(html, "utf-8")
    for old in downloads.iterdir():
        old.unlink()
    frame = harness.open_overlay(paired, page, origin + "/pages/with-images.html")
    frame.locator("#sl-save").click()
    saved = wait_for(lambda: [p for p in downloads.glob("*.html") if p.stat().st_size],
                     what="the saved copy")
    time.sleep(0.2)
    copy_html = saved[0].read_text("utf-8")
    assert "data:image/png;base64," in copy_html
    assert 'src="http' not in copy_html  # nothing left to load from the network
    assert "A picture that is gone" in copy_html and "gone.png" in copy_html  # placeholder

    copy = paired.new_page()
    try:
        # Offline: every network request fails; the copy must not need any.
        copy.route("http://**/*", lambda route: route.abort())
        copy.route("https://**/*", lambda route: route.abort())
        copy.goto(saved[0].as_uri())
        image = copy.locator("article img")
        assert image.count() == 1
        assert copy.evaluate("document.querySelector('article img').complete && "
                             "document.querySelector('article img').naturalWidth") == 12
        missing = copy.locator("article .sl-image-missing")
        assert "A picture that is gone" in missing.inner_text()
        assert missing.get_attribute("href").endswith("/pages/gone.png")
        copy.screenshot(path=str(artifacts / "saved-copy-images.png"))
    finally:
        copy.close()
    # The library keeps the same self-contained copy.
    found = library_request(service, token, "GET", "/v1/library?q=pictures")
    entry = max(found["entries"], key=lambda e: e["id"])
    request = urllib.request.Request(
        service.address + f"/v1/library/{entry['id']}/copy",
        headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert "data:image/png;base64," in answer.read().decode("utf-8")
        assert "img-src data:" in answer.headers["Content-Security-Policy"]
