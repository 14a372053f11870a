"""JSON-LD: the headline, authors, dates, publisher and site name a page declares in
``<script type="application/ld+json">``, read with the tolerance real pages need (comments,
CDATA, trailing commas, several objects pasted together, ``@graph``, ``@id`` references).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .page import URLISH, clean_text


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
class LinkedData:
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
    return clean_text(value)


def read_json_ld(texts: list[str]) -> LinkedData:
    """Read the article, publisher and site fields from all JSON-LD blocks of a page."""
    result = LinkedData()
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
            name = clean_text(item)
        elif isinstance(item, dict):
            name = _text_of(item.get("name"))
            if not name:
                given, family = _text_of(item.get("givenName")), _text_of(item.get("familyName"))
                name = " ".join(p for p in (given, family) if p) or None
            types = _types(item)
        if not name or URLISH.search(name):
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
    return clean_text(value)
