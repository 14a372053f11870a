"""What a page says about itself: title, byline, date, site, canonical URL and language.

``read_metadata`` tries the sources in the order mature extractors use (Mozilla
Readability's metadata logic, trafilatura's metadata module): JSON-LD first, then
``<meta>`` tags (OpenGraph, ``article:*``, Twitter, Dublin Core, Parse.ly, ``itemprop``),
then ``<time datetime>``, ``rel=author`` links and byline elements, and last ``<title>``
and the first ``<h1>``. Two refinements over that order, both measured on the WCXB and
Readability corpora (``bench/metadata.py``):

- the title is the visible ``<h1>`` when a declared title agrees with it (SEO titles often
  differ from the headline a reader sees), with site names cut from ``<title>``-like text;
- bylines and printed dates are looked for around the headline, not in the whole page:
  it is faster and keeps sidebars, comments and related stories out.

``find_dateline`` reads the dateline an agency story opens with
("TOKYO, Nov 27 (Reuters) – …"); the agency names live in ``data/wire_services.json``.

Neither function changes the document it is given.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..model import Metadata

_DATA_DIR = Path(__file__).with_name("data")

# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net|html?|php)(?:/|$)", re.I)


def _clean(value: object) -> str | None:
    """Entity-unescape and whitespace-collapse a string; ``None`` for anything empty."""
    if not isinstance(value, str):
        return None
    if "&" in value:
        # lxml already decoded one level of entities; pages that double-escape
        # ("&amp;#8217;") need a second pass.
        value = html.unescape(value)
    value = _SPACES.sub(" ", value.replace("\u200b", "").replace("\ufeff", "")).strip()
    return value or None


def _key(value: str) -> str:
    """A loose comparison key: case-folded letters and digits only."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


# ---------------------------------------------------------------------------
# One pass over the document: collect every element the readers need
# ---------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class _Page:
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
    nearby: "_Nearby | None" = None
    anywhere: "_Nearby | None" = None


def _scan(doc: lxml_html.HtmlElement) -> _Page:
    """Walk the tree once (in C, filtered by tag) and keep what the readers use."""
    root = doc.getroottree().getroot()
    page = _Page(root=root)
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


def _first_meta(page: _Page, names: Iterable[str]) -> str | None:
    """The first non-empty cleaned content among the named meta tags, by name priority."""
    for name in names:
        for value in page.meta.get(name, ()):
            cleaned = _clean(value)
            if cleaned:
                return cleaned
    return None


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------

# schema.org types whose headline/author/date describe the page's article.
_ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article", "NewsArticle", "BlogPosting", "Blog", "ReportageNewsArticle",
        "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
        "ReviewNewsArticle", "AskPublicNewsArticle", "ScholarlyArticle",
        "MedicalScholarlyArticle", "SocialMediaPosting", "LiveBlogPosting",
        "DiscussionForumPosting", "TechArticle", "Report", "SatiricalArticle",
        "AdvertiserContentArticle", "Review", "Recipe", "HowTo", "Guide",
    )
)
# Page-level types: used when no article node exists.
_PAGE_TYPES = frozenset(
    t.lower()
    for t in (
        "WebPage", "ItemPage", "AboutPage", "FAQPage", "QAPage", "MedicalWebPage", "CollectionPage",
    )
)
_ORG_TYPES = frozenset(
    t.lower()
    for t in (
        "Organization", "NewsMediaOrganization", "Corporation", "LocalBusiness",
        "EducationalOrganization", "GovernmentOrganization",
    )
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MAX_LD_DEPTH = 6


@dataclass
class _LinkedData:
    """The fields read from a page's JSON-LD blocks."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)  # people (or untyped names)
    org_authors: list[str] = field(default_factory=list)  # authors typed as an organisation
    people: list[str] = field(default_factory=list)  # authors explicitly typed Person
    published: str | None = None
    publisher: str | None = None
    publisher_is_person: bool = False
    website: str | None = None
    url: str | None = None
    modified: str | None = None
    page_name: str | None = None
    page_published: str | None = None


def _load_json(text: str) -> object | None:
    """Parse one JSON-LD block, tolerating the breakage common on real pages."""
    text = text.strip()
    # Old templates wrap the JSON in HTML comments or CDATA markers.
    for prefix, suffix in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(prefix):
            text = text[len(prefix):]
            if text.rstrip().endswith(suffix):
                text = text.rstrip()[: -len(suffix)]
            text = text.strip()
    if not text:
        return None
    try:
        # strict=False lets raw newlines and tabs inside strings through.
        return json.loads(text, strict=False)
    except RecursionError:
        return None  # absurdly deep nesting: not metadata anyone can use
    except ValueError:
        pass
    fixed = _TRAILING_COMMA.sub(r"\1", text)
    decoder = json.JSONDecoder(strict=False)
    try:
        # Several objects pasted one after the other: keep the first.
        value, _end = decoder.raw_decode(fixed)
        return value
    except (ValueError, RecursionError):
        return None


def _iter_nodes(value: object, depth: int = 0) -> Iterator[tuple[int, dict]]:
    """Yield every JSON object that has an ``@type``, with its nesting depth."""
    if depth > _MAX_LD_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            # A list inside a list counts as a level, so nesting cannot run away.
            yield from _iter_nodes(item, depth + 1 if isinstance(item, list) else depth)
    elif isinstance(value, dict):
        if "@type" in value:
            yield depth, value
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                # @graph members are top-level nodes, not nested ones.
                yield from _iter_nodes(item, depth if key == "@graph" else depth + 1)


def _types(node: dict) -> set[str]:
    """The node's schema.org types, lower-cased and without a vocabulary prefix."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for v in values if isinstance(v, str)}


def _text_of(value: object) -> str | None:
    """A string field that may come as a string, a list or an ``{"@value": …}`` object."""
    if isinstance(value, list):
        for item in value:
            text = _text_of(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return _text_of(value.get("@value") or value.get("name"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _clean(value)


def _read_json_ld(texts: list[str]) -> _LinkedData:
    """Read the article, publisher and site fields from all JSON-LD blocks of a page."""
    result = _LinkedData()
    nodes: list[tuple[int, dict]] = []
    for text in texts:
        data = _load_json(text)
        if data is not None:
            nodes.extend(_iter_nodes(data))
    if not nodes:
        return result
    by_id = {n["@id"]: n for _, n in nodes if isinstance(n.get("@id"), str)}

    article = _pick_node(nodes, _ARTICLE_TYPES)
    if article is not None:
        result.headline = _text_of(article.get("headline")) or _text_of(article.get("name"))
        result.authors, result.org_authors, result.people = _author_names(
            article.get("author") or article.get("creator"), by_id
        )
        result.published = _text_of(article.get("datePublished")) or _text_of(
            article.get("dateCreated")
        )
        result.publisher = _org_name(article.get("publisher"), by_id)
        result.publisher_is_person = _is_person(article.get("publisher"), by_id)
        result.url = _text_of(article.get("url"))
        result.modified = _text_of(article.get("dateModified"))
    page_node = _pick_node(nodes, _PAGE_TYPES)
    if page_node is not None:
        result.page_name = _text_of(page_node.get("headline")) or _text_of(page_node.get("name"))
        result.page_published = _text_of(page_node.get("datePublished"))
        result.modified = result.modified or _text_of(page_node.get("dateModified"))
        if not result.authors and not result.org_authors:
            result.authors, result.org_authors, result.people = _author_names(
                page_node.get("author"), by_id
            )
        if result.publisher is None:
            result.publisher = _org_name(page_node.get("publisher"), by_id)
    for depth, node in nodes:
        if depth == 0 and "website" in _types(node):
            result.website = _text_of(node.get("name"))
            if result.website:
                break
    return result


def _pick_node(nodes: list[tuple[int, dict]], wanted: frozenset[str]) -> dict | None:
    """The shallowest node of a wanted type (nested ones are usually related items)."""
    best: tuple[int, dict] | None = None
    for depth, node in nodes:
        if _types(node) & wanted and (best is None or depth < best[0]):
            best = (depth, node)
    return best[1] if best else None


def _resolve(value: object, by_id: dict[str, dict]) -> object:
    """Follow an ``{"@id": …}`` reference to the node it names, when the page defines it."""
    if isinstance(value, dict) and "@id" in value and len(value) <= 2 and "name" not in value:
        return by_id.get(value["@id"], value)
    return value


def _author_names(value: object, by_id: dict[str, dict]) -> tuple[list[str], list[str], list[str]]:
    """Author names from a JSON-LD author field (string, object, or list of either):
    (people and untyped names, organisations, those explicitly typed Person)."""
    names: list[str] = []
    orgs: list[str] = []
    people: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:20]:
        item = _resolve(item, by_id)
        name: str | None = None
        types: set[str] = set()
        if isinstance(item, str):
            name = _clean(item)
        elif isinstance(item, dict):
            name = _text_of(item.get("name"))
            if not name:
                given, family = _text_of(item.get("givenName")), _text_of(item.get("familyName"))
                name = " ".join(p for p in (given, family) if p) or None
            types = _types(item)
        if not name or _URLISH.search(name):
            continue
        (orgs if types & _ORG_TYPES else names).append(name)
        if "person" in types:
            people.append(name)
    return names, orgs, people


def _is_person(value: object, by_id: dict[str, dict]) -> bool:
    """Personal blogs name a Person as publisher; that name is no site name."""
    if isinstance(value, list):
        value = value[0] if value else None
    value = _resolve(value, by_id)
    return isinstance(value, dict) and "person" in _types(value)


def _org_name(value: object, by_id: dict[str, dict]) -> str | None:
    """The name of a publisher given as a string, object, reference or list."""
    if isinstance(value, list):
        value = value[0] if value else None
    value = _resolve(value, by_id)
    if isinstance(value, dict):
        return _text_of(value.get("name"))
    return _clean(value)


# ---------------------------------------------------------------------------
# Site name
# ---------------------------------------------------------------------------

_OG_SITE_META = ("og:site_name", "og:sitename")
_APP_NAME_META = ("application-name", "apple-mobile-web-app-title", "al:ios:app_name")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv"})


def _site_name(page: _Page, ld: _LinkedData) -> str | None:
    """og:site_name, else the JSON-LD publisher or website name, else application-name."""
    og = _first_meta(page, _OG_SITE_META)
    if og and not _URLISH.search(og):
        return og
    # A personal blog names its author as publisher; its WebSite name is the site's name.
    declared = (ld.website, ld.publisher) if ld.publisher_is_person else (ld.publisher, ld.website)
    for candidate in (*declared, _first_meta(page, _APP_NAME_META)):
        if candidate and not _URLISH.search(candidate):
            return candidate
    return og


def _host_key(url: str | None) -> str | None:
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
    return _key(label) or None


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------

# " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " / " and a bare "|".
_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|\-–—·•»~/]|::)\s+|\s*\|\s*)")
# Readability's order: Dublin Core, then OpenGraph, Twitter, Parse.ly; plain "title" last.
_TITLE_META = (
    "dc:title", "dc.title", "dcterms:title", "dcterms.title", "dcterm:title", "og:title",
    "twitter:title", "parsely-title", "sailthru.title", "headline", "title",
)
_MAX_SITE_WORDS = 6
_MAX_NEAR_SITE_WORDS = 3
# A trailing " | Something" this short is a section or site label, never part of a headline.
_MAX_LABEL_WORDS = 4
_MIN_HEADLINE_WORDS = 3
# How much of a structured title an <h1> must share (token F1) to count as the same headline.
_MIN_HEADING_AGREEMENT = 0.3
# ... and be at least this long relative to it (a shorter <h1> is a site or section name).
_MIN_HEADING_SHARE = 0.3
# Documentation generators end headings with a permalink sign ("Install¶", "Usage #").
_PERMALINK_MARK = re.compile(r"\s*[¶§#🔗]+\s*$")


def _looks_like_site(part: str, site_keys: set[str], host: str | None) -> bool:
    """Is this title segment the site's name (equal to a known name, or to the host)?"""
    key = _key(part)
    if not key:
        return False
    if key in site_keys:
        return True
    if len(part.split()) > _MAX_SITE_WORDS:
        return False
    if re.search(r"\w\.(?:com|org|net|co|io|news|de|fr|uk|jp|in|au|ca)\b", part, re.I):
        return True
    # Near matches only for a short segment, and only at its edges: "BBC News" for bbc.co.uk,
    # "The Guardian" for theguardian.com; "BBC cuts 500 jobs" stays a headline.
    if len(part.split()) > _MAX_NEAR_SITE_WORDS or len(key) < 4:
        return False
    for site in filter(None, (host, *site_keys)):
        if len(site) >= 3 and (
            key.startswith(site) or key.endswith(site) or site.startswith(key) or site.endswith(key)
        ):
            return True
    return False


def _split_title(title: str) -> tuple[list[str], list[str]]:
    """Title segments and the separators between them."""
    pieces = _TITLE_SEPARATOR.split(title)
    return pieces[0::2], pieces[1::2]


def _join_title(parts: list[str], seps: list[str]) -> str:
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip()


def _strip_site_affix(title: str, site_keys: set[str], host: str | None) -> str:
    """Remove " | Site Name" suffixes, "Site Name - " prefixes and short " | Section" labels."""
    parts, seps = _split_title(title)
    if len(parts) < 2:
        return _strip_site_colon_prefix(title, site_keys)
    while len(parts) > 1 and _looks_like_site(parts[-1], site_keys, host):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _looks_like_site(parts[0], site_keys, host):
        parts.pop(0)
        seps.pop(0)
    # A pipe is a template separator, not headline punctuation: a short label after it goes.
    while (
        len(parts) > 1
        and seps[-1].strip() == "|"
        and len(parts[-1].split()) <= _MAX_LABEL_WORDS
        and len(_join_title(parts[:-1], seps[:-1]).split()) >= _MIN_HEADLINE_WORDS
    ):
        parts.pop()
        seps.pop()
    return _join_title(parts, seps)


def _strip_site_colon_prefix(title: str, site_keys: set[str]) -> str:
    """ "Site: Headline" -> "Headline", only when the prefix is a known site name."""
    head, sep, rest = title.partition(": ")
    if sep and rest and _key(head) in site_keys:
        return rest.strip()
    return title


def _generic_suffix_strip(title: str) -> str:
    """Without a known site name, drop a short trailing segment after a separator.

    "Lorem ipsum dolor sit amet – My website" -> "Lorem ipsum dolor sit amet". Used only
    for a bare <title>, and the kept part must be the longer one.
    """
    parts, seps = _split_title(title)
    if len(parts) < 2:
        return title
    head = _join_title(parts[:-1], seps[:-1])
    last = parts[-1].strip()
    short_label = len(last.split()) <= _MAX_LABEL_WORDS
    if short_label and len(head.split()) >= _MIN_HEADLINE_WORDS and len(head) > len(last):
        return head
    return title


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _token_f1(a: str, b: str) -> float:
    """Token-overlap F1 of two strings (0 when either is empty)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    remaining = list(tb)
    common = 0
    for tok in ta:
        if tok in remaining:
            remaining.remove(tok)
            common += 1
    if not common:
        return 0.0
    precision, recall = common / len(ta), common / len(tb)
    return 2 * precision * recall / (precision + recall)


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


def _title(page: _Page, ld: _LinkedData, site_name: str | None, url: str | None) -> str | None:
    """The headline: the visible <h1> when structured titles agree with it, site affixes removed."""
    site_keys = {_key(s) for s in (site_name, ld.publisher, ld.website) if s} - {""}
    host = _host_key(url)

    structured: list[str] = []
    for raw in (ld.headline, *(_first_meta(page, (name,)) for name in _TITLE_META), ld.page_name):
        if raw:
            structured.append(_strip_site_affix(raw, site_keys, host))
    document_title = _clean(page.title)
    stripped_title = _strip_site_affix(document_title, site_keys, host) if document_title else None
    headings = [h for h in (_clean(_PERMALINK_MARK.sub("", t)) for t in page.h1) if h]

    heading = _agreeing_heading(headings, structured, stripped_title)
    if heading:
        return heading
    if structured:
        return structured[0]
    if document_title:
        if stripped_title != document_title:
            return stripped_title
        for heading in headings:
            # "Headline | Some Site" whose first part is the <h1>.
            if len(heading) >= 10 and _key(document_title).startswith(_key(heading)):
                return heading
        return _generic_suffix_strip(document_title)
    return headings[0] if headings else None


def _agreeing_heading(
    headings: list[str], structured: list[str], document_title: str | None
) -> str | None:
    """The <h1> that is the page's headline, judged against the page's declared titles.

    The visible headline is what a reader calls the title (SEO titles often differ), but
    only when a declared title agrees with it: that rules out logo and section <h1>s.
    """
    references = structured + ([document_title] if document_title else [])
    if not headings or not references:
        return None
    ref_keys = {_key(r): r for r in references}
    for heading in headings:
        same = ref_keys.get(_key(heading))
        if same is not None:
            # An all-caps <h1> is styling; the declared title has the real casing.
            return same if heading.isupper() and not same.isupper() else heading
    for heading in headings:
        heading_key = _key(heading)
        for ref in references:
            ref_key = _key(ref)
            if ref_key and len(ref_key) >= 0.5 * len(heading_key) and ref_key in heading_key:
                if _is_truncation_of(ref, heading):
                    return heading  # "…laptop, and k": the declared title was cut short
                # The <h1> carries extra text (a date, "Posted by…", a site label):
                # the declared title is the clean one.
                return ref
    if not structured:
        # A bare <title> is too weak a witness for a merely similar <h1>.
        return None
    best, best_score = None, 0.0
    for heading in headings:
        for ref in structured:
            score = _heading_agreement(heading, ref)
            if score > best_score:
                best, best_score = heading, score
    return best if best_score >= _MIN_HEADING_AGREEMENT else None


def _is_truncation_of(short: str, full: str) -> bool:
    """Is ``short`` ``full`` cut off mid-word (SEO tools clip titles to a length)?"""
    short = short.rstrip(".… ")
    if not full.casefold().startswith(short.casefold()) or len(full) <= len(short):
        return False
    return short[-1:].isalnum() and full[len(short)].isalnum()


def _heading_agreement(heading: str, ref: str) -> float:
    """Token F1 of an <h1> and a declared title; 0 when they share a single word or the
    <h1> is a small fragment of the title (a site or section name)."""
    heading_tokens, ref_tokens = _tokens(heading), _tokens(ref)
    if len(heading_tokens) < _MIN_HEADING_SHARE * len(ref_tokens):
        return 0.0
    score = _token_f1(heading, ref)
    shared = score * (len(heading_tokens) + len(ref_tokens)) / 2
    return score if shared >= 1.5 else 0.0


# ---------------------------------------------------------------------------
# Byline
# ---------------------------------------------------------------------------

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
_MAX_BYLINE_CHARS = 100
_MAX_NAME_WORDS = 8
# How far around the headline to look for a byline or a printed date.
_REGION_LEVELS = 6
_REGION_MAX_ELEMENTS = 2500
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
# Profile pages on these hosts are social accounts, not the article's author page.
_SOCIAL_HOSTS = frozenset(
    {"twitter.com", "x.com", "facebook.com", "instagram.com", "linkedin.com", "bsky.app",
     "threads.net", "youtube.com", "tiktok.com", "pinterest.com", "mastodon.social", "github.com"}
)
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "path", "img", "iframe", "button",
        "form", "input", "select", "option",
    }
)


def _join_names(names: list[str]) -> str | None:
    """Join author names as a person reads them: "A", "A and B", "A, B, and C"."""
    unique: list[str] = []
    seen: set[str] = set()
    for name in names:
        k = _key(name)
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
    text = _clean(raw)
    if not text:
        return None
    text = _BYLINE_PREFIX.sub("", text).strip(" ,;:-–—|\"'“”").replace(" ,", ",")
    if not text or _URLISH.search(text) or text.startswith("@"):
        return None
    if _key(text) in site_keys or len(text) > _MAX_BYLINE_CHARS:
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


def _byline(page: _Page, ld: _LinkedData, site_keys: set[str]) -> str | None:
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


def _byline_from_elements(page: _Page, site_keys: set[str]) -> str | None:
    """A byline printed in the page: near the headline first, then anywhere.

    Candidates by strength: rel=author, itemprop=author, a link to an author page, then an
    element whose class names a byline or author; the first with a name-like text wins.
    """
    for candidates in (_nearby(page).authors, _anywhere(page).authors):
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


def _byline_in_headline_text(page: _Page, site_keys: set[str]) -> str | None:
    """A "By Jane Doe" line around the headline, whatever its element is named."""
    region = _headline_region(page)
    if region is None:
        return None
    chunks = [c.strip() for c in _VISIBLE_TEXT(region)]
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
    if _inside_unrelated_block(el):
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
        if "author" in (a.get("rel") or "").lower().split() or _is_author_href(a.get("href"))
    ]
    return links[:6]


def _is_author_href(href: str | None) -> bool:
    """A link to an author page on a site, not a profile on a social network."""
    if not href or not _AUTHOR_HREF.search(href):
        return False
    try:
        host = (urlsplit(href).hostname or "") if "//" in href else ""
    except ValueError:
        return False
    return not any(host == d or host.endswith("." + d) for d in _SOCIAL_HOSTS)


def _name_text(el: lxml_html.HtmlElement, site_keys: set[str]) -> str | None:
    """The first name-like line of an element: "By" and trailing dates or roles cut."""
    if len(el.text_content()) > 4 * _MAX_BYLINE_CHARS:
        return None
    for block in _text_blocks(el):
        text = _clean(block)
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
    if text.casefold() in _NOT_A_NAME or _month_number(words[0]):
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
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                walk(child)
            blocks[-1].append(" " + (child.tail or ""))
        if block:
            blocks.append([])

    walk(el)
    return ["".join(parts) for parts in blocks if "".join(parts).strip()]


@dataclass
class _Nearby:
    """Elements around the headline that may hold the byline or the printed date."""

    authors: list[tuple[int, lxml_html.HtmlElement]] = field(default_factory=list)
    dates: list[lxml_html.HtmlElement] = field(default_factory=list)


def _nearby(page: _Page) -> _Nearby:
    """Byline and date candidates around the headline (computed once, cached on the page)."""
    if page.nearby is None:
        page.nearby = _Nearby()
        region = _headline_region(page)
        if region is not None:
            for el in _REGION_CANDIDATES(region):
                _classify(el, page.nearby)
    return page.nearby


def _anywhere(page: _Page) -> _Nearby:
    """Byline and date candidates in the whole page, only for a page without a headline
    <h1> to search around: a search of the whole tree costs more than all other steps."""
    if page.anywhere is None:
        page.anywhere = _Nearby()
        if not page.h1_elements:
            for el in _PAGE_CANDIDATES(page.root)[:_MAX_PAGE_CANDIDATES]:
                _classify(el, page.anywhere)
    return page.anywhere


def _headline_region(page: _Page) -> lxml_html.HtmlElement | None:
    """The largest ancestor of the headline <h1> (a few levels up, below <body>) that stays
    small: where a byline and date are printed, away from sidebars and footers."""
    if not page.h1_elements:
        return None
    anchor = page.h1_elements[0]
    for el, text in zip(page.h1_elements, page.h1):
        if len(_clean(text) or "") >= 10:
            anchor = el
            break
    region = anchor
    for parent in list(anchor.iterancestors())[:_REGION_LEVELS]:
        if parent.tag in ("body", "html") or _COUNT_ELEMENTS(parent) > _REGION_MAX_ELEMENTS:
            break
        region = parent
    return region


# Elements that may be a byline or a printed date, found by libxml2 (fast) and then
# classified precisely in Python by _classify. contains() is case-sensitive, so the tests
# leave out first letters ("uthor" finds "author" and "postAuthor"); over-matches such as
# "template" or "beta" are dropped by _classify.
_CANDIDATE_TEST = (
    "@itemprop or contains(@rel,'author') or "
    "(@class and (contains(@class,'uthor') or contains(@class,'yline') or contains(@class,'riter') "
    "or contains(@class,'ate') or contains(@class,'ublish') or contains(@class,'ime') "
    "or contains(@class,'eta') or contains(@class,'osted') or contains(@class,'ontributor') "
    "or contains(@class,'reator'))) or "
    "(self::a and (contains(@href,'/author') or contains(@href,'/people/') "
    "or contains(@href,'/staff/') or contains(@href,'/contributor') "
    "or contains(@href,'/writer') or contains(@href,'/profile') "
    "or contains(@href,'/journalist') or contains(@href,'/by/') or contains(@href,'/autor') "
    "or contains(@href,'/auteur'))) or "
    "(@id and (contains(@id,'uthor') or contains(@id,'yline') or contains(@id,'ate')))"
)
_REGION_CANDIDATES = etree.XPath(f"descendant-or-self::*[{_CANDIDATE_TEST}]")
_PAGE_CANDIDATES = etree.XPath(f"//body//*[{_CANDIDATE_TEST}]")
_COUNT_ELEMENTS = etree.XPath("count(.//*)")  # in C: no Python objects per element
_MAX_PAGE_CANDIDATES = 400


def _classify(el: lxml_html.HtmlElement, found: _Nearby) -> None:
    """File an element as a byline (with its strength rank) and/or date candidate."""
    tag = el.tag
    if not isinstance(tag, str) or tag in _SKIP_TAGS:
        return
    if "author" in (el.get("rel") or "").lower().split():
        found.authors.append((0, el))
    itemprop = (el.get("itemprop") or "").lower()
    if itemprop:
        if "author" in itemprop.split() or "creator" in itemprop.split():
            found.authors.append((1, el))
        if "datepublished" in itemprop.split():
            found.dates.append(el)
    if tag == "a" and _is_author_href(el.get("href")):
        found.authors.append((2, el))
    marker = f"{el.get('class') or ''} {el.get('id') or ''}"
    if marker.strip():
        parts = [p.lower() for p in _CLASS_PARTS.split(marker) if p]
        if any(p.startswith(_AUTHOR_CLASS_WORDS) for p in parts):
            found.authors.append((3, el))
        if any(p in _DATE_CLASS_WORDS or p.startswith(_DATE_CLASS_PREFIXES) for p in parts):
            found.dates.append(el)


def _inside_unrelated_block(el: lxml_html.HtmlElement) -> bool:
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
    return any(a.tag in ("article", "main") for a in el.iterancestors())


def _has_unrelated_marker(el: lxml_html.HtmlElement) -> bool:
    """A class or id that starts with a word naming an unrelated block ("sidebar-item",
    "comments", "relatedPosts"); a layout wrapper such as "content-sidebar-wrap" is not one."""
    marker = f"{el.get('class') or ''} {el.get('id') or ''}"
    for token in marker.split():
        if token.lower().lstrip("_-").startswith(_UNRELATED_BLOCK_WORDS):
            return True
    return False


# ---------------------------------------------------------------------------
# Publication date
# ---------------------------------------------------------------------------

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "parsely-pub-date", "sailthru.date",
    "publish-date", "publish_date", "publishdate", "published_time", "published-date",
    "pubdate", "dc.date.issued", "dcterms.issued", "dcterms:issued", "dc.date.created",
    "dcterms.created", "dcterms:created", "citation_publication_date", "citation_date",
    "citation_online_date", "originalpublicationdate", "article.published", "date", "dc.date",
    "dc:date", "dcterms.date", "live_date", "publication_date", "created", "datecreated",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dcterms.modified", "dcterms:modified", "dc.date.modified", "last-modified", "lastmod",
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "januar", "janvier", "enero", "gennaio", "janeiro", "januari"),
            ("february", "feb", "februar", "février", "fevrier", "febrero", "febbraio",
             "fevereiro", "februari"),
            ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "maart"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio", "maio", "mei"),
            ("june", "jun", "juni", "juin", "junio", "giugno", "junho"),
            ("july", "jul", "juli", "juillet", "julio", "luglio", "julho"),
            ("august", "aug", "août", "aout", "agosto", "augustus"),
            ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"),
            ("october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "okt"),
            ("november", "nov", "novembre", "noviembre", "novembro"),
            ("december", "dec", "dezember", "décembre", "decembre", "diciembre", "dicembre",
             "dezembro", "dez"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_LIKE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?P<frac>[.,]\d+)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)
_MONTH_WORD = r"(?P<month>[^\W\d_]{3,10})\.?"
# Dates written for people, searched anywhere in a short text ("Published on July 18, 2025").
_TEXT_DATES = (
    # "November 27, 2025", "Nov. 27 2025", "Nov 27th, 2025"
    re.compile(
        rf"(?<!\w){_MONTH_WORD}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)",
        re.I,
    ),
    # "27 November 2025", "27. März 2025", "27th Nov, 2025", "27 de noviembre de 2025"
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?{_MONTH_WORD},?\s+"
        rf"(?:de\s+)?(?P<year>\d{{4}})(?!\d)",
        re.I,
    ),
    # "2025-11-27", "2025/11/27", "2025.11.27"
    re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<nmonth>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    # "27.11.2025" (day first, as everywhere dots are used)
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    # "11/27/2025" or "27/11/2025": only read when the day is over 12, so the order is certain
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)"),
)
_MIN_YEAR, _MAX_YEAR = 1990, 2100
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_RFC_ZONE = re.compile(r"[+-]\d{4}|GMT|UT|[ECMP][SD]T")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")
_MAX_DATE_ELEMENTS = 40
_MAX_DATE_TEXT = 160
# A line of text this short that holds a date is a dateline/byline, not a sentence.
_MAX_DATE_LINE = 80
_VISIBLE_TEXT = etree.XPath(".//text()[not(parent::script or parent::style or parent::noscript)]")


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 string for a date as pages write it, or ``None``.

    Keeps the source's time zone ("2025-11-27T10:51:00+09:00" stays as is), keeps a
    date-only value date-only, and never adds a time or a zone the source did not give.
    """
    text = _clean(value)
    if not text or len(text) > 80:
        return None
    for parse in (_parse_iso, _parse_epoch, _parse_rfc2822, search_text_date):
        result = parse(text)
        if result is not None:
            return result
    return None


def _in_range(year: int) -> bool:
    return _MIN_YEAR <= year <= _MAX_YEAR


def _parse_iso(text: str) -> str | None:
    """ISO 8601 and its everyday variants (space for T, "Z", "UTC", long fractions)."""
    match = _ISO_DATE.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    match = _ISO_LIKE.match(text)
    if match:
        tz = (match["tz"] or "").upper()
        if tz in ("Z", "UTC", "GMT"):
            tz = "+00:00"
        elif tz and ":" not in tz:
            tz = tz[:3] + ":" + (tz[3:] or "00")
        clock = match["time"]
        if len(clock.split(":")[0]) == 1:
            clock = "0" + clock
        frac = (match["frac"] or "").replace(",", ".")[:7]
        text = f"{match['date']}T{clock}{frac}{tz}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not _in_range(parsed.year):
        return None
    if ":" not in text:
        # "20251127" is a date; fromisoformat would add midnight.
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds")


def _parse_epoch(text: str) -> str | None:
    """Unix timestamps in seconds or milliseconds (UTC by definition)."""
    if not text.isdigit() or len(text) not in (10, 13):
        return None
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    parsed = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
    return parsed.isoformat(timespec="seconds") if _in_range(parsed.year) else None


def _parse_rfc2822(text: str) -> str | None:
    """ "Thu, 27 Nov 2025 10:51:00 +0900" (feeds and some meta tags)."""
    if not _CLOCK.search(text) or not _RFC_ZONE.search(text):
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat(timespec="seconds") if _in_range(parsed.year) else None


def search_text_date(text: str) -> str | None:
    """The first date written for people in ``text`` ("Updated Nov 27, 2025 at 3 pm"),
    as a date only: a time written in prose is too loosely tied to a zone to keep."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    best: tuple[int, str] | None = None
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text):
            found = _date_from_match(match.groupdict())
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
                break
    return best[1] if best else None


def _date_from_match(groups: dict[str, str | None]) -> str | None:
    year = int(groups["year"] or 0)
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"] or 0)
        if a > 12 and b <= 12:
            return _make_date(year, b, a)
        if b > 12 and a <= 12:
            return _make_date(year, a, b)
        return None
    if groups.get("nmonth"):
        month = int(groups["nmonth"] or 0)
    else:
        month = _month_number(groups.get("month") or "")
    if not month:
        return None
    return _make_date(year, month, int(groups["day"] or 0))


def _make_date(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if _in_range(found.year) else None


def _month_number(name: str) -> int | None:
    return _MONTHS.get(name.casefold().rstrip(".,"))


def _published(page: _Page, ld: _LinkedData, url: str | None) -> str | None:
    """The publication date, from the most to the least explicit source.

    JSON-LD and date meta tags, <time>, the URL path, then a date printed near the
    headline; only when none has one, the last-modified date (what the page then shows).
    """
    raw_dates = (ld.published, *_meta_values(page, _DATE_META), ld.page_published)
    declared = [d for d in map(normalise_date, raw_dates) if d]
    if declared:
        return _prefer_local_time(declared)
    found = _date_from_time_elements(page) or _date_from_url(url) or _date_from_date_elements(page)
    if found:
        return found
    for raw in (ld.modified, *_meta_values(page, _MODIFIED_META)):
        found = normalise_date(raw)
        if found:
            return found
    return None


def _prefer_local_time(dates: list[str]) -> str:
    """The first date, but in the publisher's own zone when another source gives the same
    instant with a local offset: the local date is the one the page prints."""
    first = dates[0]
    if not first.endswith("+00:00"):
        return first
    instant = datetime.fromisoformat(first)
    for other in dates[1:]:
        if "T" in other and other[-6] in "+-" and not other.endswith("+00:00"):
            if datetime.fromisoformat(other) == instant:
                return other
    return first


def _meta_values(page: _Page, names: Iterable[str]) -> Iterator[str]:
    """The first value of each named meta tag present, in the order of ``names``."""
    for name in names:
        values = page.meta.get(name)
        if values:
            yield values[0]


def _date_from_time_elements(page: _Page) -> str | None:
    """A <time>: one marked as the publication time first, else the first outside comments
    and sidebars; its datetime attribute, else its text."""
    marked = [
        t for t in page.times
        if t.get("pubdate") is not None
        or (t.get("itemprop") or "").lower() == "datepublished"
        or "publish" in (t.get("class") or "").lower()
    ]
    for el in marked + [t for t in page.times if t not in marked]:
        if el not in marked and _inside_unrelated_block(el):
            continue
        found = normalise_date(el.get("datetime"))
        found = found or search_text_date(_clean(el.text_content()) or "")
        if found:
            return found
    return None


def _date_from_date_elements(page: _Page) -> str | None:
    """A date printed in an element named like one (class "post-date", "published"…): near
    the headline first, then anywhere. Only reached when the page declares no date."""
    for candidates in (_nearby(page).dates, _anywhere(page).dates[:_MAX_DATE_ELEMENTS]):
        for el in candidates:
            found = _date_in_element(el)
            if found:
                return found
    return _date_in_headline_text(page)


def _date_in_headline_text(page: _Page) -> str | None:
    """A date printed in a short line around the headline, whatever its element is named
    (utility-class pages: <p class="text-sm text-gray-600">December 13, 2025</p>)."""
    region = _headline_region(page)
    if region is None:
        return None
    for chunk in _VISIBLE_TEXT(region):
        if len(chunk) <= _MAX_DATE_LINE and any(ch.isdigit() for ch in chunk):
            found = search_text_date(chunk)
            if found:
                return found
    return None


def _date_in_element(el: lxml_html.HtmlElement) -> str | None:
    if el.tag in ("html", "body", "script", "style", "meta", "link"):
        return None
    content = el.get("content") or el.get("datetime")
    found = normalise_date(content) if content else None
    if found:
        return found
    text = _clean(el.text_content())
    if not text or len(text) > _MAX_DATE_TEXT or _inside_unrelated_block(el):
        return None
    return search_text_date(text)


def _date_from_url(url: str | None) -> str | None:
    """/2025/11/27/ or /2025-11-27- in the URL path is a dependable publication day."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    match = _URL_DATE.search(path)
    return _make_date(int(match[1]), int(match[2]), int(match[3])) if match else None


# ---------------------------------------------------------------------------
# URL and language
# ---------------------------------------------------------------------------


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


def _canonical_url(page: _Page, ld: _LinkedData, url: str | None) -> str | None:
    """<link rel=canonical>, og:url or the JSON-LD url, made absolute and http(s) only;
    else the request URL."""
    base = _absolute_http(page.base_href, url) or url
    request = _absolute_http(url, None)
    for href in (page.canonical, _first_meta(page, ("og:url",)), ld.url):
        found = _absolute_http(href, base)
        if not found:
            continue
        # A canonical pointing at the home page from a deeper page is a template mistake.
        home = urlsplit(found).path in ("", "/")
        if home and request and urlsplit(request).path not in ("", "/"):
            continue
        return found
    return request or url


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


def _html_lang(page: _Page) -> str | None:
    """<html lang> (or xml:lang), else the content-language meta."""
    for value in (page.root.get("lang"), page.root.get(_XML_LANG), page.root.get("xml:lang")):
        lang = normalise_lang(value)
        if lang:
            return lang
    return normalise_lang(_first_meta(page, ("content-language", "dc.language", "language")))


# ---------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------


def read_metadata(doc: lxml_html.HtmlElement, url: str | None) -> Metadata:
    """Read title, byline, publication date, site name, canonical URL and language.

    ``doc`` is the whole parsed page (``lxml.html.document_fromstring``); it is only read.
    ``url`` is the address the page was fetched from, used to resolve relative links, to
    recognise the site's name in the title and to read a date from the path. Unknown
    fields are ``None``; ``published`` falls back to the last-modified date only when the
    page gives no other date, and ``url`` to the request URL.
    """
    page = _scan(doc)
    ld = _read_json_ld(page.json_ld) if page.json_ld else _LinkedData()
    canonical = _canonical_url(page, ld, url)
    site_name = _site_name(page, ld)
    publisher = None if ld.publisher_is_person else ld.publisher
    site_keys = {_key(s) for s in (site_name, publisher, ld.website) if s} - {""}
    return Metadata(
        title=_title(page, ld, site_name, canonical or url),
        byline=_byline(page, ld, site_keys),
        published=_published(page, ld, canonical or url),
        site_name=site_name,
        url=canonical,
        html_lang=_html_lang(page),
    )


# ---------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------


def _load_wire_services() -> tuple[dict[str, str], frozenset[str]]:
    """Alias -> display name (keys case-folded) and the all-caps labels that are not places."""
    data = json.loads((_DATA_DIR / "wire_services.json").read_text(encoding="utf-8"))
    aliases = {alias.casefold(): name for alias, name in data["aliases"].items()}
    labels = frozenset(label.casefold() for label in data.get("not_datelines", ()))
    return aliases, labels


_WIRE_ALIASES, _NOT_DATELINES = _load_wire_services()
# Longest first, so "Associated Press" wins over "AP" and "dpa-AFX" over "dpa".
_WIRE_ALT = "|".join(re.escape(a) for a in sorted(_WIRE_ALIASES, key=len, reverse=True))
_WIRE_LIST = re.compile(rf"(?:{_WIRE_ALT})(?:\s*[/,;&]\s*(?:{_WIRE_ALT}))*", re.I)
_WIRE_FIRST = re.compile(rf"{_WIRE_ALT}", re.I)

_DASH = r"(?:--|[-–—])"
# A place: letters with inner periods, apostrophes, hyphens, single spaces and slashes
# ("ST. LOUIS", "WINSTON-SALEM", "SAN FRANCISCO/NEW YORK"). Capitals are checked in code
# because Python's re has no upper-case letter class covering accented letters.
_PLACE = r"[^\W\d_](?:[^\W\d_]|[.'’]|-(?=[^\W\d_])|\s(?=[^\W\d_(])|\s?/\s?(?=[^\W\d_]))*"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    # ", Nov 27" / ", 3. März" / ", Ukraine" / ", N.C."
    rf"(?:,\s*(?P<extra>[^\W_][^()\n:;!?\"“”]{{0,39}}?))?"
    # then "(Agency)" with an optional dash, or a dash alone
    rf"(?:\s*\((?P<paren>[^()\n]{{1,40}})\)\s*(?P<paren_dash>{_DASH})?"
    rf"|\s*(?P<dash>--|[–—])|\s+(?P<hyphen>-)(?=\s))"
    rf"(?P<after>.{{0,40}})",
    re.S,
)
_WIRE_ONLY = re.compile(
    rf"^\((?P<paren>[^()\n]{{1,40}})\)\s*(?P<dash>{_DASH})?(?P<after>\s*.{{0,40}})", re.S
)
_DATELINE_WINDOW = 200
_MAX_PLACE_WORDS = 4


def _wire_name(paren: str | None) -> str | None:
    """The display name of the agency in "(…)", when it is one or a list of known ones."""
    if not paren:
        return None
    paren = paren.strip()
    if not _WIRE_LIST.fullmatch(paren):
        return None
    first = _WIRE_FIRST.match(paren)
    return _WIRE_ALIASES.get(first.group(0).casefold()) if first else None


def _is_place(place: str, *, strict: bool) -> bool:
    """A dateline place: capitals (title case allowed only with a known agency), a few words."""
    letters = sum(ch.isalpha() for ch in place)
    if letters < 2 or place.casefold() in _NOT_DATELINES:
        return False
    segments = re.split(r"\s?/\s?", place)
    if any(len(seg.split()) > _MAX_PLACE_WORDS for seg in segments):
        return False
    if place.isupper():
        return True
    if strict:
        return False
    # "Berlin", "Frankfurt am Main", "Rio de Janeiro": capitalised words, short particles between.
    for seg in segments:
        words = [w for w in seg.split() if w[:1].isalpha()]
        if not words or not words[0][:1].isupper() or not words[-1][:1].isupper():
            return False
        if any(not w[:1].isupper() and len(w) > 3 for w in words):
            return False
    return True


def _running_text(after: str) -> bool:
    """The story continues in ordinary case (an all-caps headline is not a dateline)."""
    return any(ch.islower() for ch in after) or not any(ch.isalpha() for ch in after)


def find_dateline(text: str) -> tuple[str | None, str | None]:
    """Return ``(dateline, wire_service)`` when the story opens with a dateline, else Nones.

    "TOKYO, Nov 27 (Reuters) – U.S. President …" gives ("TOKYO", "Reuters");
    "NEW YORK — …" gives ("NEW YORK", None); "(Reuters) - …" gives (None, "Reuters").
    Only the first ~200 characters of the first paragraph are read.
    """
    if not text:
        return None, None
    first = text.lstrip().split("\n", 1)[0].strip()[:_DATELINE_WINDOW]
    if not first:
        return None, None

    only = _WIRE_ONLY.match(first)
    if only:
        wire = _wire_name(only["paren"])
        if wire and _running_text(only["after"]):
            return None, wire
        return None, None

    match = _DATELINE.match(first)
    if not match:
        return None, None
    place = match["place"].strip()
    wire = _wire_name(match["paren"])
    dash = bool(match["paren_dash"] or match["dash"] or match["hyphen"])
    if not _running_text(match["after"]):
        return None, None  # an all-caps headline, not a story's first line

    if wire:
        # With a named agency a title-case place is fine ("Berlin (dpa) - …"), but then a dash
        # must follow, so "The Associated Press (AP) reported" is not read as a dateline.
        if _is_place(place, strict=not dash):
            return place, wire
        return None, None
    if not dash:
        return None, None
    extra = match["extra"]
    if extra is not None and match["paren"] is None and not _extra_is_dateline_detail(extra):
        return None, None
    if not _is_place(place, strict=True):
        return None, None
    if match["paren"] is None and match["extra"] is None and sum(ch.isalpha() for ch in place) < 3:
        # "AI — …", "US — …": too short to tell a place from an acronym.
        return None, None
    return place, None


def _extra_is_dateline_detail(extra: str) -> bool:
    """After "PLACE," a dateline has a date or a region ("Nov 27", "Ill.", "Ukraine")."""
    extra = extra.strip()
    return bool(extra) and (extra[0].isdigit() or extra[0].isupper()) and len(extra.split()) <= 5
