"""The one walk over a page that every metadata reader works from, and small text helpers.

The walk is filtered by tag in C (``iter("meta", "link", …)``) and keeps what the readers
use: meta tags by name, JSON-LD texts, the canonical link, ``<title>``, ``<time>``, the
first ``<h1>``s and ``<base>``. Byline and date candidates around the headline are filled
in on first use (:mod:`.region`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import html as lxml_html

if TYPE_CHECKING:
    from .region import Nearby


_SPACES = re.compile(r"\s+")
# A lazily filled field of Page that was not filled yet (None is a result).
NOT_COMPUTED = object()
URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net|html?|php)(?:/|$)", re.I)


def clean_text(value: object) -> str | None:
    """Entity-unescape and whitespace-collapse a string; ``None`` for anything empty."""
    if not isinstance(value, str):
        return None
    if "&" in value:
        # lxml already decoded one level of entities; pages that double-escape
        # ("&amp;#8217;") need a second pass.
        value = html.unescape(value)
    value = _SPACES.sub(" ", value.replace("\u200b", "").replace("\ufeff", "")).strip()
    return value or None


def text_key(value: str) -> str:
    """A loose comparison key: case-folded letters and digits only."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


@dataclass
class Page:
    """What one tag-filtered walk of the document collects, plus lazily computed candidates."""

    root: lxml_html.HtmlElement
    meta: dict[str, list[str]] = field(default_factory=dict)
    json_ld: list[str] = field(default_factory=list)
    canonical: str | None = None
    title: str | None = None
    times: list[lxml_html.HtmlElement] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    h1_elements: list[lxml_html.HtmlElement] = field(default_factory=list)
    base_href: str | None = None
    # Filled on first use: byline and date candidates around the headline / in the page.
    nearby: "Nearby | None" = None
    anywhere: "Nearby | None" = None
    # The headline's region (region.headline_region), None when the page has no <h1>.
    region: object = NOT_COMPUTED


def scan_page(doc: lxml_html.HtmlElement) -> Page:
    """Walk the tree once (in C, filtered by tag) and keep what the readers use."""
    root = doc.getroottree().getroot()
    page = Page(root=root)
    for el in root.iter("meta", "link", "script", "title", "time", "h1", "base"):
        tag = el.tag
        if tag == "meta":
            _add_meta(page.meta, el)
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
                page.json_ld.append(el.text)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and page.canonical is None:
                page.canonical = el.get("href")
        elif tag == "title":
            # An <svg><title> is an icon label, not the page title.
            if page.title is None and not any(a.tag == "svg" for a in el.iterancestors()):
                page.title = el.text_content()
        elif tag == "time":
            page.times.append(el)
        elif tag == "h1":
            if len(page.h1) < 5:
                page.h1.append(_heading_text(el))
                page.h1_elements.append(el)
        elif tag == "base" and page.base_href is None:
            page.base_href = el.get("href")
    return page


def _add_meta(meta: dict[str, list[str]], el: lxml_html.HtmlElement) -> None:
    """Index a <meta> by each of its property/name/itemprop tokens (lower-cased)."""
    content = el.get("content")
    if content is None:
        content = el.get("value")
    if content is None or not content.strip():
        return
    for attr in ("property", "name", "itemprop", "http-equiv"):
        names = el.get(attr)
        if not names:
            continue
        # Readability accepts space-separated lists: property="og:title twitter:title".
        for name in names.lower().split():
            meta.setdefault(name, []).append(content)


def first_meta(page: Page, names: Iterable[str]) -> str | None:
    """The first non-empty cleaned content among the named meta tags, by name priority."""
    for name in names:
        for value in page.meta.get(name, ()):
            cleaned = clean_text(value)
            if cleaned:
                return cleaned
    return None


def _heading_text(el: lxml_html.HtmlElement) -> str:
    """An element's text with a space for each <br> and block child ("Weekend<br>Coding")."""
    out: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        if node.tag in ("script", "style", "noscript", "template"):
            return
        if node.tag in ("br", "div", "p", "li"):
            out.append(" ")
        out.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            out.append(child.tail or "")

    walk(el)
    return "".join(out)
