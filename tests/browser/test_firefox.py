"""The extension in a real Firefox (Debian's firefox-esr, driven through Marionette): the
toolbar button on the seed page, the overlay with its highlights and nine sources, Esc, save,
and the not-running / not-paired states. Same service, same pages as the Chromium tests."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest

import harness
from firefox import KEYS

STEM = "trump-asked-takaichi-to-avoid-further-escalation-in-china-dispute-sources-say"


@pytest.fixture(scope="module")
def seed_expected() -> dict:
    return json.loads((harness.CORPUS / "seed" / "trump-takaichi.expected.json").read_text("utf-8"))


def test_seed_overlay_in_firefox(ff_paired, origin, service, token, seed_expected, artifacts):
    ff = ff_paired
    ff.open_overlay(origin + harness.SEED_PATH)
    assert ff.script("return document.body.dataset.state") == "done"
    assert ff.script("return document.getElementById('sl-title').textContent") == seed_expected["metadata"]["title"]
    body = ff.script("return document.getElementById('sl-body').innerText")
    for kept in seed_expected["must_keep"]:
        assert kept in body
    for dropped in seed_expected["must_drop"]:
        assert dropped not in body
    items = ff.script(
        """return [...document.querySelectorAll('#sl-sources li.source')].map(li => ({
               name: li.querySelector('.source-name').textContent,
               category: [...li.classList].find(c => c.startsWith('cat-')).slice(4)}))""")
    # The nine sources the service finds on this page, as it names and types them.
    status, answer = service.clean((harness.CORPUS / "seed" / "trump-takaichi.html").read_text("utf-8"),
                                   origin + harness.SEED_PATH, token)
    assert status == 200
    shown = [s for s in answer["sources"] if s["mentions"]]
    assert len(items) == len(shown) == len(seed_expected["entities"]) == 9
    assert [(i["name"], i["category"]) for i in items] == [(s["name"], s["category"]) for s in shown]
    # The highlights are the service's attributions for this page.
    marked = set(ff.script(
        "return [...new Set([...document.querySelectorAll('#sl-body mark[data-attr]:not(.sl-candidate)')].map(m => m.dataset.attr))]"))
    assert marked == {a["id"] for a in answer["attributions"]}
    assert ff.script("return document.getElementById('sl-summary').textContent").startswith("9 sources")
    assert ff.script("return getComputedStyle(document.getElementById('sl-summary')).visibility") == "visible"
    ff.screenshot(artifacts / "firefox-seed-overlay.png")


def test_escape_closes_and_the_page_is_untouched_in_firefox(ff_paired, origin):
    ff = ff_paired
    ff.goto(origin + harness.SEED_PATH)
    before = ff.script("return document.documentElement.outerHTML")
    ff.click_action()
    ff.wait_overlay_finished()
    ff.press(KEYS["Escape"])
    ff.wait_overlay_closed()
    assert ff.script("return document.documentElement.outerHTML") == before
    # The button toggles: a second press opens it again, a third closes it.
    ff.click_action()
    ff.wait_overlay_finished()
    ff.click_action()
    ff.wait_overlay_closed()


def wait_for_files(folder: Path, names: list[str], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all((folder / n).is_file() and (folder / n).stat().st_size for n in names) and \
                not list(folder.glob("*.part")):
            return
        time.sleep(0.05)
    raise AssertionError(f"not downloaded: {names}; the folder has {sorted(p.name for p in folder.iterdir())}")


def test_save_in_firefox(ff_paired, origin, firefox_downloads):
    ff = ff_paired
    for old in firefox_downloads.iterdir():
        old.unlink()
    ff.open_overlay(origin + harness.SEED_PATH)
    ff.click("#sl-save")
    names = [f"{STEM}.html", f"{STEM}.md"]
    wait_for_files(firefox_downloads, names)
    html = (firefox_downloads / names[0]).read_text("utf-8")
    assert not re.search(r"<script|javascript:|\son[a-z]+\s*=", html, re.I)
    assert html.count('<mark class="sl-source') > 0 and "9 sources" in html
    markdown = (firefox_downloads / names[1]).read_text("utf-8")
    assert markdown.startswith("---\ntitle: ") and "[^1]:" in markdown
    deadline = time.monotonic() + 5
    while "Saved to your downloads" not in (ff.script("return document.getElementById('sl-save-status').textContent") or ""):
        assert time.monotonic() < deadline, "the overlay did not say where the copy went"
        time.sleep(0.05)


def test_not_running_and_not_paired_in_firefox(ff_paired, origin, artifacts):
    ff = ff_paired
    port = harness.free_port()
    ff.configure(address=f"http://127.0.0.1:{port}")
    ff.open_overlay(origin + harness.SEED_PATH)
    assert ff.script("return document.body.dataset.failure") == "not_running"
    assert ff.script("return [...document.querySelectorAll('#sl-failure-commands code')].map(c => c.textContent)") == [
        f"sourcelight serve --port {port}"]
    ff.screenshot(artifacts / "firefox-not-running.png")
    ff.press(KEYS["Escape"])
    ff.wait_overlay_closed()

    ff.configure(address=None, token=None)
    ff.open_overlay(origin + harness.SEED_PATH)
    assert ff.script("return document.body.dataset.failure") == "not_paired"
    assert "sourcelight token" in ff.script("return document.getElementById('sl-failure-message').textContent")
    assert ff.script("return document.activeElement.id") == "sl-open-options"


# ---------------------------------------------------------------- the reader's features
def active(ff) -> dict:
    return ff.script(
        """const el = document.activeElement;
           return {id: el.id, attr: el.dataset.attr || null, cls: el.className || "",
                   panel: !!el.closest('.panel'), bar: !!el.closest('.bar')};""")


def test_uncertain_toggle_in_firefox(ff_paired, origin, service, token, artifacts):
    from test_reader import page_with_candidates

    ff = ff_paired
    path, answer = page_with_candidates(service, token, origin)
    ff.open_overlay(origin + path)
    shown = "return document.querySelectorAll('#sl-body mark.sl-candidate:not(.off)').length"
    cards = "return document.querySelectorAll('#sl-sources li.source').length"
    assert ff.script(shown) == 0
    assert ff.script(cards) == sum(1 for s in answer["sources"] if s["mentions"])
    assert ff.script("return document.getElementById('sl-uncertain').textContent") == \
        f"Show uncertain ({len(answer['candidates'])})"
    ff.press("u")
    assert ff.script(shown) > 0
    assert ff.script(cards) == len(answer["sources"])
    placed = {m for m in ff.script(
        "return [...new Set([...document.querySelectorAll('#sl-body mark.sl-candidate')].map(m => m.dataset.attr))]")}
    assert placed <= {c["id"] for c in answer["candidates"]} and placed
    ff.screenshot(artifacts / "firefox-uncertain.png")
    ff.press("u")
    assert ff.script(shown) == 0


def test_corrections_survive_a_reload_in_firefox(ff_paired, origin, service, token, firefox_downloads,
                                                 artifacts):
    ff = ff_paired
    for old in firefox_downloads.iterdir():
        old.unlink()
    status, answer = service.clean((harness.CORPUS / "seed" / "trump-takaichi.html").read_text("utf-8"),
                                   origin + harness.SEED_PATH, token)
    assert status == 200
    anonymous = next(s for s in answer["sources"] if s["category"] == "anonymous")
    hidden, moved = anonymous["mentions"][0], anonymous["mentions"][1]
    ff.open_overlay(origin + harness.SEED_PATH)
    ff.click(f'#sl-body mark.sl-source[data-attr="{hidden}"]')
    ff.click('#sl-editor button[data-action="hide"]')
    assert ff.script(f'return document.querySelectorAll(\'#sl-body mark[data-attr="{hidden}"]\').length') == 0
    ff.script(f'document.querySelector(\'#sl-body mark[data-attr="{moved}"][tabindex="0"]\').focus()')
    ff.press("e")
    ff.type("#sl-editor-name", "Jane Roe\ue007")
    names = "return [...document.querySelectorAll('.source-name')].map(n => n.textContent)"
    assert "Jane Roe" in ff.script(names)
    ff.screenshot(artifacts / "firefox-corrections.png")

    ff.press(KEYS["Escape"])
    ff.wait_overlay_closed()
    ff.goto(origin + harness.SEED_PATH)  # a fresh load of the same page
    ff.click_action()
    ff.wait_overlay_finished()
    assert ff.script(f'return document.querySelectorAll(\'#sl-body mark[data-attr="{hidden}"]\').length') == 0
    assert "Jane Roe" in ff.script(names)
    assert "2 corrections" in ff.script("return document.getElementById('sl-corrections-count').textContent")

    ff.click("#sl-save")
    wait_for_files(firefox_downloads, [f"{STEM}.html", f"{STEM}.md"])
    html = (firefox_downloads / f"{STEM}.html").read_text("utf-8")
    assert "Reader's corrections" in html and "Jane Roe" in html and f'data-attr="{hidden}"' not in html
    assert "reader_corrections: 2" in (firefox_downloads / f"{STEM}.md").read_text("utf-8")
    ff.click("#sl-clear-corrections")
    assert ff.storage("corrections").get("corrections") == {}


def test_keyboard_path_in_firefox(ff_paired, origin):
    ff = ff_paired
    ff.open_overlay(origin + harness.SEED_PATH)
    ff.press("s")
    assert active(ff)["panel"] and "source-button" in active(ff)["cls"]
    ff.press("j")
    first = active(ff)["attr"]
    ff.press("j")
    assert active(ff)["attr"] not in (None, first)
    ff.press("k")
    assert active(ff)["attr"] == first
    ff.press("b")
    assert active(ff)["bar"]
    ff.press("a")
    assert active(ff)["attr"] == first
    ff.press("?")
    assert ff.script("return !document.getElementById('sl-help').hidden")
    ff.press(KEYS["Escape"])
    assert ff.script("return document.getElementById('sl-help').hidden")
    ff.press(KEYS["Escape"])
    ff.wait_overlay_closed()


def test_export_and_reading_controls_in_firefox(ff_paired, origin, firefox_downloads):
    ff = ff_paired
    for old in firefox_downloads.iterdir():
        old.unlink()
    ff.open_overlay(origin + harness.SEED_PATH)
    ff.click("#sl-export-csv")
    wait_for_files(firefox_downloads, [f"{STEM}-sources.csv"])
    rows = list(csv.reader(io.StringIO((firefox_downloads / f"{STEM}-sources.csv").read_text("utf-8"))))
    marked = ff.script(
        "return new Set([...document.querySelectorAll('#sl-body mark[data-attr]:not(.sl-candidate)')].map(m => m.dataset.attr)).size")
    assert rows[0][:7] == ["source", "category", "role", "cue", "content", "type", "confidence"]
    assert len(rows) - 1 == marked
    ff.click("#sl-copy-sources")
    deadline = time.monotonic() + 5
    while not ff.script("return document.getElementById('sl-save-status').textContent").startswith("Copied "):
        assert time.monotonic() < deadline, ff.script("return document.getElementById('sl-save-status').textContent")
        time.sleep(0.05)
    size = "return parseFloat(getComputedStyle(document.querySelector('.reading')).fontSize)"
    before = ff.script(size)
    ff.click("#sl-reading-button")
    ff.click('[data-reading="size"][data-step="1"]')
    assert ff.script(size) > before
    assert ff.storage("reading")["reading"]["size"] == 4
