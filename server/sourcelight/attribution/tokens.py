"""The finder's language-neutral core: tokens, sentences, paragraphs and span trimming.

Every rule of the finder works on ``Token`` lists of one ``Sentence``; spans are character
offsets into the article text (``model.Span``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate

from .model import Span


# Words, abbreviations like "U.S.", and single punctuation marks, with their offsets: the kinds
# of token, each as (its first character, the rest), tried in this order.
WORD_REST = r"\w*(?:[’'\-]\w+)*"  # what follows a word's first character
TOKEN_KINDS = (
    (r"\d", r"\d*(?:[.,]\d+)+"),  # "3.5", "1,000"
    (r"[A-Z]", r"\.(?:[A-Z]\.)+"),  # "U.S."
    # "R-S.C.", "D-N.Y.": a party and a state's initials are one token, not a sentence's end.
    (r"[A-Z]", r"-(?:[A-Z]\.){2,}"),
    (r"\w", WORD_REST),  # a word, "don't", "well-known"
    (r"[^\w\s]", ""),  # any other mark, alone
)
# The commonest first characters, each opening one kind only: a lower-case ASCII letter a
# word (no digit or capital, which open other kinds first), a mark itself.
COMMON_FIRSTS = ((r"[a-z]", WORD_REST), (r"[^\w\s]", ""))
# The alternation of the kinds (first + rest | …), written as one non-space character and then
# the rest of the first kind it may open (a lookbehind reads that character): the same tokens,
# but the regex engine skips whitespace at once instead of trying every kind at every
# character (a tenth faster tokenizing; tests/test_attribution_speed.py checks the sameness).
# The common first characters are looked at before the kinds in their order: most tokens
# then skip the three lookbehinds of the number and abbreviation kinds (a sixth faster).
TOKEN_RE = re.compile(r"\S(?:" + "|".join(f"(?<={first}){rest}"
                                          for first, rest in COMMON_FIRSTS + TOKEN_KINDS)
                      + ")")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen sen rep del gov lt col sgt capt prof jan feb mar apr jun jul aug sep sept "
    "oct nov dec inc corp co ltd no vs jr sr mt ft rev hon atty supt insp det u.s a.m p.m "
    "etc al approx dept est fig univ bzw ca dr evtl ggf hr inkl nr str usw vgl z.b".split())
ROMAN_NUMERAL_RE = re.compile(r"(?=[IVXL]{2,})X{0,3}(?:IX|IV|V?I{0,3})")
DATELINE_RE = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ .,'/-]+(?:,[^–—(]{1,20})?(?:\([^)]{1,30}\))?\s*[–—-]\s*")
OPEN_QUOTES = "“\"„«‹"
QUOTE_CHARS = frozenset("“”\"„«»‹›")
MAX_SOURCE_TOKENS = 16
# A name with its appositive ("Mindy Romero, director of the … Project at the University of
# California, Davis, Center for Regional Change") may run longer.
MAX_APPOSITIVE_SOURCE_TOKENS = 28
# Post-posed cue ("…, officials said in a statement on Monday."): at most this many tokens
# may follow the cue before the sentence ends.
MAX_TAIL_AFTER_CUE = 9
NP_JOINERS = frozenset({"’s", "'s", "’", "-", "&", "of", "for", "from", "at", "with", "de", "von",
                        "der", "des", "für", "vom", "zur", "zum", "in", "im", "on", "to", "the",
                        "la", "le", "del", "van", "bin", "al", "und"})
TEMPORAL = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december morning evening night afternoon week "
    "weekend month year today yesterday tonight montag dienstag mittwoch donnerstag freitag "
    "samstag sonntag januar februar märz juni juli oktober dezember woche jahr uhr mez".split())
DETERMINER_JOINERS = frozenset({"the", "der", "des", "die", "das", "den", "dem", "la", "le", "del"})
POSSESSIVES = frozenset({"its", "his", "her", "their", "our", "seine", "ihre", "ihr", "sein"})


class Token:
    """A word or punctuation mark with its offsets; ``low`` is kept because every rule asks
    for it (computing it on each access was a tenth of the finder's time)."""

    __slots__ = ("text", "start", "end", "low")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.text, self.start, self.end) == (
            other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))


_new_token = object.__new__


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list[Token]


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blocks separated by blank lines (or single newlines)."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        spans.append((match.start(), match.end()))
    return spans


def tokenize(text: str, start: int, end: int, words: list[str] | None = None) -> list[Token]:
    """The tokens of ``text[start:end]``, with offsets into ``text``; ``words``: their texts
    (``TOKEN_RE.findall`` of the same range), when the caller has read them already."""
    if words is not None:
        return _placed(text, start, words)
    tokens = []
    append = tokens.append
    # (read in place, no slice; each Token filled without an __init__ call: tokenizing is
    # a tenth of the annotation's time)
    for match in TOKEN_RE.finditer(text, start, end):
        word = match.group()
        token = _new_token(Token)
        token.text, (token.start, token.end), token.low = word, match.span(), word.lower()
        append(token)
    return tokens


def _placed(text: str, start: int, words: list[str]) -> list[Token]:
    """Tokens of words the pattern read from ``start`` on, placed without reading again: only
    blanks stand between two tokens (any other character opens one), so a word's first
    occurrence after the token before it is where the pattern found it."""
    tokens = []
    append = tokens.append
    find = text.find
    at = start
    for word in words:
        token = _new_token(Token)
        token.text, token.low = word, word.lower()
        token.start = at = find(word, at)
        token.end = at = at + len(word)
        append(token)
    return tokens


def split_sentences(text: str, start: int, end: int,
                    words: list[str] | None = None) -> list[Sentence]:
    """Sentences of a paragraph: split after . ! ? (and closing quotes) before a capital.
    (``words``: as for ``tokenize``.)"""
    tokens = tokenize(text, start, end, words)
    count = len(tokens)
    sentences: list[Sentence] = []
    first = 0  # where the sentence being read begins
    # (only the marks that may end a sentence are looked at, not every word)
    for i in [i for i, tok in enumerate(tokens) if tok.text in ".!?"]:
        tok = tokens[i]
        # Closing quotes and brackets belong to the sentence they end.
        j = i + 1
        while j < count and tokens[j].text in "”\"“»)’" and not _opens_quote(tokens, j):
            j += 1
        if j >= count:
            continue
        prev = tokens[i - 1].low if i else ""
        nxt = tokens[j].text
        if tok.text == "." and (prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha())):
            continue
        if tok.text == "." and i > 1 and ROMAN_NUMERAL_RE.fullmatch(tokens[i - 1].text) and \
                tokens[i - 2].text[:1].isupper() and not nxt[:1].isupper():
            continue  # "Benedikt XVI. „ist …": a regnal number
        if tok.text == "." and prev.isdigit() and len(prev) <= 2:
            continue  # "am 17. Mai", "der 2. Weltkrieg": an ordinal, not a sentence end
        if not (nxt[:1].isupper() or nxt[:1] in OPEN_QUOTES or nxt[:1].isdigit() or (
                nxt == "(" and j + 1 < count and tokens[j + 1].text[:1].isupper())):
            continue  # ("… said. (A spokeswoman disputed …)": an aside opens a sentence)
        sentences.append(_sentence(tokens[first:j]))
        first = j
    if first < count:
        sentences.append(_sentence(tokens[first:]))
    return sentences


def _opens_quote(tokens: list[Token], j: int) -> bool:
    """Is the mark at ``j`` (“ or ") an opening one: a space before it and a word right after
    it ('… years later. “This is …')? German closes with “ ('… sagte er.“'), after no space."""
    tok = tokens[j]
    return tok.text in "“\"" and j > 0 and tokens[j - 1].end < tok.start and \
        j + 1 < len(tokens) and tokens[j + 1].start == tok.end and tokens[j + 1].text[:1].isalnum()


def _sentence(tokens: list[Token]) -> Sentence:
    """A sentence of these tokens (a list of its own, which the caller hands over)."""
    return Sentence(tokens[0].start, tokens[-1].end, tokens)


class SpanIndex:
    """Spans sorted once, for "does a span hold this offset?" and "does a span start in
    this range?" in logarithmic time (a paragraph of thousands of quotations would make a
    scan per token quadratic)."""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(accumulate((e for _, e in ordered), max))  # furthest end so far

    def holds(self, pos: int) -> bool:
        """Is ``pos`` inside one of the spans (start <= pos < end)?"""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos

    def starts_within(self, start: int, end: int) -> bool:
        """Does one of the spans start in ``[start, end)``?"""
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self.starts[i] < end


def trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trim_content(text: str, start: int, end: int) -> Span | None:
    start, end = trim(text, start, end)
    while end > start and text[end - 1] in ",;:—–-":
        end -= 1
    start, end = trim(text, start, end)
    if end - start < 8 or text[start] in ".,;?!)]":
        return None  # (". (A spokeswoman disputed …)": a sentence's end, nothing reported)
    return start, end


def sentence_end(tokens: list[Token]) -> int:
    end = len(tokens)
    while end > 1 and tokens[end - 1].text in ".!?":
        end -= 1
    return tokens[end - 1].end


def abbreviation_dot(tokens: list[Token], j: int) -> bool:
    """The "." of "Mr." or of an initial ("John F. Kennedy") belongs to the name."""
    prev = tokens[j - 1]
    return prev.low in ABBREVIATIONS or (len(prev.text) == 1 and prev.text.isupper()) or (
        ROMAN_NUMERAL_RE.fullmatch(prev.text) is not None and j > 1 and
        tokens[j - 2].text[:1].isupper())  # "Benedikt XVI.", "Henry VIII."


def skip_dateline(text: str, tokens: list[Token]) -> int:
    """Skip a dateline ("TOKYO, Nov 27 (Reuters) –") at the start of a story's sentence."""
    start = tokens[0].start
    if text[start + 1:start + 2].islower():
        return start  # "The …", "He …": a dateline's first two letters are capitals
    head = text[start:start + 80]
    match = DATELINE_RE.match(head)
    if match and match.end() < len(head):
        return tokens[0].start + match.end()
    return tokens[0].start
