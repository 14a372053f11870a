"""The article's lead figure (image and caption), put back when readability left it out: a step
of :func:`~sourcelight.extract.article.find_article`."""

from __future__ import annotations

import copy
from urllib.parse import urljoin

from lxml.html import HtmlElement


def restore_lead_figure(doc: HtmlElement, article: HtmlElement,
                        base_url: str | None = None) -> None:
    """Put back the article's lead figure (image + caption) when readability left it out.

    Only a ``<figure>`` that shares the article's ``<article>``/``<main>`` container and comes
    before the first paragraph readability kept is taken: that is where lead images sit.
    """
    first_para = first_paragraph_text(article)
    if not first_para:
        return
    container = _container_of_text(doc, first_para)
    if container is None:
        return
    # The article's images are read for the first figure with one (most containers have none).
    kept_images: set[str] | None = None
    for figure in container.iter("figure"):
        img = figure.find(".//img")
        if img is None:
            continue
        if kept_images is None:
            kept_images = {_absolute(i.get("src"), base_url) for i in article.iter("img")}
        if _absolute(img.get("src"), base_url) in kept_images:
            continue
        if _comes_after_text(figure, first_para):
            break
        if _caption_already_kept(figure, article):
            return
        article.insert(0, copy.deepcopy(figure))
        return


def _caption_already_kept(figure: HtmlElement, article: HtmlElement) -> bool:
    """The figure's caption is in the article already, on its own (readability kept the
    caption and cut its image): putting the figure back would show the caption twice. (A
    copy inside a kept figure is left to ``repeated_figures``.)"""
    caption = next(figure.iter("figcaption"), None)
    text = " ".join(caption.text_content().split()) if caption is not None else ""
    return bool(text) and any(
        " ".join(kept.text_content().split()) == text
        for kept in article.iter("figcaption")
        if next(kept.iterancestors("figure"), None) is None)


def _absolute(src: str | None, base_url: str | None) -> str:
    return urljoin(base_url, src or "") if base_url else (src or "")


def first_paragraph_text(article: HtmlElement) -> str:
    """The first 40 characters (whitespace collapsed) of the article's first paragraph longer
    than that; empty when it has none."""
    for p in article.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text) > 40:
            return text[:40]
    return ""


def _container_of_text(doc: HtmlElement, text: str) -> HtmlElement | None:
    """The nearest <article> or <main> of the page element holding this paragraph text."""
    # A paragraph whose text starts with ``text`` holds its first word: the others (most) are
    # passed over without collapsing their whitespace.
    first_word = text.split()[0] if text.strip() else ""
    for p in doc.iter("p"):
        raw = p.text_content()
        if first_word not in raw:
            continue
        if " ".join(raw.split()).startswith(text):
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
