"""English constructions beyond "SOURCE said CONTENT" (which ``readings`` covers).

Participle clauses (", telling them that …"), coordinated subjects, phrasal cues ("called
for"), passives with an agent ("was first reported by"), hedges with no named holder ("is
expected to"), questions put by nobody named ("When asked whether …"), evidence ("polls
showing …"), polls as sources, and "NAME: …" speaker lines in headlines and transcripts.
"""

from __future__ import annotations

import re

from .clauses import CONTRACTION_RE, content_end_token, opens_clause, reported
from .lexicon import Lexicon
from .model import Attribution, Span
from .noun_phrases import (
    ADVERBIAL_STARTS, left_noun_phrase, noun_phrase_end, plausible_source, right_noun_phrase,
    skip_addressee)
from .quotes import Quote
from .tokens import (
    MAX_TAIL_AFTER_CUE, NP_JOINERS, QUOTE_CHARS, Sentence, TEMPORAL, Token, abbreviation_dot, sentence_end,
    skip_dateline, trim_content)


FIRST_PERSON_SPEECH = frozenset({"i", "i’m", "i'm", "we", "we’re", "we're", "my", "our", "me",
                                 "us", "ich", "wir", "mein", "unser", "je", "nous"})
VERB_FOLLOWERS = frozenset({"the", "a", "an", "for", "to", "with", "on", "in", "at", "that",
                            "his", "her", "its", "their", "our", "him", "them", "it", "up",
                            "out", "down", "back", "into", "over", "about", "this", "these"})
AS_PASSIVES = frozenset({"seen", "viewed", "regarded", "perceived", "considered", "described",
                         "painted", "portrayed", "characterized", "billed", "touted"})
INTRO_WORDS = frozenset({"in", "on", "at", "here", "there", "during", "after", "before", "on",
                         "since", "for", "with", "by", "from", "meanwhile", "still", "now",
                         "later", "earlier", "then", "yet", "also", "instead", "today", "late",
                         "early", "last", "this", "next", "separately", "elsewhere"})
MAX_COLON_SPEAKER_TOKENS = 5
MAX_POLL_PHRASE_TOKENS = 8


def english_verb_in_use(tokens: list[Token], k: int, lemma: str, lex: Lexicon) -> bool:
    """Base and -s forms are often nouns ("remarks", "demands", "state guest house"): they
    count only when a clause, a quote or a colon follows; -ing forms need a comma or an
    auxiliary before them (", saying that …")."""
    word = tokens[k].low
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    prev = tokens[k - 1].low if k else ""
    if word.endswith("ing"):
        # ", saying that …", "has been saying", "Cruz saying …"
        return prev in (",", "—", "–") or prev in lex.auxiliaries or prev in lex.pronouns \
            or (k > 0 and tokens[k - 1].text[:1].isupper())
    if word == lemma or (word.endswith("s") and not word.endswith("ss")):
        if nxt is None:
            return False
        if lemma in lex.clause_verbs and nxt.text[:1].isalnum() and nxt.low not in lex.clause_stops:
            return True
        if nxt.text in ".!?;" and lemma in lex.clause_verbs:
            return True  # "…, experts say." (or "say;")
        if nxt.text == "," and lemma in lex.np_content_verbs:
            return False  # "with evangelical support, …": a noun
        if nxt.text == "," and _noun_before_comma(tokens, k, lemma, lex):
            return False  # "As part of its trends report, ClassPass …": a noun ends a phrase
        if lemma in lex.np_content_verbs and nxt.text[:1].isalpha() and (
                prev in lex.pronouns or (word != lemma and k > 0 and _is_name_token(tokens[k - 1]))):
            return True
        if _after_verb_adverb(tokens, k, lex) and nxt.text[:1].isalpha() and (
                lemma in lex.np_content_verbs or lemma in lex.clause_verbs or
                nxt.low.endswith("ing")):
            return True  # "Many people also report sharper thinking", "also recommends using"
        return opens_clause(tokens, k + 1, lex) or nxt.text[:1] in QUOTE_CHARS \
            or nxt.text in ":," or nxt.text[:1].isupper()
    return True


# Adverbs that stand between a subject and its verb ("The committee also recommends …"): a
# base or -s form after one is a verb, not a noun ("the report", "his demands").
VERB_ADVERBS = frozenset({"also", "now", "still", "often", "again", "repeatedly", "frequently",
                          "strongly", "further", "usually", "generally", "typically", "always",
                          "never", "even", "consistently", "regularly"})


def _after_verb_adverb(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Is the word at ``k`` preceded by such an adverb, itself after a noun or a name (not
    after a determiner or a preposition: "the also-ran", "of now")?"""
    if k < 2 or tokens[k - 1].low not in VERB_ADVERBS:
        return False
    before = tokens[k - 2]
    return before.text[:1].isalpha() and before.low not in lex.block_before and \
        before.low not in lex.auxiliaries and before.low not in lex.clause_stops


def _noun_before_comma(tokens: list[Token], k: int, lemma: str, lex: Lexicon) -> bool:
    """Is a cue word that doubles as a noun ("report", "comment", "note") right before a comma
    the end of a noun phrase ("As part of its annual trends report, ClassPass …")? Not when a
    comma before it makes it a parenthetical ("…, officials report, …"), nor after a pronoun,
    an auxiliary or an adverb ("Kaine now says, however, …", "did complain, in 2014")."""
    if k == 0 or lemma in lex.clause_verbs:
        return False
    prev = tokens[k - 1]
    return prev.text.islower() and prev.low not in lex.pronouns and \
        prev.low not in lex.auxiliaries and not prev.low.endswith("ly") and \
        not any(t.text in ",—–(" for t in tokens[max(0, k - 8):k])


def _is_name_token(tok: Token) -> bool:
    """A capitalised word that can end a subject ("Cruz attacks …"), not a possessive
    ("Tuesday’s call") or a nationality in front of a noun."""
    return tok.text[:1].isupper() and not tok.text.endswith(("’s", "'s")) and \
        tok.low not in TEMPORAL


def participle(text: str, tokens: list[Token], k: int, content_start: int,
               lex: Lexicon) -> Attribution | None:
    """"Huma Abedin … wrote to supporters, telling them that …": the speaker of a participle
    clause is the subject of the sentence."""
    if not tokens[k].low.endswith("ing") or k == 0 or tokens[k - 1].text != ",":
        return None
    begin = next((i for i, t in enumerate(tokens) if t.start >= content_start), 0)
    source = _subject(tokens, begin + _after_intro(tokens[begin:], k - 1 - begin, lex), lex)
    cue_before = _cue_in_clause_before(tokens, k - 1, lex)
    if cue_before is not None and lex.lemma_of.get(tokens[k].low) not in lex.stance_verbs:
        # "…,” Lewandowski added, saying it should be …", "…, Hollande said Tuesday in
        # Paris, noting …": the speaker of the cue before.
        source = left_noun_phrase(tokens, cue_before, lex) or source
    if source is None or source[1] > tokens[k].start:
        return None
    start = k + 1
    if lex.lemma_of.get(tokens[k].low) in lex.object_verbs:
        start = skip_addressee(tokens, start, lex)
    while start < len(tokens) and tokens[start].text in ",:":
        start += 1  # ", saying, “We have got to …”"
    if start >= len(tokens):
        return None
    end_tok = content_end_token(tokens, start, lex)
    if end_tok - start < 2:
        return None
    content = trim_content(text, tokens[start].start, tokens[end_tok - 1].end)
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=(tokens[k].start, tokens[k].end),
                       type="indirect", confidence=0.65, construction="participle")


def _cue_in_clause_before(tokens: list[Token], comma: int, lex: Lexicon) -> int | None:
    """The cue verb of a short post-posed clause ending at ``comma`` ("…, Hollande said
    Tuesday in Paris,"), or None."""
    for j in range(comma - 1, max(-1, comma - MAX_TAIL_AFTER_CUE - 3), -1):
        if tokens[j].text in ",;:—–(":
            return None
        lemma = lex.lemma_of.get(tokens[j].low)
        if tokens[j].text.islower() and lemma in lex.speech_verbs and \
                tokens[j].low != lemma and not tokens[j].low.endswith("s"):
            return j  # "said", "added" (not "criminal justice issues": a noun)
    return None


def _subject(tokens: list[Token], start: int, lex: Lexicon) -> Span | None:
    """The subject at the start of a clause: the noun phrase, cut before the first word that
    reads as its verb ("The minister spoke for an hour" → "The minister")."""
    span = right_noun_phrase(tokens, start, lex)
    if span is None or lex.lang != "en":
        return span
    inside = [i for i in range(start, len(tokens)) if tokens[i].start < span[1]]
    for i in inside[1:]:
        tok = tokens[i]
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if tok.text.islower() and tok.low not in NP_JOINERS and (
                nxt in VERB_FOLLOWERS or tok.low.endswith("ed") or tok.low in lex.cue_forms):
            end = tokens[i - 1]
            return (span[0], end.end) if end.end > span[0] else None
    return span


def _after_intro(tokens: list[Token], limit: int, lex: Lexicon) -> int:
    """Index where the subject starts: after an opening adverbial ("Here in Columbia,",
    "On Thursday,", "Late last month,", "Speaking at a town hall in Salem, New Hampshire,")
    when the sentence has one."""
    if not tokens:
        return 0
    first = tokens[0]
    opens_with_adverbial = first.low in lex.clause_stops or first.low in INTRO_WORDS or \
        first.low in lex.sentence_adverbs or \
        first.low in TEMPORAL or (first.low.endswith("ing") and first.text[:1].isupper())
    if not opens_with_adverbial:
        return 0
    for comma in (j for j in range(1, min(limit, 16)) if tokens[j].text == ","):
        # The subject follows the comma that is followed by a phrase and then a verb.
        end = noun_phrase_end(tokens, comma + 1, lex)
        if end > comma + 1 and end < len(tokens) and tokens[end].text[:1].islower():
            return comma + 1
        if comma + 2 < len(tokens) and tokens[comma + 1].text[:1].isupper() and \
                tokens[comma + 2].text.isalpha() and tokens[comma + 2].text.islower() and \
                tokens[comma + 2].low not in NP_JOINERS:
            return comma + 1  # "Here in Columbia, Sanders stepped up …": a name, then its verb
    return 0


def coordinated_subject(tokens: list[Token], k: int, lex: Lexicon) -> Span | None:
    """"Reid caucused in Nevada and says he voted …": a cue in the second of two joined
    predicates shares the sentence's subject."""
    j = k - 1
    while j >= 0 and tokens[j].low in lex.auxiliaries:
        j -= 1
    if j <= 0 or tokens[j].low not in ("and", "but"):
        return None
    begin = _after_intro(tokens, j, lex)  # "In a brief interview, Ms. Conway rejected … and said"
    first = tokens[begin]
    if CONTRACTION_RE.sub("", first.low) in lex.pronouns:
        # "She's a Sanders supporter but concedes …": the pronoun without its verb.
        return first.start, first.start + len(CONTRACTION_RE.sub("", first.text))
    end = begin
    while end + 1 < j and (tokens[end + 1].text[:1].isupper() or (
            tokens[end + 1].text == "." and abbreviation_dot(tokens, end + 1))):
        end += 1
    if not first.text[:1].isupper() or first.low in lex.clause_stops:
        return None
    return first.start, tokens[end].end


def nominal_source(text: str, tokens: list[Token], k: int, source: Span,
                   lex: Lexicon) -> Span:
    """"China urged … in an editorial published by the newspaper …": the document is the
    source the article names."""
    if lex.published_re is None:
        return source
    named = [t for t in tokens if source[0] <= t.start < source[1] and t.text[:1].isupper()]
    if len(named) >= 2:
        return source  # "Mike Pence said in a statement released by the campaign": he spoke
    rest = text[tokens[k].end:tokens[-1].end]
    match = lex.published_re.search(rest)
    if not match:
        return source
    np_start = tokens[k].end + match.start(1)
    np_text = match.group(1)
    # Stop before a trailing time phrase ("… Party on Thursday").
    cut = re.search(r"\s+(?:on|last|this|earlier)\s+\w+$", np_text)
    np_end = np_start + (cut.start() if cut else len(np_text))
    return np_start, np_end


def evidence_showing(text: str, tokens: list[Token], k: int, lex: Lexicon) -> list[Attribution]:
    """"polls showing her well behind", "results showing their candidate locked in …": the
    evidence named right before "showing" is the source of what follows."""
    source = left_noun_phrase(tokens, k, lex)
    if source is not None:
        # "Despite polls showing …", "There would be more polls showing …": keep the evidence.
        inside = [i for i in range(k) if tokens[i].start >= source[0]]
        cut = max((i for i in inside if tokens[i].low in ADVERBIAL_STARTS or
                   tokens[i].low in lex.not_in_source), default=None)
        if cut is not None:
            source = (tokens[cut + 1].start, source[1]) if cut + 1 < k else None
    end = content_end_token(tokens, k + 1, lex)
    end = next((j for j in range(k + 1, end) if tokens[j].text in ",;"), end)
    if source is None or end - (k + 1) < 2 or not plausible_source(text, source, lex):
        return []
    return reported(text, tokens[k + 1].start, tokens[end - 1].end, source,
                    (tokens[k].start, tokens[k].end), 0.6, "evidence-showing")


def unattributed_question(text: str, tokens: list[Token], k: int) -> list[Attribution]:
    """"When asked whether he would endorse Trump, …": a question put to somebody, with no
    asker named — its content runs to the comma."""
    end = next((j for j in range(k + 1, len(tokens)) if tokens[j].text in ",;:"),
               len(tokens))
    if end - (k + 1) < 2:
        return []
    return reported(text, tokens[k + 1].start, tokens[end - 1].end, None,
                    (tokens[k].start, tokens[k].end), 0.5, "asked")


def hedge_in_use(tokens: list[Token], k: int, lemma: str) -> bool:
    """"appears to have …", "seems unfair", "seemed that …" — not "appeared on stage"."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is None or tokens[k].low.endswith("ing"):
        return False
    if nxt.low in ("to", "that", "likely", "unlikely", "certain", "clear"):
        return True
    return lemma == "seem" and nxt.text.isalpha() and nxt.text.islower() and nxt.low not in (
        "and", "or", "but", "in", "on", "at")


def is_passive_hedge(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """"is expected to", "are believed to", "is said to" — a form of "be" before it and an
    infinitive after it."""
    if not 0 < k < len(tokens) - 2:
        return False
    infinitive = tokens[k].low in lex.passive_hedges and tokens[k + 1].low == "to" and \
        tokens[k + 2].text.isalpha() and tokens[k + 2].text.islower()
    seen_as = tokens[k].low in AS_PASSIVES and tokens[k + 1].low == "as"  # "is seen as"
    if not (infinitive or seen_as):
        return False
    j = k - 1
    while j > 0 and tokens[j].low in ("not", "also", "widely", "still", "generally", "now",
                                       "long", "n’t", "n't"):
        j -= 1  # "is not expected to", "is widely believed to"
    return tokens[j].low in lex.be_forms


def hedged_clause(text: str, tokens: list[Token], k: int, content_start: int,
                  cue_start: int | None = None) -> list[Attribution]:
    """The clause an impression verb sits in, with no source: the article does not say
    whose impression it is."""
    first = tokens[k if cue_start is None else cue_start]
    return reported(text, content_start, sentence_end(tokens), None,
                    (first.start, tokens[k].end), 0.4,
                    "hedge" if cue_start is None else "passive-hedge")


def phrasal(text: str, sentence: Sentence, lex: Lexicon) -> list[Attribution]:
    """"Clinton talked about …", "Sanders called for …": a verb and its preposition."""
    found = []
    tokens = sentence.tokens
    lows = [t.low for t in tokens]
    for k in range(len(tokens) - 1):
        if lows[k] not in lex.phrasal_heads:
            continue
        size = next((n for n in (4, 3, 2) if tuple(lows[k:k + n]) in lex.phrasal), 0)
        if not size:
            continue
        after = k + size
        if after >= len(tokens) or (k and lows[k - 1] in lex.block_before):
            continue
        source = left_noun_phrase(tokens, k, lex)
        if source is None and lows[k].endswith("ing") and k > 1 and tokens[k - 1].text == ",":
            # "…, referring to faith-driven voters": the participle's subject is the
            # sentence's.
            source = _subject(tokens, 0, lex)
            if source is not None and source[1] > tokens[k - 1].start:
                source = None
        if source is None:
            continue
        end_tok = content_end_token(tokens, after, lex)
        if end_tok - after < 1:
            continue
        found.append(Attribution(content=(tokens[after].start, tokens[end_tok - 1].end),
                                 source=source, cue=(tokens[k].start, tokens[after - 1].end),
                                 type="indirect", confidence=0.6, construction="phrasal"))
    return found


def passive_by(text: str, sentence: Sentence, lex: Lexicon) -> list[Attribution]:
    """"Trump’s request … was first reported by the Wall Street Journal." """
    found = []
    tokens = sentence.tokens
    body = text[sentence.start:sentence.end]
    for match in lex.passive_by_re.finditer(body):
        cue_start = sentence.start + match.start()
        cue_end = sentence.start + match.end()
        k = next((i for i, t in enumerate(tokens) if t.start >= cue_end), None)
        if k is None:
            continue
        source = right_noun_phrase(tokens, k, lex)
        content = trim_content(text, skip_dateline(text, tokens), cue_start)
        if source and content:
            found.append(Attribution(content=content, source=source, cue=(cue_start, cue_end),
                                     type="indirect", confidence=0.8, construction="passive-by"))
    return found


def stance_adjective(text: str, tokens: list[Token], quoted: list[Span],
                     lex: Lexicon) -> list[Attribution]:
    """"Opposition lawmakers are adamant that Yoon be removed", "He is confident the deal
    will pass": a form of "be", an adjective of conviction and a clause; the subject holds
    the view. Not inside a quotation (the speaker's own words)."""
    found: list[Attribution] = []
    for k in range(1, len(tokens) - 3):
        if tokens[k].low not in lex.be_forms or tokens[k + 1].low not in lex.stance_adjectives:
            continue
        if any(s <= tokens[k].start < e for s, e in quoted):
            continue
        start = k + 2
        if tokens[start].low == "that":
            start += 1
        elif not opens_clause(tokens, start, lex) or tokens[start].low in ("to", "of", "about"):
            continue  # "is sure to win", "is confident of victory": no reported clause
        source = left_noun_phrase(tokens, k, lex)
        if source is None or not plausible_source(text, source, lex) or \
                text[source[0]:source[1]].lower() in ("it", "this", "that", "there"):
            continue  # "It is certain that …": nobody holds it
        found.extend(reported(text, tokens[start].start, sentence_end(tokens), source,
                              (tokens[k].start, tokens[k + 1].end), 0.7, "stance-adjective"))
    return found


def in_poll(text: str, tokens: list[Token], content_start: int,
            lex: Lexicon) -> list[Attribution]:
    """"Clinton held a 24-point lead … in a CNN national poll", "In a Des Moines Register
    poll last month, Mr. Cruz had a 10-point lead": the poll is the source of the finding."""
    found: list[Attribution] = []
    if not any(t.low in lex.poll_nouns for t in tokens):
        return found
    for k, tok in enumerate(tokens):
        if tok.low != "in":
            continue
        head = next((j for j in range(k + 1, min(len(tokens), k + 1 + MAX_POLL_PHRASE_TOKENS))
                     if tokens[j].low in lex.poll_nouns), None)
        if head is None or tokens[head].low.endswith("s") or tokens[k + 1].low not in (
                "a", "an", "the", "this", "that", "one"):
            continue  # "ahead in New Hampshire polls" is standing; "in a CNN poll" a finding
        if head is None or any(t.text in ",.;:" or t.low in lex.clause_stops
                               for t in tokens[k + 1:head]):
            continue
        source = (tokens[k + 1].start, tokens[head].end)
        at_start = k == 0 or tokens[k].start <= content_start
        if not at_start and not any(t.text[:1].isupper() for t in tokens[k + 1:head]):
            continue  # "ahead in the polls" is standing, not a finding somebody published
        if at_start:
            comma = next((j for j in range(head + 1, min(len(tokens), head + 6))
                          if tokens[j].text == ","), None)
            if comma is None:
                continue
            content = trim_content(text, tokens[comma + 1].start, sentence_end(tokens))
        else:
            content = trim_content(text, content_start, tokens[k].start)
        if content is not None:
            found.append(Attribution(content=content, source=source,
                                     cue=(tok.start, tok.end), type="indirect", confidence=0.6,
                                     construction="poll"))
    return found


def speaker_colon(text: str, tokens: list[Token], content_start: int, quotes: list[Quote],
                  lex: Lexicon) -> list[Attribution]:
    """"Graham: Trump’s ‘Hateful Rhetoric’ …", "PENCE: Gennifer Flowers will not …": a
    short capitalised name, a colon, and what the name said (headlines, transcripts)."""
    first = next((i for i, t in enumerate(tokens) if t.start >= content_start), None)
    if first is None:
        return []
    colon = next((i for i in range(first, min(len(tokens), first + MAX_COLON_SPEAKER_TOKENS + 1))
                  if tokens[i].text == ":"), None)
    if colon is None or colon == first or colon + 2 >= len(tokens):
        return []
    name = tokens[first:colon]
    words = [t for t in name if t.text not in (".", "&", "-", "’", "'")]
    if not words or any(not t.text[:1].isupper() and t.low not in ("and", "of") for t in words):
        return []
    dash = max((i for i, t in enumerate(name) if t.text in "-–—"), default=None)
    if dash is not None:
        name = name[dash + 1:]  # "INDIANA FAVORS CRUZ - David Wasserman: …"
    if not name or name[0].low in lex.colon_non_sources or \
            any(t.text[:1].isdigit() for t in name):
        return []
    if len(name) == 1 and name[0].low.endswith("ed"):
        return []  # "Revealed:", "BUSTED:" — a teaser, not a speaker
    after = tokens[colon + 1:]
    if not _speaker_line(name, after, lex):
        return []
    if sum(1 for t in after if t.text == ",") >= 3 and \
            sum(1 for t in after if t.text[:1].isupper()) > len(after) // 2:
        return []  # "Iowa: Tim Albrecht, Brad Anderson, …": a list
    if any(s < tokens[colon].start < e for s, e in (q.outer for q in quotes)):
        return []
    return reported(text, tokens[colon + 1].start, tokens[-1].end,
                    (name[0].start, name[-1].end), (tokens[colon].start, tokens[colon].end), 0.6,
                    "speaker-colon")


def _speaker_line(name: list[Token], after: list[Token], lex: Lexicon) -> bool:
    """Is "NAME: …" somebody speaking rather than a label ("Compatibility: …", "Nothing
    Ear: This set has …")? A transcript's capitals, a title-case headline, a quotation or
    the speaker's own "I"/"we" say so."""
    letters = [t for t in name if t.text[:1].isalpha()]
    if letters and all(t.text.isupper() and len(t.text) > 1 for t in letters):
        return True  # "PENCE: …", "KATE BOULDUAN: …"
    words = [t for t in after if t.text[:1].isalpha()]
    if len(words) >= 3 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words):
        return True  # "Graham: Trump’s ‘Hateful Rhetoric’ Destroying GOP’s Chance"
    if after and (after[0].text in QUOTE_CHARS or after[0].text in "‘'"):
        return True
    # "Governor Lee: We will not …": a two-word name speaking in the first person.
    return len(letters) >= 2 and bool(after) and after[0].low in FIRST_PERSON_SPEECH
