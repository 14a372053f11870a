"""The annotation stage: attributions, their source entities, cited links and a summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..extract.text import TextMap, parse_fragment, text_with_offsets
from ..marks import mark_spans
from ..settings import Settings
from .confidence import calibrate, split_by_confidence
from .finder import find_attributions
from .links import classify_links
from .model import SOURCE_CATEGORIES, Attribution, Link, Source, Span
from .sources import group_sources


@dataclass
class Annotations:
    """Everything the annotation stage adds beside the article."""

    attributions: list[Attribution] = field(default_factory=list)
    candidates: list[Attribution] = field(default_factory=list)  # below the threshold
    sources: list[Source] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    marked_html: str = ""  # the article HTML with <mark> elements for every span


MARK_CLASSES = (("source", "sl-source"), ("cue", "sl-cue"), ("content", "sl-content"))


@dataclass
class Attributed:
    """The text-only half of annotation: what is marked, what is uncertain, and the cards."""

    attributions: list[Attribution]
    candidates: list[Attribution]
    sources: list[Source]


def attribute(text: str, lang: str | None, min_confidence: float | None = None,
              non_prose: Sequence[Span] = ()) -> Attributed:
    """Attributions of a plain text with their source entities, split by calibrated
    confidence. ``non_prose`` spans (captions, credits, bylines) are never annotated."""
    found = [a for a in find_attributions(text, lang) if not _in_non_prose(a, non_prose)]
    sources = group_sources(text, found, lang, non_prose)
    calibrate(text, found)
    if min_confidence is None:
        min_confidence = Settings().min_confidence_for(lang)
    marked, candidates = split_by_confidence(found, min_confidence)
    return Attributed(marked, candidates, assign_mentions(sources, marked, candidates))


def _in_non_prose(a: Attribution, non_prose: Sequence[Span]) -> bool:
    spans = [s for s in (a.source, a.cue, a.content) if s is not None]
    return any(s[0] < end and start < s[1] for s in spans for start, end, *_ in non_prose)


def assign_mentions(sources: list[Source], marked: list[Attribution],
                    candidates: list[Attribution]) -> list[Source]:
    """Fill each entity's mentions (marked ids) and candidate mentions; entities nobody
    refers to any more are dropped, the rest renumbered e1… in order of first mention."""
    by_id = {s.id: s for s in sources}
    for s in sources:
        s.mentions, s.candidate_mentions = [], []
    for a in marked:
        if a.entity in by_id:
            by_id[a.entity].mentions.append(a.id)
    for a in candidates:
        if a.entity in by_id:
            by_id[a.entity].candidate_mentions.append(a.id)
    kept = [s for s in sources if s.mentions or s.candidate_mentions]
    renumber = {s.id: f"e{n}" for n, s in enumerate(kept, 1)}
    for a in (*marked, *candidates):
        a.entity = renumber.get(a.entity) if a.entity else None
    for s in kept:
        s.id = renumber[s.id]
    return kept


def annotate(text: str, html: str, lang: str | None, page_url: str | None,
             min_confidence: float | None = None,
             non_prose: Sequence[Span] = (), text_map: TextMap | None = None) -> Annotations:
    """Find the attributions in an article's text, group their sources, classify its links
    and mark the confident ones in the article HTML (the rest are candidates).

    ``text_map``: the map of ``html``'s parse that ``text`` was read from, when the caller
    has it (the extraction stages do); it saves parsing the article again."""
    attributed = attribute(text, lang, min_confidence, non_prose)
    attributions, sources = attributed.attributions, attributed.sources
    if text_map is None:
        mapped_text, text_map = text_with_offsets(parse_fragment(html))
    else:
        mapped_text = text_map.text
    if mapped_text != text:  # the text was read from this very HTML; anything else is a bug
        raise ValueError("article text and article HTML disagree; cannot place marks")
    links = classify_links(html, text_map, page_url, attributions)
    marks = [(span[0], span[1], css, {"data-attr": a.id, "data-entity": a.entity or ""})
             for a in attributions for role, css in MARK_CLASSES
             if (span := getattr(a, role)) is not None]
    return Annotations(attributions=attributions, candidates=attributed.candidates,
                       sources=sources, links=links,
                       summary=summarize(text, attributions, sources),
                       marked_html=mark_spans(html, marks, text_map) if marks else html)


def summarize(text: str, attributions: list[Attribution], sources: list[Source]) -> dict:
    """Counts a reader takes in at a glance: sources by category, named vs anonymous
    mentions, and how much of the text is attributed."""
    by_category = {c: 0 for c in SOURCE_CATEGORIES}
    sources = [s for s in sources if s.mentions]  # cards of candidates only are not counted
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
