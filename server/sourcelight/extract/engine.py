"""readability-lxml, the article-finding engine, adapted to run on the tree we parsed and pruned.

``PrunedDocument`` is readability's ``Document`` with these differences, each giving the same
answer as readability's own step would on that tree, or a deliberate change said below:

* its parse is a numbered copy of our pruned tree (``SOURCE_INDEX`` traces what it keeps back
  to the page), not a second parse and cleaning of the page;
* its "unlikely candidate" pass is off (the boilerplate stage does that job) and class/id
  scores count whole words; headings that are links are not link-dense;
* the div-to-paragraph step reads the tree instead of serialising every ``<div>``'s children;
* its article is moved under a ``<div>`` of our parser (plain elements, see ``parsers.py``);
* a pick inside a table (its ``<tbody>``, a row) is lifted to the block holding the table
  (deliberate: a list page's table keeps its header, caption and surrounding text).
"""

from __future__ import annotations

import copy
import re

import lxml.etree
from lxml.html import HtmlElement
from readability import Document
from readability.cleaners import htmlstrip
from readability.readability import REGEXES, is_video_url

from .boilerplate import class_score
from .parsers import new_element, parse_fragment

# Attribute carrying an element's position in the page through readability (never output).
SOURCE_INDEX = "data-sl-i"
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A table's inner parts: never an article by themselves.
_TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr"})
# readability's clean(), its three substitutions compiled once (it passes pattern strings to
# re.sub, a cache look-up each time, for every paragraph and block it measures).
# Each tried only where a run of whitespace starts ("(?<!\s\s)" after its first character):
# readability's own patterns, tried at every character of a run, take time quadratic in its
# length (indented templates have runs of hundreds), and match only where it starts anyway.
_LONG_SPACE_RE = re.compile(r"\s(?<!\s\s)\s{254,}")  # r"\s{255,}"
_NEWLINE_RE = re.compile(r"\s(?<!\s\s)\s*\n\s*|\n\s*")  # r"\s*\n\s*"
_TABS_RE = re.compile(r"\t|[ \t]{2,}")
# The paragraphs readability scores, per tag, whose text (whitespace included) is at least
# $n characters long.
_LONG_ENOUGH = {tag: lxml.etree.XPath(f".//{tag}[string-length() >= $n]")
                for tag in ("p", "pre", "td", "blockquote")}
# readability's score_node: what each tag adds to a candidate's class weight.
_TAG_WEIGHTS = {
    **dict.fromkeys(("div", "article"), 5),
    **dict.fromkeys(("pre", "td", "blockquote"), 3),
    **dict.fromkeys(("address", "ol", "ul", "dl", "dd", "dt", "li", "form", "aside"), -3),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6", "th", "header", "footer", "nav"), -5),
}
# The blocks readability's cleaning step weighs, in the order it weighs them.
_CLEANED_BLOCKS = ("table", "ul", "div", "aside", "header", "footer", "section")
# readability turns a <div> into a <p> when its serialised children do not match
# ``<(blockquote|dl|div|img|ol|p|pre|table|ul)`` (a prefix match on tag names: "p" covers
# "pre", "picture", "param"); read on the tree, that is "no descendant element whose name
# starts with one of these". (Text and attribute values are escaped when serialised, and
# scripts and styles are gone before it runs, so only tag names ever matched.)
_BLOCK_NAME_PREFIXES = ("blockquote", "dl", "div", "img", "ol", "p", "table", "ul")
# readability's inline tags: runs of them (and of text) inside a <div> become paragraphs.
_INLINE_TAGS = frozenset({"a", "b", "cite", "code", "em", "font", "i", "small", "span",
                          "strong", "sub", "sup", "u"})


def _holding_blocks(root: HtmlElement) -> set[HtmlElement]:
    """The elements under ``root`` that have a block element (by readability's prefix match)
    among their descendants: one walk, each block marking its ancestors once. (A Python walk
    over plain elements is four times faster here than an XPath of eight ``starts-with``.)"""
    holding: set[HtmlElement] = set()
    for block in root.iterdescendants():
        tag = block.tag
        if not isinstance(tag, str) or not tag.startswith(_BLOCK_NAME_PREFIXES):
            continue
        for ancestor in block.iterancestors():
            if ancestor in holding:
                break
            holding.add(ancestor)
    return holding


class PrunedDocument(Document):
    """readability-lxml's Document over a tree our boilerplate stage already pruned."""

    def remove_unlikely_candidates(self) -> None:  # noqa: D102 - see module docstring
        return None

    def _parse(self, input: HtmlElement) -> HtmlElement:
        """A numbered copy of the page as our stages left it, fresh for each of readability's
        passes (it mutates the tree, and retries leniently on a fresh one).

        readability's own parse would look for hidden elements and run lxml's Cleaner over
        the whole page again — work the boilerplate stage already did (hidden elements,
        scripts, styles are gone; comments were never parsed); what remains of it (inline
        styles, event attributes) the sanitiser does on the way out. It cost about a tenth
        of the extraction's time."""
        self.encoding = "utf-8"
        return _numbered_copy(input)

    def get_link_density(self, elem: HtmlElement) -> float:
        """Headings that are links ("<h3><a>Types of meditation</a></h3>") are section titles
        in blog posts; readability would drop every one of them for its link density."""
        if elem.tag in _HEADINGS:
            return 0.0
        # readability's own measure, without its two regex passes per element: collapsing
        # whitespace runs to one character gives the same lengths.
        return _link_density(elem, elem.text_content())

    def transform_misused_divs_into_paragraphs(self) -> None:
        """readability's step, to the same result, without serialising every <div>'s children
        (each ``<div>`` printed its whole subtree: quadratic in the nesting depth) and without
        parsing a document for each new ``<p>``."""
        holding = _holding_blocks(self.html)
        for elem in self.html.findall(".//div"):
            if elem not in holding:
                elem.tag = "p"
        for elem in self.html.findall(".//div"):
            _wrap_inline_runs(elem, holding)

    def get_article(self, candidates: dict, best_candidate: dict,
                    html_partial: bool = False) -> HtmlElement:
        """readability's, with the article moved under a ``<div>`` of our parser: its own
        ``<div>`` comes from lxml.html's default parser, which would choose the class of every
        element its cleaning step reads in Python."""
        output = super().get_article(candidates, best_candidate, html_partial=html_partial)
        if not html_partial:
            return output
        moved = new_element(output.tag)
        moved.text = output.text
        for child in list(output):
            moved.append(child)
        return moved

    def score_paragraphs(self) -> dict[HtmlElement, dict]:
        """readability's paragraph scoring, to the same scores, without the debug message it
        formats for every candidate whether or not debug logging is on."""
        min_length = self.min_text_length
        candidates: dict[HtmlElement, dict] = {}
        ordered = []
        # Only paragraphs that may be long enough: _clean never lengthens a text, so one
        # shorter than min_length with its whitespace is skipped in libxml2, not in Python.
        for elem in (found for tag in ("p", "pre", "td", "blockquote")
                     for found in _LONG_ENOUGH[tag](self.html, n=min_length)):
            parent = elem.getparent()
            if parent is None:
                continue
            grandparent = parent.getparent()
            # (Past 300 characters, and past min_length, every length scores the same.)
            text = elem.text_content() or ""
            length = _cleaned_length(text, max(300, min_length))
            if length < min_length:
                continue
            if parent not in candidates:
                candidates[parent] = self.score_node(parent)
                ordered.append(parent)
            if grandparent is not None and grandparent not in candidates:
                candidates[grandparent] = self.score_node(grandparent)
                ordered.append(grandparent)
            content_score = 1
            content_score += text.count(",") + 1  # _clean leaves the commas
            content_score += min((length / 100), 3)
            candidates[parent]["content_score"] += content_score
            if grandparent is not None:
                candidates[grandparent]["content_score"] += content_score / 2.0
        # A link lies under several candidates (its paragraph's parent and grandparent, and
        # theirs): its text is measured once. Nothing changes the tree during this loop.
        link_lengths: dict[HtmlElement, int] = {}
        for elem in ordered:
            density = 0.0 if elem.tag in _HEADINGS \
                else _link_density(elem, elem.text_content(), link_lengths)
            candidates[elem]["content_score"] *= 1 - density
        return candidates

    def score_node(self, elem: HtmlElement) -> dict:
        """readability's, the same score: its tag's weight looked up, not searched for in
        four lists."""
        return {"content_score": self.class_weight(elem) + _TAG_WEIGHTS.get(elem.tag.lower(), 0),
                "elem": elem}

    def get_semantic_main_candidate(self, candidates: dict, best_candidate: dict) -> dict:
        """readability's, the same choice: the two text lengths it compares are bounded
        before they are measured (its measure runs three substitutions over the whole of
        ``<main>``'s text)."""
        best_elem = best_candidate["elem"]
        ancestors = tuple(best_elem.iterancestors())
        if any(elem.tag == "article" for elem in (best_elem,) + ancestors):
            return best_candidate
        main = next((elem for elem in ancestors if elem.tag == "main"), None)
        if main is None or _shorter_than_twice(main, best_elem):
            return best_candidate
        if self.get_link_density(main) > 0.15:
            return best_candidate
        candidate = self.score_node(main)
        candidates[main] = candidate
        return candidate

    def select_best_candidate(self, candidates: dict) -> dict | None:
        """readability's choice, the same one, without its "top 5" debug messages and without
        a set of every descendant of the pick (only nested <article>s are looked up)."""
        if not candidates:
            return None
        ranked = sorted(candidates.values(), key=lambda x: x["content_score"], reverse=True)
        best = ranked[0]
        article_bodies = [c for c in ranked
                          if "articleBody" in (c["elem"].get("itemprop") or "").split()
                          and self.get_link_density(c["elem"]) <= 0.1]
        if article_bodies:
            best = article_bodies[0]
        best_elem = best["elem"]
        nested_articles = [c for c in ranked
                           if c["elem"].tag == "article"
                           and any(a is best_elem for a in c["elem"].iterancestors())
                           and _text_length(c["elem"]) >= 250
                           and c["content_score"] >= best["content_score"] * 0.25]
        return nested_articles[0] if nested_articles else _out_of_table(best, candidates)

    def get_preserved_elements(self, node: HtmlElement) -> dict[HtmlElement, bool]:
        """readability's, the same elements: a block can only lead into a quotation when the
        article holds a <blockquote>, so without one the (costly) test is not run."""
        if node.find(".//blockquote") is not None:
            return super().get_preserved_elements(node)
        return {elem: True for elem in self.tags(node, "ul") if self.is_toc_list(elem)}

    def sanitize(self, node: HtmlElement, candidates: dict, keep_all_images: bool = False) -> str:
        """readability's cleaning step, to the same result, without the debug messages it
        formats for every block it weighs (each message reads the block's whole text)."""
        for header in self.tags(node, "h1", "h2", "h3", "h4", "h5", "h6"):
            if self.class_weight(header) < 0 or self.get_link_density(header) > 0.33:
                header.drop_tree()
        for elem in self.tags(node, "p"):
            if REGEXES["callToActionRe"].search(elem.text_content()) \
                    and self.get_link_density(elem) > 0.2:
                elem.drop_tree()
        for elem in self.tags(node, "form", "textarea"):
            elem.drop_tree()
        for elem in self.tags(node, "iframe"):
            if "src" in elem.attrib and is_video_url(elem.attrib["src"]):
                elem.attrib.pop("srcdoc", None)
                elem.text = "VIDEO"
            else:
                elem.drop_tree()
        allowed = self.get_preserved_elements(node)
        for el in self.reverse_tags(node, *_CLEANED_BLOCKS):
            if el not in allowed and self._is_clutter(el, candidates, allowed, keep_all_images):
                el.drop_tree()
        self.html = node
        return self.get_clean_html()

    def get_clean_html(self) -> str:
        """readability's serialisation and attribute stripping, one scan of the article
        fewer per stripping pass (:func:`_strip_bad_attributes`, the same text)."""
        return _strip_bad_attributes(lxml.etree.tounicode(self.html, method="html"))

    def _is_clutter(self, el: HtmlElement, candidates: dict, allowed: dict,
                    keep_all_images: bool) -> bool:
        """readability's test of one block in its cleaning step (it may add the block's
        descendants to ``allowed``, as readability does)."""
        weight = self.class_weight(el)
        content_score = candidates[el]["content_score"] if el in candidates else 0
        if weight + content_score < 0:
            return True
        # The block's text is read once (readability reads it three times), and its link
        # density only when a test asks for it.
        text = el.text_content()
        if text.count(",") >= 10:
            return False
        # Its descendants of the six kinds it counts, in one walk (readability: one each).
        counts = dict.fromkeys(("p", "img", "li", "a", "embed", "input"), 0)
        for found in el.iterdescendants("p", "img", "li", "a", "embed", "input"):
            counts[found.tag] += 1
        counts["li"] -= 100
        if counts["input"]:
            counts["input"] -= len(el.findall('.//input[@type="hidden"]'))
        # readability's len(_clean(text)). The cleaned text keeps every other character and
        # one or more of each inner run of whitespace, so it is never shorter than the
        # collapsed text: past the largest length tested below, that one (which the link
        # density needs anyway) answers every test, and the text is not cleaned.
        collapsed = _collapsed_length(text)
        content_length = collapsed if collapsed >= max(self.min_text_length, 75) \
            else len(_clean(text))
        tag = el.tag
        if keep_all_images and tag == "div" and counts["img"] >= 1:
            return False
        if counts["p"] and counts["img"] > 1 + counts["p"] * 1.3:
            return True
        if counts["li"] > counts["p"] and tag not in ("ol", "ul"):
            return True
        if counts["input"] > (counts["p"] / 3):
            return True
        if content_length < self.min_text_length and (counts["img"] == 0 or counts["img"] > 2):
            return True
        # (no heading is among these blocks: get_link_density would read the same)
        link_density = _link_density(el, text, collapsed=collapsed)
        if weight < 25 and link_density > (
                0.25 if tag in ("ul", "section")
                and next(el.iterancestors("main", "article"), None) is not None
                else 0.2):
            return True
        if weight >= 25 and link_density > 0.5:
            return True
        if (counts["embed"] == 1 and content_length < 75) or counts["embed"] > 1:
            return True
        if not content_length:
            # kept when a non-empty neighbour on either side is long enough
            siblings = [n for n in (_first_text_length(el.itersiblings()),
                                    _first_text_length(el.itersiblings(preceding=True))) if n]
            if siblings and sum(siblings) > 1000:
                for desnode in self.tags(el, "table", "ul", "div", "section"):
                    allowed[desnode] = True
                return False
            return True
        return False

    def class_weight(self, e: HtmlElement) -> int:
        """Score class/id by whole words (readability's substring regex penalises
        "elementor-widget-container" and so deletes whole Elementor articles)."""
        return class_score(e)


def _out_of_table(best: dict, candidates: dict) -> dict:
    """A pick inside a table (its rows' ``<tbody>``, a row) is lifted to the block holding the
    table: scoring cells makes a data table's row group win on list pages, which would drop
    the table's own header and caption and the text around it."""
    elem = best["elem"]
    if elem.tag not in _TABLE_PARTS:
        return best
    table = next((a for a in elem.iterancestors("table")), None)
    holder = table.getparent() if table is not None else None
    if holder is None or holder.tag in ("body", "html"):
        return best
    return candidates.get(holder) or {"elem": holder, "content_score": best["content_score"]}


def _wrap_inline_runs(div: HtmlElement, holding: set[HtmlElement]) -> None:
    """readability's second half of the step: a ``<div>``'s loose text and runs of inline
    children go into new ``<p>`` elements, its ``<br>`` children go. (New paragraphs only ever
    become children of a ``<div>``, so ``holding`` stays true for the inline children.)"""
    children = list(div)
    paragraph = None
    if div.text and div.text.strip():
        paragraph = new_element("p")
        paragraph.text = div.text
        div.text = None
        div.insert(0, paragraph)
    for child in children:
        if child.tag == "br" or child.tag not in _INLINE_TAGS or child in holding:
            paragraph = None
            continue
        if paragraph is None:
            paragraph = new_element("p")
            child.addprevious(paragraph)
        paragraph.append(child)
    for pos, child in reversed(list(enumerate(div))):
        if child.tail and child.tail.strip():
            paragraph = new_element("p")
            paragraph.text = child.tail
            child.tail = None
            div.insert(pos + 1, paragraph)
        if child.tag == "br":
            child.drop_tree()


def parse_summary(summary: str | None) -> HtmlElement:
    """readability's HTML back into a tree under one ``<div>`` (empty when it found nothing)."""
    try:
        return parse_fragment(summary or "")
    except (lxml.etree.ParserError, ValueError):
        return new_element("div")


def _clean(text: str) -> str:
    """readability's ``clean``: long whitespace runs cut, line breaks and tabs collapsed."""
    if "\n" not in text and "\t" not in text and "  " not in text \
            and (len(text) < 255 or not _LONG_SPACE_RE.search(text)):
        # Nothing for any of the three substitutions to match (most paragraphs): the
        # newline and tab patterns need a "\n", a "\t" or two spaces in a row.
        return text.strip()
    text = _LONG_SPACE_RE.sub(" " * 255, text)
    text = _NEWLINE_RE.sub("\n", text)
    return _TABS_RE.sub(" ", text).strip()


def _cleaned_length(text: str, enough: int) -> int:
    """``len(_clean(text))``, or the collapsed text's length when that is ``enough`` already:
    the cleaned text is never shorter (it keeps every other character and one or more of
    each inner run of whitespace), so a caller for whom every length past ``enough`` reads
    the same need not clean a long text with whitespace to clean."""
    if "\n" in text or "\t" in text or "  " in text:  # (else _clean only strips it)
        collapsed = _collapsed_length(text)
        if collapsed >= enough:
            return collapsed
    return len(_clean(text))


def _strip_bad_attributes(html: str) -> str:
    """readability's ``clean_attributes`` (its regex ``htmlstrip`` applied until nothing
    matches), to the same text, in one scan of the article instead of one per pass.

    A match runs from a ``<`` to the first ``>`` after it and keeps that ``>``, so each
    ``<…>`` stretch is stripped on its own, pass after pass, by the same first ``<`` (one
    later in the stretch never matches where the first does not). Stripping each matched
    tag to the end at once gives the text the passes over the whole article gave."""
    return htmlstrip.sub(_strip_tag, html)


def _strip_tag(match: re.Match) -> str:
    """One tag ``htmlstrip`` matched, stripped of every attribute it would strip."""
    # (Both groups always take part in a match: "<\\1\\2>" expanded, without parsing the
    # template again for every tag as ``match.expand`` does.)
    tag, replaced = f"<{match[1]}{match[2]}>", True
    while replaced:
        tag, replaced = htmlstrip.subn("<\\1\\2>", tag)
    return tag


def _shorter_than_twice(main: HtmlElement, best: HtmlElement) -> bool:
    """readability's ``text_length(main) < max(500, text_length(best) * 2)``. A cleaned text
    is no longer than the text and no shorter than its characters other than whitespace
    (``_clean`` only shortens runs of whitespace), so the bounds settle most pages."""
    main_text, best_text = main.text_content() or "", best.text_content() or ""
    if len(main_text) < max(500, _non_space_length(best_text) * 2):
        return True
    if _non_space_length(main_text) >= max(500, len(best_text) * 2):
        return False
    return len(_clean(main_text)) < max(500, len(_clean(best_text)) * 2)


def _non_space_length(text: str) -> int:
    """The number of characters of ``text`` that are not whitespace (``\\s``, as str.split)."""
    return len("".join(text.split()))


def _text_length(el: HtmlElement) -> int:
    """readability's ``text_length``."""
    return len(_clean(el.text_content() or ""))


def _first_text_length(siblings) -> int:
    """The text length of the first sibling with any text, 0 when none has."""
    for sibling in siblings:
        length = _text_length(sibling)
        if length:
            return length
    return 0


def _link_density(elem: HtmlElement, text: str,
                  link_lengths: dict[HtmlElement, int] | None = None,
                  collapsed: int | None = None) -> float:
    """readability's link density of ``elem`` (``text`` its text content), without its two
    regex passes per element: collapsing whitespace runs to one character gives the same
    lengths. ``link_lengths`` keeps each link's length for later calls on an unchanged tree;
    ``collapsed`` is ``_collapsed_length(text)`` when the caller has it."""
    if link_lengths is None:
        linked = sum(_collapsed_length(a.text_content()) for a in elem.iterdescendants("a"))
    else:
        linked = 0
        for a in elem.iterdescendants("a"):
            length = link_lengths.get(a)
            if length is None:
                length = link_lengths[a] = _collapsed_length(a.text_content())
            linked += length
    if collapsed is None:
        collapsed = _collapsed_length(text)
    return linked / max(collapsed, 1)


def _collapsed_length(text: str) -> int:
    """Length of ``text`` with every whitespace run as one character and none at the ends
    (readability's ``text_length``; it keeps a run of non-breaking spaces, which is rare)."""
    return len(" ".join(text.split()))


def _numbered_copy(doc: HtmlElement) -> HtmlElement:
    """A deep copy whose elements carry their position in ``doc.iter()`` order, so what
    readability keeps can be traced back to the page."""
    clone = copy.deepcopy(doc)
    # lxml's own set (lxml.html wraps it in a Python method, one call per element).
    set_attribute = lxml.etree.ElementBase.set
    numbers = _index_strings(len(source_nodes := list(clone.iter())))
    for el, number in zip(source_nodes, numbers):
        if isinstance(el.tag, str):
            set_attribute(el, SOURCE_INDEX, number)
    return clone


# str(i) for the positions numbered so far, made once (every page numbers its elements), up
# to a typical page's size (the list stays in memory).
_INDEX_STRINGS: list[str] = []
_INDEX_STRINGS_MAX = 20000


def _index_strings(count: int) -> list[str]:
    """``[str(i) for i in range(count)]``, or a longer list starting with those."""
    if count > _INDEX_STRINGS_MAX:
        return list(map(str, range(count)))
    if len(_INDEX_STRINGS) < count:
        _INDEX_STRINGS.extend(map(str, range(len(_INDEX_STRINGS), count)))
    return _INDEX_STRINGS
