"""Save clean copy: one click downloads a standalone HTML file (no script) and Markdown with
front matter and footnotes, named after the title; both open correctly on their own."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import harness

STEM = "trump-asked-takaichi-to-avoid-further-escalation-in-china-dispute-sources-say"


def wait_for_files(folder: Path, names: list[str], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all((folder / n).is_file() for n in names) and not list(folder.glob("*.crdownload")):
            return
        time.sleep(0.05)
    raise AssertionError(f"not downloaded: {names}; the folder has {sorted(p.name for p in folder.iterdir())}")


def test_save_writes_standalone_html_and_markdown(paired, page, origin, downloads, service, token,
                                                  artifacts):
    for old in downloads.iterdir():
        old.unlink()
    expected = json.loads((harness.CORPUS / "seed" / "trump-takaichi.expected.json").read_text("utf-8"))
    frame = harness.open_overlay(paired, page, origin + harness.SEED_PATH)
    status, answer = service.clean(harness.live_html(page), page.url, token)
    assert status == 200
    frame.locator("#sl-save").click()
    names = [f"{STEM}.html", f"{STEM}.md"]
    wait_for_files(downloads, names)
    saved_status = frame.locator("#sl-save-status")
    saved_status.wait_for(state="visible")
    frame.wait_for_timeout(50)
    assert names[0] in saved_status.inner_text() and names[1] in saved_status.inner_text()

    # The HTML copy: no script anywhere, a CSP that forbids it, and the whole article.
    html = (downloads / names[0]).read_text("utf-8")
    assert not re.search(r"<script|javascript:|\son[a-z]+\s*=", html, re.I)
    assert "default-src 'none'" in html
    copy = paired.new_page()
    try:
        copy.goto((downloads / names[0]).as_uri())
        copy.screenshot(path=str(artifacts / "saved-copy.png"))
        assert copy.evaluate("document.scripts.length") == 0
        assert copy.locator("h1").inner_text() == expected["metadata"]["title"]
        article = copy.locator("article").inner_text()
        for kept in expected["must_keep"]:
            assert kept in article
        for dropped in expected["must_drop"]:
            assert dropped not in article
        sources = copy.locator("aside.sources > ul > li").all_inner_texts()
        assert len(sources) == 9
        for entity in expected["entities"]:
            assert any(entity["name"] in s for s in sources)
        assert copy.locator("mark.sl-source").count() > 0
        assert "9 sources" in copy.locator(".summary").inner_text()
    finally:
        copy.close()

    # The Markdown copy: front matter, the text, a footnote per attribution.
    markdown = (downloads / names[1]).read_text("utf-8")
    _, front, body = markdown.split("---\n", 2)
    meta = expected["metadata"]
    assert f'title: {json.dumps(meta["title"])}' in front
    assert f'site: {json.dumps(meta["site_name"])}' in front
    assert f'lang: "{meta["lang"]}"' in front
    assert f'published: "{meta["published"]}"' in front
    assert 'url: "https://japannews.example/news/politics/20251127-trump-takaichi/"' in front
    assert front.count("  - name: ") == 9
    assert 'anonymity_reason: "requested anonymity due to the sensitivity of the matter"' in front
    assert body.lstrip().startswith(f"# {meta['title']}")
    definitions = re.findall(r"^\[\^(\d+)\]: (.+)$", body, re.M)
    assert len(definitions) == len(answer["attributions"])
    for label, _ in definitions:
        assert body.count(f"[^{label}]") == 2  # referenced once in the text, defined once
    assert any("**two Japanese government sources** (anonymous)" in d and "requested anonymity" in d
               for _, d in definitions)
    assert "[Wall Street Journal](<https://wsj.example/world/asia/trump-takaichi-call>) (media)" in body
