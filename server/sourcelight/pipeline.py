"""``clean(html, url) -> Result``: the stages of the data's path, in order, and nothing else.

``extract_article`` runs the extraction stages (page → article); ``clean`` adds the
annotation stage (article → attributions, sources, links).

Each stage is a small function in its own module (``extract/*``, ``render``) that can be
tested alone; this module only wires them together.
"""

from __future__ import annotations

from .attribution.annotate import annotate
from .attribution.given_names import given_name_gender
from .attribution.lexicon import lexicon
from .errors import NoArticle
from .extract.article import find_article
from .extract.boilerplate import prune_boilerplate
from .extract.decode import decode_page
from .extract.language import detect_language
from .extract.leftovers import prune_leftovers
from .extract.metadata import find_dateline, read_metadata
from .extract.parse import (check_complexity, drop_huge_attributes, flatten_deep_nesting,
                            parse_page, take_base_href)
from .extract.promos import prune_promotions
from .extract.roles import mark_structure, paragraph_roles
from .extract.text import (TextMap, count_words, lead_paragraph, parse_fragment,
                           text_with_offsets)
from .model import Article, Result
from .render import sanitize_article_html
from .settings import Settings


def clean(html: str | bytes, url: str | None = None, settings: Settings | None = None) -> Result:
    """Turn one web page into its clean article, with its sources annotated.

    Raises a :class:`~sourcelight.errors.SourcelightError` subclass (``NotHtml``, ``NoArticle``,
    ``TooLarge``, ``TooComplex``) for input it cannot turn into an article.
    """
    settings = settings or Settings()
    result, text_map = _extract(html, url, settings)
    article = result.article
    # Captions, credits and bylines are read off the clean tree only here: extraction alone
    # (``extract_article``) has no use for them, and they cost a tenth of it.
    result.non_prose = paragraph_roles(text_map.root, article.text, text_map)
    annotations = annotate(article.text, article.html, article.lang, article.url or url,
                           min_confidence=settings.min_confidence_for(article.lang),
                           non_prose=result.non_prose, text_map=text_map)
    if not annotations.attributions and lexicon(article.lang or "") is None:
        result.notes.append(f"attribution:no-lexicon-for-{article.lang or 'unknown'}")
    result.sources = annotations.sources
    result.attributions = annotations.attributions
    result.candidates = annotations.candidates
    result.links = annotations.links
    result.summary = annotations.summary
    article.html = annotations.marked_html
    return result


def extract_article(html: str | bytes, url: str | None = None,
                    settings: Settings | None = None) -> Result:
    """The extraction stages alone: page in, clean article and its metadata out."""
    return _extract(html, url, settings or Settings())[0]


def _extract(html: str | bytes, url: str | None, settings: Settings) -> tuple[Result, TextMap]:
    """The extraction stages, and the map of the clean article's parse (the annotation stage
    places its marks with it instead of parsing the article again)."""
    notes: list[str] = []

    text = decode_page(html, settings)
    doc = parse_page(text)
    deep = check_complexity(doc, settings, len(text))
    flatten_deep_nesting(doc, settings, notes, deep)
    drop_huge_attributes(doc, settings, notes, len(text))
    meta = read_metadata(doc, url)
    # Links resolve against the address the page was read at (and its <base>), not the
    # canonical URL, which may point at another host or path.
    base_url = take_base_href(doc, url or meta.url)

    prune_boilerplate(doc)
    body = find_article(doc, base_url, settings, notes)
    prune_leftovers(body, title=meta.title)
    prune_promotions(body)
    mark_structure(body)  # caption/credit/byline classes, before the sanitiser strips them

    # Resolving links is bounded by the page's size (a page controls its own address).
    article_html = sanitize_article_html(body, base_url, settings, notes, len(text))
    clean_root = parse_fragment(article_html)
    article_text, text_map = text_with_offsets(clean_root)
    if len(article_text) < settings.min_article_chars:
        raise NoArticle(
            "No article text was found on this page. It may be a list, a form, or a page "
            "that builds its text with scripts; open a single article and try again."
        )

    dateline, wire_service = find_dateline(lead_paragraph(clean_root))
    lang = detect_language(article_text, meta.html_lang, settings, notes)
    words = count_words(article_text)

    article = Article(
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        site_name=meta.site_name,
        url=meta.url or url,
        lang=lang,
        dateline=dateline,
        wire_service=wire_service,
        word_count=words,
        reading_minutes=max(1, round(words / settings.words_per_minute)) if words else 0,
        html=article_html,
        text=article_text,
    )
    return Result(article=article, notes=notes), text_map


def warm_up(settings: Settings | None = None) -> None:
    """Load every lexicon and model once (langdetect's profiles take ~0.3 s), so the first
    page a reader sends is as fast as the rest."""
    # Default limits: a test app's tiny limits must not refuse the warm-up page.
    seeded = Settings(langdetect_seed=(settings or Settings()).langdetect_seed)
    clean("<html><body><article><p>Sourcelight warms up its language profiles and rules "
          "before the first real page arrives.</p></article></body></html>", None, seeded)
    given_name_gender("Maria")  # the given-name list (~0.15 s), which that page does not need
