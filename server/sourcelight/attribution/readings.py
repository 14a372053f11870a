"""The readings of a cue verb that every language shares.

SOURCE said (that) CONTENT (pre-posed), CONTENT, SOURCE said / said SOURCE (post-posed),
"according to X" / "laut X" / "X zufolge", and the filter that tells a cue word used as a
report from one that is not ("Asked for comment", "claims Taiwan", "called off").
"""

from __future__ import annotations

import re

from .clauses import (
    QUESTION_WORDS, TAIL_STARTS, content_end_token, cue_nominal_after, cue_span, infinitive_after,
    opens_clause)
from .grammar_en import coordinated_subject, english_verb_in_use, nominal_source
from .lexicon import Lexicon
from .model import Attribution, Span
from .noun_phrases import (
    is_fronted, is_proper_name, is_source_with_appositive, left_noun_phrase, noun_phrase_end,
    right_noun_phrase, skip_addressee)
from .tokens import (
    MAX_SOURCE_TOKENS, MAX_TAIL_AFTER_CUE, OPEN_QUOTES, QUOTE_CHARS, TEMPORAL, Token, sentence_end,
    trim_content)


# What may follow the speaker of "…, said Ms. Lee": a place, a time, a channel.
# After a comma, these open a clause of its own: the cue's tail ends before them.
CLAUSE_CONJUNCTIONS = frozenset({"but", "while", "although", "though", "whereas", "yet"})
INVERTED_SOURCE_FOLLOWERS = frozenset({"in", "on", "at", "during", "after", "before", "of", "to",
                                       "from", "with", "by", "last", "this", "earlier",
                                       "later", "when", "as", "while", "who", "whose", "and",
                                       "told", "adding", "noting", "according"})
DETERMINERS_EN = frozenset({"a", "an", "the", "his", "her", "their", "its", "our", "this",
                            "that", "most", "every", "each", "any", "no"})
PARTICIPLES = frozenset({"told", "said", "written", "shown", "found", "thought", "known", "seen",
                         "heard", "taught", "given"})
PREPOSITIONS = frozenset({"about", "on", "for", "to", "with", "at", "of", "against", "out", "in"})
MODALS = frozenset({"will", "would", "could", "might", "may", "can", "should", "must", "’ll",
                    "'ll", "won’t", "won't", "wouldn’t", "wouldn't", "couldn’t", "couldn't"})
# What evidence does: "research shows …", "Other studies show additional benefits".
EVIDENCE_VERBS = frozenset({"show", "find", "suggest", "indicate", "reveal", "confirm"})
# "The research showed up late", "The report found its way to …": no finding.
EVIDENCE_NOT_FOLLOWERS = frozenset({"up", "off", "out", "its", "their", "itself", "themselves",
                                    "to", "for", "in", "on", "at"})


QUANTIFIERS = frozenset({"many", "most", "some", "several", "few", "both", "all", "others",
                         "each"})


def _past_form(word: str, lemma: str) -> bool:
    """"said", "reported", "told": a past form, never a noun after a quantifier."""
    return bool(lemma) and word != lemma and not word.endswith(("s", "ing"))


def cue_is_used_as_attribution(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Filter uses of cue words that report nothing ("Asked for comment", "claims Taiwan")."""
    word = tokens[k].low
    lemma = lex.lemma_of.get(word, "")
    nxt = tokens[k + 1].low if k + 1 < len(tokens) else ""
    prev = tokens[k - 1].low if k else ""
    if prev in lex.block_before and not (prev in QUANTIFIERS and _past_form(word, lemma)):
        return False  # "the state", "to maintain", "without elaborating": not a report
        # (but "many said", "most reported": a quantifier speaks through a past form)
    if lex.lang == "en" and prev.endswith(("’s", "'s")) and prev[:-2] not in lex.pronouns \
            and prev[:-2] not in ("that", "what", "there", "who", "here"):
        return False  # "Zimmerman's listing", "the president's claims": a noun
    if _is_action(tokens, k, lemma, lex):
        return False  # "pleaded guilty", "reported for duty": something done, not said
    if lemma in lex.needs_clause_verbs and nxt not in ("that", ":", "how", "why", "what") and \
            nxt[:1] not in QUOTE_CHARS and infinitive_after(tokens, k) is None:
        return False  # "ordered investigations": an action; "ordered that …" reports
    if lex.lang == "en" and k >= 2 and not word.endswith(("ed", "ing")) and \
            word in (lemma, lemma + "s", lemma + "es") and \
            tokens[k - 2].low in DETERMINERS_EN and \
            tokens[k - 1].low.endswith(("ing", "ed", "est", "ful", "al")) and \
            tokens[k - 1].text.islower():
        return False  # "a passing promise", "the most telling promise": a noun (not "said")
    if (word, nxt) in lex.phrasal:
        return False  # "called on", "called for": the phrasal cue reads it, with its object
    if lemma == "call" and (nxt in ("off", "up", "back", "in") or (
            word == "called" and k > 1 and tokens[k - 1].text[:1].islower() and
            any(t.low in ("a", "an") for t in tokens[max(0, k - 4):k]))):
        return False  # "called off", "a supplement maker called Mannatech": no report
    if nxt == ":" and k and tokens[k - 1].text.endswith(("’s", "'s")):
        return False  # "Editor’s note:": a label
    if nxt == "by" and (word.endswith("ed") or word in PARTICIPLES):
        return False  # "an editorial published by the newspaper": a passive participle
    if _be_before(tokens, k, lex) and (word.endswith("ed") or word in PARTICIPLES):
        return False  # "is supported by", "was told": a passive; its agent is not the subject
    if lemma in lex.intention_verbs:
        # "wants to …", "wants voters to …" — without an infinitive it is no attribution
        # (unless the verb also reports speech: "promised that …").
        if infinitive_after(tokens, k) is not None:
            return k == 0 or not word.endswith("ing") or prev == ","
        if lemma not in lex.speech_verbs:
            return False
    if lemma in lex.weak_verbs and prev in MODALS:
        return False  # "the government will find it harder", "polls may show": not yet found
    if prev.endswith(("’ll", "'ll")) or (prev == "will" and k > 1 and
                                          tokens[k - 2].low in ("we", "i")):
        return False  # "We’ll share how …": the article announcing itself, no report yet
    if lemma in EVIDENCE_VERBS and (nxt[:1].isalnum() or nxt == ",") and \
            evidence_subject(tokens, k, lex):
        # "research shows strength training helps", "studies show additional benefits": what
        # evidence shows is reported, whatever follows the verb (a clause or a noun phrase).
        # (before any other mark the usual rules read it: not "what research shows—and …")
        return len(tokens) - k > 3 and nxt not in EVIDENCE_NOT_FOLLOWERS
    if word in lex.particle_verbs:
        # "gab … an", "stellte … fest": without its particle the verb reports nothing.
        rest = " ".join(t.low for t in tokens[k + 1:])
        if not any(re.search(rf"(?:^|\s){re.escape(p.lower())}(?:\s|$)", rest)
                   for p in lex.particle_verbs[word]):
            return False
    if lex.lang == "en" and not english_verb_in_use(tokens, k, lemma, lex):
        return False
    if lemma in lex.needs_that_verbs and not word.endswith("ing") and \
            nxt not in ("that", ",", ":", ".", "") and nxt[:1] not in QUOTE_CHARS and \
            not cue_nominal_after(tokens, k, lex):  # "noted in its report a 159% increase"
        return False  # "hubs add a few tricks", "bass notes have pitch"
    if lemma == "continue":
        # "continued to insist that …" reports; "the ANC continues to be superb" does not.
        return nxt == "to" and k + 2 < len(tokens) and tokens[k + 2].low in lex.cue_forms \
            and lex.lemma_of.get(tokens[k + 2].low) != "continue"
    if lemma == "ask":
        # "asked whether …", "asked Sanders how he is feeling", "asked a judge to block …"
        return nxt in QUESTION_WORDS or nxt[:1] in QUOTE_CHARS or \
            any(t.low in QUESTION_WORDS for t in tokens[k + 2:k + 5]) or \
            (infinitive_after(tokens, k) is not None and nxt != "to")
    if k == 0 and lex.lang == "en" and tokens[k].low.endswith(("ed", "ing")):
        return False  # "Asked about…, she…": a participle, not a report
    if lemma in lex.weak_verbs:
        nxt_text = tokens[k + 1].text if k + 1 < len(tokens) else ""
        # (the subject between the comma and the verb may be a short phrase: ", the new poll
        # found.", ", most economists think.")
        if nxt in (".", "!", "?", "") and any(t.text == "," for t in tokens[max(0, k - 5):k]):
            return True  # "…, I think."
        if nxt in ("after", "before", "since", "when", "once", "while"):
            return False  # "how he was feeling after his successes": a time, not a clause
        return opens_clause(tokens, k + 1, lex) or nxt[:1] in QUOTE_CHARS \
            or nxt_text[:1].isupper()
    if lemma == "claim" and not opens_clause(tokens, k + 1, lex) and nxt[:1] not in QUOTE_CHARS:
        return False
    return True


# Words between a form of "be" and its participle ("were not notified", "is also said").
BE_PARTICIPLE_GAP = frozenset({"not", "never", "also", "already", "just", "still", "n’t", "n't",
                               "reportedly", "being"})


def _be_before(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Is the word at ``k`` preceded by a form of "be", perhaps across "not" or an adverb
    ("they were not notified in advance that …": a passive, not a report by "they")?"""
    j = k - 1
    while j > 0 and (tokens[j].low in BE_PARTICIPLE_GAP or (
            tokens[j].low.endswith("ly") and tokens[j].text.islower())):
        j -= 1
    return j >= 0 and tokens[j].low in lex.be_forms


def evidence_subject(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Is the word before the verb at ``k`` (auxiliaries and adverbs skipped) a noun for
    evidence ("research", "studies", "data", "polls")?"""
    j = k - 1
    while j >= 0 and (tokens[j].low in lex.auxiliaries or (
            tokens[j].low.endswith("ly") and tokens[j].text.islower())):
        j -= 1
    return j >= 0 and tokens[j].low in lex.evidence_nouns


def _is_action(tokens: list[Token], k: int, lemma: str, lex: Lexicon) -> bool:
    """Does the cue verb at ``k`` name an action rather than a statement ("pleaded not
    guilty", "reported for duty", "meldete sich krank")? The lexicon's words for the verb
    follow it in order, each at most ``lex.action_gap`` words after the one before, with no
    punctuation in between ("posted an overwhelming victory", "bekannte sich am Montag vor
    Gericht schuldig": German puts the predicative at the end of the clause)."""
    phrases = lex.action_uses.get(lemma) or lex.action_uses.get(tokens[k].low)
    if not phrases:
        return False
    return any(_follows(tokens, k + 1, phrase, lex.action_gap) for phrase in phrases)


def _follows(tokens: list[Token], start: int, phrase: tuple[str, ...], gap: int) -> bool:
    for word in phrase:
        for j in range(start, min(len(tokens), start + gap + 1)):
            if not tokens[j].text[:1].isalpha():
                return False
            if tokens[j].low == word:
                start = j + 1
                break
        else:
            return False
    return True


def postposed(text: str, tokens: list[Token], k: int, content_start: int,
              lex: Lexicon) -> Attribution | None:
    """CONTENT, SOURCE said. / CONTENT, said SOURCE. / CONTENT, so SOURCE."""
    if lex.lemma_of.get(tokens[k].low) in lex.stance_verbs:
        return None
    if k + 1 < len(tokens) and tokens[k + 1].text in OPEN_QUOTES:
        return None  # 'Talking about it, he said "every leader has …"': the quotation follows
    tail = _tail_before_participle([t for t in tokens[k + 1:] if t.text not in ".!?”\"“»"],
                                   lex)
    long_speaker = len(tail) > MAX_TAIL_AFTER_CUE and tail[0].text != "," and lex.lang == "en" \
        and k > 0 and tokens[k - 1].text == "," and _named_with_appositive(tail, lex)
    if len(tail) > MAX_TAIL_AFTER_CUE and tail[0].text != "," and not long_speaker and \
            not _parenthetical_inverted(tokens, k, lex):
        return None
    if tail and tail[0].text == ":":
        return None  # "In an interview, Obama also said:" announces what follows
    after_time = k + 1
    while after_time < len(tokens) and tokens[after_time].low in TEMPORAL:
        after_time += 1  # ("said Monday that …")
    if lex.lang == "en" and k > 0 and tokens[k - 1].text != "," and tail and \
            tail[0].text[:1].isalpha() and after_time < len(tokens) and \
            tokens[after_time].low not in TAIL_STARTS and opens_clause(tokens, after_time, lex):
        return None  # "While the plan failed, officials said the budget grew": preposed
    # find the comma that opens the attribution clause
    j = k - 1
    while j >= 0 and tokens[j].text not in ",—–" and k - j <= MAX_SOURCE_TOKENS:
        j -= 1
    if j < 0 or tokens[j].text not in ",—–":
        return None
    between = tokens[j + 1:k]
    # "…, as police have said": "as" introduces the source.
    if between and between[0].low in lex.as_markers:
        between = between[1:]
    # ",'' said Mr. Sperling": the closing quote mark between comma and cue.
    while between and (between[0].text in QUOTE_CHARS or between[0].text in "'’"):
        between = between[1:]
    source: Span | None
    if between:
        while between and between[-1].low in lex.auxiliaries:
            between = between[:-1]
        if between and between[0].low in ("a", "an", "the", "who", "ein", "eine", "der", "die",
                                          "das") and j > 0:
            # "…, Jim Clyburn, a Democratic congressman from South Carolina, said."
            j2 = j - 1
            while j2 >= 0 and tokens[j2].text not in ",—–" and j - j2 <= 8:
                j2 -= 1
            name = tokens[j2 + 1:j] if j2 >= 0 and tokens[j2].text in ",—–" else []
            if name and name[0].text[:1].isupper() and all(t.text[:1].isupper() or
                                                             t.text in ".-" for t in name):
                between = tokens[j2 + 1:k]
                while between and between[-1].low in lex.auxiliaries:
                    between = between[:-1]
                j = j2
        if not between or not is_source_with_appositive(between, lex):
            return None
        source = (between[0].start, between[-1].end)
    else:
        source = right_noun_phrase(tokens, k + 1, lex)
        if source is None or all(t.low in TEMPORAL for t in tokens
                                 if source[0] <= t.start < source[1]):
            return None  # "…, R-Ky., said Tuesday.": when it was said, not who said it
        after = next((t for t in tokens if t.start >= source[1]), None)
        if lex.lang == "en" and after is not None and after.text[:1].isalpha() and \
                after.low not in INVERTED_SOURCE_FOLLOWERS and after.low not in TEMPORAL:
            return None  # "…, said Chile must respond": a clause follows, not "…, said Chile."
        # "…, sagte der Minister am Montag." — the inverted source ends the sentence; in
        # "Stoiber, warf der SPD eine Fehlentwicklung vor" the phrase after the verb is its
        # object and the sentence goes on.
        rest = [t for t in tokens if t.start >= source[1] and t.text not in ".!?”\"“»"]
        if tokens[k].low in lex.particle_verbs and rest:
            return None
        before = [t for t in tokens[:j] if t.start >= content_start]
        if lex.np_starters and all(t.text[:1].isupper() or t.low in lex.np_starters or
                                   t.text in ",-" or t.low.endswith(("e", "en", "er", "es", "em"))
                                   for t in before):
            return None  # "Die Regierungspartei Palästinas, die Hamas, bezeichnete …": a subject
    content = trim_content(text, content_start, tokens[j].start)
    # (after a long speaker, what follows the comma is who the speaker is, not content)
    resumed = None if long_speaker else _resumed_content(text, tokens, k, source, lex)
    short_before = sum(1 for t in tokens[:j] if t.start >= content_start) <= 5
    if resumed is not None and (content is None or (
            short_before and resumed[1] - resumed[0] > content[1] - content[0])):
        if content is not None and _subject_then_predicate(tokens, j, resumed, lex):
            content = (content[0], resumed[1])  # "The combination, say economists, marks …"
        else:
            content = resumed  # "In the early 1990s, Ms. Ripert said, when she was earning …"
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=cue_span(tokens, k, lex),
                       type="indirect", confidence=0.8, construction="postposed")


def _tail_before_participle(tail: list[Token], lex: Lexicon) -> list[Token]:
    """What follows a post-posed cue up to a semicolon or a participle clause that goes on
    about the same speaker ("…, Hollande said Tuesday in Paris, noting the nominee …"): that
    clause is a report of its own, not part of this cue's tail."""
    semicolon = next((i for i, t in enumerate(tail) if t.text == ";"), None)
    if semicolon is not None:
        tail = tail[:semicolon]  # "…, analysts say; in 2012, …": a new clause begins
    if lex.lang != "en":
        return tail
    for i in range(1, min(len(tail) - 1, MAX_TAIL_AFTER_CUE + 1)):
        nxt = tail[i + 1]
        if tail[i].text == "," and nxt.text.islower() and (
                nxt.low.endswith("ing") or nxt.low in CLAUSE_CONJUNCTIONS):
            return tail[:i]  # (", but she has developed …": another clause goes on)
    return tail


def _subject_then_predicate(tokens: list[Token], comma: int, resumed: Span,
                            lex: Lexicon) -> bool:
    """Is the sentence one report cut by a parenthetical cue: a subject before the comma
    ("The combination") and its verb after the cue ("marks a journey …")?"""
    head = [t for t in tokens[:comma] if t.text[:1].isalnum()]
    verb = next((t for t in tokens if t.start >= resumed[0]), None)
    if not head or verb is None or lex.lang != "en":
        return False
    opens_np = head[0].low in ("the", "a", "an", "this", "that", "these", "those", "his", "her",
                               "its", "their", "our") or head[0].text[:1].isupper()
    return opens_np and not any(t.low in lex.clause_stops or t.low in lex.be_forms or
                                t.low in lex.auxiliaries for t in head) and \
        verb.text.islower() and (verb.low.endswith(("s", "ed")) or verb.low in lex.auxiliaries)


def _parenthetical_inverted(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Is the cue at ``k`` an inverted aside between commas ("The combination, say
    economists, marks a journey …"): a comma before it, a short noun phrase after it and a
    comma after that? The sentence then goes on, however long."""
    if k == 0 or tokens[k - 1].text != "," or lex.lang != "en" or \
            lex.lemma_of.get(tokens[k].low) not in lex.clause_verbs:
        return False  # (German goes on with the content: "…, sagte Thaksin, man werde …")
    end = noun_phrase_end(tokens, k + 1, lex)
    return k + 1 < end <= k + 6 and end < len(tokens) and tokens[end].text == ","


def _named_with_appositive(tail: list[Token], lex: Lexicon) -> bool:
    """Is what follows an inverted cue a name, a comma and what the name is (", said Jim
    Winkler, chief strategy officer of the Business Group on Health, a coalition of …")?"""
    comma = next((i for i, t in enumerate(tail) if t.text == ","), None)
    if comma is None or comma == 0 or comma > 5 or comma + 2 >= len(tail):
        return False
    name, role = tail[:comma], tail[comma + 1:]
    return all(t.text[:1].isupper() or t.text == "." for t in name) and \
        not any(t.text.islower() and (t.low.endswith("ed") or t.low in lex.cue_forms)
                for t in role) and is_source_with_appositive(tail, lex)


def _resumed_content(text: str, tokens: list[Token], k: int, source: Span,
                     lex: Lexicon) -> Span | None:
    """"There was, she said, “an implicit bargain.”": what follows a parenthetical cue."""
    after = next((i for i in range(k + 1, len(tokens)) if tokens[i].start >= source[1]), k + 1)
    if after < len(tokens) and tokens[after].low in lex.auxiliaries:
        after += 1
    if after >= len(tokens) or tokens[after].text != ",":
        return None
    rest = tokens[after + 1:]
    if len(rest) < 3 or rest[0].low in ("and", "but", "or", "while", "und", "aber") or \
            (rest[0].low.endswith("ing") and lex.lang == "en") or \
            any(t.low in lex.cue_forms for t in rest[:MAX_SOURCE_TOKENS]):
        return None
    return trim_content(text, rest[0].start, sentence_end(tokens))


def preposed(text: str, tokens: list[Token], k: int, lex: Lexicon) -> Attribution | None:
    """SOURCE said (that) CONTENT. / SOURCE told X (that) CONTENT. / Er sagte, (dass) …"""
    source = left_noun_phrase(tokens, k, lex)
    start = k + 1
    if lex.lang == "de" and k + 1 < len(tokens) and tokens[k + 1].low in lex.pronouns \
            and tokens[k + 1].low != "es":
        # "Dabei lobte er …", "Zudem erklärte sie, …": a pronoun after the verb is its subject.
        source = (tokens[k + 1].start, tokens[k + 1].end)
        start = k + 2
        comma = next((j for j in range(start, min(len(tokens), start + 8))
                      if tokens[j].text in ",:"), None)
        if comma is not None:
            start = comma
    elif source is not None and lex.fronted and is_fronted(tokens, source, lex):
        source = None  # "Am Montag sagte der Minister …": the subject follows the verb
    elif source is not None and lex.np_starters and tokens[k - 1].text.islower() and \
            tokens[k - 1].low not in lex.pronouns:
        source = None  # "An die Gewerkschaften gewandt sagte Köhler": an adverbial first
    if source is None and lex.lang == "de":
        # Verb-second: "Am Montag sagte der Minister, dass …"; a reflexive or an adverb may
        # stand before the subject ("äußerte sich der Vorsitzende", "sagte zum Beispiel der").
        first = k + 1
        while first < len(tokens) - 1 and (tokens[first].low == "sich" or (
                tokens[first].low in lex.fronted and (
                    tokens[first].text.islower() or tokens[first - 1].low == "zum"))):
            first += 1
        np_end = noun_phrase_end(tokens, first, lex)
        # "… sagte der Minister am Montag in Berlin, dass …": a short adverbial may follow.
        comma = next((j for j in range(np_end, min(len(tokens), np_end + 9))
                      if tokens[j].text in ",:" or tokens[j].low in ("dass", "daß")), None)
        if np_end > first and comma is not None and not any(
                t.low in lex.cue_forms for t in tokens[np_end:comma]):
            source = (tokens[first].start, tokens[np_end - 1].end)
            start = comma
            # "… der Vorsitzende des Verbandes, Phillip Urban, einen Anstieg …": the name.
            name_end = next((j for j in range(comma + 2, min(len(tokens), comma + 6))
                             if tokens[j].text == ","), None)
            if name_end is not None and is_proper_name(tokens[comma + 1:name_end]):
                source = (tokens[first].start, tokens[name_end - 1].end)
                start = name_end
    if source is None and lex.lang == "en":
        source = coordinated_subject(tokens, k, lex)
    if source is None:
        return None
    lemma = lex.lemma_of.get(tokens[k].low, "")
    if lemma in lex.object_verbs:
        start = skip_addressee(tokens, start, lex)
    while start < len(tokens) and tokens[start].text in ",:":
        start += 1
    if start + 1 < len(tokens) and tokens[start].low in TEMPORAL and \
            opens_clause(tokens, start + 1, lex):
        start += 1  # "Mr. Clinton said Thursday he would leave …"
    if start >= len(tokens):
        return None
    cue_end = cue_span(tokens, k, lex)[1]
    while start < len(tokens) and tokens[start].end <= cue_end:
        start += 1  # "said in a statement …": the content comes after the whole cue
    if start < len(tokens) and tokens[start].text == "," and cue_end > tokens[k].end:
        start += 1  # "contended in its letter, written by …, that …"
    if start + 1 < len(tokens) and tokens[start].low in ("released", "issued", "published",
                                                         "posted") and tokens[start + 1].low == "by":
        start = noun_phrase_end(tokens, start + 2, lex)  # "… released by the Trump campaign"
    if lemma in lex.intention_verbs:
        start = infinitive_after(tokens, k) or start
    elif lex.lang == "en" and start < len(tokens) and tokens[start].text in PREPOSITIONS and \
            not any(t.low == "that" for t in tokens[start:start + 10]):
        # "said to a crowd of about 500.": only a setting follows — the content was a quote
        # before, or is missing.
        after = noun_phrase_end(tokens, start + 1, lex)
        if len(tokens) - after < 3 and infinitive_after(tokens, start) is None:
            return None  # (but "pleaded with the judge to spare …" asks for something)
    end_tok = content_end_token(tokens, start, lex)
    shortest = 2 if lemma in lex.intention_verbs else 3  # "declined to comment"
    if end_tok - start < shortest or tokens[start].low in TEMPORAL:
        return None  # "Hollande said Tuesday in Paris": the content came before
    nominal = nominal_source(text, tokens, k, source, lex)
    content_end = tokens[end_tok - 1].end
    if nominal != source:
        # "… “actions to revive militarism” in an editorial published by …": stop before it.
        cut = text.rfind(" in ", tokens[start].start, nominal[0])
        if cut > 0:
            content_end = min(content_end, cut)
        source = nominal
    if lex.lang == "de" and tokens[start].low == "sich":
        # "zeigte sich zuversichtlich, dass …" reports the clause; "äußerte sich zu dem
        # Vorfall", "sprach sich gegen … aus" report nothing.
        clause = next((j for j in range(start + 1, len(tokens) - 2)
                       if tokens[j].low in ("dass", "daß")), None)
        if clause is None:
            return None
        start = clause
    content = trim_content(text, tokens[start].start, content_end)
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=cue_span(tokens, k, lex),
                       type="indirect", confidence=0.75, construction="preposed")


def according_to(text: str, tokens: list[Token], content_start: int,
                 lex: Lexicon) -> list[Attribution]:
    found = []
    sentence_text_start = tokens[0].start
    body = text[sentence_text_start:tokens[-1].end]
    for match in lex.according_to_re.finditer(body):
        phrase_start = sentence_text_start + match.start()
        phrase_end = sentence_text_start + match.end()
        k = next((i for i, t in enumerate(tokens) if t.start >= phrase_end), None)
        if k is None:
            continue
        # "nach"/"wie" alone are too common in German: need a capitalised NP right after.
        if lex.lang == "de" and match.group(0).lower() in ("nach", "wie") and \
                not tokens[k].text[:1].isupper():
            continue
        source = right_noun_phrase(tokens, k, lex)
        if source is None:
            continue
        before = text[content_start:phrase_start].rstrip(" ,—–-")
        if len(before.split()) >= 3:
            content = trim_content(text, content_start, content_start + len(before))
        else:
            after_start = source[1]
            after = text[after_start:tokens[-1].end]
            lead = len(after) - len(after.lstrip(" ,"))
            content = trim_content(text, after_start + lead, sentence_end(tokens))
        if content is None:
            continue
        found.append(Attribution(content=content, source=source, cue=(phrase_start, phrase_end),
                                 type="indirect", confidence=0.85, construction="according-to"))
    if lex.according_after_re is not None:
        for k, tok in enumerate(tokens):
            if tok.text != "zufolge" or k == 0:
                continue
            source = left_noun_phrase(tokens, k, lex)
            if source is None:
                continue
            content = trim_content(text, content_start, tokens[-1].end)
            if content:
                found.append(Attribution(content=content, source=source,
                                         cue=(tok.start, tok.end), type="indirect",
                                         confidence=0.8, construction="de-zufolge"))
    return found
