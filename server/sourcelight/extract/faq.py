"""Stage (inside ``find_article``, last): the article's questions and answers go back.

Guides and reviews close with a "Frequently Asked Questions" block that page builders put
in a block of its own after the body, often after a share bar or a call to action, where
readability does not look. The block comes back at the article's end when a heading says it
is the FAQ ("FAQs", "Performance Tuning: FAQs", "Frequently Asked Questions About …"), it
holds running text with sparse links, it is not furniture by its name, and readability kept
none of it. One FAQ per page: a second one is the site's own (a help box in the footer).
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path

from lxml.html import HtmlElement

from .boilerplate import is_furniture_by_name, link_density, prose_length
from .leftovers import short_text

DATA_FILE = Path(__file__).with_name("data") / "boilerplate.json"
FAQ_HEADING_TAGS = ("h2", "h3", "h4", "summary")
FAQ_HEADING_MAX_CHARS = 80
# The FAQ block is the nearest block above its heading with this much running text ...
FAQ_MIN_PROSE = 200
# ... found within this many levels ...
FAQ_MAX_LEVELS = 4
# ... whose links are sparse (a help centre's list of question links is navigation).
FAQ_MAX_LINK_DENSITY = 0.3
# An answer this long tells whether the article already holds the FAQ.
FAQ_PROBE_CHARS = 40


@lru_cache(maxsize=1)
def faq_heading_re() -> re.Pattern:
    """The FAQ headings' phrases (``boilerplate.json``, ``faq_headings``), as whole words."""
    phrases = json.loads(DATA_FILE.read_text(encoding="utf-8"))["faq_headings"]
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def restore_faq(doc: HtmlElement, article: HtmlElement, kept_sources: list[HtmlElement]) -> bool:
    """Append to ``article`` the page's FAQ block that readability left out (see the module
    docstring); return whether one went back. ``kept_sources`` are the page elements
    readability kept."""
    body = doc.find("body")
    if body is None or not kept_sources:
        return False
    pattern = faq_heading_re()
    headings = [h for h in body.iter(*FAQ_HEADING_TAGS)
                if (text := short_text(h, FAQ_HEADING_MAX_CHARS)) and pattern.search(text.casefold())]
    if not headings:
        return False
    kept = {id(el) for el in kept_sources}
    holding_kept = _ancestors_of(kept_sources)
    for heading in headings:
        if id(heading) in kept or any(id(a) in kept for a in heading.iterancestors()):
            return False  # readability kept the FAQ (or the page's first one is in the story)
        block = _faq_block(heading, holding_kept)
        if block is not None and not _already_in(block, article):
            clone = copy.deepcopy(block)
            clone.tail = None
            article.append(clone)
            return True
    return False


def _already_in(block: HtmlElement, article: HtmlElement) -> bool:
    """True when the article already holds the block's first answer (a widened article is a
    copy of a page block that may hold the FAQ)."""
    probe = next((text for p in block.iter("p")
                  if len(text := " ".join(p.text_content().split())) >= FAQ_PROBE_CHARS), None)
    return probe is None or probe in " ".join(article.text_content().split())


def _ancestors_of(elements: list[HtmlElement]) -> set[int]:
    """The ids of every ancestor of ``elements`` (each walk stops where another one passed)."""
    seen: set[int] = set()
    for el in elements:
        for ancestor in el.iterancestors():
            if id(ancestor) in seen:
                break
            seen.add(id(ancestor))
    return seen


def _faq_block(heading: HtmlElement, holding_kept: set[int]) -> HtmlElement | None:
    """The block the FAQ heading opens: the nearest ancestor with running text that holds
    nothing readability kept, or None."""
    block = heading
    for _ in range(FAQ_MAX_LEVELS):
        parent = block.getparent()
        if parent is None or parent.tag in ("body", "html") or id(parent) in holding_kept:
            break
        block = parent
        if prose_length(block) >= FAQ_MIN_PROSE:
            break
    if prose_length(block) < FAQ_MIN_PROSE or link_density(block) > FAQ_MAX_LINK_DENSITY \
            or is_furniture_by_name(block):
        return None
    return block
