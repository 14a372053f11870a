"""A terminal view of an annotated article: the text with sources, cues and contents in
colour (and in brackets, for terminals and readers without colour), then the sources panel."""

from __future__ import annotations

from .model import Result

RESET = "\x1b[0m"
CATEGORY_COLOURS = {
    "person": "\x1b[1;36m",        # bold cyan
    "anonymous": "\x1b[1;35m",     # bold magenta
    "organization": "\x1b[1;34m",  # bold blue
    "media": "\x1b[1;33m",         # bold yellow
    "document": "\x1b[1;32m",      # bold green
    "unknown": "\x1b[1m",
}
CUE = "\x1b[4m"          # underlined
CONTENT = "\x1b[3m"      # italic


def render_terminal(result: Result, colour: bool = True) -> str:
    """The article with its attributions marked, then one line per source entity.

    Without colour, sources read ``[[source]]``, cues ``<cue>`` and contents ``{content}``.
    """
    article = result.article
    category = {s.id: s.category for s in result.sources}
    events: list[tuple[int, int, str]] = []  # (offset, order, code) — closings before openings
    marked: set[tuple[int, int, str]] = set()  # one mark per span and role, however many share it
    for a in result.attributions:
        style = CATEGORY_COLOURS.get(category.get(a.entity, "unknown"), "\x1b[1m")
        for role, span, on, off in (("content", a.content, CONTENT if colour else "{", "}"),
                                    ("source", a.source, style if colour else "[[", "]]"),
                                    ("cue", a.cue, CUE if colour else "<", ">")):
            if span and (span[0], span[1], role) not in marked:
                marked.add((span[0], span[1], role))
                events.append((span[0], 1, on))
                events.append((span[1], 0, RESET if colour else off))
    text = article.text
    out: list[str] = []
    open_codes: list[str] = []
    last = 0
    for offset, order, code in sorted(events):
        out.append(text[last:offset])
        last = offset
        if order == 1:
            open_codes.append(code)
            out.append(code)
        else:
            if open_codes:
                open_codes.pop()
            out.append(code)
            if colour:
                out.extend(open_codes)  # a reset closed everything: reopen the outer styles
    out.append(text[last:])
    header = [article.title or "(untitled)"]
    meta = " · ".join(x for x in (article.byline, article.published, article.site_name,
                                  article.lang, article.dateline, article.wire_service) if x)
    if meta:
        header.append(meta)
    panel = ["", "Sources:"] + [_source_line(s, colour) for s in result.sources]
    summary = result.summary
    if summary:
        counts = ", ".join(f"{n} {c}" for c, n in summary.get("by_category", {}).items())
        panel.append(f"{summary.get('sources', 0)} sources ({counts}) · "
                     f"{summary.get('anonymous_mentions', 0)} anonymous mentions · "
                     f"{round(100 * summary.get('attributed_share', 0))}% of the text attributed")
    return "\n".join(header + ["", "".join(out)] + panel) + "\n"


def _source_line(source, colour: bool) -> str:
    style = CATEGORY_COLOURS.get(source.category, "") if colour else ""
    name = f"{style}{source.name}{RESET if colour else ''}"
    extra = []
    if source.category == "media" and source.state_media:
        extra.append("state media")
    if source.category == "anonymous" and source.anonymity_reason:
        extra.append(f"reason: {source.anonymity_reason}")
    tail = f" — {'; '.join(extra)}" if extra else ""
    return f"  {source.id} {name} [{source.category}] × {len(source.mentions)}{tail}"
