"""The annotation stage: attributions, their source entities, cited links and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..extract.text import parse_fragment, text_with_offsets
from ..render import mark_spans
from .finder import find_attributions
from .links import classify_links
from .model import SOURCE_CATEGORIES, Attribution, Link, Source
from .sources import group_sources


@dataclass
class Annotations:
    """Everything the annotation stage adds beside the article."""

    attributions: list[Attribution] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    marked_html: str = ""  # the article HTML with <mark> elements for every span


MARK_CLASSES = (("source", "sl-source"), ("cue", "sl-cue"), ("content", "sl-content"))


def annotate(text: str, html: str, lang: str | None, page_url: str | None) -> Annotations:
    """Find the attributions in an article's text, group their sources, classify its links
    and mark all of it in the article HTML."""
    attributions = find_attributions(text, lang)
    sources = group_sources(text, attributions, lang)
    mapped_text, text_map = text_with_offsets(parse_fragment(html))
    if mapped_text != text:  # the text was read from this very HTML; anything else is a bug
        raise ValueError("article text and article HTML disagree; cannot place marks")
    links = classify_links(html, text_map, page_url, attributions)
    marks = [(span[0], span[1], css, {"data-attr": a.id, "data-entity": a.entity or ""})
             for a in attributions for role, css in MARK_CLASSES
             if (span := getattr(a, role)) is not None]
    return Annotations(attributions=attributions, sources=sources, links=links,
                       summary=summarize(text, attributions, sources),
                       marked_html=mark_spans(html, marks, text_map) if marks else html)


def summarize(text: str, attributions: list[Attribution], sources: list[Source]) -> dict:
    """Counts a reader takes in at a glance: sources by category, named vs anonymous
    mentions, and how much of the text is attributed."""
    by_category = {c: 0 for c in SOURCE_CATEGORIES}
    for source in sources:
        by_category[source.category] = by_category.get(source.category, 0) + 1
    category_of = {s.id: s.category for s in sources}
    anonymous_mentions = sum(1 for a in attributions if category_of.get(a.entity) == "anonymous")
    named_mentions = sum(1 for a in attributions if category_of.get(a.entity) == "person")
    covered = _covered_chars([a.content for a in attributions])
    return {
        "sources": len(sources),
        "by_category": {c: n for c, n in by_category.items() if n},
        "attributions": len(attributions),
        "named_mentions": named_mentions,
        "anonymous_mentions": anonymous_mentions,
        "attributed_share": round(covered / len(text), 2) if text else 0.0,
    }


def _covered_chars(spans: list[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total
