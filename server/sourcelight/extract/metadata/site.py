"""The site and its address: site name (og:site_name, JSON-LD publisher or website,
application-name), the host as a comparison key, the canonical URL, and the language the
page declares (``<html lang>``, content-language meta).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .json_ld import LinkedData
from .page import URLISH, Page, first_meta, text_key


_OG_SITE_META = ("og:site_name", "og:sitename")
_APP_NAME_META = ("application-name", "apple-mobile-web-app-title", "al:ios:app_name")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv"})


def read_site_name(page: Page, ld: LinkedData) -> str | None:
    """og:site_name, else the JSON-LD publisher or website name, else application-name."""
    og = first_meta(page, _OG_SITE_META)
    if og and not URLISH.search(og):
        return og
    # A personal blog names its author as publisher; its WebSite name is the site's name.
    declared = (ld.website, ld.publisher) if ld.publisher_is_person else (ld.publisher, ld.website)
    for candidate in (*declared, first_meta(page, _APP_NAME_META)):
        if candidate and not URLISH.search(candidate):
            return candidate
    return og


def host_key(url: str | None) -> str | None:
    """The registrable name of a URL's host as a comparison key ("news.bbc.co.uk" -> "bbc")."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return None
    labels.pop()  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()
    label = labels[-1]
    return text_key(label) or None


def _absolute_http(href: str | None, base: str | None) -> str | None:
    """``href`` made absolute against ``base``; ``None`` unless it is http(s) with a host."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        absolute = urljoin(base or "", href)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return absolute


def canonical_url(page: Page, ld: LinkedData, url: str | None) -> str | None:
    """<link rel=canonical>, og:url or the JSON-LD url, made absolute and http(s) only;
    else the request URL."""
    base = _absolute_http(page.base_href, url) or url
    request = _absolute_http(url, None)
    for href in (page.canonical, first_meta(page, ("og:url",)), ld.url):
        found = _absolute_http(href, base)
        if not found:
            continue
        # A canonical pointing at the home page from a deeper page is a template mistake.
        home = urlsplit(found).path in ("", "/")
        if home and request and urlsplit(request).path not in ("", "/"):
            continue
        return found
    return request or url
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})


def normalise_lang(value: str | None) -> str | None:
    """The primary subtag of a BCP 47 tag in lower case ("en-US" -> "en"); ``None`` if invalid."""
    if not value:
        return None
    match = _LANG_TAG.match(value.strip().split(",")[0].strip())
    if not match:
        return None
    primary = match[1].lower()
    return None if primary in _NO_LANGUAGE else primary


def declared_lang(page: Page) -> str | None:
    """<html lang> (or xml:lang), else the content-language meta."""
    for value in (page.root.get("lang"), page.root.get(_XML_LANG), page.root.get("xml:lang")):
        lang = normalise_lang(value)
        if lang:
            return lang
    return normalise_lang(first_meta(page, ("content-language", "dc.language", "language")))
