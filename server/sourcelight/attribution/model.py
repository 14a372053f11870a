"""The annotation data: attributions, source entities, cited links, and the summary.

Spans are ``(start, end)`` character offsets into ``article.text``, end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]

ATTRIBUTION_TYPES = ("direct", "indirect", "mixed")
SOURCE_CATEGORIES = ("person", "anonymous", "organization", "media", "document", "unknown")
LINK_KINDS = ("media", "primary", "social", "same-site", "other")


@dataclass
class Attribution:
    """One attribution: a source said/reported/claimed some content, signalled by a cue."""

    content: Span
    source: Span | None
    cue: Span | None
    type: str  # one of ATTRIBUTION_TYPES
    confidence: float
    id: str = ""
    entity: str | None = None  # id of the Source entity the source span belongs to
    # The grammatical reading that found it ("quote-cue-after", "according-to", …), set by the
    # finder; the confidence stage weighs it with the other evidence.
    construction: str = ""
    # Named evidence behind ``confidence`` ("cue:strong", "source:pronoun-resolved", …).
    evidence: list[str] = field(default_factory=list)
    # The finder's own number for its construction, kept when ``confidence`` is calibrated.
    prior: float | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "entity": self.entity, "type": self.type,
            "confidence": round(self.confidence, 2),
            "source": list(self.source) if self.source else None,
            "cue": list(self.cue) if self.cue else None,
            "content": list(self.content),
            "evidence": list(self.evidence),
        }


@dataclass
class Source:
    """A source entity: every mention of one source grouped ("two government sources",
    "the sources", "one of the sources")."""

    id: str
    name: str
    category: str  # one of SOURCE_CATEGORIES
    mentions: list[str] = field(default_factory=list)  # ids of marked attributions
    anonymity_reason: str | None = None
    state_media: bool = False
    # What the article calls the source besides its name ("an Oklahoma Republican").
    role: str | None = None
    candidate_mentions: list[str] = field(default_factory=list)  # ids of candidates

    def to_dict(self) -> dict:
        out = {"id": self.id, "name": self.name, "category": self.category,
               "mentions": list(self.mentions),
               "candidate_mentions": list(self.candidate_mentions)}
        if self.role:
            out["role"] = self.role
        if self.category == "anonymous":
            out["anonymity_reason"] = self.anonymity_reason
        if self.category == "media":
            out["state_media"] = self.state_media
        return out


@dataclass
class Link:
    """A link the article cites, classified, and the attribution it sits in (if any)."""

    href: str
    text: str
    kind: str  # one of LINK_KINDS
    span: Span | None = None  # the link text's offsets in article.text
    attribution: str | None = None

    def to_dict(self) -> dict:
        return {"href": self.href, "text": self.text, "kind": self.kind,
                "attribution": self.attribution}
