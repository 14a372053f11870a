"""Last stage: the article tree becomes safe HTML (nh3 allowlist) and, on request, Markdown.
(:mod:`sourcelight.marks` writes the annotation marks into that HTML.)

readability-lxml's own cleaner is not a sanitiser; everything that leaves the service passes
through the single nh3 cleaner built here at import time.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3
from lxml.html import HtmlElement

from .errors import AnswerTooLarge
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


def passes_cleaner(markup: str) -> bool:
    """Does the cleaner leave the HTML fragment ``markup`` exactly as it is?"""
    return _CLEANER.clean(markup) == markup


def strip_page_marks(body: HtmlElement) -> None:
    """Take our annotation attributes off the page's own ``<mark>`` elements.

    The allowlist lets ``class="sl-…"`` and ``data-attr``/``data-entity`` through for the marks
    :func:`~sourcelight.marks.mark_spans` adds later; a page must not be able to fake those annotations (a
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
