"""The headline: the visible ``<h1>`` when a declared title (JSON-LD, meta tags, ``<title>``)
agrees with it, else the declared title, with site names and section labels cut
("Headline | Site Name" -> "Headline").
"""

from __future__ import annotations

import re

from .json_ld import LinkedData
from .page import Page, clean_text, first_meta, text_key
from .site import host_key


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
    key = text_key(part)
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
    if sep and rest and text_key(head) in site_keys:
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


def read_title(page: Page, ld: LinkedData, site_name: str | None, url: str | None) -> str | None:
    """The headline: the visible <h1> when structured titles agree with it, site affixes removed."""
    site_keys = {text_key(s) for s in (site_name, ld.publisher, ld.website) if s} - {""}
    host = host_key(url)

    structured: list[str] = []
    for raw in (ld.headline, *(first_meta(page, (name,)) for name in _TITLE_META), ld.page_name):
        if raw:
            structured.append(_strip_site_affix(raw, site_keys, host))
    document_title = clean_text(page.title)
    stripped_title = _strip_site_affix(document_title, site_keys, host) if document_title else None
    headings = [h for h in (clean_text(_PERMALINK_MARK.sub("", t)) for t in page.h1) if h]

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
            if len(heading) >= 10 and text_key(document_title).startswith(text_key(heading)):
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
    ref_keys = {text_key(r): r for r in references}
    for heading in headings:
        same = ref_keys.get(text_key(heading))
        if same is not None:
            # An all-caps <h1> is styling; the declared title has the real casing.
            return same if heading.isupper() and not same.isupper() else heading
    for heading in headings:
        heading_key = text_key(heading)
        for ref in references:
            ref_key = text_key(ref)
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
