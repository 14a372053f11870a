"""Stage: find the article in the pruned page, with readability-lxml as the engine.

Our own steps around the engine, in order:

1. readability runs on a numbered copy of the tree we already parsed and pruned
   (``engine.py``); its "unlikely candidate" pass is replaced by our boilerplate stage (its
   regex drops whole articles whose wrappers say "sidebar-layout") and its class scores count
   whole words;
2. ``restore_dropped_blocks``: lists, tables, headings and sections its cleaner cut from the
   article go back where they stood (the numbers trace its output back to the page);
3. ``widen_to_article``: when it kept only part of an article split over sibling blocks, the
   enclosing block is taken; ``prefer_prose_container``: when it found next to nothing, the
   block that holds most of the page's running text is;
4. ``restore_section_headings`` (``sections.py``): when readability's pick stands, the headings
   and paragraphs it left out between the blocks it kept go back (page builders put each
   heading, and often the introduction, in a block of its own);
5. ``restore_lead_figure``: the lead image and its caption are put back;
6. ``restore_faq`` (``faq.py``): the article's FAQ block, when readability left it out.

Every fallback is recorded in ``notes``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import lxml.etree
from lxml.html import HtmlElement
from readability.readability import Unparseable

from ..errors import NoArticle
from ..settings import Settings
from .boilerplate import (PROSE_MIN_CHARS, class_tokens, is_furniture_by_name, link_density,
                          prose_length, rules, text_length)
from .engine import SOURCE_INDEX, PrunedDocument, parse_summary
from .faq import restore_faq
from .lead_figure import first_paragraph_text, restore_lead_figure
from .leftovers import is_link_list_block
from .outbound import host_of, mostly_off_site
from .parsers import new_element
from .sections import is_short_block_between, restore_section_headings


# The prose container replaces readability's pick when that pick holds less than this share
# of the container's running text.
FALLBACK_RATIO = 0.5
# Below this share readability found next to nothing, wherever it looked.
NOTHING_FOUND_RATIO = 0.15
# ... and only on pages with at least this much running text.
MIN_FALLBACK_PROSE = 500
# readability's pick holding less than this share of the page's paragraphs of running text
# (a site banner, a teaser box) missed the article, even where the prose block looks like a
# stream of cards (webcams, case-study sections, topic cards each with a link).
MISSED_PROSE_SHARE = 0.3
# readability's pick is widened when it holds less than this share of the page's prose ...
WIDEN_BELOW_SHARE = 0.75
# ... to the nearest enclosing block holding this share ...
WIDEN_TARGET_SHARE = 0.8
# ... found within this many levels above what it kept, and not a link farm.
WIDEN_MAX_LEVELS = 4
WIDEN_MAX_LINK_DENSITY = 0.35
# Widening is refused when one left-out block would bring more than this share of the new prose.
WIDEN_MAX_SINGLE_BLOCK_SHARE = 0.6
# A block with this many headings that are links is a stream of teaser cards.
STREAM_MIN_LINKED_HEADINGS = 3
# ... and so is one with this many links per paragraph (each teaser links to its story).
STREAM_LINKS_PER_PARAGRAPH = 0.5
# In a block taken whole, a block without running text and with more of its text in links
# than this is a menu or a link list.
LINK_BLOCK_DENSITY = 0.5
# The container is the deepest element holding this share of the page's running text.
CONTAINER_SHARE = 0.6


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks readability's conditional cleaning removes that articles are made of.
RESTORABLE_TAGS = frozenset({"ul", "ol", "dl", "table", "figure", "pre", "blockquote", *_HEADINGS,
                             "div", "section"})
# A cut <div>/<section> comes back only with this much text, sparse links and real content.
RESTORE_MIN_SECTION_CHARS = 200
RESTORE_MAX_SECTION_LINK_DENSITY = 0.3
# A restored list or table with more of its text in links than this is navigation.
RESTORE_MAX_LINK_DENSITY = 0.5
# ... unless its items average this many characters (sentences, not menu entries).
RESTORE_MIN_LINKED_ITEM_CHARS = 50


def find_article(doc: HtmlElement, base_url: str | None, settings: Settings,
                 notes: list[str]) -> HtmlElement:
    """Return the article's element tree (a ``<div>``), or raise ``NoArticle``."""
    if doc.find("body") is None:
        raise NoArticle("The page has no body (it may be a frameset); open the framed page itself.")
    # readability prunes the tree it is handed (hidden and styled elements, and its cleaner
    # can empty whole pages); later stages need the page as we pruned it.
    source = list(doc.iter())
    # No url: readability would rewrite every link on each of its passes; render does it once.
    engine = PrunedDocument(
        doc,
        min_text_length=settings.readability_min_text_length,
        retry_length=settings.readability_retry_length,
    )
    try:
        summary = engine.summary(html_partial=True)
    except Unparseable as exc:
        raise NoArticle(f"No article could be found on this page ({exc}).") from None
    article = parse_summary(summary)
    kept = take_source_indexes(article)
    restore_dropped_blocks(article, kept, source, host_of(base_url))
    # The text lengths of the page's elements, read once for the two fallbacks (neither
    # changes the page: what they take, they copy).
    lengths: dict[HtmlElement, int] = {}
    widened = widen_to_article(doc, article, kept, source, notes, lengths)
    picked = widened if widened is not None \
        else prefer_prose_container(doc, article, notes, lengths)
    if picked is article:  # readability's pick stands: its left-out headings and text go back
        restore_section_headings(kept, source)
    article = picked
    restore_lead_figure(doc, article, base_url)
    if restore_faq(doc, article, [source[i] for i in kept if i < len(source)]):
        notes.append("article:faq")
    return article


def take_source_indexes(article: HtmlElement) -> dict[int, HtmlElement]:
    """Map page positions to the output elements readability kept, removing the markers."""
    kept: dict[int, HtmlElement] = {}
    for el in article.iter():
        index = el.get(SOURCE_INDEX) if isinstance(el.tag, str) else None
        if index is not None and index.isdigit():
            kept[int(index)] = el
    # One call in libxml2 instead of an attribute dictionary per element.
    lxml.etree.strip_attributes(article, SOURCE_INDEX)
    return kept


def widen_to_article(doc: HtmlElement, article: HtmlElement, kept: dict[int, HtmlElement],
                     source: list[HtmlElement], notes: list[str],
                     lengths: dict[HtmlElement, int] | None = None) -> HtmlElement | None:
    """When readability kept one part of an article split over sibling blocks, take the
    nearest enclosing block of what it kept that holds most of the page's running text.

    Returns the widened article, or None when readability's pick stands. ``lengths`` keeps
    the text lengths of the page's elements (``boilerplate.text_length``).
    """
    body = doc.find("body")
    page_prose = prose_length(body, lengths) if body is not None else 0
    found = prose_length(article)
    if not kept or page_prose < MIN_FALLBACK_PROSE or found >= WIDEN_BELOW_SHARE * page_prose:
        return None
    kept_sources = [source[i] for i in kept if i < len(source)]
    anchor = _common_ancestor(kept_sources)
    if anchor is None:
        return None
    for level, candidate in enumerate([anchor, *anchor.iterancestors()]):
        if candidate is body or candidate.tag == "html" or level > WIDEN_MAX_LEVELS:
            return None
        prose = prose_length(candidate, lengths)
        if prose >= WIDEN_TARGET_SHARE * page_prose:
            if link_density(candidate, lengths) > WIDEN_MAX_LINK_DENSITY:
                return None
            if _one_block_dominates(candidate, kept_sources, prose - found):
                return None
            notes.append("article:widened")
            return _cleaned_copy(candidate)
    return None


def _one_block_dominates(candidate: HtmlElement, kept_sources: list[HtmlElement],
                         added: int) -> bool:
    """True when most of the prose widening would add sits in one block readability left out
    (an embedded gallery, a comment thread, a teaser stream) rather than in article sections."""
    if added <= 0:
        return False
    kept_ids = {id(el) for el in kept_sources}

    def left_out_prose(block: HtmlElement) -> int:
        return sum(n for p in block.iter("p") if id(p) not in kept_ids
                   for n in (text_length(p),) if n >= PROSE_MIN_CHARS)

    blocks = [child for child in candidate if isinstance(child.tag, str)]
    if not blocks:
        return False
    largest = max(blocks, key=left_out_prose)
    if left_out_prose(largest) <= WIDEN_MAX_SINGLE_BLOCK_SHARE * added:
        return False
    return _looks_like_a_stream(largest)


def _looks_like_a_stream(block: HtmlElement) -> bool:
    """A gallery or teaser stream: more list items than paragraphs, or several linked
    headings (one per teaser card)."""
    items, paragraphs = len(block.findall(".//li")), len(block.findall(".//p"))
    linked_headings = sum(1 for h in block.iter(*_HEADINGS) if h.find(".//a") is not None)
    links = len(block.findall(".//a"))
    return items > paragraphs or linked_headings >= STREAM_MIN_LINKED_HEADINGS \
        or (links >= STREAM_MIN_LINKED_HEADINGS and links >= STREAM_LINKS_PER_PARAGRAPH * paragraphs)


def _cleaned_copy(block: HtmlElement) -> HtmlElement:
    """A page block taken whole, as readability would clean it: link lists (menus, tag
    clouds, "latest news") that hold no running text are dropped."""
    wrapper = new_element("div")
    wrapper.append(copy.deepcopy(block))
    doomed = [el for el in wrapper.iter("ul", "ol", "div", "section", "table", "aside", "nav")
              if el is not wrapper[0] and prose_length(el) == 0
              and link_density(el) > LINK_BLOCK_DENSITY and text_length(el) > 0
              and not _is_list_of_linked_sentences(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return wrapper


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    """The deepest element that contains every one of ``elements``."""
    if not elements:
        return None
    paths = [[el, *el.iterancestors()][::-1] for el in elements]
    common = None
    for level in zip(*paths):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def restore_dropped_blocks(article: HtmlElement, kept: dict[int, HtmlElement],
                           source: list[HtmlElement], host: str = "") -> None:
    """Put back the lists, tables, headings and figures readability's cleaner cut out of
    the article, where they stood: a block whose parent readability kept, that is not a
    list of links to the site's own pages, and that sits among the kept paragraphs or opens
    its parent (``host``: the page's host, to tell the site's own links from others;
    ``source``: the page's nodes, ``doc.iter()``, as readability was handed them)."""
    if not kept:
        return
    # The output element of each kept page element. (``source`` is the whole page, unchanged
    # since it was listed: every child of a page element is in it, so only the kept ones
    # need looking up, not the position of every element of the page.)
    kept_by_id = {id(source[index]): out for index, out in kept.items() if index < len(source)}
    # The page elements with a child that could go back, found from those children: each
    # kept element's children were read one by one before (most have none of them).
    restorable_parents = {id(el.getparent()) for el in _restorable_blocks(source)}
    for index, out_parent in list(kept.items()):
        if index >= len(source):
            continue
        src_parent = source[index]
        if id(src_parent) not in restorable_parents:
            continue  # (most kept elements) nothing under it could be put back
        previous_kept: HtmlElement | None = None
        children = list(src_parent)
        # A short block between two kept ones ("My top choices are:", a short list) is the
        # article's too (sections.is_short_block_between).
        last_kept = max((j for j, c in enumerate(children) if id(c) in kept_by_id), default=-1)
        for j, child in enumerate(children):
            kept_child = kept_by_id.get(id(child))
            if kept_child is not None:
                previous_kept = kept_child
                continue
            if child.tag not in RESTORABLE_TAGS:
                continue
            if previous_kept is None:
                # The parent's first block: it goes back at the parent's start.
                if _is_article_block(child, host):
                    clone = copy.deepcopy(child)
                    clone.tail = None
                    out_parent.insert(0, clone)
                    previous_kept = clone
                continue
            if previous_kept.getparent() is out_parent \
                    and (_is_article_block(child, host)
                         or j < last_kept and is_short_block_between(child)):
                clone = copy.deepcopy(child)
                previous_kept.addnext(clone)
                clone.tail = None
                previous_kept = clone


def _restorable_blocks(source: list[HtmlElement]) -> Iterator[HtmlElement]:
    """The page's elements whose tag is one of ``RESTORABLE_TAGS`` (``source``: the page's
    nodes in document order, its root first)."""
    return source[0].iter(*RESTORABLE_TAGS) if source else iter(())


def _is_article_block(el: HtmlElement, host: str = "") -> bool:
    """A block that reads as part of the article: not furniture, not a list of links to the
    site's own pages."""
    if is_furniture_by_name(el) or class_tokens(el)[1] & rules().not_restored_words:
        return False
    if el.tag == "figure":
        return el.find(".//img") is not None
    length = text_length(el)
    if not length:
        return False
    if el.tag in _HEADINGS:
        return length < 200
    if el.tag in ("div", "section"):
        images, paragraphs = len(el.findall(".//img")), len(el.findall(".//p"))
        if images >= 3 and images > paragraphs:  # a gallery, not a section of the story
            return False
        if length >= RESTORE_MIN_SECTION_CHARS and _is_table_of_outbound_links(el, host):
            return True
        return length >= RESTORE_MIN_SECTION_CHARS \
            and link_density(el) < RESTORE_MAX_SECTION_LINK_DENSITY \
            and not is_link_list_block(el, rules()) \
            and (prose_length(el) >= RESTORE_MIN_SECTION_CHARS
                 or el.find(".//table") is not None or el.find(".//ul") is not None
                 or el.find(".//ol") is not None)
    if link_density(el) < RESTORE_MAX_LINK_DENSITY:
        return True
    return _is_list_of_linked_sentences(el) or _is_list_of_outbound_links(el, host) \
        or _is_table_of_outbound_links(el, host)


def _is_list_of_outbound_links(el: HtmlElement, host: str) -> bool:
    """A list whose links mostly lead to other sites: the article's picks (products, tools,
    external reading). A list of links to the site's other pages (related posts, sections,
    services) or within the page (a table of contents, tabs) is the site's navigation."""
    if el.tag not in ("ul", "ol") or is_link_list_block(el, rules()):
        return False
    return mostly_off_site(el, host)


def _is_table_of_outbound_links(el: HtmlElement, host: str) -> bool:
    """A table (or a block around one) whose links mostly lead to other sites: the
    article's data with its sources or the companies it ranks, linked to their sites."""
    table = el if el.tag == "table" else el.find(".//table")
    if table is None or text_length(table) < text_length(el) / 2 \
            or is_link_list_block(el, rules()):
        return False
    return mostly_off_site(table, host)


def _is_list_of_linked_sentences(el: HtmlElement) -> bool:
    """Items that are sentences with links in them ("Bug 1677080 – Fullscreen PiP window is
    affected by …") are article text; menus and link lists have short items."""
    if el.tag not in ("ul", "ol"):
        return False
    items = el.findall(".//li")
    return bool(items) and text_length(el) / len(items) >= RESTORE_MIN_LINKED_ITEM_CHARS \
        and not is_link_list_block(el, rules())


def prefer_prose_container(doc: HtmlElement, article: HtmlElement, notes: list[str],
                           lengths: dict[HtmlElement, int] | None = None) -> HtmlElement:
    """Replace readability's pick when the page's prose clearly lives elsewhere.

    readability sometimes settles on one section of a long article, or on a promo box, when
    the article is split into many sibling blocks. The block that holds most of the page's
    running text is then a better answer; the switch is recorded in ``notes``. ``lengths``
    keeps the text lengths of the page's elements.
    """
    body = doc.find("body")
    blocks = _prose_blocks(body, lengths) if body is not None else []
    # The container holds at most the page's running text: when readability's pick holds half
    # of that (most pages), the container is not looked for.
    page_prose = sum(n for _, n in blocks)
    if page_prose < MIN_FALLBACK_PROSE:
        return article
    found = text_length(article)
    if found >= FALLBACK_RATIO * page_prose:
        return article
    container, prose = _deepest_holding_most(body, blocks)
    if container is None or prose < MIN_FALLBACK_PROSE:
        return article
    if found >= FALLBACK_RATIO * prose:
        return article
    # On news pages full of teasers the prose block is the teaser grid, not the story: only
    # trust it when readability found next to nothing, or found a part of that very block.
    if found >= NOTHING_FOUND_RATIO * prose and not _contains_text_of(container, article) \
            and not _missed_the_prose(doc, article, lengths):
        return article
    notes.append("article:prose-container")
    return _cleaned_copy(container)


def _missed_the_prose(doc: HtmlElement, article: HtmlElement,
                      lengths: dict[HtmlElement, int] | None = None) -> bool:
    """True when readability's pick is a box beside the article, not a part of it: less
    running text than a story has (``MIN_FALLBACK_PROSE``) and under ``MISSED_PROSE_SHARE``
    of the page's. (A short story beside a big teaser grid has the running text of a story.)"""
    body = doc.find("body")
    found = prose_length(article)
    return body is not None and found < MIN_FALLBACK_PROSE \
        and found < MISSED_PROSE_SHARE * prose_length(body, lengths)


def _contains_text_of(container: HtmlElement, article: HtmlElement) -> bool:
    """True when the container holds the first substantial paragraph readability kept."""
    probe = first_paragraph_text(article)
    return bool(probe) and probe in " ".join(container.text_content().split())


def prose_container(doc: HtmlElement, lengths: dict[HtmlElement, int] | None = None,
                    ) -> tuple[HtmlElement | None, int]:
    """The deepest element holding most of the page's running text, and that text's length
    (``lengths``: the page's text lengths, see ``boilerplate.text_length``)."""
    body = doc.find("body")
    if body is None:
        return None, 0
    return _deepest_holding_most(body, _prose_blocks(body, lengths))


def _prose_blocks(body: HtmlElement, lengths: dict[HtmlElement, int] | None = None,
                  ) -> list[tuple[HtmlElement, int]]:
    """The blocks under ``body`` with running text of their own (:func:`_own_prose`), each
    with its length, in document order."""
    blocks = []
    for block in body.iter("p", "pre", "li", "blockquote", "div", "td", "dd"):
        n = _own_prose(block, lengths)
        if n:
            blocks.append((block, n))
    return blocks


def _deepest_holding_most(body: HtmlElement, blocks: list[tuple[HtmlElement, int]],
                          ) -> tuple[HtmlElement | None, int]:
    """:func:`prose_container` over ``body``'s blocks of running text (``_prose_blocks``)."""
    totals: dict[HtmlElement, int] = {}
    for block, n in blocks:
        for ancestor in block.iterancestors():
            totals[ancestor] = totals.get(ancestor, 0) + n
            if ancestor is body:
                break
    total = totals.get(body, 0)
    if not total:
        return None, 0
    best, best_depth = body, 0
    for el, n in totals.items():
        if n >= CONTAINER_SHARE * total:
            depth = sum(1 for _ in el.iterancestors())
            if depth > best_depth:
                best, best_depth = el, depth
    return best, totals[best]


def _own_prose(block: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> int:
    """Length of running text a block holds itself (a <div>'s own text, not its children's)."""
    tag = block.tag
    if tag == "div" or tag == "td" or tag == "dd":
        text = block.text
        n = len(text.strip()) if text else 0
        for child in block:  # (a loop: most blocks have few children, and no text between)
            tail = child.tail
            if tail:
                n += len(tail.strip())
        if n < PROSE_MIN_CHARS or link_density(block, lengths) > 0.3:
            return 0
        return n
    if tag == "li" and block.find("p") is not None:
        return 0
    if not len(block):  # text only (most paragraphs): its text_length, and no links
        text = block.text
        n = len(text.strip()) if text else 0
        return n if n >= PROSE_MIN_CHARS else 0
    # A paragraph's length is read already when the caller weighed the page's prose.
    n = lengths.get(block) if lengths is not None else None
    if n is None:
        # Its text with whitespace is never shorter than text_length, and is read in libxml2.
        if len(block.text_content()) < PROSE_MIN_CHARS:
            return 0
        n = text_length(block, lengths)
    if n < PROSE_MIN_CHARS:
        return 0
    # link_density(block), whose text length is n
    if sum(text_length(a, lengths) for a in block.iter("a")) / n > 0.3:
        return 0
    return n


__all__ = ["find_article", "restore_lead_figure", "text_length"]
