"""The overlay on real pages, in Chromium with the extension loaded and the real service.

The reader's click is real (CDP Extensions.triggerAction on the tab); what the overlay shows is
checked against the seed page's hand annotations and against the service's own answer for the
same live DOM.
"""

from __future__ import annotations

import json
import re

import pytest

import harness

SEED_URL_PATH = harness.SEED_PATH


@pytest.fixture(scope="module")
def seed_expected() -> dict:
    return json.loads((harness.CORPUS / "seed" / "trump-takaichi.expected.json").read_text("utf-8"))


def frame_text(frame, selector: str) -> str:
    return frame.evaluate("s => document.querySelector(s).innerText", selector)


def source_items(frame) -> list[dict]:
    return frame.evaluate(
        """() => [...document.querySelectorAll('#sl-sources li.source')].map(li => ({
            entity: li.querySelector('button').dataset.entity,
            name: li.querySelector('.source-name').textContent,
            category: [...li.classList].find(c => c.startsWith('cat-')).slice(4),
            badge: li.querySelector('.badge').textContent,
            count: li.querySelector('.source-count').textContent,
            reason: li.querySelector('.source-reason')?.textContent ?? null,
        }))"""
    )


def service_answer(page, service, token) -> dict:
    status, answer = service.clean(harness.live_html(page), page.url, token)
    assert status == 200, answer
    return answer


def test_seed_overlay_shows_clean_article_sources_and_links(paired, page, origin, service, token,
                                                            seed_expected, artifacts):
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    page.screenshot(path=str(artifacts / "seed-overlay.png"))
    assert frame.evaluate("document.body.dataset.state") == "done"

    meta = seed_expected["metadata"]
    assert frame_text(frame, "#sl-title") == meta["title"]
    assert frame_text(frame, "#sl-site").casefold() == meta["site_name"].casefold()
    meta_line = frame_text(frame, "#sl-meta")
    assert f"{meta['dateline']} · {meta['wire_service']}" in meta_line
    assert "English" in meta_line
    assert frame.evaluate("document.querySelector('#sl-meta time').dateTime") == meta["published"]
    assert frame.evaluate("document.getElementById('sl-article').lang") == meta["lang"]

    body = frame_text(frame, "#sl-body")
    for kept in seed_expected["must_keep"]:
        assert kept in body
    for dropped in seed_expected["must_drop"]:  # sidebars, ads, newsletter, rankings, cookies
        assert dropped not in body

    # All 9 sources, each with its category badge and mention count, as the service found them.
    answer = service_answer(page, service, token)
    items = source_items(frame)
    expected_names = {e["name"]: e["category"] for e in seed_expected["entities"]}
    assert len(items) == len(expected_names) == 9
    assert {item["name"]: item["category"] for item in items} == expected_names
    for item, source in zip(items, answer["sources"]):
        assert item["entity"] == source["id"]
        assert item["badge"].casefold().endswith(source["category"])
        n = len(source["mentions"])
        # "2 mentions (very likely, likely)": the count, then how sure the service is, in words.
        assert re.fullmatch(rf"{n} mentions?( \((very likely|likely|possible|doubtful)(, [a-z ]+)*\))?", item["count"])
    anonymous = [item for item in items if item["category"] == "anonymous"]
    assert anonymous and all("requested anonymity" in item["reason"] for item in anonymous)
    assert frame_text(frame, "#sl-panel-summary").startswith("9 sources · 3 anonymous mentions")

    # Every attribution is highlighted, with its category, and is one tab stop.
    marks = frame.evaluate(
        """() => [...document.querySelectorAll('#sl-body mark[data-attr]:not(.sl-candidate)')].map(m => ({
            attr: m.dataset.attr, category: m.dataset.category, tab: m.tabIndex,
            cls: m.className}))"""
    )
    by_entity = {s["id"]: s["category"] for s in answer["sources"]}
    by_attr = {a["id"]: by_entity[a["entity"]] for a in answer["attributions"]}
    assert {m["attr"] for m in marks} == set(by_attr)
    assert all(m["category"] == by_attr[m["attr"]] for m in marks)
    assert sorted(m["attr"] for m in marks if m["tab"] == 0) == sorted(by_attr)
    assert {"sl-source", "sl-cue", "sl-content"} <= {c for m in marks for c in m["cls"].split()}

    links = frame.evaluate(
        """() => [...document.querySelectorAll('#sl-links li')].map(li => ({
            kind: li.querySelector('.link-kind').textContent, text: li.querySelector('a').textContent,
            href: li.querySelector('a').href}))"""
    )
    assert links == [{"kind": "media", "text": "Wall Street Journal",
                      "href": "https://wsj.example/world/asia/trump-takaichi-call"}]


def test_overlay_is_out_of_the_page_s_reach(paired, page, origin):
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    assert frame.evaluate("document.body.dataset.state") == "done"
    # The page's own scripts see one empty host: a closed shadow root, no iframe, no text.
    seen = page.evaluate(
        """() => { const host = document.querySelector('[data-sourcelight]');
                   return {shadow: host.shadowRoot, children: host.children.length,
                           text: host.textContent, frames: window.frames.length}; }"""
    )
    assert seen["shadow"] is None and seen["children"] == 0 and seen["text"] == ""
    # A frame in a shadow tree is not one of the page's window.frames, so the page cannot even
    # get hold of the overlay's window (which is another origin anyway).
    assert seen["frames"] == 0


def test_highlight_details_on_keyboard_focus_and_on_hover(paired, page, origin, service, token,
                                                          artifacts):
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    answer = service_answer(page, service, token)
    text = answer["article"]["text"]
    entities = {s["id"]: s for s in answer["sources"]}
    first = answer["attributions"][0]
    first_entity = entities[first["entity"]]

    # Keyboard: from the title, Tab reaches the first highlight and its details show.
    assert frame.evaluate("document.activeElement.id") == "sl-title"
    page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.dataset.attr") == first["id"]
    assert frame.evaluate("document.getElementById('sl-tip').hidden") is False
    page.screenshot(path=str(artifacts / "seed-overlay-details.png"))
    tip = frame_text(frame, "#sl-tip")
    assert first_entity["name"] in tip
    assert first_entity["category"].capitalize() in tip
    assert text[first["cue"][0]:first["cue"][1]] in tip
    if first_entity["category"] == "anonymous":
        assert first_entity["anonymity_reason"] in tip

    # Hover: a media source's details.
    media = next(a for a in answer["attributions"] if entities[a["entity"]]["category"] == "media")
    frame.locator(f'mark.sl-source[data-attr="{media["id"]}"]').first.hover()
    tip = frame_text(frame, "#sl-tip")
    assert entities[media["entity"]]["name"] in tip
    assert "Media" in tip
    assert text[media["cue"][0]:media["cue"][1]] in tip
    assert "Why anonymous" not in tip


def test_sources_panel_jumps_through_mentions(paired, page, origin, service, token):
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    answer = service_answer(page, service, token)
    source = max(answer["sources"], key=lambda s: len(s["mentions"]))
    mentions = source["mentions"]
    assert len(mentions) >= 2
    button = frame.locator(f'.source-button[data-entity="{source["id"]}"]')
    button.focus()
    for step in range(len(mentions) + 1):  # one more than the mentions: it wraps around
        page.keyboard.press("Enter")
        expected = mentions[step % len(mentions)]
        current = frame.evaluate(
            "() => [...new Set([...document.querySelectorAll('mark.current')].map(m => m.dataset.attr))]")
        assert current == [expected]
        in_view = frame.evaluate(
            """id => { const r = document.querySelector(`mark.current[data-attr="${id}"]`).getBoundingClientRect();
                       return r.top >= 0 && r.bottom <= window.innerHeight; }""", expected)
        assert in_view
        assert frame_text(frame, "#sl-jump") == (
            f"{source['name']}: mention {step % len(mentions) + 1} of {len(mentions)}")
    # Enter on a highlight goes back to its source in the panel.
    frame.locator(f'mark[data-attr="{mentions[0]}"][tabindex="0"]').focus()
    page.keyboard.press("Enter")
    assert frame.evaluate("document.activeElement.dataset.entity") == source["id"]


def test_escape_and_close_restore_the_page_untouched(paired, page, origin):
    page.goto(origin + SEED_URL_PATH)
    page.evaluate("window.scrollTo(0, 400)")
    before = harness.live_html(page)
    scroll = page.evaluate("window.scrollY")

    harness.click_action(paired, page)
    harness.wait_overlay_finished(page)
    page.keyboard.press("Escape")
    harness.wait_overlay_closed(page)
    assert harness.live_html(page) == before
    assert page.evaluate("window.scrollY") == scroll

    harness.click_action(paired, page)
    frame = harness.wait_overlay_finished(page)
    frame.locator("#sl-close").click()
    harness.wait_overlay_closed(page)
    assert harness.live_html(page) == before
    assert page.evaluate("window.scrollY") == scroll


def test_button_toggles_and_injection_is_idempotent(paired, page, origin):
    page.goto(origin + SEED_URL_PATH)
    harness.click_action(paired, page)
    harness.wait_overlay_finished(page)
    assert harness.overlay_host_count(page) == 1
    harness.click_action(paired, page)  # the content script is injected again: it closes
    harness.wait_overlay_closed(page)
    harness.click_action(paired, page)
    harness.wait_overlay_finished(page)
    assert harness.overlay_host_count(page) == 1


def test_keyboard_focus_stays_in_the_overlay(paired, page, origin):
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    stops = frame.evaluate(
        "() => document.querySelectorAll('button:not([disabled]), a[href], [tabindex=\"0\"]').length")
    seen = set()
    for _ in range(stops + 3):
        page.keyboard.press("Tab")
        where = frame.evaluate(
            "() => document.hasFocus() && document.activeElement !== document.body"
            " ? (document.activeElement.id || document.activeElement.dataset.attr"
            " || document.activeElement.dataset.entity || document.activeElement.href"
            " || document.activeElement.className || document.activeElement.localName) : null")
        assert where is not None
        seen.add(where)
    assert {"sl-save", "sl-close"} <= seen
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        assert frame.evaluate("() => document.hasFocus() && document.activeElement !== document.body")


def test_dark_theme_and_hidden_categories(paired, page, origin, artifacts):
    harness.configure(paired, theme="dark", categories={"person": True, "anonymous": True,
                                                         "organization": True, "media": False,
                                                         "document": True, "unknown": True})
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    page.screenshot(path=str(artifacts / "seed-overlay-dark.png"))
    luminance = frame.evaluate(
        """() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                   return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }""")
    assert luminance < 0.2
    media = frame.evaluate(
        """() => [...document.querySelectorAll('#sl-body mark[data-category="media"]')].map(m =>
                 ({off: m.classList.contains('off'), tab: m.tabIndex}))""")
    assert media and all(m["off"] and m["tab"] == -1 for m in media)
    shown = frame.evaluate(
        """() => [...document.querySelectorAll('#sl-body mark.sl-source[data-category="person"]')].map(m =>
                 getComputedStyle(m).backgroundColor)""")
    assert shown and all(colour != "rgba(0, 0, 0, 0)" for colour in shown)


def test_page_css_and_scripts_cannot_restyle_or_read_the_overlay(paired, page, origin, pages_dir):
    story = (harness.CORPUS / "seed" / "trump-takaichi.html").read_text("utf-8")
    hostile = story.replace("</head>", """
<style>
  body *, body ~ * { color: red !important; display: none !important; font-size: 40px !important; }
  div { visibility: hidden !important; opacity: 0 !important; }
  iframe { display: none !important; width: 0 !important; }
</style>
<script>
  window.seen = [];
  const original = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    window.seen.push('attachShadow called');
    return original.call(this, Object.assign({}, init, {mode: 'open'}));
  };
  document.addEventListener('DOMContentLoaded', () => new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType === 1) window.seen.push({shadow: n.shadowRoot === null ? 'none' : 'open',
                                              text: n.textContent});
    } }).observe(document.documentElement, {childList: true}));
</script>
</head>""", 1)
    (pages_dir / "hostile.html").write_text(hostile, "utf-8")
    frame = harness.open_overlay(paired, page, origin + "/pages/hostile.html")
    box = page.locator("[data-sourcelight]").bounding_box()
    assert box and box["width"] >= 1000 and box["height"] >= 800
    assert frame.evaluate("getComputedStyle(document.getElementById('sl-title')).color") != "rgb(255, 0, 0)"
    assert page.evaluate("window.seen") == [{"shadow": "none", "text": ""}]


def test_mozilla_corpus_page(paired, page, origin, service, token):
    url = origin + "/corpus/readability-test-pages/aclu/source.html"
    frame = harness.open_overlay(paired, page, url)
    expected = json.loads((harness.CORPUS / "readability-test-pages" / "aclu" /
                           "expected-metadata.json").read_text("utf-8"))
    answer = service_answer(page, service, token)
    assert frame.evaluate("document.body.dataset.state") == "done"
    assert frame_text(frame, "#sl-title") == expected["title"] == answer["article"]["title"]
    body = frame_text(frame, "#sl-body")
    assert len(body) > 0.9 * len(answer["article"]["text"])
    # Sources that only uncertain candidates speak for are shown only when asked.
    assert [item["name"] for item in source_items(frame)] == [s["name"] for s in answer["sources"] if s["mentions"]]
    attrs = frame.evaluate(
        "() => new Set([...document.querySelectorAll('#sl-body mark[data-attr]:not(.sl-candidate)')].map(m => m.dataset.attr)).size")
    assert attrs == len(answer["attributions"]) > 0


def test_wcxb_corpus_page(paired, page, origin, service, token):
    url = origin + "/corpus/wcxb-dev/html/0161.html"
    truth = json.loads((harness.CORPUS / "wcxb-dev" / "ground-truth" / "0161.json").read_text("utf-8"))
    frame = harness.open_overlay(paired, page, url)
    answer = service_answer(page, service, token)
    assert frame.evaluate("document.body.dataset.state") == "done"
    assert frame_text(frame, "#sl-title") == truth["ground_truth"]["title"] == answer["article"]["title"]
    body = frame_text(frame, "#sl-body")
    opening = truth["ground_truth"]["main_content"].split("\n")[0][:80]
    assert opening and opening in body
    # Sources that only uncertain candidates speak for are shown only when asked.
    assert [item["name"] for item in source_items(frame)] == [s["name"] for s in answer["sources"] if s["mentions"]]


def test_a_strict_page_csp_does_not_break_the_overlay(paired, page, origin, pages_dir):
    story = (harness.CORPUS / "seed" / "trump-takaichi.html").read_text("utf-8")
    strict = story.replace(
        "<head>",
        '<head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'self'; frame-src 'none'; child-src 'none'; script-src 'none'; img-src 'none'\">",
        1)
    (pages_dir / "strict-csp.html").write_text(strict, "utf-8")
    frame = harness.open_overlay(paired, page, origin + "/pages/strict-csp.html")
    assert frame.evaluate("document.body.dataset.state") == "done"
    box = page.locator("[data-sourcelight]").bounding_box()
    assert box and box["width"] >= 1000 and box["height"] >= 800
    frame_box = frame.frame_element().bounding_box()
    assert frame_box and frame_box["width"] >= 1000 and frame_box["height"] >= 800


def test_narrow_window_keeps_the_bar_short(paired, page, origin, artifacts):
    page.set_viewport_size({"width": 480, "height": 800})
    frame = harness.open_overlay(paired, page, origin + SEED_URL_PATH)
    page.screenshot(path=str(artifacts / "seed-overlay-narrow.png"))
    bar = frame.evaluate("() => document.querySelector('.bar').getBoundingClientRect().height")
    assert bar < 110, f"the top bar takes {bar}px of an 800px window"
    summary = frame.locator(".summary")
    assert summary.is_visible() and "sources" in summary.inner_text()
