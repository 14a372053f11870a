"""Quotations that go on without a cue: the news convention of one speaker over several
quotations and paragraphs.

- In a paragraph: “I know how low I felt,” said Hicks. “It’s a train wreck you can’t stop
  watching.” — the second quotation, opening the sentence after the cue's, is Hicks's too:
  the attribution of the first is extended over it (one attribution, as PolNeAR reads it).
- Across paragraphs: a paragraph that opens with a quotation and names nobody continues the
  speaker of the paragraph before it, and the next such paragraph continues it again. The
  chain stops at a paragraph that names a speaker of its own (that speaker takes over) or at
  a paragraph with no speaker at all (the narrator's voice).

- Announced: "In a wide-ranging interview, President Obama also said:" ending a paragraph,
  then what he said as the next paragraph, not quoted (``"announced-paragraph"``), and
  when that paragraph is a list item (no closing full stop, short), the items after it.

A paragraph's continuation carries the same ``source`` span as the attribution it continues, so
the source grouping puts it on the same card; its construction is ``"continuation"``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon import Lexicon
from .model import Attribution, Span
from .quotes import MIN_QUOTE_WORDS, Quote, announced_quote, announcing_colon
from .tokens import QUOTE_CHARS, Sentence, SpanIndex, trim

# The finder's own prior for a continuation: no cue of its own, but a firm convention.
CONTINUATION_CONFIDENCE = 0.7
# A quotation that ends like this is something said; "The Daily Show with Trevor Noah" at the
# start of a paragraph is a title.
UTTERANCE_ENDS = frozenset(".!?,;:…—–-")
# An announced paragraph longer than this is the article going on, not what was announced.
MAX_ANNOUNCED_WORDS = 80
# A list announced by "X said:" has at most this many items, each at most this many words.
MAX_LIST_ITEMS = 12
MAX_LIST_ITEM_WORDS = 40
WORD_RE = re.compile(r"\w+")


def is_utterance(text: str, quote: Quote) -> bool:
    """A quotation long enough to be something said, and closed like a sentence (or still
    open: it runs on into the next paragraph)."""
    if quote.words < MIN_QUOTE_WORDS:
        return False
    if not quote.closed:
        # Still open at the paragraph's end — unless a closing mark of another kind sits
        # inside ("I don’t think so,” Grassley said.): marks that do not pair, no quotation.
        return not any(ch in QUOTE_CHARS for ch in text[quote.inner[0]:quote.inner[1]])
    return text[quote.inner[1] - 1:quote.inner[1]] in UTTERANCE_ENDS


def reach(a: Attribution) -> int:
    """Where an attribution's last span ends (its cue or source may follow its content)."""
    return max(span[1] for span in (a.content, a.cue, a.source) if span is not None)


def last_speaker(attributions: list[Attribution]) -> Attribution | None:
    """The attribution that ends last among those that name a source."""
    named = [a for a in attributions if a.source is not None]
    return max(named, key=reach) if named else None


def continued(quote: Quote, speaker: Attribution) -> Attribution:
    """The quotation, credited to the speaker of ``speaker`` (same source span)."""
    return Attribution(content=quote.inner, source=speaker.source, cue=None, type="direct",
                       confidence=CONTINUATION_CONFIDENCE, construction="continuation")


def _outside_quotes(a: Attribution, quotes: list[Quote]) -> bool:
    """Is the attribution's cue outside every closed quotation (not a report the speaker
    quotes)? A quotation left open holds the rest of the paragraph, cue and all."""
    return a.cue is None or not any(q.outer[0] <= a.cue[0] < q.outer[1]
                                    for q in quotes if q.closed)


def opening_quote(text: str, para_start: int, quotes: list[Quote], here: list[Attribution],
                  before: list[Attribution], lex: Lexicon) -> Attribution | None:
    """A paragraph that opens with a quotation and names no speaker of its own continues the
    last speaker of the paragraph right before it (``before``: its attributions) — when that
    one speaks: a poll, a study's findings or a hedge say nothing in quotation marks."""
    if not quotes or not before:
        return None
    first = quotes[0]
    if text[para_start:first.outer[0]].strip() or not is_utterance(text, first):
        return None
    if any(_outside_quotes(a, quotes) for a in here):
        return None  # the paragraph names a speaker: that one takes over
    speaker = last_speaker(before)
    if speaker is None or not _speaks(text, speaker, lex):
        return None
    return continued(first, speaker)


# Readings whose source does not speak: what it shows or suggests is no quotation of it.
NOT_SPEECH = frozenset({"poll", "evidence-showing", "hedge", "passive-hedge", "asked"})


def _speaks(text: str, a: Attribution, lex: Lexicon) -> bool:
    """Is the attribution somebody saying something ("said", "told", a quotation), not what
    evidence shows ("The polls show him behind", "a study found")?"""
    if a.construction in NOT_SPEECH:
        return False
    words = text[a.cue[0]:a.cue[1]].lower().split() if a.cue else []
    return not words or lex.lemma_of.get(words[-1]) not in lex.weak_verbs


def resume_quotes(text: str, sentences: list[Sentence], quotes: list[Quote],
                  here: list[Attribution], lex: Lexicon) -> list[Attribution]:
    """“…,” said Hicks. “…” — a quotation with no cue that opens the sentence right after a
    quotation with a speaker goes on with it: that attribution's content is extended over it
    (one attribution, as for “…,” she said, “…”), in place. After a report in the speaker's
    own words ("Sie kündigte ihren Rückzug an. „Ich will … nicht im Wege stehen.“") a
    quotation that is a sentence of its own is a continuation; those are returned. Look-ups
    are by bisection: a paragraph may hold thousands of quotations."""
    if not quotes:
        return []  # (most paragraphs: nothing to index)
    starts = [s.start for s in sentences]
    covered = SpanIndex([a.content for a in here])
    # Speakers by where they end; among equal ends the one read first comes last.
    named = sorted(((reach(a), -i, a) for i, a in enumerate(here) if a.source is not None),
                   key=lambda row: row[:2])
    ends = [row[0] for row in named]
    extended: tuple[int, Attribution] | None = None  # (sentence, speaker) of the last extension
    found: list[Attribution] = []
    for quote in quotes:
        # The opening mark may have been read as the end of the sentence before (“ closes
        # German quotations), so the sentence starts at the mark or right after it.
        n = bisect.bisect_left(starts, quote.outer[0])
        if not 0 < n < len(sentences) or sentences[n].start > quote.inner[0] or \
                not is_utterance(text, quote):
            continue  # not at a sentence start, or the paragraph's first sentence
        if covered.holds(quote.inner[0]):
            continue  # the quotation has a reading already
        previous = sentences[n - 1]
        last = bisect.bisect_right(ends, previous.end) - 1
        speaker = named[last][2] if last >= 0 and ends[last] >= previous.start else None
        if extended is not None and extended[0] == n - 1 and (
                speaker is None or reach(extended[1]) >= reach(speaker)):
            speaker = extended[1]  # “…,” said Hicks. “…” “…”: the chain goes on
        if speaker is None or speaker.content[1] > quote.outer[0]:
            continue
        if speaker.type in ("direct", "mixed"):
            speaker.content = (speaker.content[0], quote.inner[1])
            extended = (n, speaker)
        elif quote.closed and sentences[n].end <= quote.outer[1] + 1 and \
                _speaks(text, speaker, lex):
            found.append(continued(quote, speaker))  # the quotation is the whole sentence
            extended = (n, found[-1])
    return found


def drop_inside(found: list[Attribution], span: Span) -> list[Attribution]:
    """Continuations inside ``span`` are dropped: a quotation run over several paragraphs
    found its speaker at its end, and that attribution covers them."""
    return [a for a in found if not (a.construction == "continuation" and
                                     span[0] <= a.content[0] < span[1])]


@dataclass
class Listing:
    """A list announced by "X said:" under way: the attribution of its first item and how
    many items it has had."""

    speaker: Attribution
    items: int = 1


def announced_items(text: str, previous: tuple[int, list[Sentence]] | None, paragraph: Span,
                    quotes: list[Quote], here: list[Attribution], listing: Listing | None,
                    lex: Lexicon) -> tuple[Attribution | None, Listing | None]:
    """The paragraph as what the cue ending the paragraph before announced, or as the next
    item of a list so announced; returns it (or None) and the list still under way."""
    if quotes and not text[paragraph[0]:quotes[0].outer[0]].strip():
        return None, None  # a quotation: the quotation readings have it
    if listing is None and announcing_colon(text, previous, paragraph[0]) is None:
        return None, None  # no list under way and no colon announcing this paragraph
    inner = trim(text, *paragraph)
    words = len(WORD_RE.findall(text[inner[0]:inner[1]]))
    if words < MIN_QUOTE_WORDS:
        return None, None
    own = any(_outside_quotes(a, quotes) for a in here)
    if listing is not None and listing.items < MAX_LIST_ITEMS and \
            _list_item(text, inner, words, lex):
        listing.items += 1
        if own:
            return None, listing  # "He would defend …": the item has a reading of its own
        return Attribution(content=inner, source=listing.speaker.source, cue=None,
                           type="indirect", confidence=CONTINUATION_CONFIDENCE,
                           construction="continuation"), listing
    if own or words > MAX_ANNOUNCED_WORDS:
        return None, None
    fake = Quote(paragraph, inner, words, True)
    found = announced_quote(text, previous, [fake], [], lex)
    if found is None or found.cue is None or not text[found.cue[0]:found.cue[1]].strip(":"):
        return None, None  # "Update:", "Jones:" before a paragraph: a label, no cue verb
    found.type, found.construction = "indirect", "announced-paragraph"
    return found, (Listing(found) if _list_item(text, inner, words, lex) else None)


def _list_item(text: str, inner: Span, words: int, lex: Lexicon) -> bool:
    """A list item as extraction leaves it: short, no closing full stop, not a call to
    action ("Read the full transcript of his interview")."""
    body = text[inner[0]:inner[1]].rstrip("”\"’»)")
    first = WORD_RE.match(body)
    return words <= MAX_LIST_ITEM_WORDS and body[-1:] not in (".", "!", "?", "…", ":") and \
        (first is None or first.group(0).lower() not in lex.calls_to_action)
