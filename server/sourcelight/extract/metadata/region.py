"""Where a byline or a printed date may stand: elements around the headline ``<h1>`` (or in
the whole page when it has none) whose rel, itemprop, class, id or link names an author or a
date, found by libxml2 and classified here; and the test that keeps names and dates of
comments, sidebars, related stories and author bios out. Shared by :mod:`.byline` and
:mod:`.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from .page import NOT_COMPUTED, Page, clean_text


# Author-page links: /author/jane-doe, /authors/…, /people/…, /staff/…, /contributors/…
_AUTHOR_HREF = re.compile(
    r"/(?:authors?|autor|auteur|people|staff|contributors?|writers?|journalists?|profiles?|by)"
    r"/[^/?#]+",
    re.I,
)
# Class/id words (whole hyphen/underscore-separated parts, or their start) of blocks whose
# names and dates belong to other items: comments, sidebars, related stories, author bios.
_UNRELATED_BLOCK_WORDS = (
    "comment", "related", "sidebar", "footer", "recommend", "popular", "trending", "recent",
    "bio", "avatar", "more",
)
_AUTHOR_CLASS_WORDS = ("byline", "author", "writer", "postedby", "contributor", "creator")
_DATE_CLASS_WORDS = (
    "date", "published", "publish", "pubdate", "posted", "timestamp", "time", "dateline", "meta",
)
_DATE_CLASS_PREFIXES = ("date", "publish", "pubdate")
_CLASS_PARTS = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
# How far around the headline to look for a byline or a printed date.
_REGION_LEVELS = 6
_REGION_MAX_ELEMENTS = 2500
# Profile pages on these hosts are social accounts, not the article's author page.
_SOCIAL_HOSTS = frozenset(
    {"twitter.com", "x.com", "facebook.com", "instagram.com", "linkedin.com", "bsky.app",
     "threads.net", "youtube.com", "tiktok.com", "pinterest.com", "mastodon.social", "github.com"}
)
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "path", "img", "iframe", "button",
        "form", "input", "select", "option",
    }
)
# Plain strings: the readers only read the text (lxml's default "smart" strings each keep a
# link to their element).
VISIBLE_TEXT = etree.XPath(".//text()[not(parent::script or parent::style or parent::noscript)]",
                           smart_strings=False)


def is_author_href(href: str | None) -> bool:
    """A link to an author page on a site, not a profile on a social network."""
    if not href or not _AUTHOR_HREF.search(href):
        return False
    try:
        host = (urlsplit(href).hostname or "") if "//" in href else ""
    except ValueError:
        return False
    return not any(host == d or host.endswith("." + d) for d in _SOCIAL_HOSTS)


@dataclass
class Nearby:
    """Elements around the headline that may hold the byline or the printed date."""

    authors: list[tuple[int, lxml_html.HtmlElement]] = field(default_factory=list)
    dates: list[lxml_html.HtmlElement] = field(default_factory=list)


def nearby_candidates(page: Page) -> Nearby:
    """Byline and date candidates around the headline (computed once, cached on the page)."""
    if page.nearby is None:
        page.nearby = Nearby()
        region = headline_region(page)
        if region is not None:
            for el in _region_candidates(region):
                _classify(el, page.nearby)
    return page.nearby


def page_candidates(page: Page) -> Nearby:
    """Byline and date candidates in the whole page, only for a page without a headline
    <h1> to search around: a search of the whole tree costs more than all other steps."""
    if page.anywhere is None:
        page.anywhere = Nearby()
        if not page.h1_elements:
            for el in _PAGE_CANDIDATES(page.root)[:_MAX_PAGE_CANDIDATES]:
                _classify(el, page.anywhere)
    return page.anywhere


def headline_region(page: Page) -> lxml_html.HtmlElement | None:
    """The largest ancestor of the headline <h1> (a few levels up, below <body>) that stays
    small: where a byline and date are printed, away from sidebars and footers. (Computed
    once, kept on the page: the byline and date readers each ask for it.)"""
    if page.region is NOT_COMPUTED:
        page.region = _headline_region(page)
    return page.region


def _headline_region(page: Page) -> lxml_html.HtmlElement | None:
    if not page.h1_elements:
        return None
    anchor = page.h1_elements[0]
    for el, text in zip(page.h1_elements, page.h1):
        if len(clean_text(text) or "") >= 10:
            anchor = el
            break
    region = anchor
    for parent in list(anchor.iterancestors())[:_REGION_LEVELS]:
        if parent.tag in ("body", "html") or _COUNT_ELEMENTS(parent) > _REGION_MAX_ELEMENTS:
            break
        region = parent
    return region
# Elements that may be a byline or a printed date, found fast and then classified precisely
# by _classify: an itemprop, rel=author, or one of these in the class, the id or (of a link)
# the address. The tests are case-sensitive, so they leave out first letters ("uthor" finds
# "author" and "postAuthor"); over-matches such as "template" or "beta" are dropped by
# _classify.
_CLASS_HINTS = ("uthor", "yline", "riter", "ate", "ublish", "ime", "eta", "osted", "ontributor",
                "reator")
_ID_HINTS = ("uthor", "yline", "ate")
_HREF_HINTS = ("/author", "/people/", "/staff/", "/contributor", "/writer", "/profile",
               "/journalist", "/by/", "/autor", "/auteur")


def _contains_any(hints: tuple[str, ...]) -> str:
    return " or ".join(f"contains(.,'{hint}')" for hint in hints)


def _hint_re(hints: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(hint) for hint in hints))


# Each attribute is read once per element and its tests run on it (".": "contains(@class,
# 'x') or contains(@class,'y')" reads the attribute for every test, a sixth slower).
_CANDIDATE_TEST = (
    f"@itemprop or @rel[contains(.,'author')] or @class[{_contains_any(_CLASS_HINTS)}] or "
    f"(self::a and @href[{_contains_any(_HREF_HINTS)}]) or @id[{_contains_any(_ID_HINTS)}]"
)
_PAGE_CANDIDATES = etree.XPath(f"//body//*[{_CANDIDATE_TEST}]")
# The same test in Python, for the region around the headline: twice as fast there as
# libxml2's XPath (whose contains() copies the attribute's value for every test).
_CLASS_HINT_RE, _ID_HINT_RE, _HREF_HINT_RE = map(_hint_re, (_CLASS_HINTS, _ID_HINTS, _HREF_HINTS))


def _region_candidates(region: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The region's elements (itself first) that pass ``_CANDIDATE_TEST``, in document order."""
    found = []
    for el in region.iter(etree.Element):
        # Its attribute names in one call, and a value read only when it is there (every
        # test reads an attribute: an element without any is never a candidate).
        names = el.keys()
        if not names:
            continue
        get = el.get
        if "itemprop" in names or "rel" in names and "author" in get("rel") \
                or "class" in names and _CLASS_HINT_RE.search(get("class")) \
                or "href" in names and el.tag == "a" and _HREF_HINT_RE.search(get("href")) \
                or "id" in names and _ID_HINT_RE.search(get("id")):
            found.append(el)
    return found


_COUNT_ELEMENTS = etree.XPath("count(.//*)")  # in C: no Python objects per element
_MAX_PAGE_CANDIDATES = 400


def _classify(el: lxml_html.HtmlElement, found: Nearby) -> None:
    """File an element as a byline (with its strength rank) and/or date candidate."""
    tag = el.tag
    if not isinstance(tag, str) or tag in SKIP_TAGS:
        return
    if "author" in (el.get("rel") or "").lower().split():
        found.authors.append((0, el))
    itemprop = (el.get("itemprop") or "").lower()
    if itemprop:
        if "author" in itemprop.split() or "creator" in itemprop.split():
            found.authors.append((1, el))
        if "datepublished" in itemprop.split():
            found.dates.append(el)
    if tag == "a" and is_author_href(el.get("href")):
        found.authors.append((2, el))
    marker = f"{el.get('class') or ''} {el.get('id') or ''}"
    if marker.strip():
        parts = [p.lower() for p in _CLASS_PARTS.split(marker) if p]
        if any(p.startswith(_AUTHOR_CLASS_WORDS) for p in parts):
            found.authors.append((3, el))
        if any(p in _DATE_CLASS_WORDS or p.startswith(_DATE_CLASS_PREFIXES) for p in parts):
            found.dates.append(el)


def inside_unrelated_block(el: lxml_html.HtmlElement) -> bool:
    """True when the element (or an ancestor) is a comment, sidebar, related-items or bio block.

    The walk up stops at <article>/<main>: what encloses the main content (or, in broken
    markup, a <nav> the parser wrapped around it) says nothing about a byline inside it.
    """
    if _has_unrelated_marker(el):
        return True
    for node in el.iterancestors():
        if node.tag in ("body", "html", "article", "main"):
            return False  # body classes describe the page ("has-sidebar", "footer-on-bottom")
        if _has_unrelated_marker(node):
            return True
        if node.tag in ("aside", "nav", "footer") and not _within_content(node):
            # The page's sidebar, menu or footer; an article's own <footer> or <aside>
            # often holds its byline.
            return True
    return False


def _within_content(el: lxml_html.HtmlElement) -> bool:
    return next(el.iterancestors("article", "main"), None) is not None


def _has_unrelated_marker(el: lxml_html.HtmlElement) -> bool:
    """A class or id that starts with a word naming an unrelated block ("sidebar-item",
    "comments", "relatedPosts"); a layout wrapper such as "content-sidebar-wrap" is not one."""
    marker = f"{el.get('class') or ''} {el.get('id') or ''}"
    for token in marker.split():
        if token.lower().lstrip("_-").startswith(_UNRELATED_BLOCK_WORDS):
            return True
    return False
