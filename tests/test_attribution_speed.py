"""Patterns and look-ups rewritten for speed give exactly what their plain forms give.

The annotator's hot patterns are written so that the regex engine can skip to where they may
match (a first character class, a lookahead for first letters) and some look-ups answer only
the questions asked. Each is checked here against its plain form on real articles (the
PolNeAR and German dev texts) and on constructed edge cases, so that an edit to one cannot
silently change what the finder reads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sourcelight.attribution.entities import (
    LOWER_WORD_RE, TITLE_ALTERNATIVES, TITLED_SURNAME_RE, LowerWords, name_runs)
from sourcelight.attribution.lexicon import PASSIVE_AUXILIARIES, lexicon
from sourcelight.attribution.source_lexicon import NAME_RE
from sourcelight.attribution.finder import (
    PhraseCues, _occurrences, _sentences_to_read, attribute_sentence, phrase_cues_in)
from sourcelight.attribution.quotes import find_quotes
from sourcelight.attribution.tokens import (
    DATELINE_RE, TOKEN_KINDS, TOKEN_RE, SpanIndex, paragraphs, skip_dateline, split_sentences,
    tokenize)

EDGE_CASES = [
    "", " ", "\n\n", "U.S. and U.K. officials", "Rep. Jim Jordan (R-Ohio.) and Sen. X (D-N.Y.) said",
    "3.5 percent, 1,000,000 people, 12.", "don't won't well-known rock-and-roll ’tis 'em",
    "ACCORDING TO the AP, According to Reuters; as reported by CNN", "Laut Angaben von dpa",
    "it was first reported by the Times, it has been confirmed by police; WAS REPORTED BY",
    "isreported by, wasn't reported by", "Mr. Smith, Mrs Jones, Ms.Lee, Dr. No, Präsident Steinmeier",
    "xMr Smith _Mr Smith 1Mr Smith Mr Smith Jones", "e.g. small.change small-town, a b c",
    "„Zitat“ «guillemets» ‹single› ''NYT style'' “curly” \"straight\"",
    "İstanbul ıi ſ K Ωmega", "_under_score __init__ a_b", "-dash --double ’quote ’’",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Real article texts: the PolNeAR and German attribution dev sets, plus edge cases."""
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    found = list(EDGE_CASES)
    for folder in ("attribution-polnear", "attribution-gnqa"):
        with (corpus / folder / "dev.jsonl").open(encoding="utf-8") as lines:
            found += [json.loads(line)["text"] for line in lines]
    assert len(found) > 500
    return found


def spans(matches) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]


def test_tokens_are_those_of_the_plain_alternation(texts: list[str]) -> None:
    plain = re.compile("|".join(first + rest for first, rest in TOKEN_KINDS))
    for text in texts:
        assert spans(TOKEN_RE.finditer(text)) == spans(plain.finditer(text))
        # a window read in place, as tokenize reads a paragraph
        if len(text) > 40:
            assert spans(TOKEN_RE.finditer(text, 7, 33)) == spans(plain.finditer(text, 7, 33))


def test_name_runs_are_the_name_patterns_matches(texts: list[str]) -> None:
    # every abbreviation, its prefixes and extensions, initials, umlauts opening a word
    titles = ("Mr. Mrs. Ms. Mrs Ms Mr Dr. Sen. Rep. Gov. Gen. St. Jr. Sr. Sen Senx. Stx. "
              "M. D. S. R. G. J. Ä. Ö. Üb. Äbc Ölf A.B. Mr.Smith Mrs.Jones Dr.No St.Louis "
              "Gen.Mills John F. Kennedy Jr. and Sr. X, Martin Luther King Jr., al Bin of")
    for text in [*texts, titles, titles.lower(), titles.replace(" ", "\t")]:
        assert spans(name_runs(text)) == spans(NAME_RE.finditer(text))
    assert len(name_runs(titles)) > 10  # (runs join across spaces: fewer than words)


def test_titled_surnames_are_those_of_the_plain_pattern(texts: list[str]) -> None:
    plain = re.compile(r"\b(" + "|".join(TITLE_ALTERNATIVES) + r")\s+([A-ZÄÖÜ][\w’'-]+)\b"
                       r"(?!\s+[A-ZÄÖÜ])")
    hits = 0
    for text in texts:
        found = spans(TITLED_SURNAME_RE.finditer(text))
        assert found == spans(plain.finditer(text))
        hits += len(found)
    assert hits > 100  # the check saw real titles, not only misses


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_lexicon_patterns_match_as_without_their_lookahead(texts: list[str], lang: str) -> None:
    lex = lexicon(lang)
    patterns = [lex.according_to_re, lex.according_after_re, lex.passive_by_re]
    for pattern in [p for p in patterns if p is not None]:
        assert pattern.pattern.startswith("(?=[")
        plain = re.compile(pattern.pattern[pattern.pattern.index("])") + 2:], pattern.flags)
        for text in texts:
            assert spans(pattern.finditer(text)) == spans(plain.finditer(text))
    if lang == "en":
        assert lex.passive_by_re.search("it was first reported by the Times")
        assert all(aux in lex.passive_by_re.pattern for aux in PASSIVE_AUXILIARIES)


def test_lower_words_answer_as_the_set_of_all_lower_case_words(texts: list[str]) -> None:
    asked = 0
    for text in texts:
        truth = set(LOWER_WORD_RE.findall(text))
        present = sorted(truth)[:12]
        # words as they stand, parts and extensions of real ones, and forms it never reads
        questions = present + [w[1:] for w in present] + [w + "s" for w in present] + \
            [w.lower().strip(".,;:“”\"") for w in text.split()[:40]] + \
            ["e.g", "u.s", "don't", "rock-and-roll", "and", "roll", "’s", "-a", "über", "x"]
        lookups = LowerWords(text)
        capped = LowerWords(text)
        capped.MAX_LOOKUPS = 8  # past MAX_LOOKUPS questions it reads every word
        for word in questions:
            assert (word in lookups) == (word in truth), word
            assert (word in capped) == (word in truth), word
            asked += 1
    assert asked > 20_000


def test_lower_words_in_runs_the_pattern_reads_whole() -> None:
    text = "A small-town rock-and-roll band. Small Change, e.g. gov.uk x'change"
    words = LowerWords(text)
    assert "small-town" in words and "rock-and-roll" in words and "band" in words
    assert "gov" in words and "x'change" in words
    # parts of a run it reads whole, and words after a full stop or a word character
    for part in ("small", "town", "and", "roll", "change", "uk", "e", "g"):
        assert part not in words, part


def test_tokens_placed_from_read_words_are_the_tokens_read(texts: list[str]) -> None:
    def fields(tokens):
        return [(t.text, t.start, t.end, t.low) for t in tokens]
    for text in texts:
        for start, end in paragraphs(text) + [(0, len(text))]:
            words = TOKEN_RE.findall(text, start, end)
            assert fields(tokenize(text, start, end, words)) == fields(tokenize(text, start, end))


def test_dateline_skip_answers_as_the_dateline_pattern(texts: list[str]) -> None:
    """skip_dateline's look at the second letter first answers as the pattern alone."""
    skipped = 0
    for text in texts + ["WASHINGTON — The Senate voted.", "TOKYO, Nov 27 (Reuters) - Sales rose."]:
        for start, end in paragraphs(text):
            for sentence in split_sentences(text, start, end):
                head = text[sentence.start:sentence.start + 80]
                match = DATELINE_RE.match(head)
                plain = sentence.start + match.end() if match and match.end() < len(head) \
                    else sentence.start
                assert skip_dateline(text, sentence.tokens) == plain
                skipped += plain != sentence.start
    assert skipped > 2


def _read_sentences(texts: list[str], lang: str):
    """(text, sentence, its quotations, whether its paragraph holds a phrase cue, the
    paragraph's sentences to read) for every sentence of the texts in one language."""
    lex = lexicon(lang)
    for text in texts:
        for start, end in paragraphs(text):
            quotes = find_quotes(text, start, end)
            cues = phrase_cues_in(text, start, end, lex)
            to_read = _sentences_to_read(text, start, end, quotes, cues, lex)
            for sentence in split_sentences(text, start, end):
                yield text, sentence, quotes, cues, to_read


@pytest.mark.parametrize("lang", ["en", "de"])
def test_skipped_readings_would_have_found_nothing(texts: list[str], lang: str) -> None:
    """A sentence's readings skipped for want of a start word or a phrase cue in its
    paragraph (``phrase_cues``), and a paragraph left unread, find what reading all would."""
    lex = lexicon(lang)
    nobody = SpanIndex([])
    skipped = found = 0
    for text, sentence, quotes, cues, to_read in _read_sentences(texts, lang):
        everything = attribute_sentence(text, sentence, quotes, nobody, lex, phrase_cues=True)
        assert attribute_sentence(text, sentence, quotes, nobody, lex, cues) == everything
        if not to_read:
            assert not everything and not quotes and not cues
            skipped += 1
        found += len(everything)
    assert found > 1000 and (skipped > 1000) == (lang == "en")  # German is read whole


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_phrase_cues_are_found_as_the_phrase_patterns_find_them(texts: list[str],
                                                                 lang: str) -> None:
    """The quick look in lower-case text answers as the case-insensitive patterns do, also
    where a letter folds to an ASCII one otherwise than by lower() (ſ, ı, İ, the Kelvin K)."""
    lex = lexicon(lang)
    folded = ["ACCORDİNG TO the AP", "accordıng to him", "aſ reported by CNN",
              "it was first reported by the Times", "it was reported by the BBC",
              "wie bereits laut Angaben", "selon l’AFP", "según la agencia",
              "ACCORDING TO\nthe AP\nΣΟΦΟΣ according to ΟΔΟΣ\nAccording\tto\n\nas reported BY"]
    found = 0
    for text in texts + folded + ["\n".join(folded)]:
        whole_text = PhraseCues(text, lex)  # the quick look done once for the whole text
        for start, end in paragraphs(text):
            either = lex.according_to_re.search(text, start, end) or (
                lex.passive_by_re and lex.passive_by_re.search(text, start, end))
            assert phrase_cues_in(text, start, end, lex) == bool(either), text[start:end]
            assert whole_text.in_paragraph(start, end) == bool(either), text[start:end]
            found += bool(either)
    assert found > (50 if lang in ("en", "de") else 0)  # the patterns did find phrases


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_phrase_occurrences_mark_each_line_holding_a_phrase(texts: list[str],
                                                            lang: str) -> None:
    """The phrases searched for by a shared last word (" by") and whole: a line holds an
    offset of ``_occurrences`` exactly when it holds one of the phrases."""
    phrases = lexicon(lang).cue_phrases
    holding = 0
    own_lines = "\n".join(f"As {phrase.upper()} them" for phrase in phrases)
    for text in texts + ["reported by\nby\nrecorded by the\nas told to, according to by",
                         own_lines]:
        low = text.lower()
        offsets = _occurrences(low, phrases)
        for start, end in paragraphs(low):
            held = any(phrase in low[start:end] for phrase in phrases)
            assert any(start <= at < end for at in offsets) == held, low[start:end]
            holding += held
    assert holding >= (50 if lang in ("en", "de") else len(phrases))
