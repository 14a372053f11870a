"""Stage: the article's structure beside its text — which stretches are not prose.

Captions, photo and agency credits, bylines, date lines, datelines standing alone and
"contributed to this report" lines are part of the article a reader sees, but nobody in them
*says* anything: they are never sources, never antecedents, never marked. The annotator gets
their spans (offsets into ``article.text``) with a role name:

- ``caption``: a figure's caption (``<figcaption>``, ``<figure>``, a table's ``<caption>``), a
  paragraph that ends in a photo credit, a media label ("Image caption", "Media playback is
  unsupported on your device") or a line that repeats an image's alt text;
- ``credit``: "Jane Doe / Getty Images", "(AP Photo/Evan Vucci)", "Photo: Reuters",
  "Courtesy of …", a citation standing alone (``<cite>``);
- ``small-print``: other ``<small>`` text (disclaimers, notes) — unless it names who said a
  pull quote beside it;
- ``byline``: "By Jane Doe", "Jane Doe, Associated Press", "Reviewed by …", an agency's name
  on its own line;
- ``dateline-line``: "WASHINGTON (AP) —" or a date ("Published Dec. 4, 2025 3:04 p.m. ET")
  standing alone;
- ``contributor-line``: "Associated Press writers … contributed to this report", "Reporting by
  …; Editing by …", "This story originally appeared in …", and the "___" rule before them.

Two passes, because the sanitiser strips the class names that tell a caption from a paragraph:
``mark_structure`` runs on the article tree before it is sanitised and rewrites blocks whose
class says caption / credit / byline into the HTML elements that say the same thing
(``<figcaption>``, ``<figure>``, ``<small>``) without changing the text; ``paragraph_roles``
reads the sanitised tree and, line by line, the text's shapes (:mod:`.line_roles`). The words
and shapes are data (``data/roles.json``), compiled once.
"""

from __future__ import annotations

from bisect import bisect_right

import lxml.html
from lxml.html import HtmlElement

from .boilerplate import class_tokens
from .line_roles import line_role, normalise_words, role_rules
from .text import TextMap, text_with_offsets


# A span of non-prose text: (start, end, role), offsets into the article text.
Span = tuple[int, int, str]

# Blocks marked from their class name are short: a caption is a sentence or two ...
CAPTION_MAX_CHARS = 600
# ... a credit or a byline a name or a few.
CREDIT_MAX_CHARS = 200
# A figure with more text than this holds more than a caption (a table, a chart's notes).
FIGURE_MAX_CHARS = 800
# A line repeating an image's alt text is a caption when it is this short.
ALT_LINE_MAX_CHARS = 200

_BLOCKS_INSIDE = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul",
                  "ol", "pre")
_INLINE_TAGS = frozenset({"span", "em", "i", "b", "strong", "a", "cite", "small", "font",
                          "time", "address", "label"})
_BLOCK_RENAMABLE = frozenset({"div", "p", "section", "aside", "header", "footer"})


# ---------------------------------------------------------------- before the sanitiser
def mark_structure(body: HtmlElement) -> None:
    """Rewrite caption, credit and byline blocks that only their class names as such into the
    elements the sanitiser keeps and :func:`paragraph_roles` reads, in place.

    ``<p class="wp-caption-text">`` becomes ``<figcaption>``, ``<div class="wp-caption">``
    with its image ``<figure>``, ``<span class="credit">`` ``<small>``; a credit or byline
    block (``<p class="byline">``) gets its content wrapped in ``<small>``. The text does not
    change: only the names of elements that were already blocks, or already inline, do.
    """
    r = role_rules()
    small_print_words = r.credit_words | r.byline_words
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.tag in ("figure", "figcaption",
                                                                 "small", "img"):
            continue
        names = el.keys()
        if "class" not in names and "id" not in names:
            continue  # (most elements) no class or id to name a caption or a credit
        words = class_tokens(el)[1]
        if not words:
            continue
        if not words.isdisjoint(r.caption_words):
            _mark_caption(el)
        elif not words.isdisjoint(small_print_words):
            _mark_small_print(el)


def _mark_caption(el: HtmlElement) -> None:
    text_size = _text_size(el, CAPTION_MAX_CHARS)
    if text_size is None or _inside(el, ("figcaption", "small", "blockquote")):
        return
    if el.find(".//img") is not None:
        # An image with its caption paragraph ("wp-caption"): a figure, unless it holds more.
        if el.tag in _BLOCK_RENAMABLE and not _inside(el, ("figure", "p")) \
                and not _has_blocks(el, _BLOCKS_INSIDE[1:]):
            el.tag = "figure"
        return
    if not text_size or _has_blocks(el):
        return
    if el.tag in _BLOCK_RENAMABLE and not _inside(el, ("p",)):
        el.tag = "figcaption"
    elif el.tag in _INLINE_TAGS:
        el.tag = "small"


def _mark_small_print(el: HtmlElement) -> None:
    size = _text_size(el, CREDIT_MAX_CHARS)
    if not size or _has_blocks(el) or el.find(".//img") is not None \
            or _inside(el, ("small", "blockquote")):
        return
    if el.tag in _INLINE_TAGS:
        el.tag = "small"
        el.attrib.pop("class", None)
    elif el.tag in _BLOCK_RENAMABLE or el.tag == "li":
        small = lxml.html.Element("small")
        small.text, el.text = el.text, None
        for child in list(el):
            small.append(child)  # moves the child, its tail with it
        el.append(small)


def _text_size(el: HtmlElement, limit: int) -> int | None:
    """Characters of text under ``el`` (whitespace collapsed), or None past ``limit``."""
    size = 0
    for piece in el.itertext():
        size += len(piece.strip())
        if size > limit:
            return None
    return size


def _has_blocks(el: HtmlElement, tags: tuple[str, ...] = _BLOCKS_INSIDE) -> bool:
    return next(el.iterdescendants(*tags), None) is not None


def _inside(el: HtmlElement, tags: tuple[str, ...]) -> bool:
    # (The ancestors are filtered by name in lxml: only those named reach Python.)
    return next(el.iterancestors(*tags), None) is not None


# ---------------------------------------------------------------- after the sanitiser
def paragraph_roles(root: HtmlElement, text: str,
                    text_map: TextMap | None = None) -> list[Span]:
    """The non-prose spans of an article: ``(start, end, role)`` offsets into ``text``,
    sorted and not overlapping.

    ``root`` is the sanitised article tree ``text`` was read from (``text_map`` its map, when
    the caller already built one).
    """
    if text_map is None:
        mapped, text_map = text_with_offsets(root)
        if mapped != text:
            raise ValueError("article text and article tree disagree; cannot place roles")
    spans = element_spans(root, text_map, text)
    spans.extend(line_spans(text, _alt_texts(root)))
    return _merge(spans)


def element_spans(root: HtmlElement, text_map: TextMap, text: str) -> list[Span]:
    """Spans of the elements that are not prose by what they are: figures and their
    captions, table captions, small print, and citations standing alone."""
    spans: list[Span] = []
    for el in root.iter("figure", "figcaption", "caption", "small", "cite"):
        if el.tag == "figure":
            span = _figure_span(el, text_map)
        elif el.tag == "figcaption":
            span = None if _in_quote_figure(el) else _sized_span(el, text_map, CAPTION_MAX_CHARS)
        elif el.tag == "caption":
            span = _sized_span(el, text_map, CAPTION_MAX_CHARS)
        elif _names_a_quote(el):
            span = None
        elif el.tag == "small":
            span = _sized_span(el, text_map, CAPTION_MAX_CHARS)
        else:
            span = _standalone_span(el, text_map, text)
        if span is None:
            continue
        if el.tag in ("figure", "figcaption", "caption"):
            role = "caption"
        else:
            shape = line_role(text[span[0]:span[1]])
            role = shape or ("credit" if el.tag == "cite" else "small-print")
        spans.append((span[0], span[1], role))
    return spans


def _names_a_quote(el: HtmlElement) -> bool:
    """Small print or a citation that names who said a quotation (a pull quote's "— Jane
    Doe", an embedded post's author) is that quotation's source, not a credit: it sits inside
    the quotation or its figure, or right after it."""
    if _inside(el, ("blockquote", "q")):
        return True
    for level, node in enumerate((el, *el.iterancestors())):
        if level > 2 or node.tag in ("p", "li", "td") and node is not el:
            break
        if node.tag == "figure":
            return _has_quote(node)
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None and previous.tag in ("blockquote", "q"):
            return True
    return False


def _figure_span(figure: HtmlElement, text_map: TextMap) -> tuple[int, int] | None:
    """A figure is a caption as a whole unless it holds a quotation (a pull quote or an
    embedded post, whose caption names who said it) or more text than a caption has."""
    if _has_quote(figure) or figure.find(".//table") is not None:
        return None
    return _sized_span(figure, text_map, FIGURE_MAX_CHARS)


def _in_quote_figure(caption: HtmlElement) -> bool:
    figure = caption.getparent()
    return figure is not None and figure.tag == "figure" and _has_quote(figure)


def _has_quote(el: HtmlElement) -> bool:
    return el.find(".//blockquote") is not None or el.find(".//q") is not None


def _sized_span(el: HtmlElement, text_map: TextMap, limit: int) -> tuple[int, int] | None:
    span = text_map.element_span(el)
    if span is None or span[1] - span[0] > limit:
        return None
    return span


def _standalone_span(el: HtmlElement, text_map: TextMap, text: str) -> tuple[int, int] | None:
    """A citation that is its line's whole text ("— The Guardian"), outside a quotation:
    a credit. Inside a sentence ("the <cite>Times</cite> reported") it is prose."""
    if _inside(el, ("blockquote", "q")):
        return None
    span = _sized_span(el, text_map, CREDIT_MAX_CHARS)
    if span is None:
        return None
    start, end = _line_bounds(text, span[0])
    line = text[start:end].strip(" —–-\"“”")
    inner = text[span[0]:span[1]].strip(" —–-\"“”")
    return (start, end) if line == inner else None


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _alt_texts(root: HtmlElement) -> frozenset[str]:
    """Alt and title texts of the article's images, normalised for comparison."""
    out = set()
    for img in root.iter("img"):
        for attribute in ("alt", "title"):
            value = normalise_words(img.get(attribute) or "")
            if value:
                out.add(value)
    return frozenset(out)


def line_spans(text: str, alt_texts: frozenset[str] = frozenset()) -> list[Span]:
    """Spans of whole lines that are not prose by their shape."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        role = line_role(stripped)
        if role is None and alt_texts and len(stripped) <= ALT_LINE_MAX_CHARS \
                and normalise_words(stripped) in alt_texts:
            role = "caption"
        if role is not None:
            spans.append((start, end, role))
    return spans


# ---------------------------------------------------------------- helpers
def _merge(spans: list[Span]) -> list[Span]:
    """Sorted, without overlaps: a span inside an earlier one goes; overlapping ones are
    joined under the first one's role (an element's role beats a line's)."""
    out: list[Span] = []
    for start, end, role in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end, out[-1][2])
            continue
        out.append((start, end, role))
    return out


def covers(spans: list[Span], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps a non-prose span (spans sorted, as returned)."""
    i = bisect_right([s[0] for s in spans], start) - 1
    for s in spans[max(i, 0):]:
        if s[0] >= end:
            return False
        if s[1] > start:
            return True
    return False
