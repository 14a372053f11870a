"""Stage: article HTML to plain text with paragraph breaks, and word counts.

Blocks are separated by a blank line, ``<br>`` by a line break, and whitespace inside a block
collapses to single spaces — so the text reads as the article does and offsets into it are stable.
"""

from __future__ import annotations

import re

import lxml.html
from lxml.html import HtmlElement

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
# Scripts written without spaces between words: each character reads as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
# A first "paragraph" shorter than this is a label or a kicker, not the story's lead.
LEAD_MIN_CHARS = 20
_BREAK = "\x00"  # placeholder for a <br> inside a block, kept through whitespace collapsing
_SPACE_RE = re.compile(r"\s+")
_LIST_NUMBER_RE = re.compile(r"^-?\d+\.$")


def html_to_text(markup: str) -> str:
    """Plain text of an article HTML fragment, paragraphs separated by blank lines."""
    if not markup or not markup.strip():
        return ""
    return tree_to_text(parse_fragment(markup))


def parse_fragment(markup: str) -> HtmlElement:
    """Parse an article HTML fragment under one wrapping ``<div>``."""
    return lxml.html.fragment_fromstring(markup or "", create_parent="div")


def lead_paragraph(root: HtmlElement) -> str:
    """Text of the story's first paragraph, skipping figure captions and headings.

    Datelines ("TOKYO, Nov 27 (Reuters) –") are looked for here, not in a photo caption.
    """
    for p in root.iter("p", "div"):
        if any(a.tag in ("figure", "figcaption", "blockquote", "table") for a in p.iterancestors()):
            continue
        if p.tag == "div" and any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS
                                  for d in p.iterdescendants()):
            continue
        text = " ".join(p.text_content().split())
        if len(text) >= LEAD_MIN_CHARS:
            return text
    return ""


def tree_to_text(root: HtmlElement) -> str:
    """Plain text of an element tree, paragraphs separated by blank lines."""
    pieces: list[str] = []
    _walk(root, pieces)
    blocks: list[str] = []
    for raw in "".join(pieces).split("\n"):
        lines = (" ".join(part.split()) for part in raw.split(_BREAK))
        block = "\n".join(line for line in lines if line)
        if not block:
            continue
        if blocks and _LIST_NUMBER_RE.match(blocks[-1]):
            # "<li><p>Useful: …</p></li>": the item's number belongs before its first block.
            blocks[-1] = f"{blocks[-1]} {block}"
        else:
            blocks.append(block)
    return "\n\n".join(blocks)


def _walk(el: HtmlElement, pieces: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in SKIP_TAGS:
        pieces.append(_flat(el.tail))
        return
    if tag == "br":
        pieces.append(_BREAK)
        pieces.append(_flat(el.tail))
        return
    if tag == "pre":
        # Code and verse keep their lines; each line's spacing is still collapsed.
        lines = el.text_content().strip("\n").split("\n")
        pieces.append("\n" + _BREAK.join(_flat(line) for line in lines) + "\n")
        pieces.append(_flat(el.tail))
        return
    block = tag in BLOCK_TAGS
    if block:
        pieces.append("\n")
    if tag == "li" and _ordered_position(el):
        pieces.append(f"{_ordered_position(el)}. ")
    if tag:
        pieces.append(_flat(el.text))
    for child in el:
        _walk(child, pieces)
    if block:
        pieces.append("\n")
    elif tag in ("td", "th"):
        pieces.append(" ")
    pieces.append(_flat(el.tail))


def _ordered_position(li: HtmlElement) -> int:
    """The number a reader sees before an item of an ordered list (0 for other items)."""
    parent = li.getparent()
    if parent is None or parent.tag != "ol":
        return 0
    start = parent.get("start", "1")
    first = int(start) if start.strip().lstrip("-").isdigit() else 1
    return first + sum(1 for sibling in li.itersiblings("li", preceding=True))


def _flat(text: str | None) -> str:
    """Whitespace in source markup is layout, not text: a run of it reads as one space."""
    return _SPACE_RE.sub(" ", text) if text else ""


def count_words(text: str) -> int:
    """Words in the text; in Chinese and Japanese each character counts as one."""
    return len(_WORD_RE.findall(text))
