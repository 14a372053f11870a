"""Last stage: the article tree becomes safe HTML (nh3 allowlist) and, on request, Markdown.

readability-lxml's own cleaner is not a sanitiser; everything that leaves the service passes
through the single nh3 cleaner built here at import time.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Mapping, Sequence
from itertools import accumulate
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3
from lxml.html import HtmlElement

from .errors import AnswerTooLarge
from .extract.text import TextMap, parse_fragment, text_with_offsets
from .model import Article
from .settings import Settings

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

# The URL attributes the cleaner keeps (on these tags), hence the only ones resolved.
_RESOLVED_TAGS = frozenset({"a", "img", "q", "blockquote"})
_RESOLVED_ATTRIBUTES = ("href", "src", "cite")

# nh3 (ammonia) holds href and src to URL_SCHEMES itself but lets other URL attributes through
# as they are: `<q cite="javascript:…">` would survive. These are checked by _filter_attribute.
URL_ATTRIBUTES_NH3_SKIPS = frozenset({"cite"})
# What a browser ignores around and inside a URL before it reads the scheme (WHATWG URL):
# C0 controls and space at either end, tab and line breaks anywhere.
_URL_TRIM = "".join(map(chr, range(0x21)))
_URL_STRIPPED = re.compile(r"[\t\n\r]")
_URL_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read in ``url`` (lower case), or None for a relative URL."""
    match = _URL_SCHEME.match(_URL_STRIPPED.sub("", url.strip(_URL_TRIM)))
    return match.group(1).lower() if match else None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's last word on each allowed attribute: URL attributes it does not check itself
    must be relative or use an allowed scheme, or they go."""
    if attribute in URL_ATTRIBUTES_NH3_SKIPS:
        scheme = url_scheme(value)
        if scheme is not None and scheme not in URL_SCHEMES:
            return None
    return value


# Built once, at import (start-up): the only sanitiser, with the last word on all output.
_CLEANER = nh3.Cleaner(
    tags=set(ARTICLE_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ARTICLE_ATTRIBUTES.items()},
    allowed_classes={tag: set(classes) for tag, classes in MARK_CLASSES.items()},
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel="noopener noreferrer",
    attribute_filter=_filter_attribute,
)


def sanitize_article_html(body: HtmlElement, base_url: str | None,
                          settings: Settings | None = None, notes: list[str] | None = None,
                          page_chars: int | None = None) -> str:
    """Serialise the article tree to allowlisted HTML with absolute links and images.

    Resolving is bounded (see :func:`resolve_links`): ``page_chars``, the size of the page the
    tree came from, sets how much resolving may add.
    """
    settings = settings or Settings()
    restore_lazy_images(body)
    flatten_math(body)
    strip_page_marks(body)
    budget = settings.answer_limit(page_chars) if page_chars is not None else None
    resolve_links(body, base_url, settings, notes if notes is not None else [], budget)
    markup = lxml.html.tostring(body, encoding="unicode", method="html")
    return sanitize_html(markup)


def resolve_links(body: HtmlElement, base_url: str | None, settings: Settings,
                  notes: list[str], budget: int | None = None) -> None:
    """Make every ``href``/``src``/``cite`` absolute against ``base_url``, within bounds.

    A page controls its own address (``history.replaceState``) and its ``<base href>``, and
    every relative link repeats them: 20,000 ``<a href=a>`` against an 8,000-character address
    made 0.3 MB of page into 322 MB of answer. So a base address over
    ``settings.max_base_url_chars`` is not used (relative links lose their address, their
    text stays, note ``render:base-url-too-long``); an address over
    ``settings.max_link_chars`` after resolving goes (note ``render:dropped-long-links``);
    and once resolving has added more than ``budget`` characters the page is refused with
    :class:`AnswerTooLarge`. Only these three attributes survive the cleaner, so only they
    are resolved.
    """
    if not base_url or urlsplit(base_url).scheme not in ("http", "https"):
        base_url = None
    base_too_long = base_url is not None and len(base_url) > settings.max_base_url_chars
    if base_too_long:
        base_url = None
    added = 0
    dropped: set[str] = set()
    for element in body.iter(tuple(_RESOLVED_TAGS)):
        for attribute in _RESOLVED_ATTRIBUTES:
            value = element.get(attribute)
            if value is None:
                continue
            value = value.strip()
            if url_scheme(value) is not None or (base_url is None and not base_too_long):
                resolved = value
            elif base_too_long:
                resolved, reason = None, "render:base-url-too-long"
            else:
                resolved, reason = _join(base_url, value), "render:dropped-long-links"
            if resolved is not None and len(resolved) > settings.max_link_chars:
                resolved, reason = None, "render:dropped-long-links"
            if resolved is None:
                del element.attrib[attribute]
                dropped.add(reason)
                continue
            element.set(attribute, resolved)
            added += max(0, len(resolved) - len(value))
            if budget is not None and added > budget:
                raise AnswerTooLarge(answer_too_large_message(budget))
    notes.extend(sorted(dropped))


def _join(base_url: str, value: str) -> str | None:
    """``value`` resolved against ``base_url``; None when it cannot be parsed (an unclosed
    IPv6 bracket, say), as lxml's ``handle_failures="discard"`` did."""
    try:
        return urljoin(base_url, value)
    except ValueError:
        return None


def answer_too_large_message(limit: int) -> str:
    """The 422 message for a page whose answer would pass ``limit`` bytes."""
    return (f"This page's answer would be larger than {limit} bytes, many times the page "
            "itself (usually thousands of links repeating a very long page address). Open the "
            "article from a shorter address, or raise max_answer_ratio in the settings.")


def sanitize_html(markup: str) -> str:
    """Run the one allowlist cleaner over an HTML fragment."""
    return _CLEANER.clean(markup).strip()


def strip_page_marks(body: HtmlElement) -> None:
    """Take our annotation attributes off the page's own ``<mark>`` elements.

    The allowlist lets ``class="sl-…"`` and ``data-attr``/``data-entity`` through for the marks
    :func:`mark_spans` adds later; a page must not be able to fake those annotations (a
    highlight the overlay would show as a source or a quote it never found).
    """
    for mark in body.iter("mark"):
        for attribute in ("class", *ARTICLE_ATTRIBUTES["mark"]):
            mark.attrib.pop(attribute, None)


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
    pieces = "".join([*marked[0].values(), *marked[1].values()])
    return _CLEANER.clean(pieces) == pieces


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
    if "&" in text or "<" in text or ">" in text:  # rare: skip three copies of every string
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")


# ---------------------------------------------------------------- Markdown
def article_to_markdown(article: Article) -> str:
    """The article as Markdown with YAML front matter (title, url, byline, published, …)."""
    front = {
        "title": article.title, "url": article.url, "byline": article.byline,
        "published": article.published, "site_name": article.site_name, "lang": article.lang,
    }
    # JSON strings are valid YAML scalars; the characters YAML may not hold raw are escaped.
    lines = ["---"] + [f"{key}: {yaml_string(value)}"
                       for key, value in front.items() if value is not None] + ["---", ""]
    if article.title:
        lines += [f"# {_escape(' '.join(article.title.split()))}", ""]
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
                out.append(_escape_line_starts(_collapse("".join(inline))))
                inline = []
                out.extend(self.block(child))
            else:
                inline.append(self.inline(child))
            inline.append(_escape(child.tail or ""))
        out.append(_escape_line_starts(_collapse("".join(inline))))
        return [b for b in out if b.strip()]

    def block(self, el: HtmlElement) -> list[str]:
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return ["#" * int(tag[1]) + " " + self.inline_text(el)]
        if tag == "hr":
            return ["---"]
        if tag == "pre":
            code = el.text_content().strip("\n")
            # A fence longer than any run of backticks inside, so the code cannot close it.
            fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", code)), default=0))
            return [f"{fence}\n{code}\n{fence}"]
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
        return _escape_line_starts(_collapse("".join(parts)))

    def inline(self, el: HtmlElement) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            return _HARD_BREAK
        if tag == "img":
            src = el.get("src")
            return f"![{_escape(el.get('alt') or '')}]({_markdown_url(src)})" if src else ""
        text = self.inline_text(el) if tag not in self.BLOCKS else " ".join(self.blocks(el))
        # Spaces at the edges of an element separate words: they stay, outside the markers
        # ("hub.<em> </em>But" must not become "hub.But").
        raw = el.text_content()
        lead = " " if raw[:1].isspace() else ""
        trail = " " if raw[-1:].isspace() else ""
        if not text:
            return " " if raw and raw.isspace() else ""
        if tag == "a" and el.get("href"):
            return f"{lead}[{text}]({_markdown_url(el.get('href'))}){trail}"
        if tag in ("strong", "b"):
            return f"{lead}**{text}**{trail}"
        if tag in ("em", "i", "cite"):
            return f"{lead}*{text}*{trail}"
        if tag == "code":
            return f"{lead}`{text}`{trail}"
        return f"{lead}{text}{trail}"


# A <br> survives whitespace collapsing as this marker, then becomes Markdown's hard break.
_HARD_BREAK = "\x00"


def _collapse(text: str) -> str:
    """Collapse whitespace as a browser does, keeping <br> line breaks."""
    return "  \n".join(" ".join(part.split()) for part in text.split(_HARD_BREAK))


def _escape(text: str) -> str:
    """Escape the characters that would turn plain text into Markdown syntax or raw HTML.

    ``<`` and ``>`` (else ``&lt;script&gt;`` in the article's text becomes a live ``<script>``
    and ``<javascript:…>`` an autolink), ``&`` (else ``&lt;`` becomes ``<``), emphasis, code
    and link brackets.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


# Characters that are Markdown (or HTML) syntax anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"[\\*_`\[\]<>&]")
# What makes a line a heading, quote, list item, thematic break, fence or table row when it
# starts one (after up to three spaces): the first character is escaped.
_LINE_START_SYNTAX = re.compile(r"^( {0,3})(?:([#>+=|~-])|(\d{1,9})([.)])(?=[ \t]|$))",
                                re.MULTILINE)
# Characters YAML may not hold raw in a double-quoted scalar (C0 and C1 controls, DEL,
# U+FFFE/U+FFFF and lone surrogates); JSON escapes only C0, and YAML reads \\uXXXX too.
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _markdown_url(url: str) -> str:
    """A link destination that cannot end early or carry markup: the characters that would
    close it or open HTML (``( ) < >``, spaces, backslashes, controls) percent-encoded."""
    return _MARKDOWN_URL_UNSAFE.sub(lambda m: "".join(f"%{byte:02X}" for byte in
                                                      m.group().encode("utf-8")), url)


_MARKDOWN_URL_UNSAFE = re.compile(r"[\s()<>\\\x00-\x1f\x7f]")


def yaml_string(value: object) -> str:
    """``value`` as a YAML double-quoted scalar that every YAML parser accepts."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape_line_starts(block: str) -> str:
    """Escape what would make a line of plain text a Markdown block (``# ``, ``> ``, ``- ``,
    ``1. ``, ``===``, fences, table pipes)."""
    def escaped(match: re.Match) -> str:
        if match.group(2):
            return match.group(1) + "\\" + match.group(2)
        return match.group(1) + match.group(3) + "\\" + match.group(4)  # "1\\. " is no list

    return _LINE_START_SYNTAX.sub(escaped, block)
