"""Marks: attribution spans (offsets into the article's text) become ``<mark>`` elements in
the article's sanitised HTML, text node by text node, well-formed, without changing the text
or moving the page's own elements.

The HTML comes from :mod:`sourcelight.render`'s cleaner, which also has the last word on what
is written into it here.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from itertools import accumulate

from lxml.html import HtmlElement

from .extract.text import TextMap, parse_fragment, text_with_offsets
from .render import passes_cleaner, sanitize_html

# One annotation mark: (start, end) in article.text, its class (sl-source, sl-cue, sl-content)
# and its attributes (data-attr, data-entity).
Mark = tuple[int, int, str, Mapping[str, str]]
# An HTML parser moves a <mark> found directly inside table structure out of the table (nh3's
# does), taking its text along; their text is layout whitespace, so it is never wrapped.
_NO_MARK_PARENTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                        "meta", "param", "source", "track", "wbr"})
# (start, end, index into the marks list, nested pieces): one <mark> to be, in raw offsets.
_Piece = tuple[int, int, int, list]
# The text after a tag, in sanitised HTML (up to the next tag).
_TEXT_AFTER_TAG_RE = re.compile(r">([^<]*)")


def mark_spans(article_html: str, marks: Sequence[Mark], text_map: TextMap | None = None) -> str:
    """Wrap spans of the article text in ``<mark class=… data-attr=… data-entity=…>`` elements.

    ``article_html`` is the sanitised article and each span is in offsets of its text (what
    :func:`~sourcelight.extract.text.tree_to_text` reads from it). A span is wrapped text node
    by text node, so one crossing a link or an emphasis (``said the <a>Wall Street</a>
    Journal``) becomes several ``<mark>`` pieces with the same attributes, and one crossing a
    block is split per block; the page's own elements are never moved. Overlapping spans nest
    (a source inside another attribution's content), split where they cross, so the result is
    well-formed. The text reads exactly as before, and the result has passed the sanitiser.

    ``text_map``, when the caller has it, is the map of ``article_html``'s parse (from
    :func:`~sourcelight.extract.text.text_with_offsets`); it saves parsing the HTML again. The
    tree it points into is read, never changed.
    """
    if not marks:
        return article_html
    if text_map is None:
        _, text_map = text_with_offsets(parse_fragment(article_html))
    by_node: dict[tuple[HtmlElement, str], list[tuple[int, int, int, int]]] = {}
    for index, (start, end, _, _) in enumerate(marks):
        for element, where, lo, hi in text_map.node_ranges(max(start, 0), end):
            by_node.setdefault((element, where), []).append((lo, hi, start - end, index))
    open_tags = [_open_mark_tag(mark) for mark in marks]
    marked: tuple[dict[HtmlElement, str], dict[HtmlElement, str]] = ({}, {})
    for (element, where), ranges in by_node.items():
        raw = element.text if where == "text" else element.tail
        container = element if where == "text" else element.getparent()
        if raw and container is not None and container.tag not in _NO_MARK_PARENTS:
            out: list[str] = []
            _write_marked(raw, 0, len(raw), _nest(ranges), open_tags, out)
            marked[where == "tail"][element] = "".join(out)
    spliced = _splice_marked(article_html, text_map, marked)
    if spliced is not None and _passes_cleaner(marked):
        # The cleaner wrote ``article_html`` and has just passed, unchanged, every string
        # written into it: it has had its word on all of the result, without cleaning the
        # whole article a second time (a fifth of the marking's time).
        return spliced
    if spliced is None:
        out = []
        root = text_map.root
        _write_text(root, root.text, marked[0], out)
        for child in root:
            _write_element(child, marked, out)
        spliced = "".join(out)
    # The one cleaner has the last word on everything that leaves the service.
    return sanitize_html(spliced)


def _passes_cleaner(marked: tuple[dict[HtmlElement, str], dict[HtmlElement, str]]) -> bool:
    """Does the cleaner leave the marked strings (escaped text and whole ``<mark>`` elements,
    each balanced) exactly as they are?"""
    return passes_cleaner("".join([*marked[0].values(), *marked[1].values()]))


def _splice_marked(article_html: str, text_map: TextMap,
                   marked: tuple[dict[HtmlElement, str], dict[HtmlElement, str]]) -> str | None:
    """``article_html`` with the marked text nodes' strings written in place of their text;
    None when its texts between tags are not, one for one, the tree's text nodes (the tree is
    then serialised instead).

    Writing the few marked strings into the HTML costs a fraction of serialising the whole
    tree in Python. The text nodes are matched by their order: the HTML's texts that are not
    blank and the tree's (the map's runs name them in document order) must be as many, and
    each marked node's text must be its partner's.
    """
    first_tag = article_html.find("<")
    if first_tag == -1:
        return None
    # The text before the first tag, then the text after each tag: the cleaner escapes "<"
    # and ">" in text and in attribute values, so every ">" ends a tag.
    texts = [article_html[:first_tag], *_TEXT_AFTER_TAG_RE.findall(article_html)]
    shown = [i for i, piece in enumerate(texts)
             if piece and not (_unescape_text(piece) if "&" in piece else piece).isspace()]
    # (element, "text" | "tail") of each non-blank text node, in document order: the map's
    # runs, less those of blank nodes (a collapsed space, " ", is all a blank node gives)
    text = text_map.text
    nodes = dict.fromkeys((run[2], run[3]) for run in text_map.runs
                          if run[1] - run[0] > 1 or text[run[0]] != " ")
    if len(nodes) != len(shown):
        return None
    ordinal = {node: n for n, node in enumerate(nodes)}
    places = []  # (index in texts, marked string)
    for where, strings in (("text", marked[0]), ("tail", marked[1])):
        for element, string in strings.items():
            n = ordinal.get((element, where))
            if n is None:
                return None  # (a blank node, whose place among the HTML's blanks is unknown)
            piece = texts[shown[n]]
            if (_unescape_text(piece) if "&" in piece else piece) != (
                    element.text if where == "text" else element.tail):
                return None
            places.append((shown[n], string))
    # (the k-th text starts after the k-th ">": past the k pieces before it and k marks)
    ends = list(accumulate(map(len, article_html.split(">"))))
    out, at = [], 0
    for index, string in sorted(places):
        start = ends[index - 1] + index if index else 0
        out += (article_html[at:start], string)
        at = start + len(texts[index])
    out.append(article_html[at:])
    return "".join(out)


def _unescape_text(text: str) -> str:
    """The text the cleaner escaped (it writes "&", "<", ">" and no-break spaces as references
    in text, and nothing else)."""
    return text.replace("&nbsp;", "\xa0").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&")


def _nest(ranges: list[tuple[int, int, int, int]]) -> list[_Piece]:
    """Ranges of one string — (start, end, minus the whole span's length, mark index) — as a
    forest of well-nested pieces.

    Ranges that start together nest longest outside; equal ones put the mark with the longer
    whole span outside (a content around its source, as in the other pieces), then go in list
    order. A range that runs past the end of the one enclosing it is cut there and its rest
    placed after it.
    """
    if len(ranges) == 1:  # the common case: nothing to nest
        lo, hi, _, index = ranges[0]
        return [(lo, hi, index, [])]
    queue = [(lo, -hi, rank, index) for lo, hi, rank, index in ranges]
    heapq.heapify(queue)
    roots: list[_Piece] = []
    enclosing: list[tuple[int, list[_Piece]]] = []  # (end, children) of the open pieces
    while queue:
        lo, neg_hi, rank, index = heapq.heappop(queue)
        hi = -neg_hi
        while enclosing and enclosing[-1][0] <= lo:
            enclosing.pop()
        if enclosing and hi > enclosing[-1][0]:
            heapq.heappush(queue, (enclosing[-1][0], neg_hi, rank, index))
            hi = enclosing[-1][0]
        piece: _Piece = (lo, hi, index, [])
        (enclosing[-1][1] if enclosing else roots).append(piece)
        enclosing.append((hi, piece[3]))
    return roots


def _write_marked(raw: str, start: int, end: int, pieces: list[_Piece], open_tags: list[str],
                  out: list[str]) -> None:
    """``raw[start:end]`` as escaped text with its pieces wrapped in marks."""
    at = start
    for lo, hi, index, children in pieces:
        out.append(_escape_text(raw[at:lo]))
        out.append(open_tags[index])
        if children:
            _write_marked(raw, lo, hi, children, open_tags, out)
        else:
            out.append(_escape_text(raw[lo:hi]))
        out.append("</mark>")
        at = hi
    out.append(_escape_text(raw[at:end]))


def _open_mark_tag(mark: Mark) -> str:
    """``<mark class=…>`` with the mark's attributes; a name that is not a plain word-and-dash
    name is left out rather than written into the markup."""
    attributes = {"class": mark[2]}
    attributes.update((name, value) for name, value in mark[3].items()
                      if name != "class" and name.replace("-", "").isalnum())
    return "<mark" + "".join(f' {name}="{_escape_attribute(value)}"'
                             for name, value in attributes.items()) + ">"


def _write_element(el: HtmlElement, marked: tuple[dict[HtmlElement, str],
                   dict[HtmlElement, str]], out: list[str]) -> None:
    """Serialise an element (and its tail) with its marked text nodes swapped in.

    Written here rather than by changing the tree: a few hundred string pieces cost far less
    than a few hundred new lxml elements, and the caller's tree stays as it was.
    """
    tag = el.tag
    if isinstance(tag, str):  # comments and processing instructions leave only their tail
        attributes = el.items()  # (most elements have none: no join to build)
        out.append("<" + tag + "".join(f' {name}="{_escape_attribute(value)}"'
                                       for name, value in attributes) + ">"
                   if attributes else "<" + tag + ">")
        # libxml2 does not know every void element: it reads "<wbr>text" as text inside the
        # <wbr>. Write what the tree holds; an HTML5 parser puts it after the <wbr> again.
        if text := el.text:  # (_write_text written out: this runs for every element)
            out.append(marked[0].get(el) or _escape_text(text))
        for child in el:
            _write_element(child, marked, out)
        if tag not in _VOID_TAGS:
            out.append(f"</{tag}>")
    if tail := el.tail:
        out.append(marked[1].get(el) or _escape_text(tail))


def _write_text(el: HtmlElement, raw: str | None, marked: dict[HtmlElement, str],
                out: list[str]) -> None:
    if raw:
        out.append(marked.get(el) or _escape_text(raw))


def _escape_text(text: str) -> str:
    """``text`` escaped as the cleaner writes it (no-break spaces as ``&nbsp;``), so that the
    strings written here pass it unchanged."""
    if "&" in text or "<" in text or ">" in text or "\xa0" in text:  # rare: skip the copies
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
            .replace("\xa0", "&nbsp;")
    return text


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")
