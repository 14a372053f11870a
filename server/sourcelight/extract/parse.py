"""Stage 2: Unicode text in, an lxml HTML tree out (markup repaired by libxml2's HTML parser).

libxml2 loses text silently in two ways, and this stage makes sure neither happens unseen:

* by default it stops at 256 levels of nesting and drops a page holding a text node over
  10 MB whole; the page parser runs with ``huge_tree`` so that neither applies, and our own
  limits (``max_depth``, ``max_text_node_chars``) decide instead;
* even with ``huge_tree`` it stops reading at :data:`PARSER_MAX_DEPTH` levels and drops the rest
  of the page; a tree that reaches that depth is refused, never used half-read.

Past ``max_depth`` the page is flattened (text kept, tags dropped, a note recorded), so the
later stages, whose own parsers keep the 256-level cut, never meet a deeper tree.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from ..errors import NotHtml, TooComplex
from ..settings import Settings
from .boilerplate import is_hidden
from .parsers import PAGE_PARSER, PAGE_UTF8_PARSER
from .text import BLOCK_TAGS

# libxml2's own nesting limit with huge_tree: at this depth it stops reading the page (the
# text after the deep part is lost as well), so a tree this deep is incomplete.
PARSER_MAX_DEPTH = 2048
# The later stages re-parse the article without huge_tree, where libxml2 stops at 256 levels;
# flattening never goes deeper than this, whatever max_depth says (room for their wrappers).
LATER_PARSERS_SAFE_DEPTH = 240
# Elements whose content is never article text; they go before a deep subtree is flattened,
# or their code and hidden text would become the article's words.
_NOT_TEXT_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe",
                  "object", "embed", "select", "textarea")
# Text nodes inside these are code or styles, whatever their length (inline JSON state can
# run to megabytes on real pages).
_LONG_TEXT_XPATH = lxml.etree.XPath(
    "//text()[string-length(.) > $limit][not(parent::script or parent::style)]")
_HUGE_ATTRIBUTE_XPATH = lxml.etree.XPath("//@*[string-length(.) > $limit]")
_ELEMENT_COUNT_XPATH = lxml.etree.XPath("count(//*)")
# lxml refuses str input that carries an encoding declaration; the text is already decoded.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# "</body></html>" in the middle of a page (themes that print them before the post): a browser
# ignores them and reads on into the body (HTML's "after body" mode), libxml2 stops there and
# loses the article. Without them libxml2 closes both at the end, as a browser does.
_END_OF_PAGE_RE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def parse_page(text: str) -> HtmlElement:
    """Parse decoded page text into a document tree; ``NotHtml`` when nothing parses."""
    text = _END_OF_PAGE_RE.sub("", _XML_DECL_RE.sub("", text, count=1))
    try:
        if _four_bytes_a_character(text):
            # lxml hands a str to libxml2 as it is stored, and libxml2 converts the four-byte
            # kind (pages with emoji) through iconv: a third of the parse, far more than
            # encoding the text here. (Lone surrogates, which decode_page replaces, fail to
            # encode: ValueError.) The one- and two-byte kinds are read fastest as they are.
            doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=PAGE_UTF8_PARSER)
        else:
            doc = lxml.html.document_fromstring(text, parser=PAGE_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHtml(f"The page could not be read as HTML ({exc}).") from None
    if doc is None or not isinstance(doc.tag, str):
        raise NotHtml("The page could not be read as HTML.")
    return doc


def _four_bytes_a_character(text: str) -> bool:
    """True when the text is stored four bytes a character (PEP 393: it holds a character past
    U+FFFF), told from its size in memory; a short text may be told wrong, which only costs
    time."""
    return sys.getsizeof(text) > 3 * len(text) + 100  # (the header is under 100 bytes)


def check_complexity(doc: HtmlElement, settings: Settings,
                     page_chars: int | None = None) -> list[HtmlElement]:
    """Refuse, before any costly stage runs, a page the parser could not read whole or that is
    past the element-count or text-node limits. All three measures run in libxml2 (XPath), so
    a 200,000-element page is measured in a few milliseconds.

    Returns the elements at the flattening depth (:func:`flatten_deep_nesting` takes them):
    only a page that reaches it can reach the parser's limit, so most pages are walked once.
    ``page_chars``, the length of the text the page was parsed from, bounds every text node:
    no longer than the limit, and the text nodes need not be measured."""
    at_flattening_depth = elements_at_depth(doc, flattening_depth(settings))
    if at_flattening_depth and elements_at_depth(doc, PARSER_MAX_DEPTH):
        raise TooComplex(
            f"The page's elements are nested {PARSER_MAX_DEPTH:,} or more levels deep; the HTML "
            f"parser stops reading at {PARSER_MAX_DEPTH:,} levels, so the rest of the page "
            "would be lost. Articles are rarely nested more than 50 levels: save the article "
            "on its own (reader view or print view) and try again."
        )
    count = int(_ELEMENT_COUNT_XPATH(doc))
    if count > settings.max_elements:
        raise TooComplex(
            f"The page has {count:,} elements; the limit is {settings.max_elements:,}, too many "
            "to read quickly. Open the article on its own page (not an endless feed) and try "
            "again, or raise max_elements in the settings."
        )
    if page_chars is not None and page_chars <= settings.max_text_node_chars:
        return at_flattening_depth
    longest = longest_text_node(doc, settings.max_text_node_chars)
    if longest > settings.max_text_node_chars:
        raise TooComplex(
            f"The page holds one block of text {longest:,} characters long, with no markup in "
            f"it; the limit is {settings.max_text_node_chars:,}. This is a data dump rather "
            "than an article: open the article itself, or raise max_text_node_chars in the "
            "settings."
        )
    return at_flattening_depth


def flattening_depth(settings: Settings) -> int:
    """The depth below which :func:`flatten_deep_nesting` flattens the page."""
    return min(settings.max_depth, LATER_PARSERS_SAFE_DEPTH)


def elements_at_depth(doc: HtmlElement, depth: int) -> list[HtmlElement]:
    """The elements exactly ``depth`` levels down (the root element is level 1)."""
    return _depth_xpath(depth)(doc)


@lru_cache(maxsize=16)
def _depth_xpath(depth: int) -> lxml.etree.XPath:
    """``/*/*/…`` to ``depth`` levels, compiled once: compiling the 240 steps on every page
    took five times as long as running them."""
    return lxml.etree.XPath("/*" * depth)


def longest_text_node(doc: HtmlElement, limit: int) -> int:
    """The length of the longest text outside scripts and styles if it is over ``limit``,
    else 0."""
    return max((len(text) for text in _LONG_TEXT_XPATH(doc, limit=limit)), default=0)


def drop_huge_attributes(doc: HtmlElement, settings: Settings, notes: list[str],
                         page_chars: int | None = None) -> None:
    """Remove attribute values over ``settings.max_attribute_chars`` (data: images of several
    megabytes), with a note ``parse:dropped-huge-attributes``. Never article text, and over
    10 MB the later stages' parsers would silently cut the article at them. A page of no more
    than ``page_chars`` characters (parsing only shortens text) has none to look for."""
    if page_chars is not None and page_chars <= settings.max_attribute_chars:
        return
    huge = _HUGE_ATTRIBUTE_XPATH(doc, limit=settings.max_attribute_chars)
    for value in huge:
        del value.getparent().attrib[value.attrname]
    if huge:
        notes.append("parse:dropped-huge-attributes")


def flatten_deep_nesting(doc: HtmlElement, settings: Settings, notes: list[str],
                         at_depth: list[HtmlElement] | None = None) -> None:
    """Flatten every element deeper than ``settings.max_depth`` into its ancestor at that
    depth: its text stays (blocks separated by line breaks), its tags go, and a note
    ``parse:flattened-below-depth-<n>`` says so. ``at_depth``: the elements at that depth,
    when :func:`check_complexity` found them already."""
    depth = flattening_depth(settings)
    if at_depth is None:
        at_depth = elements_at_depth(doc, depth)
    flattened = [el for el in at_depth if len(el)]
    if not flattened:
        return
    for el in flattened:
        flatten_subtree(el)
    notes.append(f"parse:flattened-below-depth-{depth}")


def flatten_subtree(el: HtmlElement) -> None:
    """Replace ``el``'s descendants by their text: code and hidden elements first go whole,
    block elements leave line breaks so their words do not run together."""
    for dropped in [d for d in el.iterdescendants()
                    if isinstance(d.tag, str) and (d.tag in _NOT_TEXT_TAGS or is_hidden(d))]:
        if dropped.getparent() is not None:  # not already gone with a dropped ancestor
            dropped.drop_tree()
    for block in el.iterdescendants(*BLOCK_TAGS):
        block.text = "\n" + (block.text or "")
        block.tail = "\n" + (block.tail or "")
    lxml.etree.strip_tags(el, "*")


def take_base_href(doc: HtmlElement, url: str | None) -> str | None:
    """The URL relative links resolve against: the page's ``<base href>`` joined to ``url``.

    The ``<base>`` elements are removed, so no later stage resolves links a second time.
    """
    bases = list(doc.iter("base"))
    href = next((base.get("href") for base in bases if base.get("href") is not None), "").strip()
    for base in bases:
        base.drop_tree()
    if not href:
        return url
    joined = urljoin(url, href) if url else href
    return joined if urlsplit(joined).scheme in ("http", "https") else url
