"""Stage (inside ``find_article``): section headings readability left out go back.

Page builders (Squarespace, Elementor, review templates) put each heading in a block of its
own, between the blocks of text it introduces. readability scores such a block low and drops
it, so a review loses "1. Sony WH-1000XM5", "Top pick", "How we picked and tested". A heading
comes back when it introduces text readability kept: it stands between the first and the last
element readability kept, and kept text follows it before the next heading does. It goes back
right before that text. A heading that names a link list ("Related posts") or that no kept
text follows (a sidebar's title) stays out.

An introduction in a block of its own goes back too (``restore_introduction``): paragraphs of
running text between the page's title (``<h1>``) and the first element readability kept,
within a few levels above what it kept.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right

from lxml.html import HtmlElement

from .boilerplate import (PROSE_MIN_CHARS, class_tokens, is_furniture_by_name, link_density,
                          rules, text_length)
from .leftovers import is_link_list_block, short_text
from .line_roles import is_date_line, line_role
from .promos import promo_rules

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A section heading is a line, not a paragraph.
MAX_HEADING_CHARS = 200
# A paragraph with more of its text in links than this is a teaser, not the story's text.
MAX_PROSE_LINK_DENSITY = 0.3
# A paragraph is a teaser's blurb when one of its nearest blocks has a linked headline.
CARD_LEVELS = 2
CARD_MAX_CHARS = 700
# An introduction is looked for this many levels above the block holding what readability kept.
INTRO_MAX_LEVELS = 3
# Headings before the introduction's paragraphs go back with them (found walking backwards:
# only a heading followed by a paragraph that went back).
_INTRO_HEADINGS = frozenset({"h2", "h3", "h4"})
# Paragraphs inside these are captions, quotes, list items or page headers, not an introduction.
_NOT_INTRO_INSIDE = frozenset({"figure", "figcaption", "blockquote", "li", "header"})
# A short block between two kept ones: shorter than a section readability's cut would restore,
# with sparse links.
BETWEEN_MAX_CHARS = 200
BETWEEN_MAX_LINK_DENSITY = 0.3
# A product card's price ("$19.00", "7 €") marks the block as a card, not the article's line.
_PRICE_RE = re.compile(r"[$€£¥]\s?\d|\d\s?(?:€|USD|EUR)(?!\w)")
# "By Sep 8, 2025", "Posted on 12/04/2025": a teaser's date line, with its lead word.
_DATE_LEAD_RE = re.compile(r"^(?:by|posted|updated|published)(?:\s+on)?\s+", re.I)


def restore_section_headings(kept: dict[int, HtmlElement], source: list[HtmlElement]) -> int:
    """Insert, into readability's output, the headings of the page that introduce text it
    kept; return how many went back. ``kept`` maps page positions (``source`` indexes) to
    output elements."""
    if len(kept) < 2:
        return 0
    order = sorted(kept)
    first, last = order[0], order[-1]
    # Whether a page element is one readability kept, told by identity: a map of every page
    # element to its position cost more than the rest of this step.
    kept_ids = {id(source[i]) for i in kept if i < len(source)}
    introduced = restore_introduction(kept, source, kept_ids)
    headings = [i for i in range(first + 1, last) if source[i].tag in HEADING_TAGS]
    restored = 0
    skip_to = 0  # inside a list that went back whole
    for index in range(first + 1, last):
        if index <= skip_to:
            continue
        el = source[index]
        if index in kept or not ((el.tag == "p" or el.tag == "div" and _is_text_div(el))
                                 and _reads_as_prose(el)
                                 or el.tag in ("ul", "ol") and _reads_as_list(el)):
            continue
        if _has_kept_relative(el, kept_ids):
            continue
        after = order[bisect_right(order, index)]
        if not _is_inside(source[after], el):
            clone = copy.deepcopy(el)
            clone.tail = None
            kept[after].addprevious(clone)
            restored += 1
            skip_to = index + sum(1 for _ in el.iterdescendants())
    for n, index in enumerate(headings):
        heading = source[index]
        if index in kept or _has_kept_relative(heading, kept_ids):
            continue
        if not _reads_as_heading(heading):
            continue
        after = order[bisect_right(order, index)]  # the first kept element after the heading
        following = headings[n + 1] if n + 1 < len(headings) else None
        if following is not None and following < after:
            continue  # no kept text between this heading and the next: not its section
        if _is_inside(source[after], heading):
            continue
        clone = copy.deepcopy(heading)
        clone.tail = None
        kept[after].addprevious(clone)
        restored += 1
    return restored + introduced


def restore_introduction(kept: dict[int, HtmlElement], source: list[HtmlElement],
                         kept_ids: set[int]) -> int:
    """Insert before the first element readability kept the paragraphs of running text (and
    the headings over them) that precede it, back to the page's title, inside the block
    ``INTRO_MAX_LEVELS`` above the one holding what it kept (never the whole page); return how
    many went back."""
    order = sorted(i for i in kept if i < len(source))
    if not order:
        return 0
    first = order[0]
    # The block holding every kept element holds the first and the last (document order).
    limit = _intro_limit([source[order[0]], source[order[-1]]])
    if limit is None:
        return 0
    found = []
    for index in range(first - 1, _position(source, limit, first), -1):
        el = source[index]
        if el.tag == "h1":
            break  # the title: what comes before it is the page's, not the article's
        if not (el.tag == "p" and _reads_as_prose(el)
                or el.tag in _INTRO_HEADINGS and found and _reads_as_heading(el)):
            continue
        ancestors = list(el.iterancestors())
        if any(a.tag in _NOT_INTRO_INSIDE or id(a) in kept_ids for a in ancestors):
            continue
        found.append(el)
    for el in reversed(found):
        clone = copy.deepcopy(el)
        clone.tail = None
        kept[first].addprevious(clone)
    return len(found)


def _intro_limit(kept_sources: list[HtmlElement]) -> HtmlElement | None:
    """The block up to ``INTRO_MAX_LEVELS`` above the deepest one holding every kept
    element, below ``<body>``."""
    chains = [[el, *el.iterancestors()][::-1] for el in kept_sources]
    anchor = None
    for level in zip(*chains):
        if any(x is not level[0] for x in level):
            break
        anchor = level[0]
    limit = None
    for level, block in enumerate([anchor, *anchor.iterancestors()] if anchor is not None else []):
        if block.tag in ("body", "html") or level > INTRO_MAX_LEVELS:
            break
        limit = block
    return limit


def _has_kept_relative(heading: HtmlElement, kept_ids: set[int]) -> bool:
    """True when readability kept the heading's block or something inside the heading: it is
    already in the output, or was cut by readability's cleaner on purpose. (``kept_ids``:
    the ``id`` of each page element readability kept.)"""
    for el in (*heading.iterancestors(), *heading.iterdescendants()):
        if id(el) in kept_ids:
            return True
    return False


def _position(source: list[HtmlElement], el: HtmlElement, default: int) -> int:
    """The position of ``el`` in ``source`` (found by identity), ``default`` when absent."""
    try:
        return source.index(el)
    except ValueError:
        return default


def _reads_as_heading(heading: HtmlElement) -> bool:
    """A short heading with text that does not name a link list."""
    length = text_length(heading)
    if not length or length > MAX_HEADING_CHARS:
        return False
    text = " ".join(heading.text_content().split()).casefold()
    return not rules().link_list_heading_re.search(text)


def _reads_as_prose(p: HtmlElement) -> bool:
    """Running text: a paragraph long enough to be a sentence, with few of its words in links,
    and not the blurb of a teaser card or a call to action."""
    if text_length(p) < PROSE_MIN_CHARS or link_density(p) >= MAX_PROSE_LINK_DENSITY:
        return False
    for level, block in enumerate(p.iterancestors()):
        if level >= CARD_LEVELS:
            break
        if block.tag == "a" or class_tokens(block)[1] & rules().not_restored_words:
            return False
        # short_text stops reading past the limit: a big container costs no more than a card.
        if short_text(block, CARD_MAX_CHARS) is not None and any(
                link_density(h) >= 0.5 for h in block.iter(*HEADING_TAGS)):
            return False  # a card: a linked headline over its blurb
    return True


def _reads_as_list(block: HtmlElement) -> bool:
    """A list of the article's own items between blocks readability kept ("- Cost and
    subscriptions"): sparse links, not furniture, no form, not inside another list, a table or
    a menu. (Tables are left to readability: a product's tab panels hold data tables that are
    not its description.)"""
    if link_density(block) >= MAX_PROSE_LINK_DENSITY or not text_length(block) \
            or is_link_list_block(block, rules()):
        return False
    if next(block.iterancestors("table", "ul", "ol", "li", "nav", "form"), None) is not None:
        return False
    if next(block.iter("form", "input", "button", "select"), None) is not None:
        return False
    for level, node in enumerate((block, *block.iterancestors())):
        if level > CARD_LEVELS:
            break
        if is_furniture_by_name(node) or class_tokens(node)[1] & rules().not_restored_words:
            return False
    return True


_DIV_BLOCKS = ("p", "div", "ul", "ol", "table", "section", "article", "blockquote", "pre",
               "figure", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dl", "form")


def _is_text_div(div: HtmlElement) -> bool:
    """A <div> used as a paragraph: text and inline elements only."""
    return next(div.iterdescendants(*_DIV_BLOCKS), None) is None


def _is_inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def is_short_block_between(block: HtmlElement) -> bool:
    """A short ``<div>``/``<section>`` that readability cut from between two blocks it kept
    and that reads as the article's own line ("My top choices are:", a short list): not
    furniture, sparse links, no form, at most one image, and not a product card (a price), a
    call to action or a date standing alone."""
    if block.tag not in ("div", "section"):
        return False
    if is_furniture_by_name(block) or class_tokens(block)[1] & rules().not_restored_words:
        return False
    text = short_text(block, BETWEEN_MAX_CHARS)
    if not text or link_density(block) >= BETWEEN_MAX_LINK_DENSITY:
        return False
    if next(block.iter("form", "input", "button", "select", "textarea"), None) is not None:
        return False
    if sum(1 for _ in block.iter("img")) > 1 or _PRICE_RE.search(text) \
            or line_role(text) is not None or is_date_line(_DATE_LEAD_RE.sub("", text)):
        return False
    promo = promo_rules().promo_re
    return not any(promo.match(" ".join(piece.split()).casefold()) for piece in block.itertext()
                   if piece.strip())
