"""Noun phrases and names: the source side of an attribution.

Finds the noun phrase before a cue (``left_noun_phrase``: "Jim Clyburn, a Democratic
congressman from South Carolina,") or after it (``right_noun_phrase``: "according to the
Wall Street Journal"), with appositives, parentheses ("(D-Md.)"), relative clauses and
abbreviation dots; and rejects sources that are clauses or fragments (``plausible_source``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .clauses import opens_clause
from .lexicon import Lexicon
from .model import Span
from .tokens import (
    ABBREVIATIONS, DETERMINER_JOINERS, MAX_APPOSITIVE_SOURCE_TOKENS, MAX_SOURCE_TOKENS,
    NP_JOINERS, POSSESSIVES, QUOTE_CHARS, TEMPORAL, Token, abbreviation_dot)


# ", who was not authorized to speak on the record," describes the source; its verbs do not
# make the source a clause.
RELATIVE_CLAUSE_RE = re.compile(r",\s*(?:who|which|der|die|das|qui|que)\b[^,]*(?:,|$)"
                                r"|(?<=\w)\s+who(?:['’]s)?\s[^,]*(?:,|$)")  # "… Pilates who's been …,"
SOURCE_WORD_RE = re.compile(r"[\w’'-]+|\.")  # a source's words and full stops
GERMAN_PREPOSITIONS = frozenset({"in", "im", "am", "an", "auf", "bei", "beim", "mit", "unter",
                                 "über", "vor", "während", "wegen", "trotz", "zum", "zur",
                                 "zu"})
ADVERBIAL_STARTS = frozenset({"at", "in", "on", "during", "after", "before", "since", "with",
                              "despite",
                              "from", "amid", "whenever", "without", "although", "though",
                              "because", "while", "when", "if", "unless", "until", "whereas"})
TIME_MODIFIERS = frozenset({"this", "past", "last", "next", "on", "earlier", "later", "early",
                            "late", "that", "the", "same", "every", "each", "previous"})
RELATIVIZERS = frozenset({"which", "who", "whose", "where", "welche", "welcher", "welches"})
# After these a cue word is a noun ("a report", "his claims", "the statement").
NOUN_MARKERS = frozenset({"a", "an", "the", "his", "her", "its", "their", "our", "this",
                          "that", "these", "those"})
APPOSITIVE_STARTS = frozenset({"a", "an", "the", "her", "his", "their", "its", "our", "der",
                               "die", "das", "ein", "eine", "like", "including", "wie"})


def plausible_source(text: str, source: Span | None, lex: Lexicon) -> bool:
    """Reject sources that are clauses or fragments rather than noun phrases ("traditional
    knowledge is being", "One of", "Kenya. His"): better no attribution than a wrong one."""
    if source is None:
        return True
    return _plausible_phrase(text[source[0]:source[1]], lex)


@lru_cache(maxsize=8192)
def _plausible_phrase(span_text: str, lex: Lexicon) -> bool:
    """``plausible_source`` of a source's words (the answer depends on nothing else; every
    candidate is asked about several times)."""
    phrase = RELATIVE_CLAUSE_RE.sub(",", span_text)
    raw = SOURCE_WORD_RE.findall(phrase)
    words = [w.lower() for w in raw]
    if not words or (len(words) == 1 and words[0] in ABBREVIATIONS):
        return False  # "Mr" cut off from its name
    if any(w in lex.not_in_source and not _name_part(raw, i) for i, w in enumerate(words)):
        return False
    first = span_text.split()[0]
    if lex.lang == "en" and first[:1].isupper() and len(words) > 1 and \
            words[0] in ADVERBIAL_STARTS:
        return False  # "At …", "Whenever …": an adverbial, not a source
    if lex.lang == "en" and first[:1].isupper() and words[0].endswith("ing") and \
            len(raw) > 1 and raw[1][:1].islower() and raw[1][:1].isalpha():
        return False  # "Speaking in his real voice": a participle phrase ("Downing Street" is not)
    if lex.lang == "en" and first.islower() and len(words) > 1 and \
            words[0] in ("of", "to", "for", "about", "into", "onto", "upon"):
        return False  # "said of Cruz": what the cue is about, not who speaks
    if len(words) == 1 and words[0] in lex.sentence_adverbs:
        return False  # "Ultimately", "Shortly": a sentence adverb, not a source
    if lex.np_starters and ((words[0] in GERMAN_PREPOSITIONS and len(words) > 1) or
                            words == ["es"] or (words[0][:1].isdigit() and
                                                any(w in TEMPORAL for w in words))):
        return False  # "In vielen Fällen", "Es", "05 Uhr MEZ": no speaker
    if lex.np_starters and len(words) == 1 and first.islower() and words[0] not in lex.pronouns:
        return False  # "gestern", "mit", "wonach": German names and nouns are capitalised
    if len(words) > 1 and words[-1] in lex.not_source_end:
        return False
    # A full stop inside (not an abbreviation's) means two sentences were glued together.
    for i, w in enumerate(words[1:-1], 1):
        if w == "." and words[i - 1] not in ABBREVIATIONS and len(words[i - 1]) > 1 and \
                not re.fullmatch(r"[rdi]-\w+", words[i - 1]):  # ("R-S.C.", "D-Md.": party, state)
            return False
    return True


def _after_article(tokens: list[Token], j: int) -> bool:
    """Does an article or possessive come right before ``j``, or before one lower-case word
    ("a report", "a recent report")?"""
    return tokens[j - 1].low in NOUN_MARKERS or (
        j >= 2 and tokens[j - 2].low in NOUN_MARKERS and tokens[j - 1].text.isalpha() and
        tokens[j - 1].text.islower())


def _says_where(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """Do "in a (telephone) interview", "in a statement" start at ``j``?"""
    return tokens[j].low == "in" and j + 2 < len(tokens) and \
        tokens[j + 1].low in ("a", "an", "his", "her", "their", "its", "our") and \
        any(t.low in lex.cue_nominals for t in tokens[j + 2:j + 4])


def _name_part(words: list[str], i: int) -> bool:
    """Is the capitalised word at ``i`` a first name before a surname ("Will Doyle", "May
    Chen"), not the verb it also spells?"""
    return words[i][:1].isupper() and i + 1 < len(words) and words[i + 1][:1].isupper()


def left_noun_phrase(tokens: list[Token], k: int, lex: Lexicon) -> Span | None:
    """The subject noun phrase ending right before token ``k`` (auxiliaries skipped)."""
    j = k - 1
    while j >= 0 and (tokens[j].low in lex.auxiliaries or _is_adverb(tokens[j], lex)):
        j -= 1
    # "Reince Priebus, the GOP chairman, this past week announced": a time phrase between
    # the subject and its verb.
    t = j
    while t >= 0 and tokens[t].low in TEMPORAL:
        t -= 1
    if t < j:
        while t >= 0 and tokens[t].low in TIME_MODIFIERS:
            t -= 1
        if t >= 0 and tokens[t].text == "," and t < j:
            j = t
        elif 0 <= t < j and lex.lang == "en" and tokens[t].text[:1].isupper() and \
                tokens[t + 1].low in TIME_MODIFIERS - {"that", "the"}:
            j = t  # "Dianne Feinstein last week said": the name, without when
    if j < 0:
        return None
    if tokens[j].low in lex.pronouns and lex.lang == "en" and tokens[j].low != "it":
        # "countries he said had sent …", "which he said has increased": the pronoun alone.
        return tokens[j].start, tokens[j].end
    relativizer = None
    # "… readout of the call which stated": the relative clause's antecedent is the source
    # (the span keeps the relative pronoun, which is the grammatical subject).
    if tokens[j].low in ("which", "who", "that", "der", "die", "das") and j > 0:
        relativizer = tokens[j]
        j -= 1
    end = j
    start = j
    while start >= 0 and end - start < MAX_SOURCE_TOKENS:
        tok = tokens[start]
        if tok.text == "." and start > 0 and abbreviation_dot(tokens, start):
            start -= 1
            continue
        if tok.text == ")":
            # "Rep. Hank Johnson (D-Ga.)": a short parenthesis inside the name.
            opening = _matching_open(tokens, start)
            if opening is not None and start - opening <= 8:
                start = opening - 1
                continue
        if tok.text in "“”" and start <= end:
            # "Moritz Wohlrab von der „Aktion Deutschland hilft“": a quoted name.
            opening = next((i for i in range(start - 1, max(-1, start - 8), -1)
                            if tokens[i].text in "„“"), None)
            if opening is not None and opening > 0 and \
                    tokens[opening - 1].low in NP_JOINERS | DETERMINER_JOINERS:
                start = opening - 1
                continue
        if tok.text in ",;:()[]'" or tok.text in QUOTE_CHARS or tok.text in ".!?—–":
            break
        low = tok.low
        if low in lex.clause_stops and not _joins_names(tokens, start):
            if lex.np_starters and low in DETERMINER_JOINERS and tok.text[:1].isupper() and \
                    start != end and (start == 0 or not tokens[start - 1].text[:1].isalnum()):
                start -= 1  # "Die Ministerin": an article opening the sentence, no relative
                break
            if low not in NP_JOINERS or start == end:
                break
        if low in lex.cue_forms and start != end and low != lex.lemma_of.get(low, low):
            break  # another reporting verb ("said"), but not a bare noun-like form ("call")
        if low in (POSSESSIVES | {"a", "an", "the"}) and start > 0 and (
                (tokens[start - 1].low == "to" and start - 2 > 0) or (
                tokens[start - 1].text[:1].islower() and tokens[start - 1].low not in NP_JOINERS)):
            start -= 1
            break  # "referred Reuters to its readout": the noun phrase starts at "its"
        start -= 1
    start += 1
    if start > end:
        # "Taiwan, which rejects …, has said" / "Donald Trump, her Republican opponent, said"
        if start - 1 >= 0 and tokens[start - 1].text == ",":
            if relativizer is not None:
                if lex.lemma_of.get(tokens[k].low) in lex.np_content_verbs and \
                        not opens_clause(tokens, k + 1, lex):
                    return None  # "Taiwan, which rejects Beijing's claim, …": a description
                # "Jessica Leeds, who told …": the antecedent and the relative pronoun.
                antecedent = relative_antecedent(tokens, start - 1)
                return (antecedent[0] if antecedent else relativizer.start), relativizer.end
            return _skip_parenthetical(tokens, start - 1, lex)
        if relativizer is not None:
            return relativizer.start, relativizer.end
        return None
    span_tokens = tokens[start:end + 1]
    while span_tokens and span_tokens[0].low in NP_JOINERS - DETERMINER_JOINERS:
        span_tokens = span_tokens[1:]
    if lex.np_starters:
        # German: "soll Anelka …" — a verb swept into the phrase is not part of the name.
        while len(span_tokens) > 1 and span_tokens[0].text[:1].islower() and \
                span_tokens[0].low not in lex.np_starters and \
                not span_tokens[0].low.endswith(("e", "en", "er", "es", "em")):
            span_tokens = span_tokens[1:]
    if not span_tokens or not looks_like_np(span_tokens, lex):
        return None
    return span_tokens[0].start, (relativizer or span_tokens[-1]).end


def right_noun_phrase(tokens: list[Token], k: int, lex: Lexicon) -> Span | None:
    """The noun phrase starting at token ``k`` (after "according to", "by", "said")."""
    if k < len(tokens) and tokens[k].text in "„“\"":
        # "Laut „Welt“ soll er …": a quoted name.
        closing = next((j for j in range(k + 1, min(len(tokens), k + 8))
                        if tokens[j].text in "“”\""), None)
        if closing is not None and closing > k + 1:
            return tokens[k].start, tokens[closing].end
    end = noun_phrase_end(tokens, k, lex)
    while end - 1 > k and tokens[end - 1].low in lex.not_source_end and \
            tokens[end - 1].text.islower():
        end -= 1  # "a recent report by | the agency": a dangling preposition is not the name's
    if end <= k:
        return None
    span = tokens[k:end]
    return (span[0].start, span[-1].end) if looks_like_np(span, lex) else None


def noun_phrase_end(tokens: list[Token], k: int, lex: Lexicon) -> int:
    j = k
    while j < len(tokens) and j - k < MAX_SOURCE_TOKENS:
        tok = tokens[j]
        low = tok.low
        if tok.text == "." and j > k and abbreviation_dot(tokens, j) and j + 1 < len(tokens) \
                and tokens[j + 1].text[:1].isupper():
            j += 1
            continue
        if tok.text in ",;:.!?()—–" or tok.text in QUOTE_CHARS:
            break
        if j > k and _says_where(tokens, j, lex):
            break  # "said Mayor Don Guardian in a telephone interview": how, not who
        if low in lex.clause_stops and low not in NP_JOINERS and not _joins_names(tokens, j) \
                and not (j == k and low in DETERMINER_JOINERS):
            break  # (an article may open the phrase: "die Hoover Institution")
        if low in lex.cue_forms and j > k and (lex.lang != "en" or tok.text.islower()) and \
                not (lex.lang == "en" and _after_article(tokens, j)):
            break  # (but "according to a report from WKOW": after an article, a noun)
        if lex.lang == "en" and j > k and (low in lex.not_in_source or
                                           low.endswith(("n’t", "n't"))):
            break  # "he hadn’t thought …": the verb ends the subject
        if lex.lang == "en" and low in ("the", "a", "an") and j > k and \
                tokens[j - 1].low not in NP_JOINERS:
            break  # "the Trump campaign | the AP report": a second noun phrase starts
        # German: a lowercase word that is not an adjective before a noun ends the phrase
        # ("laut Polizei wurden …").
        if lex.lang == "de" and j > k and low == tok.text and low not in NP_JOINERS and \
                not (tokens[j - 1].low in DETERMINER_JOINERS and
                     low.endswith(("e", "en", "er", "es", "em")) and low not in lex.not_in_source) \
                and (low in lex.not_in_source or
                 not (j + 1 < len(tokens) and tokens[j + 1].text[:1].isupper())):
            break  # ("wurde Alexander Kozulin …": a verb, though a name follows)
        # "… Party on Thursday": a time phrase ends the noun phrase.
        if low in ("on", "last", "this", "earlier", "am", "vergangenen", "letzten") and \
                j + 1 < len(tokens) and tokens[j + 1].low in TEMPORAL:
            break
        j += 1
    while j > k and tokens[j - 1].low in NP_JOINERS:
        j -= 1
    return j


def looks_like_np(span: list[Token], lex: Lexicon) -> bool:
    """A source is a name, a pronoun or a description — not a clause or a stray word."""
    if not span or len(span) > MAX_SOURCE_TOKENS:
        return False
    if lex.np_starters:
        # German nouns and names are capitalised: a source starts with one, or with an
        # article, a pronoun or a number word — never with a verb ("hat", "spricht").
        first = span[0]
        adjective = first.low.endswith(("e", "en", "er", "es", "em")) and \
            any(t.text[:1].isupper() for t in span[1:])
        if not (first.text[:1].isupper() or first.low in lex.np_starters or adjective or
                first.text[:1].isdigit()):
            return False
    if len(span) == 1:
        word = span[0]
        return word.low in lex.pronouns or word.text[:1].isupper() or word.low in (
            "officials", "experts", "sources", "critics", "analysts", "aides", "people",
            "researchers", "scientists", "police", "witnesses", "residents", "others", "many",
            "some", "both") or word.low in lex.evidence_nouns \
            or _people_plural(word, lex)  # "research shows …", "…, say economists"
    return any(t.text[:1].isalpha() for t in span)


# Endings of plural nouns that name people and little else ("economists", "physicians").
PEOPLE_PLURAL_ENDINGS = ("ists", "ians")


def _people_plural(word: Token, lex: Lexicon) -> bool:
    """A lower-case plural that names a group of people: "…, say economists", "…, said
    lawyers" (the lexicon's group nouns, or an ending that names people)."""
    return word.low in lex.group_nouns or (
        lex.lang == "en" and word.text.isalpha() and len(word.text) > 5 and
        word.low.endswith(PEOPLE_PLURAL_ENDINGS))


def _is_adverb(tok: Token, lex: Lexicon) -> bool:
    """"specifically", "repeatedly": an English -ly adverb between subject and verb."""
    return lex.lang == "en" and tok.text.islower() and tok.low.endswith("ly") and len(tok.low) > 4


def _matching_open(tokens: list[Token], close: int) -> int | None:
    for j in range(close - 1, max(-1, close - 10), -1):
        if tokens[j].text == "(":
            return j
    return None


def _skip_parenthetical(tokens: list[Token], comma: int, lex: Lexicon) -> Span | None:
    """NP, which/who …, CUE → NP; NAME, an appositive, CUE → NAME, an appositive; and
    NAME, 31, a photographer, CUE → all of it (up to three appositives)."""
    found = _one_parenthetical(tokens, comma, lex)
    if found is not None or lex.lang != "en":
        return found
    # "Ramil Carr, 31, a Philadelphia photographer, said": peel appositives from the right.
    commas = [i for i in range(comma - 1, max(-1, comma - MAX_APPOSITIVE_SOURCE_TOKENS), -1)
              if tokens[i].text == ","]
    for inner in commas[:2]:
        if inner <= 0 or not _describes_anyone(tokens[inner + 1:comma], lex):
            return None
        found = _one_parenthetical(tokens, inner, lex)
        if found is not None:
            return found[0], tokens[comma - 1].end
    return None


def _describes_anyone(appositive: list[Token], lex: Lexicon) -> bool:
    """An appositive that describes a person: an age, a determiner-led description, a
    possessive role, a party code, a place ("of Flint", "Mich.")."""
    if not appositive:
        return False
    first = appositive[0]
    return first.low in APPOSITIVE_STARTS or first.low in ("of", "from") or \
        _describes_person(appositive, lex) or is_proper_name(appositive) or \
        all(t.text[:1].isupper() or t.text == "." for t in appositive) or \
        _role_of(appositive, lex)


def _role_of(appositive: list[Token], lex: Lexicon) -> bool:
    """"author of The Small Change Diet", "professor at the University of Utah": a role
    noun and what it belongs to (English), with no verb in it."""
    return lex.lang == "en" and len(appositive) >= 3 and appositive[0].text.isalpha() and \
        appositive[0].text.islower() and appositive[1].low in ("of", "at", "for", "with") and \
        not any(t.low in lex.cue_forms or t.low in lex.not_in_source for t in appositive)


def _one_parenthetical(tokens: list[Token], comma: int, lex: Lexicon) -> Span | None:
    j = comma - 1
    while j >= 0 and tokens[j].text != ",":
        j -= 1
    if j <= 0:
        return None
    clause_first = tokens[j + 1] if j + 1 < len(tokens) else None
    if clause_first is None:
        return None
    if clause_first.low in RELATIVIZERS or clause_first.low in ("der", "die", "das"):
        return _np_before(tokens, j, lex)
    name = _np_before(tokens, j, lex)
    if name is None:
        return None
    if clause_first.low.endswith("ing") and clause_first.text.islower() and lex.lang == "en":
        # "Texas, leading a coalition of 13 states, asked …": a participle describes it.
        return name[0], tokens[comma - 1].end
    name_tokens = [t for t in tokens[:j] if name[0] <= t.start < name[1]]
    is_name = sum(1 for t in name_tokens if t.text[:1].isupper()) >= 2
    appositive = tokens[j + 1:comma]
    if clause_first.low in APPOSITIVE_STARTS or (is_name and clause_first.text[:1].islower()) \
            or (is_name and _describes_person(appositive, lex)) or is_proper_name(appositive) \
            or (is_name and lex.np_starters and _german_role(appositive, lex)) \
            or (is_name and all(t.text[:1].isupper() for t in appositive)) \
            or (not is_name and _names_someone(appositive, lex)):
        # (the last: a credential, "Keri Gans, R.D.N.,")
        return name[0], tokens[comma - 1].end
    return None


def _names_someone(appositive: list[Token], lex: Lexicon) -> bool:
    """"Another pollster, David Woodard of Clemson University, said": after a description,
    the appositive is the name (two capitalised words first), with where the person works."""
    return lex.lang == "en" and len(appositive) >= 2 and \
        all(t.text[:1].isupper() for t in appositive[:2]) and \
        not any(t.low in lex.cue_forms or t.low in lex.not_in_source or
                t.low in lex.clause_stops - NP_JOINERS for t in appositive)


def _describes_person(appositive: list[Token], lex: Lexicon) -> bool:
    """"Trump's campaign manager", "Sanders' senior adviser", "31", "R-Ky.": what a named
    person is, how old, or which party and state."""
    first = appositive[0]
    if any(t.low in lex.cue_forms or t.low in lex.clause_stops - NP_JOINERS - {"and", "or"}
           for t in appositive):
        return False
    if first.text.isdigit() and len(appositive) == 1:
        return True  # an age
    # "Trump's campaign manager", "South Korea's unification minister": a possessive
    # near the start, then the role.
    possessive = any(t.text.endswith(("’s", "'s")) and t.text[:1].isupper() and
                     i + 1 < len(appositive) for i, t in enumerate(appositive[:3])) or (
        len(appositive) > 1 and appositive[1].text in ("'", "’"))
    party_code = re.fullmatch(r"[RDI]-[A-Z][\w.]*", "".join(t.text for t in appositive))
    return possessive or party_code is not None


def _german_role(appositive: list[Token], lex: Lexicon) -> bool:
    """"Frank Biermann, Vorsitzender der Deutschen Journalisten-Union für das Münsterland,":
    German role nouns are capitalised; an appositive with no verb and no cue describes."""
    return appositive[0].text[:1].isupper() and not any(
        t.low in lex.not_in_source or t.low in lex.cue_forms for t in appositive)


def is_proper_name(tokens: list[Token]) -> bool:
    """"John Podesta", "Jean-Claude Juncker": two to four capitalised words."""
    words = [t for t in tokens if t.text != "."]
    return 2 <= len(words) <= 4 and all(t.text[:1].isupper() for t in words)


def _np_before(tokens: list[Token], comma: int, lex: Lexicon) -> Span | None:
    end = comma - 1
    start = end
    while start >= 0 and end - start < MAX_SOURCE_TOKENS:
        tok = tokens[start]
        if tok.text == ")":
            opening = _matching_open(tokens, start)  # "Sen. Rob Dean (R-Ohio), …"
            if opening is not None and start - opening <= 8 and opening > 0:
                start = opening - 1
                continue
        if tok.text == "." and start > 0 and abbreviation_dot(tokens, start):
            start -= 1
            continue
        if tok.text in ",;:()" or tok.text in QUOTE_CHARS or tok.text in ".!?—–":
            break
        if tok.low in lex.clause_stops and tok.low not in NP_JOINERS:
            break
        start -= 1
    start += 1
    if start > end:
        return None
    span = tokens[start:end + 1]
    return (span[0].start, span[-1].end) if looks_like_np(span, lex) else None


def _joins_names(tokens: list[Token], j: int) -> bool:
    """"Takaichi and Trump", "Hawkins and others": a conjunction inside one phrase."""
    if tokens[j].low not in ("and", "und", "&") or not 0 < j < len(tokens) - 1:
        return False
    nxt = tokens[j + 1]
    return tokens[j - 1].text[:1].isupper() and (nxt.text[:1].isupper() or
                                                  nxt.low in ("others", "other", "andere"))


def relative_antecedent(tokens: list[Token], comma: int) -> Span | None:
    """"… the claims from Jessica Leeds, who told …" → "Jessica Leeds"; "the committee,
    which said …" → "the committee" (a name, or a short phrase from its determiner)."""
    end = comma - 1
    if end < 0:
        return None
    start = end
    if tokens[end].text[:1].isupper():
        while start - 1 >= 0 and (tokens[start - 1].text[:1].isupper() or (
                tokens[start - 1].text == "." and abbreviation_dot(tokens, start - 1))):
            start -= 1
        return tokens[start].start, tokens[end].end
    for j in range(end, max(-1, end - 6), -1):
        if tokens[j].low in ("the", "a", "an") or tokens[j].low in POSSESSIVES:
            return tokens[j].start, tokens[end].end
        if tokens[j].text in ",;:.!?" or tokens[j].text in QUOTE_CHARS:
            break
    return None


def is_source_with_appositive(left: list[Token], lex: Lexicon) -> bool:
    """"Jim Clyburn, a Democratic congressman from South Carolina," — a name, and what he is."""
    hard_stops = {"that", "which", "because", "when", "while", "if", "although", "dass", "weil",
                  "wenn", "obwohl", "since", "after", "before"}
    if any(t.low in hard_stops for t in left) or any(t.text in ";:" for t in left):
        return False
    if any(t.text in "()" for t in left):
        # "Rep. Elijah E. Cummings (D-Md.)": a short parenthesis at the end of a name.
        opening = next(i for i, t in enumerate(left) if t.text in "()")
        if left[opening].text != "(" or left[-1].text != ")" or len(left) - opening > 8 or \
                not left[0].text[:1].isupper():
            return False
        left = left[:opening]
    commas = sum(1 for t in left if t.text == ",")
    if commas == 0:
        return not any(t.low in lex.clause_stops - NP_JOINERS and not _joins_names(left, i)
                       for i, t in enumerate(left))
    return commas <= 2 and (left[0].text[:1].isupper() or left[0].low in ("a", "an", "the"))


def skip_addressee(tokens: list[Token], start: int, lex: Lexicon) -> int:
    """told parliament earlier this month that … → start at "that"."""
    for j in range(start, min(len(tokens), start + 9)):
        if tokens[j].low in ("that", "dass", "daß"):
            return j
    end = noun_phrase_end(tokens, start, lex)
    return end if end > start else start


def is_fronted(tokens: list[Token], source: Span, lex: Lexicon) -> bool:
    """German: the phrase before the verb is an adverbial ("In einem Interview", "Am
    Montag"), so the subject comes after the verb."""
    index = next(i for i, t in enumerate(tokens) if t.start >= source[0])
    last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].end <= source[1]), index)
    return tokens[index].low in lex.fronted or \
        any(tokens[i].low in lex.fronted for i in range(max(0, index - 2), index)) or \
        tokens[last].low in TEMPORAL  # "Für das kommende Jahr prognostizierte …"
