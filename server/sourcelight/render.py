"""Last stage: the article tree becomes safe HTML (nh3 allowlist) and, on request, Markdown.

readability-lxml's own cleaner is not a sanitiser; everything that leaves the service passes
through the single nh3 cleaner built here at import time.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

import lxml.html
import nh3
from lxml.html import HtmlElement

from .extract.text import parse_fragment, text_with_offsets
from .model import Article

ARTICLE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Removed with everything inside them: their content is never article text. (<math> is not
# allowed either, but its text is the formula, so only the tags go.)
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg",
    "form", "button", "select", "textarea", "input", "canvas", "audio", "video", "frameset",
    "frame", "noframes", "head", "title", "meta", "link", "base", "dialog", "applet", "param",
})
ARTICLE_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "mark": {"data-attr", "data-entity"},
}
# The annotation marks are the only classes that survive (issue 3 adds them).
MARK_CLASSES = {"mark": {"sl-source", "sl-cue", "sl-content"}}
URL_SCHEMES = {"http", "https", "mailto"}
LAZY_IMAGE_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url",
                         "data-hi-res-src", "data-lazy")

_CLEANER = nh3.Cleaner(
    tags=set(ARTICLE_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ARTICLE_ATTRIBUTES.items()},
    allowed_classes={tag: set(classes) for tag, classes in MARK_CLASSES.items()},
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel="noopener noreferrer",
)


def sanitize_article_html(body: HtmlElement, base_url: str | None) -> str:
    """Serialise the article tree to allowlisted HTML with absolute links and images."""
    restore_lazy_images(body)
    flatten_math(body)
    if base_url and urlsplit(base_url).scheme in ("http", "https"):
        body.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    markup = lxml.html.tostring(body, encoding="unicode", method="html")
    return sanitize_html(markup)


def sanitize_html(markup: str) -> str:
    """Run the one allowlist cleaner over an HTML fragment."""
    return _CLEANER.clean(markup).strip()


def flatten_math(body: HtmlElement) -> None:
    """Replace MathML with its plain text: the sanitiser drops foreign content whole, and a
    formula's symbols are part of the sentence that contains it."""
    for math in list(body.iter("math")):
        text = " ".join(t.strip() for t in math.itertext() if t.strip())
        span = lxml.html.Element("span")
        span.text = text
        span.tail = math.tail
        math.getparent().replace(math, span)


def restore_lazy_images(body: HtmlElement) -> None:
    """Give lazy-loaded images their real ``src`` (pages park it in a data attribute)."""
    for img in body.iter("img"):
        src = img.get("src", "")
        if src and not src.startswith("data:"):
            continue
        for attribute in LAZY_IMAGE_ATTRIBUTES:
            candidate = img.get(attribute)
            if candidate and not candidate.startswith("data:"):
                img.set("src", candidate.strip())
                break
        else:
            srcset = img.get("data-srcset") or img.get("srcset")
            if srcset:
                first = srcset.split(",")[0].strip().split(" ")[0]
                if first and not first.startswith("data:"):
                    img.set("src", first)


# ---------------------------------------------------------------- marks
# One annotation mark: (start, end) in article.text, its class (sl-source, sl-cue, sl-content)
# and its attributes (data-attr, data-entity).
Mark = tuple[int, int, str, Mapping[str, str]]
# An HTML parser moves a <mark> found directly inside table structure out of the table (nh3's
# does), taking its text along; their text is layout whitespace, so it is never wrapped.
_NO_MARK_PARENTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
# (start, end, index into the marks list, nested pieces): one <mark> to be, in raw offsets.
_Piece = tuple[int, int, int, list]


def mark_spans(article_html: str, marks: Sequence[Mark]) -> str:
    """Wrap spans of the article text in ``<mark class=… data-attr=… data-entity=…>`` elements.

    ``article_html`` is the sanitised article and each span is in offsets of its text (what
    :func:`~sourcelight.extract.text.tree_to_text` reads from it). A span is wrapped text node
    by text node, so one crossing a link or an emphasis (``said the <a>Wall Street</a>
    Journal``) becomes several ``<mark>`` pieces with the same attributes, and one crossing a
    block is split per block; the page's own elements are never moved. Overlapping spans nest
    (a source inside another attribution's content), split where they cross, so the result is
    well-formed. The text reads exactly as before, and the result has passed the sanitiser.
    """
    if not marks:
        return article_html
    root = parse_fragment(article_html)
    text, text_map = text_with_offsets(root)
    by_node: dict[tuple[HtmlElement, str], list[tuple[int, int, int]]] = {}
    for index, (start, end, _, _) in enumerate(marks):
        for element, where, lo, hi in text_map.node_ranges(max(start, 0), min(end, len(text))):
            by_node.setdefault((element, where), []).append((lo, hi, index))
    for (element, where), ranges in by_node.items():
        _wrap_text_node(element, where, ranges, marks)
    # The one cleaner has the last word on everything that leaves the service.
    return sanitize_html(_inner_html(root))


def _wrap_text_node(element: HtmlElement, where: str, ranges: list[tuple[int, int, int]],
                    marks: Sequence[Mark]) -> None:
    """Split ``element.text`` or ``element.tail`` into plain text and nested marks."""
    raw = element.text if where == "text" else element.tail
    container = element if where == "text" else element.getparent()
    if not raw or container is None or container.tag in _NO_MARK_PARENTS:
        return
    lead, pieces = _build_marks(raw, 0, len(raw), _nest(ranges), marks, element.makeelement)
    if where == "text":
        element.text = lead
        for i, mark in enumerate(pieces):
            element.insert(i, mark)
    else:
        element.tail = lead
        at = container.index(element) + 1
        for i, mark in enumerate(pieces):
            container.insert(at + i, mark)


def _nest(ranges: list[tuple[int, int, int]]) -> list[_Piece]:
    """Ranges of one string as a forest of well-nested pieces.

    Ranges that start together nest longest outside (equal ones in list order); a range that
    runs past the end of the one enclosing it is cut there and its rest placed after it.
    """
    queue = [(lo, -hi, index) for lo, hi, index in ranges if lo < hi]
    heapq.heapify(queue)
    roots: list[_Piece] = []
    open_pieces: list[tuple[int, list[_Piece]]] = []  # (end, children) of enclosing pieces
    while queue:
        lo, neg_hi, index = heapq.heappop(queue)
        hi = -neg_hi
        while open_pieces and open_pieces[-1][0] <= lo:
            open_pieces.pop()
        if open_pieces and hi > open_pieces[-1][0]:
            heapq.heappush(queue, (open_pieces[-1][0], neg_hi, index))
            hi = open_pieces[-1][0]
        piece: _Piece = (lo, hi, index, [])
        (open_pieces[-1][1] if open_pieces else roots).append(piece)
        open_pieces.append((hi, piece[3]))
    return roots


def _build_marks(raw: str, start: int, end: int, pieces: list[_Piece], marks: Sequence[Mark],
                 make: Callable[..., HtmlElement]) -> tuple[str | None, list[HtmlElement]]:
    """``raw[start:end]`` as leading text and ``<mark>`` elements (each with its tail)."""
    lead = raw[start:pieces[0][0]] if pieces else raw[start:end]
    elements = []
    for i, (lo, hi, index, children) in enumerate(pieces):
        mark = make("mark", _mark_attributes(marks[index]))
        mark.text, inner = _build_marks(raw, lo, hi, children, marks, make)
        mark.extend(inner)
        mark.tail = raw[hi:pieces[i + 1][0] if i + 1 < len(pieces) else end] or None
        elements.append(mark)
    return lead or None, elements


def _mark_attributes(mark: Mark) -> dict[str, str]:
    attributes = {"class": mark[2]}
    attributes.update((name, value) for name, value in mark[3].items() if name != "class")
    return attributes


def _inner_html(root: HtmlElement) -> str:
    """The markup inside ``parse_fragment``'s wrapping ``<div>``."""
    markup = lxml.html.tostring(root, encoding="unicode", method="html")
    return markup[len("<div>"):-len("</div>")]


# ---------------------------------------------------------------- Markdown
def article_to_markdown(article: Article) -> str:
    """The article as Markdown with YAML front matter (title, url, byline, published, …)."""
    front = {
        "title": article.title, "url": article.url, "byline": article.byline,
        "published": article.published, "site_name": article.site_name, "lang": article.lang,
    }
    # JSON strings are valid YAML scalars, and escape whatever a title throws at us.
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}"
                       for key, value in front.items() if value is not None] + ["---", ""]
    if article.title:
        lines += [f"# {article.title}", ""]
    body = html_to_markdown(article.html)
    return "\n".join(lines) + "\n" + body + ("" if body.endswith("\n") else "\n")


def html_to_markdown(markup: str) -> str:
    """Convert sanitised article HTML (our allowlist only) to CommonMark."""
    if not markup.strip():
        return ""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    blocks = _MarkdownWriter().blocks(root)
    return "\n\n".join(b for b in blocks if b.strip()) + "\n"


class _MarkdownWriter:
    """A small converter for the allowlisted tags; anything else keeps only its text."""

    BLOCKS = {"p", "div", "section", "figure", "figcaption", "blockquote", "ul", "ol", "pre",
              "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "details", "summary"}

    def blocks(self, element: HtmlElement) -> list[str]:
        out: list[str] = []
        inline: list[str] = [_escape(element.text or "")]
        for child in element:
            if isinstance(child.tag, str) and child.tag in self.BLOCKS:
                out.append(_collapse("".join(inline)))
                inline = []
                out.extend(self.block(child))
            else:
                inline.append(self.inline(child))
            inline.append(_escape(child.tail or ""))
        out.append(_collapse("".join(inline)))
        return [b for b in out if b.strip()]

    def block(self, el: HtmlElement) -> list[str]:
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return ["#" * int(tag[1]) + " " + self.inline_text(el)]
        if tag == "hr":
            return ["---"]
        if tag == "pre":
            return ["```\n" + el.text_content().strip("\n") + "\n```"]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(el))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))]
        if tag in ("ul", "ol"):
            return [self.list_block(el)]
        if tag == "table":
            return [self.table(el)]
        if tag == "figcaption":
            text = self.inline_text(el)
            return [f"*{text}*"] if text else []
        return self.blocks(el)

    def list_block(self, el: HtmlElement, depth: int = 0) -> str:
        lines = []
        start = int(el.get("start", "1")) if (el.get("start") or "").isdigit() else 1
        for n, li in enumerate(x for x in el if x.tag == "li"):
            marker = f"{start + n}." if el.tag == "ol" else "-"
            nested = [c for c in li if c.tag in ("ul", "ol")]
            text = self.inline_text(li, skip=("ul", "ol"))
            lines.append("  " * depth + f"{marker} {text}")
            for c in nested:
                lines.append(self.list_block(c, depth + 1))
        return "\n".join(lines)

    def table(self, el: HtmlElement) -> str:
        rows = [[self.inline_text(cell).replace("|", "\\|") for cell in tr
                 if cell.tag in ("td", "th")] for tr in el.iter("tr")]
        rows = [r for r in rows if r]
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def inline_text(self, el: HtmlElement, skip: tuple[str, ...] = ()) -> str:
        parts = [_escape(el.text or "")]
        for child in el:
            if child.tag not in skip:
                parts.append(self.inline(child))
            parts.append(_escape(child.tail or ""))
        return _collapse("".join(parts))

    def inline(self, el: HtmlElement) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            return _HARD_BREAK
        if tag == "img":
            src = el.get("src")
            return f"![{_escape(el.get('alt') or '')}]({src})" if src else ""
        text = self.inline_text(el) if tag not in self.BLOCKS else " ".join(self.blocks(el))
        if not text:
            return ""
        if tag == "a" and el.get("href"):
            return f"[{text}]({el.get('href')})"
        if tag in ("strong", "b"):
            return f"**{text}**"
        if tag in ("em", "i", "cite"):
            return f"*{text}*"
        if tag == "code":
            return f"`{text}`"
        return text


# A <br> survives whitespace collapsing as this marker, then becomes Markdown's hard break.
_HARD_BREAK = "\x00"


def _collapse(text: str) -> str:
    """Collapse whitespace as a browser does, keeping <br> line breaks."""
    return "  \n".join(" ".join(part.split()) for part in text.split(_HARD_BREAK))


def _escape(text: str) -> str:
    """Escape the characters that would turn plain text into Markdown syntax."""
    for ch in ("\\", "*", "_", "`", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text
