"""Marks: attribution spans (offsets into article.text) become <mark> elements in the article
HTML, text node by text node, well-formed, sanitiser-proof, and without changing the text."""

from __future__ import annotations

import gzip
import random
import time

import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcelight.extract.text import html_to_text, parse_fragment, text_with_offsets
from sourcelight.pipeline import extract_article
from sourcelight.marks import mark_spans
from sourcelight.render import sanitize_html

SOURCE = {"data-attr": "a1", "data-entity": "e1"}
CUE = {"data-attr": "a1"}


def span(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def mark(html: str, *spans: tuple[str, str, dict[str, str]]) -> str:
    """Mark phrases of ``html``'s text: each given as (phrase, class, attributes)."""
    html = sanitize_html(html)
    text = html_to_text(html)
    marks = [(*span(text, phrase), cls, attrs) for phrase, cls, attrs in spans]
    out = mark_spans(html, marks)
    assert html_to_text(out) == text, "marks must change no text"
    assert sanitize_html(out) == out, "the marks must pass the sanitiser unchanged"
    assert _without_marks(out) == _without_marks(html), "the page's own elements must stay"
    return out


def _without_marks(markup: str) -> str:
    root = parse_fragment(markup)
    lxml.etree.strip_tags(root, "mark")
    return lxml.html.tostring(root, encoding="unicode")


# ---------------------------------------------------------------- examples
def test_marks_inside_one_paragraph():
    out = mark("<p>The talks stalled, two officials said on Friday.</p>",
               ("two officials", "sl-source", SOURCE), ("said", "sl-cue", CUE))
    assert out == ('<p>The talks stalled, <mark class="sl-source" data-attr="a1" '
                   'data-entity="e1">two officials</mark> <mark class="sl-cue" data-attr="a1">'
                   "said</mark> on Friday.</p>")


def test_a_span_across_a_link_is_marked_piece_by_piece():
    out = mark('<p>It was first reported by the <a href="https://wsj.example/x">Wall Street</a> '
               "Journal.</p>", ("the Wall Street Journal", "sl-source", SOURCE))
    assert out == ('<p>It was first reported by <mark class="sl-source" data-attr="a1" '
                   'data-entity="e1">the </mark><a href="https://wsj.example/x" '
                   'rel="noopener noreferrer"><mark class="sl-source" data-attr="a1" '
                   'data-entity="e1">Wall Street</mark></a><mark class="sl-source" '
                   'data-attr="a1" data-entity="e1"> Journal</mark>.</p>')


def test_a_span_across_emphasis_inside_a_link():
    out = mark('<p>said <a href="https://news.example/"><em>The</em> Times</a> today</p>',
               ("said The Times today", "sl-content", CUE))
    root = parse_fragment(out)
    pieces = root.findall(".//mark")
    assert ["".join(m.itertext()) for m in pieces] == ["said ", "The", " Times", " today"]
    assert [m.getparent().tag for m in pieces] == ["p", "em", "a", "p"]
    assert {m.get("data-attr") for m in pieces} == {"a1"}


def test_nested_marks_are_well_formed():
    out = mark("<p>Trade will grow, the minister told reporters on Monday.</p>",
               ("Trade will grow, the minister told reporters", "sl-content", {"data-attr": "a2"}),
               ("the minister", "sl-source", SOURCE), ("told", "sl-cue", CUE))
    assert out == ('<p><mark class="sl-content" data-attr="a2">Trade will grow, '
                   '<mark class="sl-source" data-attr="a1" data-entity="e1">the minister</mark>'
                   ' <mark class="sl-cue" data-attr="a1">told</mark> reporters</mark> on Monday.'
                   "</p>")


def test_crossing_spans_are_split_where_they_cross():
    out = mark("<p>one two three four</p>",
               ("one two three", "sl-content", {"data-attr": "a1"}),
               ("three four", "sl-content", {"data-attr": "a2"}))
    assert out == ('<p><mark class="sl-content" data-attr="a1">one two <mark class="sl-content" '
                   'data-attr="a2">three</mark></mark><mark class="sl-content" data-attr="a2"> '
                   "four</mark></p>")


def test_equal_spans_nest_in_list_order():
    out = mark("<p>Xinhua reported it.</p>", ("Xinhua", "sl-source", SOURCE),
               ("Xinhua", "sl-content", {"data-attr": "a2"}))
    assert out.startswith('<p><mark class="sl-source" data-attr="a1" data-entity="e1">'
                          '<mark class="sl-content" data-attr="a2">Xinhua</mark></mark>')


def test_equal_pieces_put_the_longer_span_outside():
    # In <b> both marks cover the whole node; the content (longer overall) stays outside.
    out = mark("<p>said <b>Xi</b> today</p>", ("Xi", "sl-source", SOURCE),
               ("said Xi today", "sl-content", {"data-attr": "a2"}))
    assert ('<b><mark class="sl-content" data-attr="a2"><mark class="sl-source" data-attr="a1" '
            'data-entity="e1">Xi</mark></mark></b>') in out


def test_a_span_covering_a_whole_paragraph():
    out = mark("<p>First <b>bold</b> claim.</p><p>Second.</p>",
               ("First bold claim.", "sl-content", CUE))
    assert out == ('<p><mark class="sl-content" data-attr="a1">First </mark><b><mark '
                   'class="sl-content" data-attr="a1">bold</mark></b><mark class="sl-content" '
                   'data-attr="a1"> claim.</mark></p><p>Second.</p>')


def test_spans_at_paragraph_edges_and_across_blocks():
    html = "<p>Alpha beta.</p>\n<p>Gamma delta.</p>"
    text = html_to_text(sanitize_html(html))
    assert text == "Alpha beta.\n\nGamma delta."
    marks = [(0, 5, "sl-source", SOURCE),  # at the start of the text
             (text.index("beta"), text.index("Gamma") + 5, "sl-content", CUE),  # over the break
             (text.index("delta."), len(text), "sl-cue", CUE)]  # at the very end
    out = mark_spans(sanitize_html(html), marks)
    assert out == ('<p><mark class="sl-source" data-attr="a1" data-entity="e1">Alpha</mark> '
                   '<mark class="sl-content" data-attr="a1">beta.</mark></p>\n'
                   '<p><mark class="sl-content" data-attr="a1">Gamma</mark> '
                   '<mark class="sl-cue" data-attr="a1">delta.</mark></p>')
    assert html_to_text(out) == text


def test_text_with_entities_stays_escaped():
    out = mark("<p>Fish &amp; chips &lt;3 cost &gt; 5 &#8364;, AT&amp;T said.</p>",
               ("Fish & chips <3 cost > 5 €", "sl-content", CUE), ("AT&T", "sl-source", SOURCE))
    assert ('<mark class="sl-content" data-attr="a1">Fish &amp; chips &lt;3 cost &gt; 5 €</mark>'
            in out)
    assert '<mark class="sl-source" data-attr="a1" data-entity="e1">AT&amp;T</mark>' in out


def test_cjk_text():
    out = mark("<p>新华社报道，<b>习近平</b>表示台湾问题是核心利益。</p>",
               ("习近平", "sl-source", SOURCE), ("表示", "sl-cue", CUE),
               ("新华社报道，习近平表示台湾问题是核心利益", "sl-content", {"data-attr": "a2"}))
    assert out == ('<p><mark class="sl-content" data-attr="a2">新华社报道，</mark><b>'
                   '<mark class="sl-content" data-attr="a2"><mark class="sl-source" '
                   'data-attr="a1" data-entity="e1">习近平</mark></mark></b><mark '
                   'class="sl-content" data-attr="a2"><mark class="sl-cue" data-attr="a1">表示'
                   "</mark>台湾问题是核心利益</mark>。</p>")


def test_collapsed_whitespace_inside_a_span_is_kept():
    html = sanitize_html("<p>the   minister\n   said</p>")
    out = mark_spans(html, [(0, len("the minister said"), "sl-content", CUE)])
    assert out == '<p><mark class="sl-content" data-attr="a1">the   minister\n   said</mark></p>'


def test_line_breaks_list_numbers_and_table_cells():
    html = sanitize_html("<ol><li>Rates rise</li></ol><p>line one<br>line two</p>"
                         "<table><tr><td>cell a</td><td>cell b</td></tr></table>")
    text = html_to_text(html)
    assert text == "1. Rates rise\n\nline one\nline two\n\ncell a cell b"
    out = mark_spans(html, [(0, 8, "sl-content", CUE),  # "1. Rates": the number is no node's
                            (*span(text, "one\nline"), "sl-cue", CUE),
                            (*span(text, "a cell"), "sl-source", SOURCE)])
    assert html_to_text(out) == text
    assert '<li><mark class="sl-content" data-attr="a1">Rates</mark> rise</li>' in out
    assert ('line <mark class="sl-cue" data-attr="a1">one</mark><br><mark class="sl-cue" '
            'data-attr="a1">line</mark> two') in out
    assert ('<td>cell <mark class="sl-source" data-attr="a1" data-entity="e1">a</mark></td><td>'
            '<mark class="sl-source" data-attr="a1" data-entity="e1">cell</mark> b</td>') in out


def test_preformatted_text():
    html = sanitize_html("<pre>x = 1\n  y = 2</pre>")
    text = html_to_text(html)
    out = mark_spans(html, [(*span(text, "1\ny"), "sl-content", CUE)])
    assert html_to_text(out) == text
    assert out == ('<pre>x = <mark class="sl-content" data-attr="a1">1\n  y</mark> = 2</pre>')


def test_a_preformatted_blocks_leading_blank_line_stays():
    # The cleaner drops one leading newline of a <pre> each time it reads one: the article's
    # HTML, cleaned once, must not lose a blank line again where it is marked.
    html = sanitize_html("<p>Intro.</p><pre>\n\n\nx = 1\ny = 2</pre>")
    text = html_to_text(html)
    out = mark_spans(html, [(*span(text, "x = 1"), "sl-content", CUE)])
    assert html_to_text(out) == text
    assert _without_marks(out) == _without_marks(html)
    assert out == ('<p>Intro.</p><pre>\n\n<mark class="sl-content" data-attr="a1">x = 1</mark>'
                   '\ny = 2</pre>')


def test_marked_strings_written_as_the_cleaner_writes_them_spare_a_second_clean(monkeypatch):
    # No-break spaces, entities and quotes are escaped as the cleaner escapes them, so the
    # marked strings pass it unchanged and the article is not cleaned a second time.
    import sourcelight.marks as marks_module

    html = sanitize_html("<p>Officials\xa0said &amp; <i>“wrote”</i> 1 &lt; 2.</p>")
    text = html_to_text(html)
    monkeypatch.setattr(marks_module, "sanitize_html", lambda markup: pytest.fail("cleaned again"))
    out = mark_spans(html, [(0, len(text) - 1, "sl-content", CUE)])
    assert out == ('<p><mark class="sl-content" data-attr="a1">Officials&nbsp;said &amp; </mark><i>'
                   '<mark class="sl-content" data-attr="a1">“wrote”</mark></i><mark '
                   'class="sl-content" data-attr="a1"> 1 &lt; 2</mark>.</p>')
    assert html_to_text(out) == text


def test_text_after_a_void_element_libxml2_does_not_know():
    # libxml2 reads "<wbr>Mandrake/" as text inside the <wbr>; it must not be lost.
    out = mark("<p>using Debian/<wbr>Mandrake/<wbr>Gentoo instead</p>",
               ("Debian/Mandrake/Gentoo", "sl-content", CUE))
    assert out == ('<p>using <mark class="sl-content" data-attr="a1">Debian/</mark><wbr><mark '
                   'class="sl-content" data-attr="a1">Mandrake/</mark><wbr><mark '
                   'class="sl-content" data-attr="a1">Gentoo</mark> instead</p>')


def test_attribute_values_are_escaped_and_only_allowlisted_ones_survive():
    # Unknown attributes go; an unknown class is emptied by the sanitiser.
    html = sanitize_html("<p>Officials said so.</p>")
    out = mark_spans(html, [(0, 9, "sl-source", {"data-attr": 'a"1<', "onclick": "x()",
                                                 'x"><script>alert(1)</script': ""}),
                            (10, 14, "not-ours", {"data-attr": "a2"})])
    assert out == ('<p><mark class="sl-source" data-attr="a&quot;1&lt;">Officials</mark> '
                   '<mark class="" data-attr="a2">said</mark> so.</p>')


def test_no_marks_and_empty_or_outside_spans_change_nothing():
    html = sanitize_html("<p>Nothing to see.</p>")
    assert mark_spans(html, []) == html
    assert mark_spans(html, [(3, 3, "sl-cue", CUE), (50, 60, "sl-cue", CUE),
                             (-5, 0, "sl-cue", CUE)]) == html
    assert mark_spans(html, [(-5, 7, "sl-cue", CUE)]).startswith(
        '<p><mark class="sl-cue" data-attr="a1">Nothing</mark>')


def test_a_given_text_map_is_used_and_its_tree_left_alone():
    html = sanitize_html('<p>said the <a href="https://wsj.example/">Journal</a></p>')
    root = parse_fragment(html)
    text, text_map = text_with_offsets(root)
    before = lxml.html.tostring(root)
    marks = [(*span(text, "the Journal"), "sl-source", SOURCE)]
    assert mark_spans(html, marks, text_map) == mark_spans(html, marks)
    assert lxml.html.tostring(root) == before


def test_the_seed_page_keeps_its_text(seed_page, seed_expected):
    article = extract_article(seed_page.read_bytes(), seed_expected["url"]).article
    marks = []
    for n, expected in enumerate(seed_expected["attributions"]):
        for part, cls in (("content", "sl-content"), ("source", "sl-source"), ("cue", "sl-cue")):
            start = article.text.find(expected[part])
            if start >= 0:
                marks.append((start, start + len(expected[part]), cls, {"data-attr": f"a{n}"}))
    out = mark_spans(article.html, marks)
    assert html_to_text(out) == article.text
    assert sanitize_html(out) == out
    assert _without_marks(out) == _without_marks(article.html)
    assert len(parse_fragment(out).findall(".//mark")) >= len(marks)


def test_random_marks_on_corpus_articles(corpus):
    # Real article HTML: layout whitespace, tables, lists, <wbr>, figures, entities.
    rng = random.Random(3)
    pages = (sorted((corpus / "readability-test-pages").glob("*/source.html"))[:20]
             + sorted((corpus / "wcxb-dev" / "html").glob("*.html.gz"))[:20])
    for path in pages:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        article = extract_article(raw, "https://news.example/story").article
        size = len(article.text)
        marks = []
        for n in range(30):
            start = rng.randrange(size)
            marks.append((start, min(size, start + rng.randrange(1, 400)),
                          rng.choice(_CLASSES), {"data-attr": f"a{n}"}))
        out = mark_spans(article.html, marks)
        assert html_to_text(out) == article.text, path
        assert sanitize_html(out) == out, path
        assert _without_marks(out) == _without_marks(article.html), path
        _assert_marks_cover_their_spans(out, marks)



def test_marks_written_into_the_html_are_those_of_the_serialised_tree(corpus, monkeypatch):
    # mark_spans writes the marked strings into the sanitised HTML when its texts match the
    # tree's one for one, and serialises the tree otherwise: both must give the same answer.
    import sourcelight.marks as marks_module

    rng = random.Random(5)
    pages = (sorted((corpus / "readability-test-pages").glob("*/source.html"))[:25]
             + sorted((corpus / "wcxb-dev" / "html").glob("*.html.gz"))[:25])
    cases = []
    for path in pages:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        article = extract_article(raw, "https://news.example/story").article
        text, text_map = text_with_offsets(parse_fragment(article.html))
        marks = []
        for n in range(20):
            start = rng.randrange(len(text))
            marks.append((start, min(len(text), start + rng.randrange(1, 300)),
                          rng.choice(_CLASSES), {"data-attr": f"a{n}"}))
        cases.append((article.html, marks, text_map))
    spliced = [mark_spans(*case) for case in cases]
    written = []
    original = marks_module._splice_marked
    monkeypatch.setattr(marks_module, "_splice_marked",
                        lambda *args: written.append(original(*args)) or written[-1])
    assert [mark_spans(*case) for case in cases] == spliced
    assert sum(out is not None for out in written) > 0.8 * len(cases)  # the common path
    monkeypatch.setattr(marks_module, "_splice_marked", lambda *args: None)  # the tree serialised
    assert [mark_spans(*case) for case in cases] == spliced


def test_marks_are_not_written_into_html_whose_texts_are_not_the_trees():
    # "a</x>b": the parse joins the two texts into one node; the tree is serialised instead.
    html = "<p>alpha</x> beta</p><p>gamma</p>"
    text, text_map = text_with_offsets(parse_fragment(html))
    out = mark_spans(html, [(*span(text, "gamma"), "sl-cue", CUE)], text_map)
    assert out == '<p>alpha beta</p><p><mark class="sl-cue" data-attr="a1">gamma</mark></p>'


# ---------------------------------------------------------------- property
SNIPPETS = [sanitize_html(s) for s in [
    "<p>The talks stalled, two officials said on Friday.</p>",
    '<p>It was first reported by the <a href="https://wsj.example/x">Wall Street</a> Journal.'
    "</p><p>Second <em>para</em>graph, <strong>with <em>nested</em> emphasis</strong>.</p>",
    "<h2>Title</h2><p>Fish &amp; chips &lt;3 AT&amp;T</p><blockquote><p>“Quoted,” she said."
    "</p></blockquote>",
    "<p>新华社报道，<b>习近平</b>表示台湾问题是核心利益。</p><p>東京で会談。</p>",
    "<ol><li><p>Useful: it works.</p><p>More.</p></li><li>Usable</li></ol><ul><li>Salt</li></ul>",
    "<p>line   one<br>line two<br><br>three</p><pre>x = 1\n  y = 2</pre>",
    "<table><tr><th>Route</th><th>Cost</th></tr><tr><td>12 <i>a</i></td><td>1.5m</td></tr>"
    "</table><figure><img src='https://news.example/a.jpg'><figcaption>A caption "
    "<a href='https://news.example/'>here</a></figcaption></figure>",
    "loose text <span>in a span</span><div>and a <q>quoted</q> div</div> tail",
    "<p>using Debian/<wbr>Mandrake/<wbr>Gentoo <sup>1</sup> instead</p>",
]]
_TEXTS = {snippet: html_to_text(snippet) for snippet in SNIPPETS}
_CLASSES = ["sl-source", "sl-cue", "sl-content"]


@st.composite
def snippet_and_marks(draw):
    snippet = draw(st.sampled_from(SNIPPETS))
    size = len(_TEXTS[snippet])
    marks = []
    for n in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, size))
        end = draw(st.integers(start, size))
        attrs = {"data-attr": f"a{n}"}
        if draw(st.booleans()):
            attrs["data-entity"] = f"e{n % 3}"
        marks.append((start, end, draw(st.sampled_from(_CLASSES)), attrs))
    return snippet, marks


@settings(max_examples=300, deadline=None)
@given(snippet_and_marks())
def test_marks_change_no_text_and_cover_exactly_their_spans(case):
    snippet, marks = case
    out = mark_spans(snippet, marks)
    assert html_to_text(out) == _TEXTS[snippet]
    assert sanitize_html(out) == out
    assert _without_marks(out) == _without_marks(snippet)
    _assert_marks_cover_their_spans(out, marks)


def _assert_marks_cover_their_spans(out: str, marks: list) -> None:
    """Every character read from a text node sits inside exactly the marks whose spans hold
    it, with their class and attributes."""
    text, text_map = text_with_offsets(parse_fragment(out))
    for offset in range(len(text)):
        origin = text_map.origin(offset)
        if origin is None:
            continue  # a break or a list number: no text node to wrap
        element, where, _ = origin
        container = element if where == "text" else element.getparent()
        inside = {(m.get("class"), m.get("data-attr"), m.get("data-entity"))
                  for m in container.iterancestors("mark")}
        if container.tag == "mark":
            inside.add((container.get("class"), container.get("data-attr"),
                        container.get("data-entity")))
        expected = {(cls, attrs["data-attr"], attrs.get("data-entity"))
                    for start, end, cls, attrs in marks if start <= offset < end}
        assert inside == expected, (offset, text[offset])


# ---------------------------------------------------------------- speed
def test_marking_a_thousand_words_is_fast():
    paragraph = ("<p>The city council voted on Tuesday to expand the <a href='https://news.example"
                 "/x'>bus network</a> with twelve new routes across the <em>eastern suburbs</em>,"
                 " and the plan would cost 4.2 million euros over three years, two officials "
                 "familiar with the budget said on Wednesday in the town hall.</p>\n")
    html = sanitize_html(paragraph * 25)  # 1,075 words, an attribution in each paragraph
    text = html_to_text(html)
    marks = []
    for n, start in enumerate(i for i in range(len(text)) if text.startswith("The city", i)):
        source = text.index("two officials", start)
        marks += [(start, source - 2, "sl-content", {"data-attr": f"a{n}"}),
                  (source, source + 41, "sl-source", {"data-attr": f"a{n}", "data-entity": "e1"}),
                  (source + 42, source + 46, "sl-cue", {"data-attr": f"a{n}"})]

    def map_and_mark() -> None:
        _, text_map = text_with_offsets(parse_fragment(html))
        mark_spans(html, marks, text_map)

    best = min(_timed(map_and_mark) for _ in range(20))
    assert best < 0.002, f"{best * 1000:.2f} ms to map and mark 1,000 words"


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


@pytest.mark.parametrize("cls", _CLASSES)
def test_each_mark_class_survives_the_sanitiser(cls):
    out = mark_spans("<p>word</p>", [(0, 4, cls, SOURCE)])
    assert out == f'<p><mark class="{cls}" data-attr="a1" data-entity="e1">word</mark></p>'
