"""Stage (after ``prune_leftovers``): promotions and page furniture written as article text.

Five kinds of furniture readability keeps because they look like article text:

- inline cards inside a sentence's paragraph (glossary tooltips, person cards: "Jane Doe
  Senator … headline … MORE") — a reader sees them only on hover;

- promotions and calls to action: "SEE MORE: …", "DON'T MISS", "Follow Newsbeat on
  Instagram", "Listen to … live", "Media playback is unsupported on your device", "Check
  price", "Sign up for our newsletter" — phrases as data (``data/promos.json``);
- the story's own byline, agency and date lines ("By Jane Doe", "Associated Press",
  "Published Dec. 4, 2025") among its first or last blocks — the metadata shows them once;
- photo credits standing alone outside any figure ("Getty Images / Jane Doe");
- the captions of media players whose player is gone (a video's title under it).

Captions and "… contributed to this report" lines stay: they are part of the article a reader
sees (the annotator is told they are not prose, see ``roles``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml.html import HtmlElement

from .boilerplate import class_tokens
from .leftovers import drop_empty_containers
from .line_roles import is_agency_line, is_byline, is_credit, is_date_line

DATA_FILE = Path(__file__).with_name("data") / "promos.json"
# Blocks read as the article's lines: paragraphs, headings, and divs without blocks inside.
# (Not inline elements: "<p>Written <span>by Jane Doe</span> and …" is one line of prose.)
_LINE_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "section")
_BLOCK_CHILDREN = ("p", "div", "ul", "ol", "table", "blockquote", "pre", "figure", "section",
                   "h1", "h2", "h3", "h4", "h5", "h6", "li", "dl")
# Bylines and date lines are looked for among this many text blocks at each end.
META_EDGE_BLOCKS = 4
META_MAX_CHARS = 120
CREDIT_MAX_CHARS = 90
# A figure's credit caption is dropped when the same credit stands under this many figures ...
FIGURE_CREDIT_REPEATS = 2
# ... or when it opens with a credit label and a colon ("Credit: …", "Photo credit: …").
LABELLED_CREDIT_RE = re.compile(
    r"^(?:(?:photo|image|picture|illustration)?\s*(?:credits?|source)"
    r"|(?:photos?|images?|pictures?|illustrations?|fotos?|bild))\s*:", re.I)


# An inline card is shorter than this (a name, a title, a headline, a label).
CARD_MAX_CHARS = 600
_CARD_BLOCKS = ("div", "p", "ul", "ol", "img", "figure", "h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class PromoRules:
    """The compiled contents of ``promos.json``."""

    promo_re: re.Pattern
    max_chars: int
    disclosure_re: re.Pattern
    disclosure_hints: tuple[str, ...]
    disclosure_max_chars: int
    card_words: frozenset[str]
    weak_card_words: frozenset[str]
    card_ending_re: re.Pattern
    media_figure_words: frozenset[str]


@lru_cache(maxsize=1)
def promo_rules() -> PromoRules:
    """The promotion patterns and card words, compiled once."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return PromoRules(
        promo_re=re.compile("|".join(f"(?:{p})" for p in data["promo_patterns"])),
        max_chars=int(data["max_chars"]),
        disclosure_re=re.compile("|".join(f"(?:{p})" for p in data["disclosure_patterns"])),
        disclosure_hints=tuple(data["disclosure_hints"]),
        disclosure_max_chars=int(data["disclosure_max_chars"]),
        card_words=frozenset(data["inline_card_class_words"]),
        weak_card_words=frozenset(data["inline_card_weak_class_words"]),
        card_ending_re=re.compile(data["inline_card_endings"]),
        media_figure_words=frozenset(data["media_figure_class_words"]),
    )


def inline_cards(article: HtmlElement) -> list[HtmlElement]:
    """Cards that pop up inside a sentence (see the module docstring)."""
    r = promo_rules()
    cards = []
    for paragraph in article.iter("p", "li"):
        for el in paragraph.iterdescendants():
            if not isinstance(el.tag, str) or el.tag == "br":
                continue
            words = class_tokens(el)[1]
            strong, weak = words & r.card_words, words & r.weak_card_words
            if not strong and not weak:
                continue
            text = _text(el, CARD_MAX_CHARS)
            if not text:
                continue
            if strong or next(el.iterdescendants(*_CARD_BLOCKS), None) is not None \
                    or r.card_ending_re.search(text.casefold()):
                cards.append(el)
    return cards


def prune_promotions(article: HtmlElement) -> None:
    """Remove inline cards, promotions, the story's own byline/date lines and bare credits
    from the article, in place (an inline card's tail, the sentence, stays)."""
    doomed = inline_cards(article) + promo_and_meta_blocks(article) + figure_credits(article) \
        + media_player_captions(article)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    if doomed:
        drop_empty_containers(article)


def promo_and_meta_blocks(article: HtmlElement) -> list[HtmlElement]:
    """The blocks of the article that are promotions, its own byline/date lines at either
    end, or bare photo credits."""
    r = promo_rules()
    pattern, max_chars = r.promo_re, r.max_chars
    longest = max(max_chars * 2, r.disclosure_max_chars)
    containers = _containers(article)
    # Whether a block is a line first: a line's text is then read whole in one call.
    lines = [(el, text) for el in article.iter(*_LINE_TAGS)
             if el is not article and el not in containers
             and (text := _line_text(el, longest))]
    doomed = []
    edges = {id(el) for el, _ in lines[:META_EDGE_BLOCKS] + lines[-META_EDGE_BLOCKS:]}
    for el, text in lines:
        folded = text.casefold()
        if len(text) <= max_chars and pattern.match(folded):
            doomed.append(el)
        elif _is_folded_disclosure(folded, r):
            doomed.append(el)
        elif id(el) in edges and len(text) <= META_MAX_CHARS and _is_meta_line(text):
            doomed.append(el)
        elif len(text) <= CREDIT_MAX_CHARS and not _in_figure(el) and is_credit(text):
            doomed.append(el)
    return doomed


def is_disclosure(text: str) -> bool:
    """An affiliate or sponsorship disclosure in the site's own voice ("If you buy something
    through our links, we may earn a commission."), short enough to be a notice, not prose."""
    return _is_folded_disclosure(text.casefold(), promo_rules())


def _is_folded_disclosure(folded: str, r: PromoRules) -> bool:
    """:func:`is_disclosure` of a case-folded text (searched only when it holds a hint)."""
    return len(folded) <= r.disclosure_max_chars \
        and any(hint in folded for hint in r.disclosure_hints) \
        and bool(r.disclosure_re.search(folded))


def figure_credits(article: HtmlElement) -> list[HtmlElement]:
    """Figure captions that are nothing but a credit, when the credit is labelled ("Credit:
    Jane Doe", "Image source: Getty Images.") or the same credit stands under several
    figures: they name the photographer, not what the picture shows. (A caption that
    describes the picture, with or without a credit, stays.)"""
    in_figure = _in_figure if article.getparent() is not None \
        else _inside_figures(article).__contains__
    credits = [(el, text) for el in article.iter("figcaption", "cite", "small", *_LINE_TAGS)
               if (el.tag == "figcaption" or in_figure(el) and (el.tag in ("cite", "small")
                                                                or _is_line(el)))
               and (text := _text(el, CREDIT_MAX_CHARS)) and is_credit(text)]
    # Counted once per figure: a credit's <p> inside its <figcaption> is one credit.
    figures = defaultdict(set)
    for el, text in credits:
        figures[text].add(_figure_of(el))
    return [el for el, text in credits
            if len(figures[text]) >= FIGURE_CREDIT_REPEATS or LABELLED_CREDIT_RE.match(text)]


def media_player_captions(article: HtmlElement) -> list[HtmlElement]:
    """Captions of media players whose player is gone: a figure named as a player (video,
    media, embed…) that holds no picture. (The scripts and iframes that made the player were
    dropped; its caption, the video's title, would stand alone as if it were the story's.)"""
    words = promo_rules().media_figure_words
    return [caption for figure in article.iter("figure")
            if class_tokens(figure)[1] & words
            and next(figure.iter("img", "picture", "svg", "canvas"), None) is None
            for caption in figure.iter("figcaption")]


def _figure_of(el: HtmlElement) -> int:
    """The identity of the figure (or lone caption) an element belongs to."""
    for a in el.iterancestors("figure"):
        return id(a)
    return id(el)


def _is_meta_line(text: str) -> bool:
    """A byline, an agency's name or a date standing alone. (A dateline standing alone,
    "CAIRO —", opens the story's first paragraph and stays.)"""
    return is_byline(text) or is_agency_line(text) or is_date_line(text)


def _is_line(el: HtmlElement) -> bool:
    """A block whose text is one line: no block elements inside it."""
    return next(el.iterdescendants(*_BLOCK_CHILDREN), None) is None


def _containers(article: HtmlElement) -> set[HtmlElement]:
    """The elements of ``article`` that are not lines (:func:`_is_line`), for a walk over all
    its blocks: one walk, each block marking its ancestors once (asking each block in turn
    for a block inside it cost a quarter of the stage)."""
    holding: set[HtmlElement] = set()
    for block in article.iter(*_BLOCK_CHILDREN):
        for ancestor in block.iterancestors():
            if ancestor in holding:
                break
            holding.add(ancestor)
    return holding


def _text(el: HtmlElement, limit: int) -> str:
    """The element's text, whitespace collapsed; empty when longer than ``limit``."""
    pieces, size = [], 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 2:
            return ""
        pieces.append(piece)
    text = " ".join("".join(pieces).split())
    return text if len(text) <= limit else ""


def _line_text(el: HtmlElement, limit: int) -> str:
    """:func:`_text` of a block with no blocks inside (whose text is read whole cheaper than
    piece by piece)."""
    raw = el.text_content()
    if len(raw) > limit * 2:
        return ""
    text = " ".join(raw.split())
    return text if len(text) <= limit else ""


def _inside_figures(root: HtmlElement) -> set[HtmlElement]:
    """The elements :func:`_in_figure` holds true of, in a tree whose root is ``root``: the
    descendants of its figures and captions (few), listed once instead of each of its lines
    looking up its ancestors."""
    inside: set[HtmlElement] = set()
    for figure in root.iter("figure", "figcaption"):
        inside.update(figure.iterdescendants())
    return inside


def _in_figure(el: HtmlElement) -> bool:
    # (The ancestors are filtered by name in lxml: only a figure or its caption reaches Python.)
    return next(el.iterancestors("figure", "figcaption"), None) is not None
