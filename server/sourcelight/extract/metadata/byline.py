"""The byline: author names from JSON-LD, author meta tags, or the byline printed near the
headline (rel=author, itemprop=author, author-page links, byline classes, a "By …" line),
joined as a reader writes them ("A, B, and C").
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from .dates import month_number
from .json_ld import LinkedData
from .page import URLISH, Page, clean_text, text_key
from .region import (SKIP_TAGS, VISIBLE_TEXT, headline_region, inside_unrelated_block,
                     is_author_href, nearby_candidates, page_candidates)


_AUTHOR_META = (
    "dc:creator", "dc.creator", "dcterms:creator", "dcterms.creator", "dcterm:creator", "author",
    "article:author", "og:article:author", "article:author_name", "parsely-author",
    "sailthru.author", "byl", "cxenseparse:author", "citation_author", "dc.contributor",
)
_BYLINE_PREFIX = re.compile(
    r"^(?i:more\s+(?:(?:from|by|stories\s+by|articles\s+by)\s+)?)"
    r"|^(?:(?i:(?:written|posted|published|reported|words|text|"
    r"story|photos?|article|recipe|guide|review|reviewed|insights|edited|compiled|interview|"
    r"opinion|"
    r"commentary|analysis)\s+)?"
    r"(?i:by|from|par|von|door|por|di|av|af|przez|autor(?:in)?|author|authors|escrito por)"
    r"(?:\s*[:\-–]\s*|\s+|$)"
    # "ByJane" (the space lost between elements) only for "By" before a capital.
    r"|^(?:[Ww]ritten\s*)?[Bb][Yy](?=[A-Z]))",
)
# Where a byline's name ends: a separator, a date, or "Updated"/"Published".
_BYLINE_TAIL = re.compile(
    r"\s*(?:[|•·]|\s[-–—]\s|"
    r"\b(?:updated|published|posted|last|reviewed|fact[- ]checked|on)\b\s*[:\w]|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\s\d).*$",
    re.I,
)
_NOT_A_NAME = frozenset(
    {
        "by", "author", "authors", "the author", "admin", "administrator", "staff", "guest",
        "anonymous", "unknown", "editor", "editors", "read more", "follow", "follow author",
        "more", "view profile", "undefined", "null", "none", "webmaster", "n/a",
    }
)
_MAX_BYLINE_CHARS = 100
_MAX_NAME_WORDS = 8
_BLOCK_TAGS = frozenset(
    {
        "div", "p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
        "header", "footer", "address", "figure", "figcaption", "blockquote", "table", "tr", "td",
        "dl", "dt", "dd",
    }
)
_INLINE_TAGS = frozenset({"span", "strong", "b", "em", "i", "small", "cite", "address"})
_NAME_PARTICLES = frozenset(
    {"and", "&", "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la",
     "bin", "ibn", "al", "el", "y", "e", "et", "und", "och", "og", "ter", "ten", "zu", "dos", "das"}
)
_WEEKDAYS = frozenset(
    {"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
     "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday"}
)


def _join_names(names: list[str]) -> str | None:
    """Join author names as a person reads them: "A", "A and B", "A, B, and C"."""
    unique: list[str] = []
    seen: set[str] = set()
    for name in names:
        k = text_key(name)
        if k and k not in seen:
            seen.add(k)
            unique.append(name)
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    if len(unique) == 2:
        return f"{unique[0]} and {unique[1]}"
    return ", ".join(unique[:-1]) + ", and " + unique[-1]


def _clean_byline(raw: str | None, site_keys: set[str]) -> str | None:
    """Normalise one declared author: strip "By" and quotes; drop URLs, handles, ids, site names."""
    text = clean_text(raw)
    if not text:
        return None
    text = _BYLINE_PREFIX.sub("", text).strip(" ,;:-–—|\"'“”").replace(" ,", ",")
    if not text or URLISH.search(text) or text.startswith("@"):
        return None
    if text_key(text) in site_keys or len(text) > _MAX_BYLINE_CHARS:
        return None
    if not any(ch.isalpha() for ch in text) or sum(ch.isdigit() for ch in text) >= 3:
        return None
    if re.fullmatch(r"[\w]+(?:\.[\w]+)+", text) and " " not in text and text.lower() == text:
        return None  # a template placeholder such as "page.head.extra.author"
    if text.casefold() in _NOT_A_NAME:
        return None
    return text


def _surname_first(name: str) -> str:
    """ "Roy, Aniruddha" -> "Aniruddha Roy" (citation_author's order)."""
    last, sep, first = name.partition(",")
    if sep and first.strip() and "," not in first and len(last.split()) <= 3:
        if len(first.split()) <= 3:
            return f"{first.strip()} {last.strip()}"
    return name


def read_byline(page: Page, ld: LinkedData, site_keys: set[str]) -> str | None:
    """Author names from JSON-LD, author meta tags, or byline elements in the page.

    A name equal to the site's name is dropped ("BBC News" is no byline) unless nothing
    else names an author and the page marks it as a person (JSON-LD Person, rel=author,
    a link to an author page): on a personal blog the site and the author share a name.
    """
    names = [n for n in (_clean_byline(a, site_keys) for a in ld.authors + ld.org_authors) if n]
    if names:
        return _join_names(names)
    for meta_name in _AUTHOR_META:
        values = page.meta.get(meta_name)
        if not values:
            continue
        if meta_name == "citation_author":
            values = [_surname_first(v) for v in values]
        # citation_author and friends repeat the tag once per author.
        names = [n for n in (_clean_byline(v, site_keys) for v in values[:20]) if n]
        if names:
            return _join_names(names)
    found = _byline_from_elements(page, site_keys)
    if found:
        return found
    people = [n for n in (_clean_byline(a, set()) for a in ld.people) if n]
    return _join_names(people)


def _byline_from_elements(page: Page, site_keys: set[str]) -> str | None:
    """A byline printed in the page: near the headline first, then anywhere.

    Candidates by strength: rel=author, itemprop=author, a link to an author page, then an
    element whose class names a byline or author; the first with a name-like text wins.
    """
    for candidates in (nearby_candidates(page).authors, page_candidates(page).authors):
        best: tuple[int, str] | None = None
        for rank, el in candidates:
            if best is not None and rank >= best[0]:
                continue
            # rel=author and author-page links name a person, even one who is the site.
            name = _name_from_element(el, set() if rank in (0, 2) else site_keys)
            if name:
                best = (rank, name)
        if best:
            return best[1]
    return _byline_in_headline_text(page, site_keys)
_BY_LINE = re.compile(
    r"^(?:[Ww]ritten\s+|[Pp]osted\s+|[Ss]tory\s+)?(?:[Bb]y|BY)\b[:\s]*(?P<rest>.*)$", re.S
)


def _byline_in_headline_text(page: Page, site_keys: set[str]) -> str | None:
    """A "By Jane Doe" line around the headline, whatever its element is named."""
    region = headline_region(page)
    if region is None:
        return None
    chunks = [c.strip() for c in VISIBLE_TEXT(region)]
    chunks = [c for c in chunks if c]
    for i, chunk in enumerate(chunks):
        if len(chunk) > _MAX_BYLINE_CHARS:
            continue
        match = _BY_LINE.match(chunk)
        if not match:
            continue
        # "By" alone: the name is the next piece of text (<span>By</span> <a>Jane Doe</a>).
        rest = match["rest"].strip() or (chunks[i + 1] if i + 1 < len(chunks) else "")
        rest = _BYLINE_TAIL.sub("", rest)
        name = _clean_byline(rest, site_keys)
        if name and name[:1].isupper() and _looks_like_name(name):
            return name
    return None


def _name_from_element(el: lxml_html.HtmlElement, site_keys: set[str]) -> str | None:
    """The author name(s) an element shows, if they look like names."""
    if inside_unrelated_block(el):
        return None
    inner = el.find(".//*[@itemprop='name']")
    if inner is not None:
        return _name_text(inner, site_keys)
    if el.tag == "a":
        # Co-authors are sibling links: "By <a>Jane Doe</a> and <a>John Roe</a>".
        container = el.getparent()
        if container is not None and container.tag in _INLINE_TAGS:
            container = container.getparent() if container.getparent() is not None else container
        links = _author_links(container) if container is not None else [el]
        if len(links) > 1 and el in links:
            return _join_names([n for n in (_name_text(a, site_keys) for a in links) if n])
        return _name_text(el, site_keys)
    links = _author_links(el)
    if links:
        return _join_names([n for n in (_name_text(a, site_keys) for a in links) if n])
    return _name_text(el, site_keys)


def _author_links(el: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Links to author pages (or rel=author) inside an element, at most a handful."""
    links = [
        a for a in el.iter("a")
        if "author" in (a.get("rel") or "").lower().split() or is_author_href(a.get("href"))
    ]
    return links[:6]


def _name_text(el: lxml_html.HtmlElement, site_keys: set[str]) -> str | None:
    """The first name-like line of an element: "By" and trailing dates or roles cut."""
    if len(el.text_content()) > 4 * _MAX_BYLINE_CHARS:
        return None
    for block in _text_blocks(el):
        text = clean_text(block)
        if not text:
            continue
        text = _BYLINE_TAIL.sub("", _BYLINE_PREFIX.sub("", text))
        if not text.strip(" :,-–—|"):
            continue  # a lone "By" or "Written by" line: the name follows
        name = _clean_byline(text, site_keys)
        if name and _looks_like_name(name):
            return name
        return None
    return None


def _looks_like_name(text: str) -> bool:
    """Names are a few words, without digits, and not Title-case mixed with prose words
    ("Personal finance", "Articles by Juliette"); an all-lower-case handle is fine."""
    words = text.replace(",", " ").split()
    if not words or len(words) > _MAX_NAME_WORDS or any(ch.isdigit() for ch in text):
        return False
    if text.casefold() in _NOT_A_NAME or month_number(words[0]):
        return False
    if words[0].casefold().rstrip(".") in _WEEKDAYS:
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    lower = [w for w in words if w[:1].islower() and w.casefold() not in _NAME_PARTICLES]
    return not (capitalised and lower)


def _text_blocks(el: lxml_html.HtmlElement) -> list[str]:
    """An element's text split at block boundaries, with a space at inline boundaries
    ("<h4>Liz Kenny</h4><p>Former consultant</p>" -> ["Liz Kenny", "Former consultant"])."""
    blocks: list[list[str]] = [[]]

    def walk(node: lxml_html.HtmlElement) -> None:
        block = node.tag in _BLOCK_TAGS
        if block:
            blocks.append([])
        blocks[-1].append(" " + (node.text or ""))
        for child in node:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                walk(child)
            blocks[-1].append(" " + (child.tail or ""))
        if block:
            blocks.append([])

    walk(el)
    return ["".join(parts) for parts in blocks if "".join(parts).strip()]
