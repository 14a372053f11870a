"""Stage 2's limits, unit by unit: what libxml2 would lose silently is refused, flattened or
dropped with a note — and nothing under the limits is touched."""

from __future__ import annotations

import lxml.html
import pytest

from helpers import STORY
from sourcelight.errors import TooComplex
from sourcelight.extract.parse import (LATER_PARSERS_SAFE_DEPTH, PARSER_MAX_DEPTH,
                                       check_complexity, drop_huge_attributes, elements_at_depth,
                                       flatten_deep_nesting, parse_page)
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

SETTINGS = Settings()


def depth_of(doc) -> int:
    deepest, stack = 0, [(doc, 1)]
    while stack:
        el, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in el)
    return deepest


def nested(depth: int, inner: str = "<p>deep words</p>") -> str:
    return ("<html><body><p>before</p>" + "<div>" * depth + inner + "</div>" * depth
            + "<p>after words</p></body></html>")


def test_lxml_default_parser_loses_deep_and_huge_text_but_ours_does_not():
    # Why the page parser runs with huge_tree: the default one drops these pages silently.
    deep = nested(300)
    huge = "<html><body><p>" + "word " * 2_200_000 + "</p><p>end</p></body></html>"
    assert "after words" not in lxml.html.document_fromstring(deep).text_content()
    assert "end" not in lxml.html.document_fromstring(huge).text_content()
    assert "after words" in parse_page(deep).text_content()
    assert "end" in parse_page(huge).text_content()


def test_a_tree_at_the_parsers_own_depth_limit_is_refused_not_used_half_read():
    doc = parse_page(nested(PARSER_MAX_DEPTH + 10))
    assert "after words" not in doc.text_content()  # libxml2 stopped reading here
    with pytest.raises(TooComplex) as refused:
        check_complexity(doc, SETTINGS)
    assert f"{PARSER_MAX_DEPTH:,}" in refused.value.message
    check_complexity(parse_page(nested(PARSER_MAX_DEPTH - 100)), SETTINGS)


def test_long_text_node_is_refused_with_its_length_but_a_long_script_is_not():
    limit = 1000
    settings = SETTINGS.with_overrides(max_text_node_chars=limit)
    check_complexity(parse_page("<p>" + "x" * limit + "</p>"), settings)
    with pytest.raises(TooComplex) as refused:
        check_complexity(parse_page("<p>" + "x" * (limit + 1) + "</p>"), settings)
    assert "1,001" in refused.value.message and "1,000" in refused.value.message
    check_complexity(parse_page("<script>var s='" + "x" * 5000 + "'</script><p>x</p>"),
                     settings)


def test_flattening_keeps_every_word_and_separates_blocks():
    doc = parse_page(nested(50, "<p>deep words</p><p>more <b>deep</b> words</p>"
                                "<script>var code = 1;</script>"
                                "<div style='display:none'>hidden words</div>"))
    notes: list[str] = []
    flatten_deep_nesting(doc, SETTINGS.with_overrides(max_depth=10), notes)
    assert depth_of(doc) == 10
    assert notes == ["parse:flattened-below-depth-10"]
    text = doc.text_content()
    assert "before" in text and "after words" in text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "deep words" in lines and "more deep words" in lines
    assert "var code" not in text and "hidden words" not in text


def test_nothing_is_flattened_within_the_depth_limit():
    doc = parse_page(nested(20))
    before = lxml.html.tostring(doc)
    notes: list[str] = []
    flatten_deep_nesting(doc, SETTINGS, notes)
    assert notes == [] and lxml.html.tostring(doc) == before
    assert len(elements_at_depth(doc, 23)) == 1  # html, body, 20 divs, p


def test_huge_attributes_are_dropped_with_a_note_and_small_ones_kept():
    doc = parse_page("<p><img src='data:image/png;base64," + "A" * 2000 + "' alt='chart'>"
                     "<a href='https://example.com/'>link</a></p>")
    notes: list[str] = []
    drop_huge_attributes(doc, SETTINGS.with_overrides(max_attribute_chars=1000), notes)
    img = doc.find(".//img")
    assert img.get("src") is None and img.get("alt") == "chart"
    assert doc.find(".//a").get("href") == "https://example.com/"
    assert notes == ["parse:dropped-huge-attributes"]


def test_a_max_depth_past_what_later_parsers_read_is_capped():
    doc = parse_page(nested(400))
    notes: list[str] = []
    flatten_deep_nesting(doc, SETTINGS.with_overrides(max_depth=1000), notes)
    assert notes == [f"parse:flattened-below-depth-{LATER_PARSERS_SAFE_DEPTH}"]
    assert depth_of(doc) == LATER_PARSERS_SAFE_DEPTH and "deep words" in doc.text_content()
    # ... and an article nested that deep comes through the whole pipeline whole (at 256
    # levels the later stages would lose its deep part and everything after it).
    story = "".join(f"<p>{text}</p>" for text in STORY)
    page = ("<html><body><article>" + story + "<div>" * 400 + f"<p>{STORY[1]} Deep.</p>"
            + "</div>" * 400 + f"<p>{STORY[3]} After.</p></article></body></html>")
    text = clean(page, None, SETTINGS.with_overrides(max_depth=1000)).article.text
    assert f"{STORY[1]} Deep." in text and f"{STORY[3]} After." in text
