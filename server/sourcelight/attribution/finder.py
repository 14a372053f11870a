"""Find attributions in article text: who said, reported, claimed what.

Rules, not a model: a cue (a speech verb, "according to", "laut", a passive "was reported
by") is found in a sentence, its source is the noun phrase on the side grammar puts it, and
its content is the clause on the other side — or the quotation the cue introduces or closes.
Cue words and phrases are per-language data (``lexicons/<lang>/cues.json``).

This module runs the readings paragraph by paragraph and sentence by sentence; the rules
live beside it:

- ``tokens``: tokens, sentences, paragraphs, span trimming (language-neutral);
- ``quotes``: quotations and their speakers (“…,” she said / She said: “…”);
- ``clauses``: where a reported clause starts and ends, the cue span;
- ``noun_phrases``: the source noun phrase, names, appositives, ``plausible_source``;
- ``readings``: the readings every language shares (pre-posed, post-posed, "according to");
- ``grammar_en`` / ``grammar_de``: the constructions of one language.

Each attribution names the reading that found it in ``construction``.

Degrades explicitly: a quote whose marks do not balance is not given a speaker, a cue with no
noun phrase next to it yields nothing, and languages without a lexicon yield no attributions.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .clauses import CONTRACTION_RE, QUESTION_WORDS, opens_clause
from .continuation import Listing, announced_items, drop_inside, opening_quote, resume_quotes
from .grammar_de import (
    german_nach, german_passive_report, german_perfect, german_so, german_wie, impersonal,
    reference_clause, reported_continuation)
from .grammar_en import (
    AS_PASSIVES, evidence_showing, hedge_in_use, hedged_clause, in_poll, is_passive_hedge,
    participle, passive_by, phrasal, speaker_colon, stance_adjective, unattributed_question)
from .lexicon import Lexicon, lexicon
from .model import Attribution, Span
from .noun_phrases import plausible_source, right_noun_phrase
from .quotes import (
    Quote, announced_quote, attribute_quotes, extend_over_open_quotes, find_quotes, type_of)
from .readings import according_to, cue_is_used_as_attribution, postposed, preposed
from .tokens import (
    TOKEN_RE, Sentence, SpanIndex, Token, paragraphs, sentence_end, skip_dateline,
    split_sentences, trim_content)


# The contents of a paragraph's direct quotations when it has none (read, never changed).
NOTHING_TAKEN = SpanIndex([])
FIRST_PERSON = frozenset({"i", "you", "we", "ich", "du", "wir", "je", "tu", "nous", "vous",
                          "yo", "nosotros"})


def find_attributions(text: str, lang: str | None) -> list[Attribution]:
    """All attributions in ``text`` (spans are offsets into it), in reading order."""
    lex = lexicon(lang or "")
    if lex is None or not text:
        return []
    found: list[Attribution] = []
    recent: list[tuple[int, Span]] = []  # (sentence number, source) of attributions so far
    number = 0
    open_run: int | None = None  # where an unclosed quotation of earlier paragraphs began
    previous: tuple[int, list[Sentence]] | None = None  # (end, sentences) of the last paragraph
    before: list[Attribution] = []  # the last paragraph's attributions (its speakers)
    run_index = 0  # where in ``found`` the paragraphs of the open quotation begin
    listing: Listing | None = None  # a list announced by "X said:" under way
    cue_phrases = PhraseCues(text, lex)
    for para_start, para_end in paragraphs(text):
        quotes = find_quotes(text, para_start, para_end)
        phrase_cues = cue_phrases.in_paragraph(para_start, para_end)
        sentences = _sentences_to_read(text, para_start, para_end, quotes, phrase_cues, lex)
        if not quotes and not sentences:
            # Nothing to read (the readings below would find nothing, and no quotation runs
            # on through it); only a list announced before may go on with it.
            last, previous, open_run = previous, (para_end, sentences), None
            opening, listing = announced_items(text, last, (para_start, para_end), quotes, [],
                                               listing, lex)
            before = [opening] if opening else []
            found.extend(before)
            continue
        # Most paragraphs hold no quotation: the quotation steps, which would find nothing
        # (and end any quotation run), are left out for them.
        direct = _direct_quotes(text, sentences, quotes, previous, lex) if quotes else []
        last, previous = previous, (para_end, sentences)
        if quotes:
            run_was_open = open_run is not None
            open_run = extend_over_open_quotes(text, para_start, quotes, direct, open_run)
            if open_run is not None and not run_was_open:
                run_index = len(found)  # what the run's paragraphs add comes after this
            if direct and direct[0].content[0] < para_start:
                found[run_index:] = drop_inside(found[run_index:], direct[0].content)
        else:
            open_run = None
        paragraph = list(direct)
        taken = SpanIndex([a.content for a in direct]) if direct else NOTHING_TAKEN
        by_start = sorted(direct, key=lambda a: a.content[0])
        direct_starts = [a.content[0] for a in by_start]
        quote_starts, quote_ends = [q.outer[0] for q in quotes], [q.outer[1] for q in quotes]
        for sentence in sentences:
            number += 1
            # Only the quotations this sentence touches: a paragraph may hold thousands, and
            # the readings look at them for every word.
            touching = quotes[bisect.bisect_right(quote_ends, sentence.start):
                              bisect.bisect_left(quote_starts, sentence.end + 1)] \
                if quotes else []
            here = attribute_sentence(text, sentence, touching, taken, lex, phrase_cues)
            # (the tests below only when they may matter: most sentences find nothing)
            if lex.subjunctive and not here and not taken.holds(sentence.start) and \
                    not taken.starts_within(sentence.start, sentence.end):
                continued = reported_continuation(text, sentence, number, recent, lex)
                if continued:
                    here = [continued]
            if here:
                paragraph.extend(here)
                recent.extend((number, a.source) for a in here if a.source)
            if by_start:
                recent.extend((number, a.source) for a in by_start[
                    bisect.bisect_left(direct_starts, sentence.start):
                    bisect.bisect_left(direct_starts, sentence.end + 1)] if a.source)
        # A quotation with no cue of its own continues the speaker before it.
        credible = [a for a in paragraph if _credible(text, a, lex)]
        opening = opening_quote(text, para_start, quotes, credible, before, lex) \
            if quotes else None
        if opening is None:  # "Obama also said:" and what he said as this paragraph
            opening, listing = announced_items(text, last, (para_start, para_end), quotes,
                                               credible, listing, lex)
        else:
            listing = None
        continuations = [opening] if opening else []
        if quotes:
            continuations += resume_quotes(text, sentences, quotes, credible + continuations,
                                           lex)
        found.extend(paragraph + continuations)
        before = credible + continuations
    found = [a for a in deduplicate(found) if _credible(text, a, lex)]
    found.sort(key=lambda a: (a.content[0], a.cue[0] if a.cue else 0))
    for n, attribution in enumerate(found, 1):
        attribution.id = f"a{n}"
    return found


def _direct_quotes(text: str, sentences: list[Sentence], quotes: list[Quote],
                   previous: tuple[int, list[Sentence]] | None,
                   lex: Lexicon) -> list[Attribution]:
    """The paragraph's quotations with their speakers, and a quotation the paragraph before
    announced ("… wrote:")."""
    direct = attribute_quotes(text, sentences, quotes, lex)
    announced = announced_quote(text, previous, quotes, direct, lex)
    if announced is not None:
        direct.append(announced)
    return direct


def attribute_sentence(text: str, sentence: Sentence, quotes: list[Quote], taken: SpanIndex,
                       lex: Lexicon, phrase_cues: bool = True) -> list[Attribution]:
    """Indirect and mixed attributions of one sentence (``taken``: the contents of the
    paragraph's direct quotations; ``phrase_cues``: False when its paragraph holds no
    phrase cue, see ``phrase_cues_in``)."""
    tokens = sentence.tokens
    # Each reading below starts from a word of its own or a phrase cue; a sentence holding
    # none of them skips that reading, and a sentence holding none at all every reading
    # (they would find nothing: same output, a third less time).
    lows = {t.low for t in tokens}
    start_words = _start_words(lex)
    if start_words is not None and not phrase_cues and lows.isdisjoint(start_words):
        return []
    found: list[Attribution] = []

    def in_direct(tok: Token) -> bool:
        return taken.holds(tok.start)

    content_start = skip_dateline(text, tokens)
    # according to X / laut X / X zufolge
    if phrase_cues or lex.according_after_re is not None:
        found.extend(according_to(text, tokens, content_start, lex))
    if lex.reference_cues and tokens[0].low in lex.reference_cues and len(tokens) > 3:
        first = tokens[0]  # "Demnach haben …": according to the source just named
        content = trim_content(text, tokens[1].start, sentence_end(tokens))
        if content:
            found.append(Attribution(content=content, source=(first.start, first.end),
                                     cue=(first.start, first.end), type="indirect",
                                     confidence=0.6, construction="de-reference-adverb"))
    if not lows.isdisjoint(lex.reference_cues):
        found.extend(reference_clause(text, tokens, lex))
    if lex.lang == "de":
        found.extend(german_nach(text, tokens, content_start, lex))
        found.extend(german_so(text, tokens, content_start, lex))
    if lex.phrasal and not lows.isdisjoint(lex.phrasal_heads):
        found.extend(a for a in phrasal(text, sentence, lex)
                     if not any(s <= a.cue[0] < e for s, e in (q.outer for q in quotes))
                     and not any(b.content[0] <= a.cue[0] < b.content[1] for b in found))
    if lex.poll_nouns and not lows.isdisjoint(lex.poll_nouns):
        found.extend(in_poll(text, tokens, content_start, lex))
    if lex.colon_non_sources is not None and ":" in lows:
        found.extend(speaker_colon(text, tokens, content_start, quotes, lex))
    # … was first reported by X
    if lex.passive_by_re is not None and phrase_cues:
        found.extend(passive_by(text, sentence, lex))
    quoted = [q.outer for q in quotes]
    if lex.stance_adjectives and not lows.isdisjoint(lex.stance_adjectives):
        found.extend(stance_adjective(text, tokens, quoted, lex))  # "are adamant that …"
    title_case: bool | None = None  # read when a capitalised cue word asks (seldom)
    words = _cue_or_hedge_words(lex)
    for k, tok in enumerate(tokens):
        if tok.low not in words:
            continue  # neither a passive hedge nor a cue: most words
        if is_passive_hedge(tokens, k, lex) and not in_direct(tok) and \
                not any(s <= tok.start < e for s, e in quoted):
            hedged = hedged_clause(text, tokens, k, content_start, cue_start=k - 1)
            by = next((j for j in range(k + 2, min(len(tokens), k + 14))
                       if tokens[j].low == "by"), None)
            if hedged and by is not None:
                # "… was described as ‘heartbreaking’ by the conservation department"
                hedged[0].source = right_noun_phrase(tokens, by + 1, lex)
            found.extend(hedged)
            continue
        if tok.low not in lex.cue_forms or in_direct(tok):
            continue
        if tok.text[:1].isupper() and k > 0 and lex.lang == "en":
            if title_case is None:
                title_case = _title_case(tokens)
            if not (title_case and tok.low in lex.headline_cues):
                continue  # "the United States", "Explain Why …" in a title: part of a name
        if lex.lang == "en" and tok.low == "asked" and (
                (k > 0 and tokens[k - 1].low in ("when", "after", "if", "once", "as", "while",
                                                  "before")) or
                (tok.start == content_start and k + 1 < len(tokens) and
                 tokens[k + 1].low in QUESTION_WORDS | {"about", "on"})):
            # "When asked whether …", "Asked on Monday whether …,": nobody named asks.
            found.extend(unattributed_question(text, tokens, k))
            continue
        if lex.lang == "en" and tok.low == "showing" and k > 0 and \
                tokens[k - 1].low in lex.evidence_nouns:
            found.extend(evidence_showing(text, tokens, k, lex))
            continue
        lemma = lex.lemma_of.get(tok.low)
        if lemma in lex.weak_verbs or lemma in lex.intention_verbs or lemma in lex.hedge_verbs \
                or lemma in lex.stance_verbs:
            if any(s <= tok.start < e for s, e in quoted):
                continue  # "I think …" inside somebody's quotation is their voice, not a new source
            if any(a.content[0] <= tok.start < a.content[1] for a in found):
                continue  # "Clinton says she wants to …": the wish is part of what she said
        if lemma in lex.hedge_verbs:
            if hedge_in_use(tokens, k, lemma):
                found.extend(hedged_clause(text, tokens, k, content_start))
            continue
        if tok.low in lex.impersonal_cues:
            found.extend(impersonal(text, tokens, k, content_start))
            continue
        if lex.lang == "de" and german_passive_report(tokens, k):
            # "Strauss-Kahn wird vorgeworfen, …", "Es wurde bekannt gegeben, dass …"
            content = trim_content(text, tokens[k + 2].start if tokens[k + 2].low not in (
                "dass", "daß") else tokens[k + 3].start, sentence_end(tokens)) \
                if k + 3 < len(tokens) else None
            if content is not None:
                found.append(Attribution(content=content, source=None,
                                         cue=(tokens[k].start, tokens[k].end),
                                         type="indirect", confidence=0.5,
                                         construction="de-passive"))
            continue
        if not cue_is_used_as_attribution(tokens, k, lex):
            continue
        # "In the deposition, Mr. Trump said his net worth …": a clause after the cue makes
        # the phrase before the comma an adverbial, not the content.
        clause_follows = len(tokens) - k > 5 and (
            (lex.lang == "en" and opens_clause(tokens, k + 1, lex)) or
            (lex.lang in ("fr", "es") and any(
                t.low in ("que", "qu") or t.low.startswith(("qu’", "qu'"))
                for t in tokens[k + 1:k + 5])))  # "a annoncé par avance qu'il …"
        readings = (
            lambda: lex.lang == "de" and german_wie(text, tokens, k, content_start, lex),
            lambda: lex.perfect_auxiliaries and german_perfect(text, tokens, k, lex),
            lambda: lex.lang == "en" and participle(text, tokens, k, content_start, lex),
            lambda: clause_follows and preposed(text, tokens, k, lex),
            lambda: postposed(text, tokens, k, content_start, lex),
            # (when a clause follows, the pre-posed reading was read above: the same answer)
            lambda: not clause_follows and preposed(text, tokens, k, lex),
        )
        # The first reading whose source is a plausible noun phrase: "…, said Mexico must
        # rebut …" is no post-posed "said SOURCE", so the pre-posed reading gets its turn.
        attribution = next((a for a in (read() for read in readings)
                            if a and plausible_source(text, a.source, lex)), None)
        if attribution and attribution.source is not None and \
                CONTRACTION_RE.sub("", text[attribution.source[0]:attribution.source[1]]
                                    .lower()) in FIRST_PERSON and \
                any(s <= tok.start < e for s, e in quoted):
            attribution = None  # "So if I say I'm leaning …" inside a quotation: their voice
        if attribution:
            found.append(attribution)
    if len(found) > 1:  # (one attribution alone has nothing to be nested in)
        found = _drop_nested_secondary(text, found, lex)
    for a in found:
        a.type = type_of(text, a.content, quotes)
    return found


def _sentences_to_read(text: str, start: int, end: int, quotes: list[Quote], phrase_cues: bool,
                       lex: Lexicon) -> list[Sentence]:
    """The sentences of a paragraph; none when nothing in it can be read: no quotation, no
    phrase cue and no reading's start word (half the paragraphs of WCXB articles, a quarter
    of their words). Their absence changes nothing else: only a paragraph ending with a
    colon (a start word) announces the next one, and only German reported speech counts
    sentences (``subjunctive``), so such languages have every paragraph read."""
    start_words = _start_words(lex)
    if start_words is None or lex.subjunctive or quotes or phrase_cues:
        return split_sentences(text, start, end)
    words = TOKEN_RE.findall(text, start, end)
    # (the words are looked up as they are lowered, with no set built: it stops at the
    # first start word, and most paragraphs have one early or none at all)
    if start_words.isdisjoint(map(str.lower, words)):
        return []
    return split_sentences(text, start, end, words)


def phrase_cues_in(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Does ``text[start:end]`` (a paragraph) hold a phrase cue, "according to X" or "was
    reported by X"? When it does not, none of its sentences does: a sentence opens after a
    space or a mark and ends with a mark or at the paragraph's end, so a phrase found in a
    sentence (word boundaries at both ends) is found in its paragraph too."""
    folding = _letters_folding_to_ascii(lex)
    if folding is not None:
        paragraph = text[start:end]
        # The patterns match case-insensitively; where no letter folds to an ASCII one
        # otherwise than by lower() ("ſ", "ı", "İ"), the lower-case text holds each phrase
        # they find (a quick look answers most paragraphs without them).
        if folding.search(paragraph) is None:
            if not any(map(paragraph.lower().__contains__, lex.cue_phrases)):
                return False
    return lex.according_to_re.search(text, start, end) is not None or (
        lex.passive_by_re is not None and lex.passive_by_re.search(text, start, end) is not None)


class PhraseCues:
    """``phrase_cues_in`` for every paragraph of one text, with the quick look done once for
    the whole text: lower-casing and searching each paragraph on its own was a tenth of the
    finder's time, most of it for paragraphs holding no phrase at all."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        # Offsets in ``text`` where a cue phrase starts in the lower-case text; None when the
        # text holds a letter that folds otherwise (each paragraph is then read on its own).
        self.phrase_starts: list[int] | None = None
        folding = _letters_folding_to_ascii(lex)
        if folding is not None and folding.search(text) is None:
            # Without those letters lower() keeps every offset (İ is the only letter it
            # lengthens), and a paragraph's lower-case text is this text's slice: paragraphs
            # end at line breaks, which no phrase holds and which end a final-sigma context.
            self.phrase_starts = _occurrences(text.lower(), lex.cue_phrases)

    def in_paragraph(self, start: int, end: int) -> bool:
        """``phrase_cues_in(text, start, end, lex)`` for the paragraph ``text[start:end]``."""
        if self.phrase_starts is None:
            return phrase_cues_in(self.text, start, end, self.lex)
        i = bisect.bisect_left(self.phrase_starts, start)
        if i == len(self.phrase_starts) or self.phrase_starts[i] >= end:
            return False  # no phrase in the paragraph: neither pattern can match in it
        lex = self.lex
        return lex.according_to_re.search(self.text, start, end) is not None or (
            lex.passive_by_re is not None and
            lex.passive_by_re.search(self.text, start, end) is not None)


def _occurrences(text: str, phrases: tuple[str, ...]) -> list[int]:
    """Sorted offsets of the occurrences of ``phrases`` in ``text`` (overlaps included), each
    where the part searched for starts (``_searched_parts``): inside the phrase, so on the
    line it stands on."""
    found = set()
    for part, wholes in _searched_parts(phrases):
        at = text.find(part)
        while at != -1:
            if text.endswith(wholes, 0, at + len(part)):
                found.add(at)
            at = text.find(part, at + 1)
    return sorted(found)


# A last word that this many phrases or more share is searched for once for all of them.
SHARED_LAST_WORD_PHRASES = 3


@lru_cache(maxsize=None)
def _searched_parts(phrases: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(part, phrases ending with it) for ``_occurrences``: the last word (with the space
    before it) of phrases that share it ("reported by", "confirmed by", …: " by"), and each
    other phrase whole. Searching for each phrase on its own read an English text fifteen
    times; a rare last word like "by" is found where it stands and the phrases checked there."""
    by_last_word: dict[str, list[str]] = {}
    for phrase in phrases:
        last_word = phrase[phrase.rfind(" "):] if " " in phrase else phrase
        by_last_word.setdefault(last_word, []).append(phrase)
    parts = []
    for last_word, group in by_last_word.items():
        if len(group) >= SHARED_LAST_WORD_PHRASES:
            parts.append((last_word, tuple(group)))
        else:
            parts.extend((phrase, (phrase,)) for phrase in group)
    return tuple(parts)


@lru_cache(maxsize=None)
def _letters_folding_to_ascii(lex: Lexicon) -> re.Pattern | None:
    """The non-ASCII characters a case-insensitive pattern matches with an ASCII letter, as a
    character class; None when the lexicon's cue phrases are not all ASCII (no quick look)."""
    if not all(phrase.isascii() for phrase in lex.cue_phrases):
        return None
    # (none beyond the Basic Multilingual Plane folds to an ASCII letter)
    every = "".join(map(chr, range(0x80, 0x10000)))
    folding = set(re.findall("[a-z]", every, re.IGNORECASE))
    return re.compile("[" + "".join(map(re.escape, sorted(folding))) + "]")


@lru_cache(maxsize=None)
def _start_words(lex: Lexicon) -> frozenset[str] | None:
    """Every word a reading of ``attribute_sentence`` starts from, besides the phrase cues;
    None for a language with readings that start otherwise (German "nach", "so", "X
    zufolge"), whose sentences are all read."""
    if lex.lang == "de" or lex.according_after_re is not None:
        return None
    return _cue_or_hedge_words(lex) | lex.reference_cues | lex.phrasal_heads | \
        lex.poll_nouns | lex.stance_adjectives | {":"}


@lru_cache(maxsize=None)
def _cue_or_hedge_words(lex: Lexicon) -> frozenset[str]:
    """The words the per-word readings start from: a cue form or a passive hedge's
    participle ("expected", "seen"); any other word is skipped at once."""
    return lex.cue_forms | lex.passive_hedges | AS_PASSIVES


def _title_case(tokens: list[Token]) -> bool:
    """Is the sentence a title-case headline (most of its words capitalised)?"""
    words = [t for t in tokens if t.text[:1].isalpha()]
    return len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words)


def _drop_nested_secondary(text: str, found: list[Attribution],
                           lex: Lexicon) -> list[Attribution]:
    """"Murphy said he supports the final bill": a stance, wish or phrasal cue inside what
    somebody is reported to have said is part of their report, not a second source."""
    def secondary(a: Attribution) -> bool:
        words = text[a.cue[0]:a.cue[1]].lower().split()
        lemma = lex.lemma_of.get(words[-1], "") if words else ""
        return tuple(words) in lex.phrasal or lemma in lex.stance_verbs \
            or lemma in lex.intention_verbs or lemma in lex.weak_verbs or a.source is None \
            or (lemma in lex.np_content_verbs and lemma not in lex.clause_verbs)
    return [a for a in found
            if not (secondary(a) and any(b is not a and b.content[0] <= a.cue[0] < b.content[1]
                                         and not secondary(b) for b in found))]


def _credible(text: str, a: Attribution, lex: Lexicon) -> bool:
    """Is the source a noun phrase that speaks (not a clause, a fragment, the reader)?"""
    return plausible_source(text, a.source, lex) and not _generic_you(text, a.source)


def _generic_you(text: str, source: Span | None) -> bool:
    """"you want to avoid calls in public": the reader addressed, nobody reported."""
    if source is None:
        return False
    phrase = text[source[0]:source[1]].lower()
    if phrase.endswith((" of me", " of him", " of us", " of them")):
        return False  # "Many of them said …": a part of a group speaks
    return phrase in ("you", "du", "vous") or phrase.startswith(("your ", "you ")) or \
        phrase.endswith((" me", " him", " us", " them"))  # "lets me": not a subject


def deduplicate(found: list[Attribution]) -> list[Attribution]:
    """One attribution per cue; when two share a cue, the more confident wins."""
    taken: set[int] = set()  # character offsets covered by the cues kept so far
    out = []
    for a in sorted(found, key=lambda a: -a.confidence):
        if a.cue is not None:
            cue = range(a.cue[0], max(a.cue[1], a.cue[0] + 1))
            if any(i in taken for i in cue):
                continue
            taken.update(cue)
        out.append(a)
    return out
