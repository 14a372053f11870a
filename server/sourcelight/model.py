"""The data that flows out of the pipeline: plain dataclasses that serialise to the API's JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Metadata:
    """What the page says about itself (before any article text is known)."""

    title: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO 8601
    site_name: str | None = None
    url: str | None = None  # canonical URL when the page gives one, else the request URL
    html_lang: str | None = None  # <html lang>, normalised to a primary tag ("en")


@dataclass
class Article:
    """The clean article: the ``article`` object of ``POST /v1/clean``."""

    title: str | None
    byline: str | None
    published: str | None
    site_name: str | None
    url: str | None
    lang: str | None
    dateline: str | None
    wire_service: str | None
    word_count: int
    reading_minutes: int
    html: str
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    """Everything ``clean`` returns: the article and, beside it, its annotations."""

    article: Article
    # Stages that relaxed a rule or fell back record it here (e.g. "lang:html-attribute"),
    # so a degraded answer is never silent.
    notes: list[str] = field(default_factory=list)
    sources: list = field(default_factory=list)  # attribution.model.Source
    attributions: list = field(default_factory=list)  # attribution.model.Attribution
    # Attributions below Settings.min_confidence: offered as "uncertain", never marked.
    candidates: list = field(default_factory=list)
    links: list = field(default_factory=list)  # attribution.model.Link
    summary: dict = field(default_factory=dict)
    # (start, end, role) spans of article.text that are not prose (captions, credits, bylines):
    # read by ``clean`` for its annotator (empty after ``extract_article``), not serialised.
    non_prose: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "article": self.article.to_dict(),
            "sources": [s.to_dict() for s in self.sources],
            "attributions": [a.to_dict() for a in self.attributions],
            "candidates": [a.to_dict() for a in self.candidates],
            "links": [link.to_dict() for link in self.links],
            "summary": dict(self.summary),
            "notes": list(self.notes),
        }
