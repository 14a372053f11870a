"""Stage 2, ``parse_page`` and ``check_complexity``: decoded text in, a repaired lxml tree out."""

from __future__ import annotations

import lxml.html
import pytest

from sourcelight.errors import NotHtml, SourcelightError, TooComplex
from sourcelight.extract.decode import decode_page
from sourcelight.extract.parse import check_complexity, parse_page
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

SETTINGS = Settings()
PARAGRAPH = ("The city council voted on Tuesday to expand the bus network, adding twelve new "
             "routes that will connect the eastern suburbs with the hospital district.")


def test_parses_a_full_page_into_head_and_body():
    doc = parse_page('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                     f"<title>Buses</title></head><body><article><p>{PARAGRAPH}</p></article>"
                     "</body></html>")
    assert doc.tag == "html"
    assert doc.get("lang") == "en"
    assert doc.findtext(".//title") == "Buses"
    assert doc.find("body/article/p").text_content() == PARAGRAPH


def test_broken_markup_is_repaired():
    # Unclosed <p>, <b> and <li>, a stray </div>, a <table> without <tr>'s end tags.
    doc = parse_page("<html><body><div class=story><p>First <b>bold <i>both</p>"
                     "<p>Second</div></div><ul><li>one<li>two</ul>"
                     "<table><tr><td>a<td>b<tr><td>c</table></body></html>")
    paragraphs = doc.findall(".//p")
    assert [p.text_content() for p in paragraphs] == ["First bold both", "Second"]
    assert [li.text_content() for li in doc.iter("li")] == ["one", "two"]
    assert [[td.text for td in tr] for tr in doc.iter("tr")] == [["a", "b"], ["c"]]


def test_fragment_gets_a_document_around_it():
    doc = parse_page(f"<p>{PARAGRAPH}</p>")
    assert doc.tag == "html"
    assert doc.find("body") is not None
    assert doc.find("body/p").text_content() == PARAGRAPH


def test_comments_and_processing_instructions_are_dropped():
    doc = parse_page("<!-- saved from url=(0042)https://news.example/ --><html><body>"
                     "<p>Visible<!-- ad slot 3 --> text<?php echo 'x'; ?></p></body></html>")
    markup = lxml.html.tostring(doc, encoding="unicode")
    assert "<!--" not in markup and "ad slot" not in markup and "php" not in markup
    assert doc.find("body/p").text_content() == "Visible text"


def test_text_with_an_xml_declaration_parses():
    # lxml refuses str input carrying an encoding declaration; decoded XHTML pages carry one.
    text = decode_page('<?xml version="1.0" encoding="iso-8859-1"?>\n<html xmlns="http://www.w3.'
                       'org/1999/xhtml"><head><title>Caf\xe9</title></head><body><p>Caf\xe9 '
                       "prices rose.</p></body></html>".encode("latin-1"), SETTINGS)
    doc = parse_page(text)
    assert doc.find(".//p").text_content() == "Café prices rose."


def test_entities_are_resolved():
    doc = parse_page("<p>Politics &amp; Government &mdash; Tokyo&#8217;s view &nbsp;x</p>")
    assert doc.find(".//p").text_content() == "Politics & Government — Tokyo’s view \u00a0x"


@pytest.mark.parametrize("text", ["", "   \n", "<!-- nothing but a comment -->"])
def test_nothing_to_parse_raises_not_html(text):
    with pytest.raises(NotHtml) as info:
        parse_page(text)
    assert isinstance(info.value, SourcelightError)
    assert info.value.status == 422


# ---------------------------------------------------------------- element limit
def page_with(n_paragraphs: int) -> str:
    return "<html><body>" + "<p>x</p>" * n_paragraphs + "</body></html>"


def test_element_count_at_the_limit_passes_and_one_over_raises():
    doc = parse_page(page_with(98))
    elements = 98 + 2  # <html>, <body> and the paragraphs
    assert sum(1 for _ in doc.iter()) == elements
    check_complexity(doc, SETTINGS.with_overrides(max_elements=elements))
    with pytest.raises(TooComplex) as info:
        check_complexity(doc, SETTINGS.with_overrides(max_elements=elements - 1))
    assert info.value.status == 422
    assert f"{elements - 1:,}" in info.value.message


def test_default_limit_lets_a_large_real_page_through():
    check_complexity(parse_page(page_with(20_000)), SETTINGS)


def test_endless_feed_raises_too_complex_through_clean():
    feed = "<html><body>" + "".join(
        f"<article><h2>Story {i}</h2><p>{PARAGRAPH}</p><a href='/s/{i}'>more</a></article>"
        for i in range(400)) + "</body></html>"
    with pytest.raises(TooComplex):
        clean(feed, "https://news.example/feed", SETTINGS.with_overrides(max_elements=1000))


def test_base_href_sets_where_relative_links_point_and_is_removed():
    from sourcelight.extract.parse import take_base_href
    doc = parse_page("<html><head><base href='/test/base/'></head><body><a href='x.html'>x</a>"
                     "</body></html>")
    assert take_base_href(doc, "http://fakehost/test/page.html") == "http://fakehost/test/base/"
    assert doc.find(".//base") is None
    plain = parse_page("<html><body><p>no base</p></body></html>")
    assert take_base_href(plain, "http://fakehost/a.html") == "http://fakehost/a.html"
    hostile = parse_page("<html><head><base href='javascript:alert(1)//'></head><body></body></html>")
    assert take_base_href(hostile, "http://fakehost/a.html") == "http://fakehost/a.html"
