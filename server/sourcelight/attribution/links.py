"""Cited links: every ``<a href>`` in the article, classified, placed in the text, and tied to
the attribution it sits in ("first reported by the [Wall Street Journal]").

Kinds (``model.LINK_KINDS``): ``same-site`` (the page's own site), ``social``, ``primary``
(government, courts, academia, company and regulatory documents), ``media`` (outlets and wire
services) and ``other``. The domain lists and the order the rules apply in are data, in
``lexicons/links.json``; its ``_about`` says how each list matches. Outlets match by the first
label of the registrable domain, so ``reuters.co.uk`` and a test domain like ``wsj.example``
count as media without listing every country domain of every outlet.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ..extract.text import TextMap, parse_fragment, text_with_offsets
from .model import Attribution, Link, Span

RULES_PATH = Path(__file__).with_name("lexicons") / "links.json"
_IP_RE = re.compile(r"^[\d.]+$|:")


@dataclass(frozen=True)
class LinkRules:
    """The compiled ``links.json``."""

    public_suffix_labels: frozenset[str]
    social_domains: frozenset[str]
    social_host_prefixes: tuple[str, ...]
    media_labels: frozenset[str]
    media_domains: frozenset[str]
    primary_domains: frozenset[str]
    primary_tlds: frozenset[str]
    primary_second_levels: frozenset[str]
    primary_subdomains: frozenset[str]
    primary_name_re: re.Pattern
    document_extensions: tuple[str, ...]


@lru_cache(maxsize=1)
def link_rules() -> LinkRules:
    """Load and compile the link lists once."""
    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    social, media, primary = data["social"], data["media"], data["primary"]
    return LinkRules(
        public_suffix_labels=frozenset(data["public_suffix_labels"]),
        social_domains=frozenset(social["domains"]),
        social_host_prefixes=tuple(social["host_prefixes"]),
        media_labels=frozenset(media["labels"]),
        media_domains=frozenset(media["domains"]),
        primary_domains=frozenset(primary["domains"]),
        primary_tlds=frozenset(primary["tlds"]),
        primary_second_levels=frozenset(primary["second_level_labels"]),
        primary_subdomains=frozenset(primary["subdomain_labels"]),
        primary_name_re=re.compile("|".join(map(re.escape, primary["name_words"]))),
        document_extensions=tuple("." + ext for ext in primary["document_extensions"]),
    )


def classify_links(article_html: str, text_map: TextMap | None, page_url: str | None,
                   attributions: Sequence[Attribution]) -> list[Link]:
    """Every ``<a href>`` of the article as a :class:`Link`, in document order.

    ``text_map`` is the map :func:`~sourcelight.extract.text.text_with_offsets` made of this
    article's parsed HTML (the pipeline has it already; ``None`` parses ``article_html`` anew).
    Each link's ``span`` is its text's offsets in ``article.text``, and ``attribution`` the id
    of the attribution whose source, cue or content span overlaps it — a source beats a cue
    beats a content, and among equals the shortest span wins.
    """
    if text_map is None:
        _, text_map = text_with_offsets(parse_fragment(article_html))
    links = []
    index = PartIndex(attributions)
    page_domain = _page_domain(page_url)  # (read once, not for every link)
    kinds: dict[str, str] = {}  # href -> kind: articles repeat their links
    for anchor in text_map.root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        span = _link_span(anchor, text_map)
        text = text_map.text[span[0]:span[1]] if span else " ".join(anchor.text_content().split())
        if (kind := kinds.get(href)) is None:
            kind = kinds[href] = _link_kind(href, page_domain)
        links.append(Link(href=href, text=text, kind=kind, span=span,
                          attribution=index.attribution_for(span) if span else None))
    return links


def _link_span(anchor: HtmlElement, text_map: TextMap) -> Span | None:
    """The link text's span, without whitespace the text kept at its edges."""
    span = text_map.element_span(anchor)
    if span is None:
        return None
    start, end = span
    text = text_map.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class PartIndex:
    """The source, cue and content spans of all attributions, sorted by start, so that a
    link finds the parts it overlaps without scanning every attribution (articles of
    megabytes carry thousands of both)."""

    def __init__(self, attributions: Sequence[Attribution]) -> None:
        parts = []
        for order, attribution in enumerate(attributions):
            for rank, part in enumerate((attribution.source, attribution.cue,
                                         attribution.content)):
                if part and part[1] > part[0]:
                    parts.append((part[0], part[1], rank, order, attribution.id))
        parts.sort()
        self.parts = parts
        self.starts = [p[0] for p in parts]
        self.longest = max((p[1] - p[0] for p in parts), default=0)

    def attribution_for(self, span: Span) -> str | None:
        """Like :func:`attribution_for`, from the index."""
        best: tuple[tuple[int, int, int], str] | None = None
        i = bisect.bisect_left(self.starts, span[0] - self.longest)
        while i < len(self.parts) and self.parts[i][0] < span[1]:
            start, end, rank, order, ident = self.parts[i]
            i += 1
            if span[0] < end:
                key = (rank, end - start, order)
                if best is None or key < best[0]:
                    best = (key, ident)
        return best[1] if best else None


def attribution_for(span: Span, attributions: Sequence[Attribution]) -> str | None:
    """The id of the attribution a span sits in: overlapping its source, else its cue, else its
    content; the innermost (shortest) of those when several do."""
    best: tuple[tuple[int, int], str] | None = None
    for attribution in attributions:
        for rank, part in enumerate((attribution.source, attribution.cue, attribution.content)):
            if part and part[0] < span[1] and span[0] < part[1]:
                key = (rank, part[1] - part[0])
                if best is None or key < best[0]:
                    best = (key, attribution.id)
                break  # an attribution counts once, by its best part
    return best[1] if best else None


def link_kind(href: str, page_url: str | None = None) -> str:
    """``same-site``, ``social``, ``primary``, ``media`` or ``other`` for one link."""
    return _link_kind(href, _page_domain(page_url))


def _page_domain(page_url: str | None) -> str:
    """The registrable domain of the page's host; empty when the address has no host."""
    page_host = _page_host(page_url)
    return registrable_domain(page_host) if page_host else ""


def _link_kind(href: str, page_domain: str) -> str:
    """``link_kind`` for a page of registrable domain ``page_domain`` ("" when unknown)."""
    plain = plain_host_and_path(href)
    if plain is not None:
        host, path = _host(plain[0]), plain[1]
    else:
        try:
            parts = urlsplit(href)
            host = _host(parts.hostname)
        except ValueError:  # "http://[not-an-address]/"
            return "other"
        if not parts.scheme and not parts.netloc:
            return "same-site"  # a relative link points into the page's own site
        if parts.scheme not in ("http", "https"):
            return "other"
        path = parts.path
    if not host:
        return "other"
    before_path, by_host = _host_kinds(host, page_domain)
    if before_path is not None:
        return before_path
    if path.lower().endswith(link_rules().document_extensions):
        return "primary"
    return by_host


# A plain absolute address, as nearly every link of an article is: "http(s)://", a host of
# ASCII letters, digits, dots and hyphens, a port, and a path up to its query or fragment
# without the tab and line breaks ``urlsplit`` would remove.
_PLAIN_HTTP_RE = re.compile(r"https?://([A-Za-z0-9.-]*)(?::[0-9]*)?(/[^?#\t\r\n]*)?(?=[?#]|\Z)")


def plain_host_and_path(href: str) -> tuple[str, str] | None:
    """(``urlsplit(href).hostname`` or "", its ``path``) for a plain absolute address, read
    without ``urlsplit`` (whose checks for every kind of address were a third of typing an
    article's links); None for any other address."""
    plain = _PLAIN_HTTP_RE.match(href)
    if plain is None:
        return None
    return plain.group(1).lower(), plain.group(2) or ""


@lru_cache(maxsize=4096)
def _host_kinds(host: str, page_domain: str) -> tuple[str | None, str]:
    """What the host alone says of a link, in the rules' order: ``same-site`` or ``social``
    before the path is looked at (else None), and the kind after it. Kept per host: an
    article links most of its hosts several times (a third of its links are to new ones)."""
    rules = link_rules()
    domain = registrable_domain(host)
    if page_domain and domain == page_domain:
        return "same-site", ""
    if _in_domains(host, rules.social_domains) or host.startswith(rules.social_host_prefixes):
        return "social", ""
    if _in_domains(host, rules.primary_domains):
        return None, "primary"
    if _in_domains(host, rules.media_domains):
        return None, "media"
    if _is_primary_host(host, rules):
        return None, "primary"
    label = _name_part(domain)
    if label in rules.media_labels:
        return None, "media"
    if rules.primary_name_re.search(label):
        return None, "primary"
    return None, "other"


def registrable_domain(host: str) -> str:
    """The domain a site registered, approximated without the public suffix list: the last two
    labels, or three when the second-to-last is a short suffix label under a two-letter country
    TLD (``news.bbc.co.uk`` → ``bbc.co.uk``, ``www3.nhk.or.jp`` → ``nhk.or.jp``)."""
    if _IP_RE.search(host):
        return host
    labels = host.split(".")
    if (len(labels) >= 3 and len(labels[-1]) == 2
            and labels[-2] in link_rules().public_suffix_labels):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def registrable_label(host: str) -> str:
    """The name part of the registrable domain: ``reuters`` for ``www.reuters.co.uk``."""
    return _name_part(registrable_domain(host))


def _name_part(domain: str) -> str:
    """The name part of a registrable domain: ``reuters`` for ``reuters.co.uk``."""
    return domain.split(".")[0]


def _is_primary_host(host: str, rules: LinkRules) -> bool:
    """Government, military, academic and international hosts by their suffix (``.gov``,
    ``gov.uk``, ``go.jp``, ``ac.uk``, ``.int``), and investor-relations subdomains."""
    labels = host.split(".")
    if labels[-1] in rules.primary_tlds:
        return True
    if len(labels) >= 2 and len(labels[-1]) == 2 and labels[-2] in rules.primary_second_levels:
        return True
    registered = registrable_domain(host).count(".") + 1
    return any(label in rules.primary_subdomains for label in labels[:-registered])


def _in_domains(host: str, domains: frozenset[str]) -> bool:
    """Whether the host is one of the domains or a subdomain of one."""
    while True:
        if host in domains:
            return True
        dot = host.find(".")
        if dot < 0:
            return False
        host = host[dot + 1:]


def _page_host(page_url: str | None) -> str:
    try:
        return _host(urlsplit(page_url).hostname) if page_url else ""
    except ValueError:
        return ""


def _host(hostname: str | None) -> str:
    """The host, lower-case, without a trailing dot or a leading ``www.``."""
    host = (hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host
