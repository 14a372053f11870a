"""Stage: the article's structure beside its text — which stretches are not prose.

Captions, photo and agency credits, bylines, date lines, datelines standing alone and
"contributed to this report" lines are part of the article a reader sees, but nobody in them
*says* anything: they are never sources, never antecedents, never marked. The annotator gets
their spans (offsets into ``article.text``) with a role name:

- ``caption``: a figure's caption (``<figcaption>``, ``<figure>``, a table's ``<caption>``), a
  paragraph that ends in a photo credit, a media label ("Image caption", "Media playback is
  unsupported on your device") or a line that repeats an image's alt text;
- ``credit``: "Jane Doe / Getty Images", "(AP Photo/Evan Vucci)", "Photo: Reuters",
  "Courtesy of …", a citation standing alone (``<cite>``);
- ``small-print``: other ``<small>`` text (disclaimers, notes) — unless it names who said a
  pull quote beside it;
- ``byline``: "By Jane Doe", "Jane Doe, Associated Press", "Reviewed by …", an agency's name
  on its own line;
- ``dateline-line``: "WASHINGTON (AP) —" or a date ("Published Dec. 4, 2025 3:04 p.m. ET")
  standing alone;
- ``contributor-line``: "Associated Press writers … contributed to this report", "Reporting by
  …; Editing by …", "This story originally appeared in …", and the "___" rule before them.

Two passes, because the sanitiser strips the class names that tell a caption from a paragraph:
``mark_structure`` runs on the article tree before it is sanitised and rewrites blocks whose
class says caption / credit / byline into the HTML elements that say the same thing
(``<figcaption>``, ``<figure>``, ``<small>``) without changing the text; ``paragraph_roles``
reads the sanitised tree and the text's shapes. The words and shapes are data
(``data/roles.json``), compiled once.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import lxml.html
from lxml.html import HtmlElement

from .boilerplate import class_tokens
from .text import TextMap, text_with_offsets

DATA_FILE = Path(__file__).with_name("data") / "roles.json"

# A span of non-prose text: (start, end, role), offsets into the article text.
Span = tuple[int, int, str]

# Blocks marked from their class name are short: a caption is a sentence or two ...
CAPTION_MAX_CHARS = 600
# ... a credit or a byline a name or a few.
CREDIT_MAX_CHARS = 200
# A figure with more text than this holds more than a caption (a table, a chart's notes).
FIGURE_MAX_CHARS = 800
# A line whose end is a photo credit is a caption up to this length, not a paragraph of prose.
CAPTION_LINE_MAX_CHARS = 400
# Bylines, agency lines and date lines are short.
BYLINE_MAX_CHARS = 120
DATE_LINE_MAX_CHARS = 80
CONTRIBUTOR_LINE_MAX_CHARS = 300
# A line repeating an image's alt text is a caption when it is this short.
ALT_LINE_MAX_CHARS = 200
# A credit at the end of a caption: at most this many characters after the caption's sentence.
CREDIT_TAIL_MAX_CHARS = 90
# Names in a byline: at most this many words each.
MAX_NAME_WORDS = 5

_BLOCKS_INSIDE = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul",
                  "ol", "pre")
_INLINE_TAGS = frozenset({"span", "em", "i", "b", "strong", "a", "cite", "small", "font",
                          "time", "address", "label"})
_BLOCK_RENAMABLE = frozenset({"div", "p", "section", "aside", "header", "footer"})
# A dateline standing alone: "WASHINGTON (AP) —", "NEW YORK —", "BERLIN, Dec 4 (Reuters) -".
_DATELINE_ONLY = (r"^[A-Z][A-Z .,'’\-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.?(?:\s+\d{1,2})?)?\s*"
                  r"(?:\((?:{wires})\)\s*)?[—–\-]+\s*$|^\((?:{wires})\)\s*[—–\-]*\s*$")
_TIME_OR_DATE = re.compile(r"\d{1,2}:\d{2}|\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b(?:19|20)\d{2}\b")
_WORD = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*\.?|\d+", re.UNICODE)
# Where the caption's own sentence ends and its credit begins: ". ", " | ", " — ", or a
# sentence end glued to the credit ("in 2024.Mikolette / Getty Images").
_TAIL_SPLIT = re.compile(r"[.!?][\"”’)]?\s+(?=\S)|\s[|•·]\s*|\s[—–]\s|[.!?](?=[A-Z(])")
_CAP_WORD = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|[A-Z]\.(?:[A-Z]\.)*|Mc\w+|O[’']\w+)$")


@dataclass(frozen=True)
class RoleRules:
    """The compiled contents of ``roles.json``."""

    caption_words: frozenset[str]
    credit_words: frozenset[str]
    byline_words: frozenset[str]
    agency_re: re.Pattern
    connectors: frozenset[str]
    credit_label_re: re.Pattern
    photo_paren_re: re.Pattern
    courtesy_re: re.Pattern
    label_lines: frozenset[str]
    label_prefix_re: re.Pattern
    byline_prefix_re: re.Pattern
    byline_tail_words: frozenset[str]
    byline_role_re: re.Pattern
    particles: frozenset[str]
    not_names: frozenset[str]
    contributor_re: re.Pattern
    separator_re: re.Pattern
    date_words: frozenset[str]
    month_words: frozenset[str]
    dateline_only_re: re.Pattern


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def role_rules() -> RoleRules:
    """Load and compile the role rules once."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    agencies = _alternation(data["photo_agencies"])
    labels = _alternation(data["credit_labels"])
    wires = _alternation(data["wire_codes"] + [a for a in data["photo_agencies"] if " " in a])
    months = {w for w in data["date_words"][:40] if w.isalpha() and len(w) > 2}
    return RoleRules(
        caption_words=frozenset(data["caption_class_words"]),
        credit_words=frozenset(data["credit_class_words"]),
        byline_words=frozenset(data["byline_class_words"]),
        agency_re=re.compile(rf"(?<![\w-])(?:{agencies})(?![\w-])"),
        connectors=frozenset(data["credit_connector_words"]),
        credit_label_re=re.compile(rf"^(?:{labels})\s*(?::|by\b|©|/)\s*\S", re.I),
        photo_paren_re=re.compile(
            rf"\((?:[A-Z][\w.&\-]*\s+)?(?:{_alternation(data['quote_photo_labels'])})\s*/\s*"
            r"[A-Z][^()]{1,80}\)\s*$"),
        courtesy_re=re.compile(rf"^(?:{_alternation(data['courtesy_phrases'])})(?:\s+\S|$)", re.I),
        label_lines=frozenset(data["label_lines"]),
        label_prefix_re=re.compile(rf"^(?:{_alternation(data['label_prefixes'])})\s*\S", re.I),
        byline_prefix_re=re.compile(rf"^(?:{_alternation(data['byline_prefixes'])})\s*:?\s+(?=\S)",
                                    re.I),
        byline_tail_words=frozenset(data["byline_tail_words"]),
        byline_role_re=re.compile(
            rf"(?<!\w)(?:{_alternation(data['byline_role_phrases'])}|{wires})(?!\w)", re.I),
        particles=frozenset(data["name_particles"]),
        not_names=frozenset(data["not_names"]),
        contributor_re=re.compile("|".join(f"(?:{p})" for p in data["contributor_patterns"])),
        separator_re=re.compile(data["separator_line"]),
        date_words=frozenset(data["date_words"]),
        month_words=frozenset(months),
        dateline_only_re=re.compile(_DATELINE_ONLY.replace("{wires}", wires)),
    )


# ---------------------------------------------------------------- before the sanitiser
def mark_structure(body: HtmlElement) -> None:
    """Rewrite caption, credit and byline blocks that only their class names as such into the
    elements the sanitiser keeps and :func:`paragraph_roles` reads, in place.

    ``<p class="wp-caption-text">`` becomes ``<figcaption>``, ``<div class="wp-caption">``
    with its image ``<figure>``, ``<span class="credit">`` ``<small>``; a credit or byline
    block (``<p class="byline">``) gets its content wrapped in ``<small>``. The text does not
    change: only the names of elements that were already blocks, or already inline, do.
    """
    r = role_rules()
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.tag in ("figure", "figcaption",
                                                                 "small", "img"):
            continue
        words = class_tokens(el)[1]
        if not words:
            continue
        if words & r.caption_words:
            _mark_caption(el)
        elif words & (r.credit_words | r.byline_words):
            _mark_small_print(el)


def _mark_caption(el: HtmlElement) -> None:
    text_size = _text_size(el, CAPTION_MAX_CHARS)
    if text_size is None or _has_blocks(el) or _inside(el, ("figcaption", "small", "blockquote")):
        return
    if el.find(".//img") is not None:
        if el.tag in _BLOCK_RENAMABLE and not _inside(el, ("figure", "p")):
            el.tag = "figure"
        return
    if not text_size:
        return
    if el.tag in _BLOCK_RENAMABLE and not _inside(el, ("p",)):
        el.tag = "figcaption"
    elif el.tag in _INLINE_TAGS:
        el.tag = "small"


def _mark_small_print(el: HtmlElement) -> None:
    size = _text_size(el, CREDIT_MAX_CHARS)
    if not size or _has_blocks(el) or el.find(".//img") is not None \
            or _inside(el, ("small", "blockquote")):
        return
    if el.tag in _INLINE_TAGS:
        el.tag = "small"
        el.attrib.pop("class", None)
    elif el.tag in _BLOCK_RENAMABLE or el.tag == "li":
        small = lxml.html.Element("small")
        small.text, el.text = el.text, None
        for child in list(el):
            small.append(child)  # moves the child, its tail with it
        el.append(small)


def _text_size(el: HtmlElement, limit: int) -> int | None:
    """Characters of text under ``el`` (whitespace collapsed), or None past ``limit``."""
    size = 0
    for piece in el.itertext():
        size += len(piece.strip())
        if size > limit:
            return None
    return size


def _has_blocks(el: HtmlElement) -> bool:
    return any(True for _ in el.iterdescendants(*_BLOCKS_INSIDE))


def _inside(el: HtmlElement, tags: tuple[str, ...]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


# ---------------------------------------------------------------- after the sanitiser
def paragraph_roles(root: HtmlElement, text: str,
                    text_map: TextMap | None = None) -> list[Span]:
    """The non-prose spans of an article: ``(start, end, role)`` offsets into ``text``,
    sorted and not overlapping.

    ``root`` is the sanitised article tree ``text`` was read from (``text_map`` its map, when
    the caller already built one).
    """
    if text_map is None:
        mapped, text_map = text_with_offsets(root)
        if mapped != text:
            raise ValueError("article text and article tree disagree; cannot place roles")
    spans = element_spans(root, text_map, text)
    spans.extend(line_spans(text, _alt_texts(root)))
    return _merge(spans)


def element_spans(root: HtmlElement, text_map: TextMap, text: str) -> list[Span]:
    """Spans of the elements that are not prose by what they are: figures and their
    captions, table captions, small print, and citations standing alone."""
    spans: list[Span] = []
    for el in root.iter("figure", "figcaption", "caption", "small", "cite"):
        if el.tag == "figure":
            span = _figure_span(el, text_map)
        elif el.tag == "figcaption":
            span = None if _in_quote_figure(el) else _sized_span(el, text_map, CAPTION_MAX_CHARS)
        elif el.tag == "caption":
            span = _sized_span(el, text_map, CAPTION_MAX_CHARS)
        elif _names_a_quote(el):
            span = None
        elif el.tag == "small":
            span = _sized_span(el, text_map, CAPTION_MAX_CHARS)
        else:
            span = _standalone_span(el, text_map, text)
        if span is None:
            continue
        if el.tag in ("figure", "figcaption", "caption"):
            role = "caption"
        else:
            shape = _line_role(text[span[0]:span[1]])
            role = shape or ("credit" if el.tag == "cite" else "small-print")
        spans.append((span[0], span[1], role))
    return spans


def _names_a_quote(el: HtmlElement) -> bool:
    """Small print or a citation that names who said a quotation (a pull quote's "— Jane
    Doe", an embedded post's author) is that quotation's source, not a credit: it sits inside
    the quotation or its figure, or right after it."""
    if _inside(el, ("blockquote", "q")):
        return True
    for level, node in enumerate((el, *el.iterancestors())):
        if level > 2 or node.tag in ("p", "li", "td") and node is not el:
            break
        if node.tag == "figure":
            return _has_quote(node)
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None and previous.tag in ("blockquote", "q"):
            return True
    return False


def _figure_span(figure: HtmlElement, text_map: TextMap) -> tuple[int, int] | None:
    """A figure is a caption as a whole unless it holds a quotation (a pull quote or an
    embedded post, whose caption names who said it) or more text than a caption has."""
    if _has_quote(figure) or figure.find(".//table") is not None:
        return None
    return _sized_span(figure, text_map, FIGURE_MAX_CHARS)


def _in_quote_figure(caption: HtmlElement) -> bool:
    figure = caption.getparent()
    return figure is not None and figure.tag == "figure" and _has_quote(figure)


def _has_quote(el: HtmlElement) -> bool:
    return el.find(".//blockquote") is not None or el.find(".//q") is not None


def _sized_span(el: HtmlElement, text_map: TextMap, limit: int) -> tuple[int, int] | None:
    span = text_map.element_span(el)
    if span is None or span[1] - span[0] > limit:
        return None
    return span


def _standalone_span(el: HtmlElement, text_map: TextMap, text: str) -> tuple[int, int] | None:
    """A citation that is its line's whole text ("— The Guardian"), outside a quotation:
    a credit. Inside a sentence ("the <cite>Times</cite> reported") it is prose."""
    if _inside(el, ("blockquote", "q")):
        return None
    span = _sized_span(el, text_map, CREDIT_MAX_CHARS)
    if span is None:
        return None
    start, end = _line_bounds(text, span[0])
    line = text[start:end].strip(" —–-\"“”")
    inner = text[span[0]:span[1]].strip(" —–-\"“”")
    return (start, end) if line == inner else None


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _alt_texts(root: HtmlElement) -> frozenset[str]:
    """Alt and title texts of the article's images, normalised for comparison."""
    out = set()
    for img in root.iter("img"):
        for attribute in ("alt", "title"):
            value = _norm(img.get(attribute) or "")
            if value:
                out.add(value)
    return frozenset(out)


def line_spans(text: str, alt_texts: frozenset[str] = frozenset()) -> list[Span]:
    """Spans of whole lines that are not prose by their shape."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        role = _line_role(stripped)
        if role is None and len(stripped) <= ALT_LINE_MAX_CHARS and _norm(stripped) in alt_texts:
            role = "caption"
        if role is not None:
            spans.append((start, end, role))
    return spans


def _line_role(line: str) -> str | None:
    """The role of one line of text by its shape, or None for prose."""
    r = role_rules()
    line = line.strip()
    folded = " ".join(line.casefold().split())
    if not folded:
        return None
    if folded.strip(" :.,") in r.label_lines or r.label_prefix_re.match(line):
        return "caption"
    if r.separator_re.match(line):
        return "contributor-line"
    if len(line) <= CONTRIBUTOR_LINE_MAX_CHARS and r.contributor_re.search(folded):
        return "contributor-line"
    if len(line) <= BYLINE_MAX_CHARS and (is_byline(line) or is_agency_line(line)):
        return "byline"
    if len(line) <= DATE_LINE_MAX_CHARS and (r.dateline_only_re.match(line) or is_date_line(line)):
        return "dateline-line"
    if is_credit(line):
        return "credit"
    if len(line) <= CAPTION_LINE_MAX_CHARS and credit_tail(line) is not None:
        return "caption"
    return None


# ---------------------------------------------------------------- shapes
def is_credit(line: str) -> bool:
    """A photo or agency credit standing alone: "Mikolette / Getty Images", "Photo: Reuters",
    "(AP Photo/Evan Vucci)", "Courtesy of Amp", "Getty Images"."""
    r = role_rules()
    line = line.strip().strip("()[]").strip()
    if not line or len(line) > CREDIT_TAIL_MAX_CHARS:
        return False
    if r.photo_paren_re.search(f"({line})") or r.credit_label_re.match(line):
        return True
    if r.courtesy_re.match(line):
        return _few_lower_words(line, r, allowed=2)
    if r.agency_re.search(line) and ("/" in line or _all_agency_words(line, r)):
        return _few_lower_words(line, r, allowed=0)
    return False


def credit_tail(line: str) -> str | None:
    """The credit that ends a caption line ("… in 2024. | Photo by Lisa Jennings"), or None."""
    r = role_rules()
    if r.photo_paren_re.search(line):
        return r.photo_paren_re.search(line).group()
    cuts = [m.end() for m in _TAIL_SPLIT.finditer(line)]
    for cut in reversed(cuts[-3:]):
        tail = line[cut:].strip(" |•·—–-")
        if tail and is_credit(tail):
            return tail
    return None


def _few_lower_words(line: str, r: RoleRules, allowed: int) -> bool:
    """True when the line's lower-case words are credit connectors, bar ``allowed`` others
    ("Courtesy of the artist"); a sentence ("Getty said it would …") has more."""
    others = [w for w in _WORD.findall(line) if w[:1].islower() and w.casefold() not in r.connectors
              and not r.agency_re.fullmatch(w)]
    return len(others) <= allowed


def _all_agency_words(line: str, r: RoleRules) -> bool:
    """The line is agency names joined by connectors ("AFP - Getty Images", "Reuters")."""
    rest = r.agency_re.sub(" ", line)
    return all(w.casefold() in r.connectors for w in _WORD.findall(rest))


def is_byline(line: str) -> bool:
    """"By Jane Doe", "Written by A, B and C", "Reviewed by Hansa D. Bhargava, MD",
    "By Jane Doe | Staff Writer | Updated Dec. 4" — but not "By 2030, the city …"."""
    r = role_rules()
    match = r.byline_prefix_re.match(line)
    if not match:
        return False
    segments = [s.strip() for s in re.split(r"\s*(?:[,|•·]|\s[—–-]\s)\s*", line[match.end():])]
    segments = [s for s in segments if s]
    if not segments or not _is_name_list(segments[0], r):
        return False
    return all(_is_name_list(s, r) or _is_tail_segment(s, r) for s in segments[1:])


def is_agency_line(line: str) -> bool:
    """"Jane Doe, Associated Press", "Manoj Jain and Jagpreet Chhatwal | Guest Columnists",
    "The Associated Press", "WebMD Health News": names and a newsroom, nothing else."""
    r = role_rules()
    text = re.sub(r"^(?:analysis|opinion|commentary|by)\s*:?\s+", "", line.strip(), flags=re.I)
    if _all_agency_words(text, r) and r.agency_re.search(text):
        return _few_lower_words(text, r, allowed=0)
    words = _WORD.findall(text)
    if 1 < len(words) <= 4 and words[-1].casefold() in ("news", "press", "wire", "newswire") \
            and all(_CAP_WORD.match(w) for w in words):
        return True
    parts = [s.strip() for s in re.split(r"\s*(?:[,|/•·]|\s[—–-]\s)\s*", text) if s.strip()]
    if len(parts) < 2 or not _is_name_list(parts[0], r, min_words=2):
        return False
    rest = parts[1:]
    return bool(r.byline_role_re.search(" ".join(rest))) \
        and all(_is_tail_segment(s, r) or _is_name_list(s, r) for s in rest)


def _is_name_list(segment: str, r: RoleRules, min_words: int = 1) -> bool:
    """Capitalised names ("Jane Doe", "Md Aynal Haque", "A. B. Smith"), joined by "and"."""
    segment = re.sub(r"^(?:and|&)\s+", "", segment.strip())
    names = re.split(r"\s+(?:and|&|und|et|y)\s+", segment)
    for name in names:
        words = name.split()
        if not words or len(words) > MAX_NAME_WORDS or len(words) < min_words:
            return False
        capitals = 0
        for word in words:
            folded = word.casefold().strip(".,")
            if folded in r.not_names:
                return False
            if _CAP_WORD.match(word):
                capitals += 1
            elif folded not in r.particles:
                return False
        if not capitals:
            return False
    return True


def _is_tail_segment(segment: str, r: RoleRules) -> bool:
    """What follows a byline's names: a role, a newsroom, a place or a date."""
    words = _WORD.findall(segment)
    if not words or len(segment) > 50:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.casefold() in r.byline_tail_words
               for w in words)


def is_date_line(line: str) -> bool:
    """A date or time standing alone: "Published 3:04 PM EST, Thu December 4, 2025",
    "[Submitted on 18 Dec 2025]", "Updated: 12/04/2025"."""
    r = role_rules()
    words = _WORD.findall(line.casefold())
    if not words or not any(w.isdigit() for w in words):
        return False
    if not all(w.isdigit() or w.rstrip(".") in r.date_words for w in words):
        return False
    return any(w.rstrip(".") in r.month_words for w in words) or bool(_TIME_OR_DATE.search(line))


# ---------------------------------------------------------------- helpers
def _merge(spans: list[Span]) -> list[Span]:
    """Sorted, without overlaps: a span inside an earlier one goes; overlapping ones are
    joined under the first one's role (an element's role beats a line's)."""
    out: list[Span] = []
    for start, end, role in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end, out[-1][2])
            continue
        out.append((start, end, role))
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def covers(spans: list[Span], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps a non-prose span (spans sorted, as returned)."""
    i = bisect_right([s[0] for s in spans], start) - 1
    for s in spans[max(i, 0):]:
        if s[0] >= end:
            return False
        if s[1] > start:
            return True
    return False
