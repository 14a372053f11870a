"""Where a reported clause starts and ends, and the cue span around the verb.

Language-neutral helpers the grammar modules share: "that …"/"he’d …" opens a clause, the
content stops before a second attribution ("…, the agency reported."), and ``reported()``
builds the one attribution most readings end with.
"""

from __future__ import annotations

import re

from .lexicon import Lexicon
from .model import Attribution, Span
from .tokens import MAX_SOURCE_TOKENS, MAX_TAIL_AFTER_CUE, NP_JOINERS, Token, trim_content


SUBJECT_START_WORDS = frozenset(
    "he she they it we i you this these those there a an the his her its their our my some many "
    "most no any every each several two three four five one officials experts".split())
WEAK_CUE_FOLLOWERS = SUBJECT_START_WORDS | {"that", "whether", "if", "how", "why", "what", "to"}
# A clause may open with a subordinate one: "says despite being a Stanford alumna, she …".
CLAUSE_OPENERS = frozenset({"despite", "although", "though", "while", "because", "once",
                            "unless", "since", "after", "before", "when"})
# A reported clause may open with a subordinate clause or an adverbial that a comma closes
# ("warns that when the economy weakens, the government …", "tells us that between 2023 and
# 2024, the hashtag …"): that comma does not end the content.
CONTENT_OPENERS = CLAUSE_OPENERS | frozenset({
    "if", "whereas", "until", "as", "even", "in", "on", "at", "during", "from", "between",
    "among", "amid", "by", "for", "with", "without", "under", "over", "throughout"})
# Two subjects joined ("she and another reporter said"): still one noun phrase before a cue.
SUBJECT_JOINERS = frozenset({"and", "or", "und", "oder"})
# A sentence that opens with one of these opens with a subordinate clause.
# ("despite" opens a phrase, not a clause).
SUBORDINATORS = (CLAUSE_OPENERS - {"despite"}) | {"whereas", "if", "as"}
# "he’d", "she’s", "they’re": the pronoun is what tells a clause follows.
CONTRACTION_RE = re.compile(r"[’'](?:s|d|ll|re|ve|m)$")
QUESTION_WORDS = frozenset({"whether", "if", "why", "how", "what", "when", "where", "who", ":"})


def opens_clause(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """Does a reported clause start at token j ("that …", "he’d …", "despite …, she …",
    "in a statement that …")?"""
    if j >= len(tokens):
        return False
    word = CONTRACTION_RE.sub("", tokens[j].low)
    if word in WEAK_CUE_FOLLOWERS or word in CLAUSE_OPENERS:
        return True
    # "says in a statement that …", "said in an interview the …"
    return word == "in" and j + 2 < len(tokens) and tokens[j + 2].low in lex.cue_nominals


def content_end_token(tokens: list[Token], start: int, lex: Lexicon) -> int:
    """The content runs to the sentence's end, or to a comma that opens another attribution
    ("…, China’s official Xinhua news agency reported.") or "according to"."""
    end = len(tokens)
    while end > start and tokens[end - 1].text in ".!?;":
        end -= 1
    first = start + 1 if start + 1 < end and tokens[start].low == "that" else start
    opener = first < end and tokens[first].low in CONTENT_OPENERS
    # "While conservatives have expressed discomfort with Trump, many said …": a cue inside
    # a sentence's opening subordinate clause reports up to the comma that closes it.
    subordinate = start > 0 and tokens[0].low in SUBORDINATORS and \
        not any(t.text in ",;:" for t in tokens[1:start])
    for j in range(start, end):
        if subordinate and tokens[j].text == "," and not opener:
            return j
        if tokens[j].low in ("and", "but") and j > start and j + 1 < end:
            nxt = j + 1
            while nxt < end - 1 and tokens[nxt].low in lex.auxiliaries:
                nxt += 1
            if tokens[nxt].low in lex.cue_forms and tokens[nxt].text.islower() and \
                    lex.lemma_of.get(tokens[nxt].low) not in lex.stance_verbs:
                return j  # "… rejected the idea and said that …": the next report starts
        if tokens[j].text == "," and j + 1 < end:
            if opener:
                opener = False  # the comma closes the content's opening clause
                continue
            rest = tokens[j + 1:end]
            if any(t.low in lex.cue_forms for t in rest[:MAX_SOURCE_TOKENS]) and \
                    len(rest) <= MAX_SOURCE_TOKENS + MAX_TAIL_AFTER_CUE and \
                    _postposed_shape(rest, lex):
                return j
            if lex.according_to_re.match(" ".join(t.text for t in rest[:3])):
                return j
        if tokens[j].text in "—–" and j > start + 2 and _new_report_after_dash(tokens, j, end, lex):
            return j
    return end


def _new_report_after_dash(tokens: list[Token], dash: int, end: int, lex: Lexicon) -> bool:
    """"… especially for older women — research shows that strength training …": after a
    dash, a short subject, a cue verb and a clause open a report of their own. Not a pair of
    dashes around an aside ("— like Donald Trump — who say …"), nor a dash before "or",
    "and", "who" …"""
    if dash + 1 >= end or sum(1 for t in tokens[:end] if t.text in "—–") > 1 or \
            tokens[dash + 1].low in lex.clause_stops:
        return False  # a dash that ends the sentence opens nothing
    for k in range(dash + 2, min(end, dash + 6)):
        tok = tokens[k]
        if tok.text in ",;:—–" or tok.text[:1] in "“\"(":
            return False
        if tok.low in lex.cue_forms and tok.text.islower() and \
                tokens[k - 1].low not in lex.block_before:
            return opens_clause(tokens, k + 1, lex)
    return False


# What may follow a post-posed cue at a sentence's end: where, when, how it was said.
TAIL_STARTS = frozenset({"in", "on", "at", "during", "after", "before", "last", "this", "earlier",
                         "later", "when", "while", "as", "to", "from", "with", "by", "of",
                         "recently", "previously", "yesterday", "today"})


def _postposed_shape(rest: list[Token], lex: Lexicon) -> bool:
    """", China’s official Xinhua news agency reported" — an NP and a cue, and little else.
    A cue word after a determiner or preposition is a noun (", the hashtag saw an increase in
    posts"); an impression verb with an object after it is no report (", the government will
    find it more difficult …")."""
    for k, tok in enumerate(rest):
        if tok.low not in lex.cue_forms:
            continue
        if k and rest[k - 1].low in lex.block_before and not tok.low.endswith("ing"):
            continue  # "an increase in posts" (but ", without elaborating" ends the content)
        before = rest[:k]
        after = [t for t in rest[k + 1:] if t.text not in ".!?”\"“»"]
        if after and lex.lemma_of.get(tok.low) in lex.weak_verbs and \
                after[0].text[:1].islower() and after[0].low not in TAIL_STARTS:
            return False
        return bool(before) and len(after) <= MAX_TAIL_AFTER_CUE \
            and all(t.low not in lex.clause_stops - NP_JOINERS - SUBJECT_JOINERS
                    for t in before) \
            and all(t.text not in ",;:" for t in before)
    return False


def cue_span(tokens: list[Token], k: int, lex: Lexicon) -> Span:
    """The cue, with auxiliaries before it (has said) and a nominal after it (said in a
    statement)."""
    start = k
    while start > 0 and tokens[start - 1].low in lex.cue_auxiliaries:
        start -= 1
    end = k
    # said in a statement / said in an interview
    if cue_nominal_after(tokens, k, lex):
        end = k + 3  # (also "noted in its report", "wrote in his letter")
    return tokens[start].start, tokens[end].end


def cue_nominal_after(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Do "in a statement", "in its report" follow the cue at ``k``?"""
    return k + 3 < len(tokens) and tokens[k + 1].low == "in" and \
        tokens[k + 2].low in ("a", "an", "its", "his", "her", "their", "our") and \
        (tokens[k + 3].low in lex.cue_nominals or tokens[k + 3].low in REPORT_NOMINALS)


# Documents a cue may name after "in its …" ("noted in its report", "wrote in his memoir");
# not cue nominals, which would make "shown in the report" open a reported clause.
REPORT_NOMINALS = frozenset({"report", "memoir", "book", "column", "filing", "blog"})


def infinitive_after(tokens: list[Token], k: int) -> int | None:
    """Index of the "to" of an infinitive right after token k, or after a short object
    ("wants voters to know")."""
    for j in range(k + 1, min(len(tokens), k + 5)):
        if tokens[j].low == "to":
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            return j if nxt is not None and nxt.text[:1].islower() and nxt.text.isalpha() else None
        if not tokens[j].text[:1].isalpha():
            return None
    return None


def reported(text: str, start: int, end: int, source: Span | None, cue: Span,
             confidence: float, construction: str) -> list[Attribution]:
    """One indirect attribution whose content is ``text[start:end]`` trimmed — or none, when
    what is left is too short to be a report."""
    content = trim_content(text, start, end)
    if content is None:
        return []
    return [Attribution(content=content, source=source, cue=cue, type="indirect",
                        confidence=confidence, construction=construction)]
