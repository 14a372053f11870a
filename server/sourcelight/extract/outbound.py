"""Where an article's links lead: to other sites, or to the site's own pages.

A block of links readability cut out of the article is the site's navigation when its links
lead to the site's other pages (related posts, sections, services) or within the page (a table
of contents, tabs); it is the article's own when they mostly lead to other sites (the products
a guide recommends, the companies a ranking links to, external reading).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml.html import HtmlElement

# A block of links is the article's when at least this share of its links lead to other sites.
OUTBOUND_MIN_SHARE = 0.5


def mostly_off_site(el: HtmlElement, host: str) -> bool:
    """Whether at least ``OUTBOUND_MIN_SHARE`` of the links under ``el`` lead to other sites
    than ``host`` (:func:`host_of` the page's address)."""
    hrefs = [a.get("href") or "" for a in el.iter("a")]
    if not hrefs:
        return False
    outbound = sum(1 for href in hrefs if is_off_site(href, host))
    return outbound >= OUTBOUND_MIN_SHARE * len(hrefs)


def is_off_site(href: str, host: str) -> bool:
    """Whether a link (as written in the page) leads to another site's page. Without the
    page's host, every absolute http(s) address counts as another site's."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:  # a malformed address ("http://[x") leads nowhere
        return False
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return False  # within the site or the page, or mailto:, tel:, javascript:
    return not host or _bare_host(parts.netloc) != host


def host_of(url: str | None) -> str:
    """The host of an address, without "www." and port ("" when there is none)."""
    try:
        return _bare_host(urlsplit(url).netloc) if url else ""
    except ValueError:
        return ""


def _bare_host(netloc: str) -> str:
    """A URL's host part without credentials, port and "www.", case-folded."""
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].casefold()
    return host[4:] if host.startswith("www.") else host
