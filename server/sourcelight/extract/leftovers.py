"""After readability-lxml: remove the furniture it kept inside the article, in place.

``prune_leftovers`` removes link lists under "Popular"/"Related" headings, "Related:" lead-ins,
ad labels, credit lines, teaser cards, form labels, repeated figures and sections, a closing
list of links, and a repeated headline.
The words and phrases are ``boilerplate``'s data (``data/boilerplate.json``), read by its
:func:`~sourcelight.extract.boilerplate.rules`.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .boilerplate import (Rules, holds_the_article, is_furniture_by_name, link_density,
                          prose_length, rules, text_length)

# Blocks under a "Related"/"Popular" heading are removed only when they are mostly links.
LINK_LIST_DENSITY = 0.5
# Byline/date/reading-time lines are short; longer text starting "By 2030, ..." is prose.
META_LINE_MAX_CHARS = 40
# A nested <article> shorter than this, titled by a link, is a teaser for another story.
TEASER_MAX_CHARS = 800
# ... unless such cards make up this share of the article: then they are what it lists.
TEASER_MAX_SHARE = 0.5
# Cards of other stories in blocks of their own: this many in a row, each titled by a linked
# heading whose link its picture repeats.
TEASER_RUN_MIN = 3
# A section repeated whole (one copy per layout) is dropped when it has this much text.
REPEATED_SECTION_MIN_CHARS = 200
# A list of links that closes the article is a directory when it has this many items ...
TRAILING_LIST_MIN_ITEMS = 5
# ... each no longer than this (a place, a service, a product's name).
TRAILING_ITEM_MAX_CHARS = 80
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINER_TAGS = ("div", "section", "aside", "ul", "ol", "p", "span", "figure", "table", "dl",
                   "header", "footer", "nav")


def prune_leftovers(article: HtmlElement, title: str | None = None) -> None:
    """Remove furniture readability kept inside the article, in place."""
    r = rules()
    drop_repeated_headline(article, title)
    # Nothing changes until the doomed blocks go: each text length is read once.
    lengths: dict[HtmlElement, int] = {}
    article_prose = prose_length(article, lengths)
    doomed: list[HtmlElement] = []
    for el in article.iter(*_CONTAINER_TAGS, *_HEADING_TAGS):
        if el is article:
            continue
        # Its opening text is read once for both tests.
        pieces, size = _opening_pieces(el)
        if is_link_list_block(el, r, lengths, pieces) \
                or _is_short_leftover(el, r, lengths, pieces, size):
            doomed.append(el)
        elif is_furniture_by_name(el, r) and not holds_the_article(el, article_prose, lengths):
            doomed.append(el)
    doomed.extend(teaser_cards(article, lengths))
    doomed.extend(form_labels(article))
    doomed.extend(repeated_figures(article))
    doomed.extend(repeated_sections(article))
    doomed.extend(trailing_link_list(article))
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    drop_empty_containers(article)


def trailing_link_list(article: HtmlElement) -> list[HtmlElement]:
    """The article's last list when it closes the article and is a directory of links.

    Service pages close a guide with their locations or services, one link to an item
    ("Akron, OH", "Baton Rouge, LA", ...): a site's directory, not the story's text. The list
    goes when it has at least ``TRAILING_LIST_MIN_ITEMS`` items, each short and wholly one
    link's text, and nothing with text follows it. A list of links inside the story (followed
    by more paragraphs) or with words around its links stays."""
    last = None
    for last in article.iter("ul", "ol"):
        pass
    if last is None or last is article:
        return []
    items = last.findall("li")
    if len(items) < TRAILING_LIST_MIN_ITEMS or not all(map(_is_link_item, items)):
        return []
    return [last] if _nothing_follows(last, article) else []


def _is_link_item(li: HtmlElement) -> bool:
    """A list item whose whole (short) text is the text of its links."""
    text = _norm(li.text_content())
    if not text or len(text) > TRAILING_ITEM_MAX_CHARS:
        return False
    return _norm(" ".join(a.text_content() for a in li.iter("a"))) == text


def _nothing_follows(el: HtmlElement, article: HtmlElement) -> bool:
    """Whether no text comes after ``el`` inside ``article``."""
    while el is not article and el is not None:
        if el.tail and el.tail.strip():
            return False
        if any(sib.text_content().strip() for sib in el.itersiblings()):
            return False
        el = el.getparent()
    return True


def form_labels(article: HtmlElement) -> list[HtmlElement]:
    """``<label>`` elements: each names a form control (a video player's caption settings,
    "Font Size", "Text Edge Style"), and the controls left with the page's forms and inputs in
    the boilerplate stage."""
    return list(article.iter("label"))


def repeated_figures(article: HtmlElement) -> list[HtmlElement]:
    """A second copy of a figure whose caption the article already shows (pages ship one per
    layout): the later copies, so the caption is read — and attributed — once. A copy holds
    the same text whole: tables that share a caption ("Source: NAIC") but not their figures
    are different figures."""
    seen: set[str] = set()
    repeats = []
    for figure in article.iter("figure"):
        if next(figure.iter("figcaption"), None) is None:
            continue
        key = " ".join(figure.text_content().split()).lower()
        if not key:
            continue
        if key in seen:
            repeats.append(figure)
        seen.add(key)
    return repeats


def repeated_sections(article: HtmlElement) -> list[HtmlElement]:
    """Later copies of a whole section the article already shows: pages ship the same
    block once per layout (desktop and mobile, a tab and its accordion), and readability keeps
    both. A copy is a block of two or more non-empty blocks with the same text, at least
    ``REPEATED_SECTION_MIN_CHARS`` long; a paragraph that repeats stays (a refrain, a
    question asked twice)."""
    seen: dict[str, HtmlElement] = {}
    repeats: list[HtmlElement] = []
    gone: set[int] = set()
    for el in article.iter("div", "section", "ul", "ol", "table", "article"):
        if el is article or len(el) < 2 or gone and any(id(a) in gone for a in el.iterancestors()):
            continue
        # The raw text is the key (copies of one template are identical; normalising every
        # block's text would cost a big page a tenth of its time).
        key = el.text_content()
        if len(key) < REPEATED_SECTION_MIN_CHARS or not _two_blocks_with_text(el):
            continue
        first = seen.setdefault(key, el)
        if first is not el and not any(a is first for a in el.iterancestors()):
            repeats.append(el)
            gone.add(id(el))
    return repeats


def _two_blocks_with_text(el: HtmlElement) -> bool:
    """True when at least two of the element's children hold text."""
    found = 0
    for child in el:
        if isinstance(child.tag, str) and child.text_content().strip():
            found += 1
            if found == 2:
                return True
    return False


def teaser_cards(article: HtmlElement,
                 lengths: dict[HtmlElement, int] | None = None) -> list[HtmlElement]:
    """Nested ``<article>`` cards of other stories ("more from the blog" carousels): short,
    titled by a link, and more than one of them."""
    cards = []
    for el in article.iter("article"):
        if el is article or text_length(el, lengths) >= TEASER_MAX_CHARS:
            continue
        heading = next(el.iter(*_HEADING_TAGS), None)
        if heading is not None and heading.find(".//a") is not None:
            cards.append(el)
    if len(cards) < 2:
        cards = []
    cards.extend(teaser_runs(article, lengths))
    if not cards:
        return []
    # A guide made of cards ("the restaurants that got a star") is the article itself.
    if sum(text_length(c, lengths) for c in cards) >= TEASER_MAX_SHARE * text_length(article, lengths):
        return []
    return cards


def teaser_runs(article: HtmlElement,
                lengths: dict[HtmlElement, int] | None = None) -> list[HtmlElement]:
    """Runs of ``TEASER_RUN_MIN`` or more sibling blocks that are each a card of another
    story: short, titled by one linked heading, with a picture linking to the same page
    (the teaser's shape; an article's section titled by a link has no such picture)."""
    # Cheap first: a run needs that many headings whose link a picture repeats.
    pictures = _linked_picture_hrefs(article)
    if not pictures:
        return []  # (most articles) no heading's link can be a picture's
    titled = 0
    for heading in article.iter(*_HEADING_TAGS):
        if not pictures.isdisjoint(_heading_links(heading, article)):
            titled += 1
            if titled == TEASER_RUN_MIN:
                break  # enough to look for the runs
    if titled < TEASER_RUN_MIN:
        return []
    runs: list[HtmlElement] = []
    for parent in article.iter("div", "section", "ul", "ol"):
        run: list[HtmlElement] = []
        for child in (*parent, None):
            if child is not None and (not isinstance(child.tag, str) or child.tag in ("hr", "br")):
                continue
            if child is not None and _is_story_card(child, lengths):
                run.append(child)
                continue
            if len(run) >= TEASER_RUN_MIN:
                runs.extend(run)
            run = []
    return runs


def _linked_picture_hrefs(article: HtmlElement) -> set[str]:
    """The addresses of the article's links that hold a picture. Read from its pictures up
    (an article has few, and many links) when it is the root of its tree, as the article
    stage's is; every link within it is then an ancestor of its pictures or holds none."""
    if article.getparent() is not None:
        return {a.get("href") for a in article.iter("a")
                if a.get("href") and a.find(".//img") is not None}
    hrefs = set()
    for img in article.iter("img"):
        for link in img.iterancestors("a"):
            href = link.get("href")
            if href:
                hrefs.add(href)
    return hrefs


def _is_story_card(el: HtmlElement, lengths: dict[HtmlElement, int] | None) -> bool:
    """A short block titled by one linked heading whose link a picture in it repeats."""
    if el.tag in _HEADING_TAGS or text_length(el, lengths) >= TEASER_MAX_CHARS:
        return False
    headings = list(el.iter(*_HEADING_TAGS))
    if len(headings) != 1:
        return False
    title_links = _heading_links(headings[0], el)
    return any(a.get("href") in title_links and a.find(".//img") is not None
               for a in el.iter("a"))


def _heading_links(heading: HtmlElement, within: HtmlElement) -> set[str]:
    """The addresses a heading links to: its own links, or the link around it when that link
    holds the card's picture too (a card whose whole block is one ``<a>``), looked for no
    higher than ``within``. (A link around the heading alone is a title link among the
    page's own entries, a listing's cards.)"""
    hrefs = {a.get("href") for a in heading.iter("a") if a.get("href")}
    for anc in heading.iterancestors():
        if anc.tag == "a" and anc.get("href") and anc.find(".//img") is not None:
            hrefs.add(anc.get("href"))
        if anc is within:
            break
    return hrefs


def first_text(el: HtmlElement, limit: int = 80, pieces: list[str] | None = None) -> str:
    """The opening words of an element, case-folded, whitespace collapsed (``pieces``: its
    opening pieces of text, when the caller read them, at least ``limit`` characters of them
    if it has that many)."""
    out: list[str] = []
    size = 0
    for piece in el.itertext() if pieces is None else pieces:
        out.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return " ".join("".join(out).split())[:limit].casefold()


def is_link_list_block(el: HtmlElement, r: Rules,
                       lengths: dict[HtmlElement, int] | None = None,
                       pieces: list[str] | None = None) -> bool:
    """A block that opens with a "Popular"/"Related"/"Ranking" heading and is mostly links
    (``pieces``: as for :func:`first_text`)."""
    if el.tag not in ("div", "section", "aside", "ul", "ol", "nav", "footer", "header"):
        return False
    opening = first_text(el, pieces=pieces)
    if not opening:
        return False
    if not (r.link_list_heading_re.search(opening) or _heading_mentions_list(el, r)):
        return False
    return link_density(el, lengths) >= LINK_LIST_DENSITY or not _has_prose(el, lengths)


def _heading_mentions_list(el: HtmlElement, r: Rules) -> bool:
    """The block's first heading-like child ("JN ACCESS RANKING") names a link list."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if _collapsed_longer_than(child, 60):
            return False
        text = " ".join(child.text_content().split()).casefold()
        if not text:
            continue
        if len(text) > 60:
            return False
        words = text.split()
        return any(r.link_list_heading_re.search(" ".join(words[i:])) for i in range(len(words)))
    return False


def _collapsed_longer_than(el: HtmlElement, limit: int) -> bool:
    """True when the element's text, whitespace collapsed, is longer than ``limit``, read no
    further than needed to tell (the text of an opening prefix collapses to a prefix of the
    whole's; case folding never shortens it)."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        pieces.append(piece)
        size += len(piece)
        if size > 3 * limit + 20 and len(" ".join("".join(pieces).split())) > limit:
            return True
    return False


def _has_prose(el: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> bool:
    """True when some paragraph in the block reads as running text, not a link or a title."""
    for p in el.iter("p"):
        if text_length(p, lengths) > 120 and link_density(p, lengths) < 0.3:
            return True
    return False


def short_text(el: HtmlElement, limit: int) -> str | None:
    """The element's text, whitespace collapsed, or None once it runs past ``limit`` characters
    (without reading the rest: big containers are tested for short labels often)."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        pieces.append(piece)
        if size > 2 * limit + 200:  # generous: whitespace collapses below
            break
    text = " ".join("".join(pieces).split())
    return text if len(text) <= limit and size <= 2 * limit + 200 else None


def _opening_pieces(el: HtmlElement, limit: int = 800) -> tuple[list[str], int]:
    """The element's pieces of text (``itertext``) up to the one that takes their length past
    ``limit``, and their length."""
    if not len(el):  # no children: the text is the element's own
        text = el.text
        return ([text], len(text)) if text else ([], 0)
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        pieces.append(piece)
        if size > limit:
            break
    return pieces, size


def _is_short_leftover(el: HtmlElement, r: Rules, lengths: dict[HtmlElement, int],
                       pieces: list[str] | None = None, size: int = 0) -> bool:
    """:func:`is_lead_in_link` or :func:`is_label_only`, the element's text read once
    (``pieces`` and ``size``: :func:`_opening_pieces` of it, when the caller has them)."""
    # short_text(el, 300) reads up to 800 characters; short_text(el, 250) is the same text
    # when there are at most 700 of them, None otherwise.
    if pieces is None:
        pieces, size = _opening_pieces(el)
    if size > 800:
        return False  # both texts are None: neither a lead-in nor a label
    raw = "".join(pieces)
    text = " ".join(raw.split())
    if len(text) > 300:
        return False
    if el.tag in ("p", "div", "span") and size <= 700 and len(text) <= 250 and text \
            and r.lead_in_re.search(text) and link_density(el, lengths) >= 0.4:
        return True
    return _is_label_text(el, r, text.casefold())


def is_lead_in_link(el: HtmlElement, r: Rules) -> bool:
    """A paragraph like "Related: <a>Other story</a>" — a link to elsewhere, not article text."""
    if el.tag not in ("p", "div", "span"):
        return False
    text = short_text(el, 250)
    return bool(text) and bool(r.lead_in_re.search(text)) and link_density(el) >= 0.4


def is_label_only(el: HtmlElement, r: Rules) -> bool:
    """An element whose whole text is an ad label, a credit line or a cookie/newsletter notice."""
    return _is_label_text(el, r, (short_text(el, 300) or "").casefold())


def _is_label_text(el: HtmlElement, r: Rules, text: str) -> bool:
    """:func:`is_label_only` for the element's short text ``text``, case-folded."""
    if not text:
        return False
    if r.ad_label_re.search(text):
        return True
    if len(text) < META_LINE_MAX_CHARS and el.tag in ("p", "span", "div", "li", "time") \
            and r.meta_line_re.search(text):
        return True
    if el.tag in _HEADING_TAGS or el.tag in ("p", "span", "div"):
        if len(text) < 80 and r.credit_line_re.search(text.strip("\"'“”")):
            return True
        if r.boilerplate_paragraph_re.search(text):
            return True
    return False


def drop_repeated_headline(article: HtmlElement, title: str | None) -> None:
    """Remove an ``<h1>`` (or first heading) that repeats the title shown above the article."""
    if not title:
        return
    wanted = _norm(title)
    for heading in article.iter("h1", "h2"):
        if _norm(heading.text_content()) == wanted:
            heading.drop_tree()
        break


def drop_empty_containers(article: HtmlElement) -> None:
    """Remove blocks left with no text and no image after pruning."""
    for el in list(article.iter("div", "section", "p", "ul", "ol", "li", "span", "figure")):
        if el is article or el.getparent() is None:
            continue
        if el.text and not el.text.isspace():
            continue  # has text (the common case: told without reading the whole block)
        text = el.text_content()
        if not text.strip() and el.find(".//img") is None \
                and el.find(".//br") is None and el.find(".//hr") is None:
            if text and el.tag == "span":  # "EcoFlow's<span>&nbsp;</span>appliance": a space
                el.tail = " " + (el.tail or "")
            el.drop_tree()


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
