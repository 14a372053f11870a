"""Stage: find the article in the pruned page, with readability-lxml as the engine.

Our own steps around the engine: it gets the tree we already parsed and pruned (no second
parse), its "unlikely candidate" pass is replaced by our boilerplate stage (its regex drops
whole articles whose wrappers say "sidebar-layout"), and what it drops that belongs to the
article — the lead figure with its caption — is put back.
"""

from __future__ import annotations

import copy

import lxml.html
from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

from ..errors import NoArticle
from ..settings import Settings
from .boilerplate import class_score, text_length


class _PrunedDocument(Document):
    """readability-lxml's Document over a tree our boilerplate stage already pruned."""

    def remove_unlikely_candidates(self) -> None:  # noqa: D102 - see module docstring
        return None

    def class_weight(self, e: HtmlElement) -> int:
        """Score class/id by whole words (readability's substring regex penalises
        "elementor-widget-container" and so deletes whole Elementor articles)."""
        return class_score(e)


def find_article(doc: HtmlElement, base_url: str | None, settings: Settings,
                 notes: list[str]) -> HtmlElement:
    """Return the article's element tree (a ``<div>``), or raise ``NoArticle``."""
    if doc.find("body") is None:
        raise NoArticle("The page has no body (it may be a frameset); open the framed page itself.")
    # readability's cleaner works on its own deep copy, so the page tree stays intact.
    engine = _PrunedDocument(
        doc,
        url=base_url,
        min_text_length=settings.readability_min_text_length,
        retry_length=settings.readability_retry_length,
    )
    try:
        summary = engine.summary(html_partial=True)
    except Unparseable as exc:
        raise NoArticle(f"No article could be found on this page ({exc}).") from None
    article = lxml.html.fragment_fromstring(summary or "<div></div>", create_parent="div") \
        if not (summary or "").lstrip().startswith("<div") else lxml.html.fragment_fromstring(summary)
    restore_lead_figure(doc, article)
    return article


def restore_lead_figure(doc: HtmlElement, article: HtmlElement) -> None:
    """Put back the article's lead figure (image + caption) when readability left it out.

    Only a ``<figure>`` that shares the article's ``<article>``/``<main>`` container and comes
    before the first paragraph readability kept is taken: that is where lead images sit.
    """
    first_para = _first_paragraph_text(article)
    if not first_para:
        return
    kept_images = {img.get("src") for img in article.iter("img")}
    container = _container_of_text(doc, first_para)
    if container is None:
        return
    for figure in container.iter("figure"):
        img = figure.find(".//img")
        if img is None or img.get("src") in kept_images:
            continue
        if _comes_after_text(figure, first_para):
            break
        article.insert(0, copy.deepcopy(figure))
        return


def _first_paragraph_text(article: HtmlElement) -> str:
    for p in article.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text) > 40:
            return text[:40]
    return ""


def _container_of_text(doc: HtmlElement, text: str) -> HtmlElement | None:
    """The nearest <article> or <main> of the page element holding this paragraph text."""
    for p in doc.iter("p"):
        if " ".join(p.text_content().split()).startswith(text):
            for ancestor in p.iterancestors():
                if ancestor.tag in ("article", "main"):
                    return ancestor
            return None
    return None


def _comes_after_text(figure: HtmlElement, text: str) -> bool:
    for p in figure.itersiblings(preceding=True):
        if text in " ".join(p.text_content().split()):
            return True
    return False


__all__ = ["find_article", "restore_lead_figure", "text_length"]
