"""The text's offset map: ``text_with_offsets`` reads exactly ``tree_to_text``'s text and maps
each character that came from the page back to its DOM text node."""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from sourcelight.extract.text import (BLOCK_TAGS, SKIP_TAGS, parse_fragment, text_with_offsets,
                                     tree_to_text)
from sourcelight.pipeline import extract_article

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PAGES_PER_CORPUS = 30


# ---------------------------------------------------------------- the reference
# tree_to_text as it was before the offset map shared its walk: the oracle the new walk must
# match character for character.
_BREAK = "\x00"
_SPACE_RE = re.compile(r"\s+")
_LIST_NUMBER_RE = re.compile(r"^-?\d+\.$")


def reference_text(root: HtmlElement) -> str:
    pieces: list[str] = []
    _reference_walk(root, pieces)
    blocks: list[str] = []
    for raw in "".join(pieces).split("\n"):
        lines = (" ".join(part.split()) for part in raw.split(_BREAK))
        block = "\n".join(line for line in lines if line)
        if not block:
            continue
        if blocks and _LIST_NUMBER_RE.match(blocks[-1]):
            blocks[-1] = f"{blocks[-1]} {block}"
        else:
            blocks.append(block)
    return "\n\n".join(blocks)


def _preformatted_text(el: HtmlElement) -> str:
    """A ``<pre>``'s text as ``text_content()`` reads it, with each ``<br>`` a newline."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str):
            parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(el)
    return "".join(parts)


def _reference_walk(el: HtmlElement, pieces: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in SKIP_TAGS:
        pieces.append(_flat(el.tail))
        return
    if tag == "br":
        pieces.append(_BREAK)
        pieces.append(_flat(el.tail))
        return
    if tag == "pre":
        lines = _preformatted_text(el).strip("\n").split("\n")
        pieces.append("\n" + _BREAK.join(_flat(line) for line in lines) + "\n")
        pieces.append(_flat(el.tail))
        return
    block = tag in BLOCK_TAGS
    if block:
        pieces.append("\n")
    if tag == "li" and _position(el):
        pieces.append(f"{_position(el)}. ")
    if tag:
        pieces.append(_flat(el.text))
    for child in el:
        _reference_walk(child, pieces)
    if block:
        pieces.append("\n")
    elif tag in ("td", "th"):
        pieces.append(" ")
    pieces.append(_flat(el.tail))


def _position(li: HtmlElement) -> int:
    parent = li.getparent()
    if parent is None or parent.tag != "ol":
        return 0
    start = parent.get("start", "1")
    first = int(start) if start.strip().lstrip("-").isdigit() else 1
    return first + sum(1 for _ in li.itersiblings("li", preceding=True))


def _flat(text: str | None) -> str:
    return _SPACE_RE.sub(" ", text) if text else ""


# ---------------------------------------------------------------- checks
def assert_map_is_faithful(root: HtmlElement) -> None:
    """Same text as the reference; every mapped character is the raw character it maps to (a
    collapsed space maps to whitespace); unmapped ones are only what the text adds itself."""
    text, text_map = text_with_offsets(root)
    assert text == reference_text(root)
    assert text_map.text is text
    for offset, char in enumerate(text):
        origin = text_map.origin(offset)
        if origin is None:
            # Breaks, list numbers ("12. "), the space between table cells.
            assert char in "\n -.0123456789", (offset, char)
            continue
        element, where, index = origin
        raw = element.text if where == "text" else element.tail
        assert raw[index] == char or (char == " " and raw[index].isspace()), (offset, char)


def _corpus_files() -> list[Path]:
    mozilla = sorted((CORPUS / "readability-test-pages").glob("*/source.html"))
    wcxb = sorted((CORPUS / "wcxb-dev" / "html").glob("*.html.gz"))
    return mozilla[:PAGES_PER_CORPUS] + wcxb[:PAGES_PER_CORPUS]


@pytest.fixture(scope="module")
def corpus_pages() -> list[tuple[str, bytes, str]]:
    """(name, page bytes, clean article HTML) for the first pages of both corpora."""
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    pages = []
    for path in _corpus_files():
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        pages.append((path.parent.name if path.name == "source.html" else path.name, raw,
                      extract_article(raw, "https://news.example/story").article.html))
    return pages


def test_corpus_slice_is_complete(corpus_pages):
    assert len(corpus_pages) == 2 * PAGES_PER_CORPUS


def test_article_html_of_corpus_pages(corpus_pages):
    for name, _, article_html in corpus_pages:
        root = parse_fragment(article_html)
        try:
            assert_map_is_faithful(root)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None


def test_whole_corpus_pages(corpus_pages):
    # The raw pages: scripts, styles, <pre>, forms, tables and layout whitespace, unpruned.
    for name, raw, _ in corpus_pages:
        root = parse_fragment(raw.decode("utf-8", "replace"))
        try:
            assert_map_is_faithful(root)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None


@pytest.mark.parametrize("markup", [
    "",
    "<p>  one\n\n   two\t\tthree\u00a0 four  </p>\n\n\n<p>\n five \n</p>",
    "<p>Sanae Takaichi<br>Prime Minister<br><br>Tokyo</p><p>Next</p>",
    "<p>A <b>bold</b>, <em>em</em>phasised <a href='/x'>link</a><span>ed</span> word.</p>",
    "<p>Before<script>var secret = 1;</script> after<style>.x{}</style>.</p>",
    "<ol start='3'><li>Preheat</li><li>Bake</li></ol><ul><li>Salt</li></ul>",
    "<ol><li><p>Useful: it does the job.</p><p>More.</p></li><li>Usable</li></ol>",
    "<ol start='0'><li>zero</li><li>one</li></ol><ol start='-2'><li><p>x</p></li></ol>",
    "<p>3.</p><p>Three</p><p>4.</p><p>5.</p><p>Five</p>",
    "<p>Run:</p><pre>git init\n   git add -A\n\ngit <b>commit</b><br>x\n</pre>tail",
    "<pre>\n\n  lead <script>s()</script><!-- c --> end\n</pre>",
    "<table><tr><th>Route</th><th>Cost</th></tr><tr><td>12</td> <td> 1.5m </td></tr></table>",
    "<div>loose <p>para</p> text <br> after</div>",
    "<p>Fish &amp; chips &lt;3 &quot;q&quot; caf&eacute;</p>",
    "<p>東京で<b>日米首脳</b>が電話会談を行った。</p>",
    "<p>a<!-- c -->b <!-- d --> c</p>",
])
def test_hand_made_fragments(markup):
    assert_map_is_faithful(parse_fragment(markup))


# ---------------------------------------------------------------- random trees
_WORDS = st.sampled_from(["a", "Bb", "1.", "12.", "-3.", "x&amp;y", "&lt;", "東京", "é", "said",
                          "\u00a0", " ", "  ", "\n", "\t", "\n \n", "\u3000", ""])
_TEXT = st.lists(_WORDS, max_size=5).map("".join)
_TAGS = st.sampled_from(["p", "div", "span", "a", "em", "b", "br", "pre", "ol", "ul", "li",
                         "td", "th", "tr", "table", "blockquote", "h2", "script", "code",
                         "section", "mark"])


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, start: str, inner: list[str], tail: str) -> str:
        if tag == "br":
            return "<br>" + tail
        attrs = f' start="{start}"' if tag == "ol" and start else ""
        return f"<{tag}{attrs}>{''.join(inner)}</{tag}>{tail}"
    return st.builds(render, _TAGS, st.sampled_from(["", "0", "5", "-1", "x"]),
                     st.lists(children, max_size=4), _TEXT)


_MARKUP = st.recursive(_TEXT, _element, max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP, min_size=1, max_size=4).map("".join))
def test_random_trees_match_the_reference(markup):
    assert_map_is_faithful(parse_fragment(markup))


# ---------------------------------------------------------------- map queries
def test_origin_points_into_text_and_tail():
    root = parse_fragment("<p>said the <a href='/wsj'>Wall  Street</a> Journal</p>")
    text, text_map = text_with_offsets(root)
    assert text == "said the Wall Street Journal"
    p, a = root[0], root[0][0]
    assert text_map.origin(0) == (p, "text", 0)
    assert text_map.origin(text.index("Wall")) == (a, "text", 0)
    assert text_map.origin(text.index(" Street")) == (a, "text", 4)  # first of the two spaces
    assert text_map.origin(text.index("Street")) == (a, "text", 6)
    assert text_map.origin(text.index("Journal")) == (a, "tail", 1)
    assert text_map.origin(len(text)) is None


def test_added_characters_map_to_nothing():
    root = parse_fragment("<ol><li>one</li></ol><p>two<br>three</p><table><tr><td>a</td>"
                          "<td>b</td></tr></table>")
    text, text_map = text_with_offsets(root)
    assert text == "1. one\n\ntwo\nthree\n\na b"
    unmapped = [i for i in range(len(text)) if text_map.origin(i) is None]
    assert [text[i] for i in unmapped] == list("1. ") + ["\n", "\n", "\n", "\n", "\n", " "]


def test_node_ranges_cover_collapsed_whitespace_and_cross_nodes():
    root = parse_fragment("<p>He said   the <em>Wall Street</em> Journal reported.</p>")
    text, text_map = text_with_offsets(root)
    start, end = text.index("said"), text.index(" reported")
    p, em = root[0], root[0][0]
    assert text_map.node_ranges(start, end) == [
        (p, "text", 3, 14),  # "said   the " with the spaces it collapsed
        (em, "text", 0, 11),
        (em, "tail", 0, 8),
    ]
    assert p.text[3:14] == "said   the "
    assert text_map.node_ranges(0, 0) == []


def test_node_ranges_skip_added_characters_between_blocks():
    root = parse_fragment("<p>one</p><p>two</p>")
    text, text_map = text_with_offsets(root)
    assert text_map.node_ranges(0, len(text)) == [(root[0], "text", 0, 3),
                                                  (root[1], "text", 0, 3)]


def test_element_span_reads_descendants_not_the_tail():
    root = parse_fragment("<p>by the <a href='/x'>Wall <b>Street</b> Journal</a>, it said</p>")
    text, text_map = text_with_offsets(root)
    start, end = text_map.element_span(root[0][0])
    assert text[start:end] == "Wall Street Journal"
    assert text_map.element_span(parse_fragment("<a href='/'><img src='x.png'></a>")[0]) is None


def test_the_map_is_fast():
    paragraph = ("<p>The council <a href='https://news.example/x'>voted on Tuesday</a> to expand "
                 "the <em>bus network</em> with twelve new routes across the eastern suburbs, "
                 "officials said.</p>\n")  # 20 words
    root = parse_fragment(paragraph * 50)
    best = min(_timed(lambda: text_with_offsets(root)) for _ in range(20))
    assert best < 0.002, f"{best * 1000:.2f} ms for 1,000 words"
    assert tree_to_text(root) == reference_text(root)


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start
