"""A section a page ships once per layout (desktop and mobile, a tab and its accordion) is
read once (issue 11: no page repeats its article text); a repeated paragraph, short repeated
blocks ("Pros" / "Cons" in every review) and a block nested in its own copy stay."""

from __future__ import annotations

import lxml.html
from helpers import STORY

from sourcelight.extract.leftovers import prune_leftovers, repeated_sections

SECTION = (f"<div class='layout'><h2>What it costs</h2><p>{STORY[1]} Permits come on top.</p>"
           "<ul><li>Materials, from tiles to fittings</li>"
           "<li>Permits and labour</li></ul></div>")


def texts(markup: str) -> list[str]:
    root = lxml.html.fragment_fromstring(markup)
    return [" ".join(el.text_content().split()) for el in repeated_sections(root)]


def test_the_second_copy_of_a_whole_section_goes():
    markup = f"<div><p>{STORY[0]}</p>{SECTION}<p>{STORY[2]}</p>{SECTION}<p>{STORY[3]}</p></div>"
    root = lxml.html.fragment_fromstring(markup)
    prune_leftovers(root)
    text = " ".join(root.text_content().split())
    assert text.count("What it costs") == 1 and text.count(STORY[1]) == 1
    assert all(paragraph in text for paragraph in (STORY[0], STORY[2], STORY[3]))


def test_a_repeated_paragraph_is_not_a_section():
    assert texts(f"<div><p>{STORY[0]}</p><p>{STORY[1]}</p><p>{STORY[0]}</p></div>") == []


def test_short_repeated_blocks_stay():
    card = "<div><h4>Pros</h4><ul><li>Light</li><li>Cheap</li></ul></div>"
    assert texts(f"<div>{card}<p>{STORY[0]}</p>{card}</div>") == []


def test_a_block_wrapping_a_single_copy_is_no_repeat():
    # The wrapper has the same text as the section it holds: one copy, not two.
    assert texts(f"<div><section><div>{SECTION}</div></section></div>") == []
