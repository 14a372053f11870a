"""Line shapes: which one line of article text is a caption, a credit, a byline, a date line
or a contributor line, by its words alone ("Mikolette / Getty Images", "By Jane Doe",
"WASHINGTON (AP) —", "___", "Jane Doe contributed to this report.").

Used by :mod:`sourcelight.extract.roles`, which adds what the article's elements say. Every
shape has prose that looks like it ("Getty Images said on Monday …", "By 2030, the city …"):
names must be names, credits may hold no words but connectors, lines must be short. The words
and shapes are data (``data/roles.json``), compiled once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "roles.json"

# A line whose end is a photo credit is a caption up to this length, not a paragraph of prose.
CAPTION_LINE_MAX_CHARS = 400
# Bylines, agency lines and date lines are short.
BYLINE_MAX_CHARS = 120
DATE_LINE_MAX_CHARS = 80
CONTRIBUTOR_LINE_MAX_CHARS = 300
# A credit at the end of a caption: at most this many characters after the caption's sentence.
CREDIT_TAIL_MAX_CHARS = 90
# Names in a byline: at most this many words each.
MAX_NAME_WORDS = 5
# A dateline standing alone: "WASHINGTON (AP) —", "NEW YORK —", "BERLIN, Dec 4 (Reuters) -".
_DATELINE_ONLY = (r"^[A-Z][A-Z .,'’\-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.?(?:\s+\d{1,2})?)?\s*"
                  r"(?:\((?:{wires})\)\s*)?[—–\-]+\s*$|^\((?:{wires})\)\s*[—–\-]*\s*$")
_TIME_OR_DATE = re.compile(r"\d{1,2}:\d{2}|\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b(?:19|20)\d{2}\b")
_WORD = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*\.?|\d+", re.UNICODE)
# Where the caption's own sentence ends and its credit begins: ". ", " | ", " — ", or a
# sentence end glued to the credit ("in 2024.Mikolette / Getty Images").
_TAIL_SPLIT = re.compile(r"[.!?][\"”’)]?\s+(?=\S)|\s[|•·]\s*|\s[—–]\s|[.!?](?=[A-Z(])")
# The marks each of those cuts holds (the one after which a cut ends, or the one it skips).
_CUT_MARK = re.compile(r"[.!?|•·—–]")
_CAP_WORD = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|[A-Z]\.(?:[A-Z]\.)*|Mc\w+|O[’']\w+)$")
_BYLINE_SPLIT = re.compile(r"\s*(?:[,|•·]|\s[—–-]\s)\s*")
_AGENCY_LEAD = re.compile(r"^(?:analysis|opinion|commentary|by)\s*:?\s+", re.I)
_AGENCY_SPLIT = re.compile(r"\s*(?:[,|/•·]|\s[—–-]\s)\s*")
_NAME_LEAD = re.compile(r"^(?:and|&)\s+")
_NAME_SPLIT = re.compile(r"\s+(?:and|&|und|et|y)\s+")
_WORDS = re.compile(r"\w+")
# In an ASCII line, the words that are numbers are its runs of these.
_ASCII_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class RoleRules:
    """The compiled contents of ``roles.json``."""

    caption_words: frozenset[str]
    credit_words: frozenset[str]
    byline_words: frozenset[str]
    agency_re: re.Pattern
    # agency_re without its lookarounds: re then skips to the names' first letters, so a
    # line without any agency's name is told fast (a necessary condition for agency_re).
    agency_hint_re: re.Pattern
    connectors: frozenset[str]
    credit_label_re: re.Pattern
    photo_paren_re: re.Pattern
    courtesy_re: re.Pattern
    label_lines: frozenset[str]
    label_prefix_re: re.Pattern
    byline_prefix_re: re.Pattern
    byline_tail_words: frozenset[str]
    byline_role_re: re.Pattern
    # byline_role_re's phrases in lower case, by one word of each (its longest): a match of a
    # phrase makes each of its words a whole word of the line, so an ASCII line holds a match
    # only where one of its words' phrases stands between two characters that are not word
    # characters (None when a phrase is not ASCII or does not start and end with a word
    # character: that reasoning then does not hold).
    byline_role_phrases: dict[str, tuple[str, ...]] | None
    particles: frozenset[str]
    not_names: frozenset[str]
    contributor_re: re.Pattern
    separator_re: re.Pattern
    reporter_re: re.Pattern
    date_words: frozenset[str]
    month_words: frozenset[str]
    dateline_only_re: re.Pattern


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def _phrases_by_key_word(phrases: list[str]) -> dict[str, tuple[str, ...]] | None:
    """The phrases in lower case, by the longest word of each (see
    ``RoleRules.byline_role_phrases``)."""
    if not all(p.isascii() and re.fullmatch(r"\w(?:.*\w)?", p) for p in phrases):
        return None
    by_word: dict[str, tuple[str, ...]] = {}
    for phrase in dict.fromkeys(p.lower() for p in phrases):
        word = max(_WORDS.findall(phrase), key=len)
        by_word[word] = (*by_word.get(word, ()), phrase)
    return by_word


@lru_cache(maxsize=1)
def role_rules() -> RoleRules:
    """Load and compile the role rules once."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    agencies = _alternation(data["photo_agencies"])
    labels = _alternation(data["credit_labels"])
    wires = _alternation(data["wire_codes"] + data["wire_names"])
    role_phrases = data["byline_role_phrases"] + data["wire_codes"] + data["wire_names"]
    return RoleRules(
        caption_words=frozenset(data["caption_class_words"]),
        credit_words=frozenset(data["credit_class_words"]),
        byline_words=frozenset(data["byline_class_words"]),
        agency_re=re.compile(rf"(?<![\w-])(?:{agencies})(?![\w-])"),
        agency_hint_re=re.compile(agencies),
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
        byline_role_phrases=_phrases_by_key_word(role_phrases),
        particles=frozenset(data["name_particles"]),
        not_names=frozenset(data["not_names"]),
        contributor_re=re.compile("|".join(f"(?:{p})" for p in data["contributor_patterns"])),
        separator_re=re.compile(data["separator_line"]),
        reporter_re=re.compile(data["reporter_line"]),
        date_words=frozenset(data["date_words"]),
        month_words=frozenset(data["calendar_words"]),
        dateline_only_re=re.compile(_DATELINE_ONLY.replace("{wires}", wires)),
    )


def line_role(line: str) -> str | None:
    """The role of one line of text by its shape, or None for prose."""
    r = role_rules()
    line = line.strip()
    if not line or len(line) > CAPTION_LINE_MAX_CHARS:  # every shape below is shorter
        return None
    folded = " ".join(line.casefold().split())
    if folded.strip(" :.,") in r.label_lines:
        return "caption"
    if r.separator_re.match(line):
        return "contributor-line"
    if len(line) <= CONTRIBUTOR_LINE_MAX_CHARS and (_is_contributor_line(folded, r)
                                                    or r.reporter_re.match(line)):
        return "contributor-line"
    credit = _credit_kind(line)
    if credit == _CREDIT:
        return "credit"
    if len(line) <= BYLINE_MAX_CHARS and (is_byline(line) or is_agency_line(line)):
        return "byline"
    if len(line) <= DATE_LINE_MAX_CHARS and (r.dateline_only_re.match(line) or is_date_line(line)):
        return "dateline-line"
    if credit == _AGENCY_ALONE:
        return "credit"
    if r.label_prefix_re.match(line):
        return "caption"
    if len(line) <= CAPTION_LINE_MAX_CHARS and credit_tail(line) is not None:
        return "caption"
    return None


# ---------------------------------------------------------------- shapes
def _is_contributor_line(folded: str, r: RoleRules) -> bool:
    """A contributor line; the patterns that are not anchored at the start all end in a
    "contributed …" phrase, so lines without the word are only tried at their start."""
    if "contribut" in folded:
        return bool(r.contributor_re.search(folded))
    return bool(r.contributor_re.match(folded))


def is_credit(line: str, agency_alone: bool = True) -> bool:
    """A photo or agency credit standing alone: "Mikolette / Getty Images", "Photo: Reuters",
    "(AP Photo/Evan Vucci)", "Courtesy of Amp" — and, with ``agency_alone``, "Getty Images"."""
    kind = _credit_kind(line)
    return kind == _CREDIT or agency_alone and kind == _AGENCY_ALONE


# What _credit_kind finds: not a credit, a credit, a credit only as an agency's name alone.
_NOT_CREDIT, _CREDIT, _AGENCY_ALONE = 0, 1, 2


def _credit_kind(line: str) -> int:
    """Whether ``line`` is a credit, and of which kind (:func:`is_credit`'s two answers in one
    reading: line_role asks both)."""
    r = role_rules()
    line = line.strip().strip("()[]").strip()
    if not line or len(line) > CREDIT_TAIL_MAX_CHARS:
        return _NOT_CREDIT
    slash = "/" in line  # photo_paren_re needs one
    if slash and r.photo_paren_re.search(f"({line})") or r.credit_label_re.match(line):
        return _CREDIT
    if r.courtesy_re.match(line):
        return _CREDIT if _few_lower_words(line, r, allowed=2) else _NOT_CREDIT
    if r.agency_hint_re.search(line) and r.agency_re.search(line) \
            and (slash or _all_agency_words(line, r)) and _few_lower_words(line, r, allowed=0):
        return _CREDIT if slash else _AGENCY_ALONE
    return _NOT_CREDIT


def credit_tail(line: str) -> str | None:
    """The credit that ends a caption line ("… in 2024. | Photo by Lisa Jennings"), or None."""
    r = role_rules()
    if line.endswith(")") and (paren := r.photo_paren_re.search(line)):
        return paren.group()
    # Only the end can be the credit: look no further back than a credit is long.
    window = max(0, len(line) - CREDIT_TAIL_MAX_CHARS - 3)
    # A credit after a cut needs the cut's mark and a character after the cut: without a mark
    # before the line's last character (a line of one sentence, most paragraphs), no cut.
    if _CUT_MARK.search(line, window, len(line) - 1) is None:
        return None
    cuts = [m.end() for m in _TAIL_SPLIT.finditer(line, window)]
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
    return _all_words_of(line, r.agency_re, r)


def _all_words_of(line: str, names: re.Pattern, r: RoleRules) -> bool:
    """The line is names matched by ``names`` joined by connectors."""
    rest = names.sub(" ", line)
    return all(w.casefold() in r.connectors for w in _WORD.findall(rest))


def is_byline(line: str) -> bool:
    """"By Jane Doe", "Written by A, B and C", "Reviewed by Hansa D. Bhargava, MD",
    "By Jane Doe | Staff Writer | Updated Dec. 4" — but not "By 2030, the city …"."""
    r = role_rules()
    match = r.byline_prefix_re.match(line)
    if not match:
        return False
    segments = [s.strip() for s in _BYLINE_SPLIT.split(line[match.end():])]
    segments = [s for s in segments if s]
    if not segments or not _is_name_list(segments[0], r):
        return False
    return all(_is_name_list(s, r) or _is_tail_segment(s, r) for s in segments[1:])


def is_agency_line(line: str) -> bool:
    """"Jane Doe, Associated Press", "Manoj Jain and Jagpreet Chhatwal | Guest Columnists",
    "The Associated Press", "WebMD Health News": names and a newsroom, nothing else."""
    r = role_rules()
    text = _AGENCY_LEAD.sub("", line.strip())
    # Both role tests below read ``text`` (the second only its part after the names, whose
    # words are words of ``text``): most lines are told by their words that they hold none.
    keys = _role_key_words(text, r)
    may_hold_role = keys is None or bool(keys)
    if may_hold_role and _holds_role_phrase(text, keys, r) \
            and _all_words_of(text, r.byline_role_re, r):
        return _few_lower_words(text, r, allowed=0)
    folded = text.casefold()  # holds each word's case folding: no need for words without these
    if ("news" in folded or "press" in folded or "wire" in folded) \
            and 1 < len(words := _WORD.findall(text)) <= 4 \
            and words[-1].casefold() in ("news", "press", "wire", "newswire") \
            and all(_CAP_WORD.match(w) for w in words):
        return True
    if not may_hold_role:
        return False
    parts = [s.strip() for s in _AGENCY_SPLIT.split(text) if s.strip()]
    if len(parts) < 2 or not _is_name_list(parts[0], r, min_words=2):
        return False
    rest = parts[1:]
    return _has_byline_role(" ".join(rest), r) \
        and all(_is_tail_segment(s, r) or _is_name_list(s, r) for s in rest)


def _has_byline_role(text: str, r: RoleRules) -> bool:
    """``byline_role_re`` finds a role or a newsroom in ``text``."""
    return _holds_role_phrase(text, _role_key_words(text, r), r)


def _role_key_words(text: str, r: RoleRules) -> set[str] | None:
    """The key words of ``byline_role_phrases`` that are words of ``text``; None when its
    words cannot tell (a text that is not ASCII, or phrases without key words)."""
    phrases = r.byline_role_phrases
    if phrases is None or not text.isascii():
        return None
    return phrases.keys() & _WORDS.findall(text.lower())


def _holds_role_phrase(text: str, keys: set[str] | None, r: RoleRules) -> bool:
    """``byline_role_re.search(text)``, found by looking for the phrases of ``text``'s key
    words (``keys``, from :func:`_role_key_words`) between non-word characters: the pattern,
    tried at every character, cost a third of the byline test (most lines have no key word,
    a tenth of short ones "for", and few of those the phrase "for the")."""
    if keys is None:
        return r.byline_role_re.search(text) is not None
    if not keys:
        return False
    lowered = text.lower()  # (ASCII: the pattern's case-insensitive match is this one)
    size = len(lowered)
    for key in keys:
        for phrase in r.byline_role_phrases[key]:
            at = lowered.find(phrase)
            while at >= 0:
                end = at + len(phrase)
                if (at == 0 or not _is_word_character(lowered[at - 1])) \
                        and (end == size or not _is_word_character(lowered[end])):
                    return True
                at = lowered.find(phrase, at + 1)
    return False


def _is_word_character(char: str) -> bool:
    """``\\w`` for an ASCII character."""
    return char.isalnum() or char == "_"


def _is_name_list(segment: str, r: RoleRules, min_words: int = 1) -> bool:
    """Capitalised names ("Jane Doe", "Md Aynal Haque", "A. B. Smith"), joined by "and"."""
    segment = _NAME_LEAD.sub("", segment.strip())
    names = _NAME_SPLIT.split(segment)
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
    if line.isascii() and not _ASCII_DIGIT.search(line):
        return False  # (most short lines) no number among its words, told without them
    r = role_rules()
    words = _WORD.findall(line.casefold())
    if not words or not any(w.isdigit() for w in words):
        return False
    if not all(w.isdigit() or w.rstrip(".") in r.date_words for w in words):
        return False
    return any(w.rstrip(".") in r.month_words for w in words) or bool(_TIME_OR_DATE.search(line))


def normalise_words(text: str) -> str:
    """Words of a text, case-folded, joined by single spaces (for comparing captions)."""
    return " ".join(_WORDS.findall(text.casefold()))
