"""The annotation stage: attributions, their source entities, cited links and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from .finder import find_attributions
from .model import Attribution, Link, Source, SOURCE_CATEGORIES
from .sources import group_sources


@dataclass
class Annotations:
    """Everything the annotation stage adds beside the article."""

    attributions: list[Attribution] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def annotate(text: str, lang: str | None) -> Annotations:
    """Find the attributions in an article's text and group their sources."""
    attributions = find_attributions(text, lang)
    sources = group_sources(text, attributions, lang)
    return Annotations(attributions=attributions, sources=sources,
                       summary=summarize(text, attributions, sources))


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
