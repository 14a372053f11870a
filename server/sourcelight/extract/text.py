"""Stage: article HTML to plain text with paragraph breaks, and word counts.

Blocks are separated by a blank line, ``<br>`` by a line break, and whitespace inside a block
collapses to single spaces — so the text reads as the article does and offsets into it are stable.
One walk builds the text and, beside it, the map from its characters back to the DOM text nodes
(:func:`text_with_offsets`), so the text and the map can never disagree.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import lxml.html
from lxml.html import HtmlElement

from .parsers import parse_fragment as parse_html_fragment

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
# Scripts written without spaces between words: each character reads as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_CJK_RE = re.compile(rf"[{_CJK}]")
_PLAIN_WORD_RE = re.compile(r"\w+")
# A first "paragraph" shorter than this is a label or a kicker, not the story's lead.
LEAD_MIN_CHARS = 20
_LIST_NUMBER_RE = re.compile(r"^-?\d+\.$")


def html_to_text(markup: str) -> str:
    """Plain text of an article HTML fragment, paragraphs separated by blank lines."""
    if not markup or not markup.strip():
        return ""
    return tree_to_text(parse_fragment(markup))


def parse_fragment(markup: str) -> HtmlElement:
    """Parse an article HTML fragment under one wrapping ``<div>``."""
    return parse_html_fragment(markup or "")


def lead_paragraph(root: HtmlElement) -> str:
    """Text of the story's first paragraph, skipping figure captions and headings.

    Datelines ("TOKYO, Nov 27 (Reuters) –") are looked for here, not in a photo caption.
    """
    for p in root.iter("p", "div"):
        if next(p.iterancestors("figure", "figcaption", "blockquote", "table"), None) is not None:
            continue
        if p.tag == "div" and any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS
                                  for d in p.iterdescendants()):
            continue
        text = " ".join(p.text_content().split())
        if len(text) >= LEAD_MIN_CHARS:
            return text
    return ""


def tree_to_text(root: HtmlElement) -> str:
    """Plain text of an element tree, paragraphs separated by blank lines."""
    return text_with_offsets(root)[0]


def text_with_offsets(root: HtmlElement) -> tuple[str, TextMap]:
    """Plain text of an element tree (exactly :func:`tree_to_text`'s) and the map from its
    characters back to the DOM text nodes they came from.

    Attribution spans are offsets into this text; the map is how marks and link spans find
    their way back into the article HTML. Characters the text adds itself (paragraph and line
    breaks, list numbers, the space between table cells) map to nothing.
    """
    collapser = _Collapser()
    _walk(root, collapser)
    text = "".join(collapser.out)
    return text, TextMap(root, text, collapser.runs)


# A stretch of one text node in the text: (text start, text end, element, "text" | "tail",
# raw start). Inside a run, text offsets and offsets into the node's raw string move together.
Run = tuple[int, int, HtmlElement, str, int]
# Where one character came from: (element, "text" | "tail", index in that node's raw string).
Origin = tuple[HtmlElement, str, int]
# A text node's share of a span: (element, "text" | "tail", raw start, raw end).
NodeRange = tuple[HtmlElement, str, int, int]


class TextMap:
    """Offsets in the text of :func:`text_with_offsets` to places in the tree it was read from.

    Kept as runs (about one per text node, more only where whitespace collapsed inside one)
    rather than one entry per character, so building it costs next to nothing beyond the text.
    A collapsed whitespace run maps to its first character.
    """

    def __init__(self, root: HtmlElement, text: str, runs: list[Run]) -> None:
        self.root = root  # the tree the map points into: its elements are the map's keys
        self.text = text
        self.runs = runs
        self._starts = [run[0] for run in runs]
        self._by_node: dict[tuple[HtmlElement, str], tuple[int, int]] | None = None

    def origin(self, offset: int) -> Origin | None:
        """Where the text's character at ``offset`` came from; ``None`` for added ones."""
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        start, end, element, where, raw = self.runs[i]
        return (element, where, raw + offset - start) if offset < end else None

    def node_ranges(self, start: int, end: int) -> list[NodeRange]:
        """The text nodes behind ``text[start:end]`` in document order, one range per node.

        A node's range runs from its first to its last character in the span, so whitespace
        collapsed between them lies inside it: wrapping the range keeps the text intact.
        """
        out: list[NodeRange] = []
        runs = self.runs
        i = max(bisect_right(self._starts, start) - 1, 0)
        while i < len(runs) and runs[i][0] < end:
            run_start, run_end, element, where, raw = runs[i]
            i += 1
            lo, hi = max(start, run_start), min(end, run_end)
            if lo >= hi:
                continue
            if out and out[-1][0] is element and out[-1][1] == where:
                out[-1] = (element, where, out[-1][2], raw + hi - run_start)
            else:
                out.append((element, where, raw + lo - run_start, raw + hi - run_start))
        return out

    def node_span(self, element: HtmlElement, where: str) -> tuple[int, int] | None:
        """The stretch of text that ``element.text`` (``where="text"``) or ``element.tail``
        became, or ``None`` when none of it is in the text."""
        if self._by_node is None:
            by_node: dict[tuple[HtmlElement, str], tuple[int, int]] = {}
            for start, end, element_, where_, _ in self.runs:
                first = by_node.get((element_, where_))
                by_node[(element_, where_)] = (first[0] if first else start, end)
            self._by_node = by_node
        return self._by_node.get((element, where))

    def element_span(self, element: HtmlElement) -> tuple[int, int] | None:
        """The stretch of text read from inside ``element`` (its text and its descendants',
        not its own tail), or ``None`` when it holds none."""
        spans = [self.node_span(element, "text")]
        for descendant in element.iterdescendants():
            spans.append(self.node_span(descendant, "text"))
            spans.append(self.node_span(descendant, "tail"))
        found = [span for span in spans if span]
        if not found:
            return None
        return min(start for start, _ in found), max(end for _, end in found)


def _walk(el: HtmlElement, out: _Collapser) -> None:
    # (Text nodes are tested before they are fed: most elements have no tail, many no text.)
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in SKIP_TAGS:
        if el.tail:
            out.feed(el.tail, el, "tail")
        return
    if tag == "br":
        out.line_break()
        if el.tail:
            out.feed(el.tail, el, "tail")
        return
    if tag == "pre":
        # Code and verse keep their lines; each line's spacing is still collapsed.
        out.block_break()
        _walk_preformatted(el, out)
        out.block_break()
        out.feed(el.tail, el, "tail")
        return
    block = tag in BLOCK_TAGS
    if block:
        out.block_break()
    if tag == "li" and (number := _ordered_position(el)):
        out.feed(f"{number}. ", None, "")
    if tag and el.text:
        out.feed(el.text, el, "text")
    for child in el:
        _walk(child, out)
    if block:
        out.block_break()
    elif tag in ("td", "th"):
        out.space(None, "", 0)
    if el.tail:
        out.feed(el.tail, el, "tail")


def _walk_preformatted(el: HtmlElement, out: _Collapser) -> None:
    """Every text node inside a ``<pre>`` in document order — what ``text_content()`` reads:
    script text included, comments not — its newlines and ``<br>``s kept as line breaks
    (highlighters write each line of code, "EMSCRIPTEN_KEEPALIVE<br>int add", with ``<br>``)."""
    if isinstance(el.tag, str):
        out.feed(el.text, el, "text", preformatted=True)
    for child in el:
        if child.tag == "br":
            out.line_break()
        _walk_preformatted(child, out)
        out.feed(child.tail, child, "tail", preformatted=True)


# A phrase is words joined by single spaces: it maps one to one onto the raw string, so a
# typical text node is one regex match and one run. Any other whitespace run collapses to one
# space (or goes); NUL and, in <pre>, a newline break the line.
# Groups: 1 a phrase, 2 a line break, 3 whitespace.
_TOKEN_RE = re.compile(r"([^\s\x00]+(?: [^\s\x00]+)*)|(\x00)|(\s+)")
_PRE_TOKEN_RE = re.compile(r"([^\s\x00]+(?: [^\s\x00]+)*)|([\x00\n])|([^\S\n]+)")
_PHRASE, _LINE_BREAK = 1, 2
_NOWHERE = (None, "", 0)  # the origin of characters the text adds itself


class _Collapser:
    """Builds the text from the walk's pieces as a reader sees it, recording where each kept
    character came from.

    Blocks are separated by a blank line and lines by a line break; whitespace inside a line
    collapses to one space and goes at its ends; empty lines and blocks go; a block that is
    only a list number ("3.") is joined to the block after it.
    """

    __slots__ = ("out", "pos", "runs", "_line", "_block", "_gap", "_gap_origin", "_block_first")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pos = 0
        self.runs: list[Run] = []
        self._line = False  # the current line has text
        self._block = False  # the current block has text
        self._gap = False  # whitespace since the line's last text: a space if text follows
        self._gap_origin: tuple[HtmlElement | None, str, int] = _NOWHERE
        self._block_first = 0  # index in ``out`` where the last block with text begins

    def feed(self, raw: str | None, element: HtmlElement | None, where: str,
             preformatted: bool = False) -> None:
        """Add a text node's raw string (``element`` is ``None`` for text the walk adds)."""
        if not raw:
            return
        if not preformatted and raw.isspace():
            # Whitespace alone (between blocks, mostly): the one match the loop would find.
            if self._line and not self._gap:
                self._gap = True
                self._gap_origin = (element, where, 0)
            return
        phrase = self.phrase
        for match in (_PRE_TOKEN_RE if preformatted else _TOKEN_RE).finditer(raw):
            kind = match.lastindex
            if kind == _PHRASE:
                phrase(match.group(), element, where, match.start())
            elif kind == _LINE_BREAK:
                self._line = self._gap = False  # line_break(), inlined: text nodes are many
            elif self._line and not self._gap:  # space(), inlined
                self._gap = True
                self._gap_origin = (element, where, match.start())

    def space(self, element: HtmlElement | None, where: str, index: int) -> None:
        """Whitespace: it becomes one space only if the line goes on after it."""
        if self._line and not self._gap:
            self._gap = True
            self._gap_origin = (element, where, index)

    def phrase(self, token: str, element: HtmlElement | None, where: str, index: int) -> None:
        """Visible text: no whitespace at its ends, single spaces inside."""
        if self._line:
            if self._gap:
                self._emit(" ", *self._gap_origin)
        elif self._block:
            self._emit("\n", *_NOWHERE)
        elif self.pos:
            if _LIST_NUMBER_RE.match("".join(self.out[self._block_first:])):
                # "<li><p>Useful: …</p></li>": the item's number belongs before its first block.
                self._emit(" ", *_NOWHERE)
            else:
                self._emit("\n\n", *_NOWHERE)
                self._block_first = len(self.out)
        self._emit(token, element, where, index)
        self._line = self._block = True
        self._gap = False

    def line_break(self) -> None:
        """A ``<br>`` (or a newline in ``<pre>``): the next text starts a new line."""
        self._line = self._gap = False

    def block_break(self) -> None:
        """A block's edge: the next text starts a new block."""
        self._line = self._block = self._gap = False

    def _emit(self, piece: str, element: HtmlElement | None, where: str, index: int) -> None:
        start = self.pos
        self.out.append(piece)
        self.pos = end = start + len(piece)
        if element is None:
            return
        runs = self.runs
        if runs:
            # Extend the last run when this piece continues it in the same raw string.
            last_start, last_end, last_element, last_where, last_raw = runs[-1]
            if (last_end == start and last_element is element and last_where == where
                    and last_raw + start - last_start == index):
                runs[-1] = (last_start, end, element, where, last_raw)
                return
        runs.append((start, end, element, where, index))


def _ordered_position(li: HtmlElement) -> int:
    """The number a reader sees before an item of an ordered list (0 for other items)."""
    parent = li.getparent()
    if parent is None or parent.tag != "ol":
        return 0
    start = parent.get("start", "1")
    first = int(start) if start.strip().lstrip("-").isdigit() else 1
    return first + sum(1 for sibling in li.itersiblings("li", preceding=True))


def count_words(text: str) -> int:
    """Words in the text; in Chinese and Japanese each character counts as one."""
    if not _CJK_RE.search(text):
        return len(_PLAIN_WORD_RE.findall(text))  # the same words, matched faster
    return len(_WORD_RE.findall(text))
