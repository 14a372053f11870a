"""German constructions: the perfect ("hat … angekündigt, dass"), "wie … mitteilte", "nach
Angaben …", "…, so der Minister", impersonal and passive reports ("hieß es", "wird
vorgeworfen, …"), "wonach"/"Demnach" clauses, and reported speech that goes on in
Konjunktiv I with no new cue.
"""

from __future__ import annotations

from .clauses import reported
from .lexicon import Lexicon
from .model import Attribution, Span
from .noun_phrases import (
    is_fronted, left_noun_phrase, looks_like_np, noun_phrase_end, relative_antecedent,
    right_noun_phrase)
from .tokens import MAX_SOURCE_TOKENS, Sentence, Token, sentence_end, trim_content


# Reported speech without a cue continues the attribution at most this many sentences back.
MAX_CONTINUATION_GAP = 3
GERMAN_PASSIVE_AUXILIARIES = frozenset({"wird", "werden", "wurde", "wurden"})


def reported_continuation(text: str, sentence: Sentence, number: int,
                          recent: list[tuple[int, Span]], lex: Lexicon) -> Attribution | None:
    """German reported speech goes on in Konjunktiv I without a new cue ("Die Konsequenzen
    seiner Tat nehme er in Kauf."): credit it to the speaker of the last attribution, when
    that was at most a few sentences back."""
    if not recent or number - recent[-1][0] > MAX_CONTINUATION_GAP:
        return None
    first = text[recent[-1][1][0]:recent[-1][1][1]].split()[0]
    if first.islower() and first.lower() not in lex.np_starters and \
            first.lower() not in lex.pronouns:
        return None  # the last source was a fragment ("über einen Marsch"): do not spread it
    markers = [t.low for t in sentence.tokens if t.low in lex.subjunctive]
    if not markers:
        return None
    last_verb = _sentence_end_word(sentence.tokens)
    if set(markers) <= {"soll", "sollen"} and last_verb in ("werden", "wird"):
        return None  # "… sollen nun veröffentlicht werden": a plan, not a report
    own = _own_speaker(text, sentence.tokens, lex)
    if own is not None:
        return own
    content = trim_content(text, sentence.start, sentence_end(sentence.tokens))
    if content is None:
        return None
    return Attribution(content=content, source=recent[-1][1], cue=None, type="indirect",
                       confidence=0.5, construction="de-subjunctive")


def _sentence_end_word(tokens: list[Token]) -> str:
    words = [t.low for t in tokens if t.text[:1].isalpha()]
    return words[-1] if words else ""


def _own_speaker(text: str, tokens: list[Token], lex: Lexicon) -> Attribution | None:
    """"Die Verteidiger argumentierten außerdem, Strauss-Kahn habe …": a subject, a verb we
    do not list and a comma before reported speech — the sentence names its own speaker."""
    np_end = noun_phrase_end(tokens, 0, lex)
    if np_end == 0 or np_end >= len(tokens) - 3:
        return None
    verb = tokens[np_end]
    comma = next((j for j in range(np_end + 1, min(len(tokens), np_end + 4))
                  if tokens[j].text == ","), None)
    if not verb.text[:1].islower() or comma is None or \
            any(not t.text[:1].islower() for t in tokens[np_end + 1:comma]):
        return None
    source = (tokens[0].start, tokens[np_end - 1].end)
    content = trim_content(text, tokens[comma + 1].start, sentence_end(tokens))
    if content is None or not looks_like_np(tokens[:np_end], lex):
        return None
    return Attribution(content=content, source=source, cue=(verb.start, verb.end),
                       type="indirect", confidence=0.55, construction="de-own-speaker")


def german_wie(text: str, tokens: list[Token], k: int, content_start: int,
               lex: Lexicon) -> Attribution | None:
    """"…, wie die Polizei mitteilte." / "Wie der Sprecher sagte, …": the source sits in a
    verb-final "wie" clause; the content is the rest of the sentence."""
    w = k - 1
    while w >= 0 and k - w <= MAX_SOURCE_TOKENS and tokens[w].low != "wie":
        if tokens[w].text in ",;:":
            return None
        w -= 1
    if w < 0 or tokens[w].low != "wie" or w + 1 >= k:
        return None
    first = w + 1
    if tokens[first].low in ("aus", "in") and first + 1 < k:
        first += 1  # "wie aus einer Mitteilung der Polizei hervorgeht"
    source = (tokens[first].start, tokens[k - 1].end)
    if w == 0 or tokens[w - 1].text == ",":
        if w == 0:
            after = k + 1
            while after < len(tokens) and tokens[after].low in lex.particles:
                after += 1
            if after < len(tokens) and tokens[after].text == ",":
                after += 1
            if after >= len(tokens):
                return None
            content = trim_content(text, tokens[after].start, sentence_end(tokens))
        else:
            content = trim_content(text, content_start, tokens[w - 1].start)
    else:
        return None
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=(tokens[k].start, tokens[k].end),
                       type="indirect", confidence=0.8, construction="de-wie")


def german_perfect(text: str, tokens: list[Token], k: int, lex: Lexicon) -> Attribution | None:
    """"Die Regierung hat am Montag angekündigt, dass …", "Am Montag hat der Minister
    erklärt, …": the auxiliary stands where the verb would, the cue participle ends the
    clause, and the content follows the comma."""
    if k + 2 >= len(tokens) or tokens[k + 1].text not in ",:" and tokens[k + 1].low not in (
            "dass", "daß"):
        return None
    aux = next((a for a in range(k - 1, max(-1, k - 12), -1)
                if tokens[a].low in lex.perfect_auxiliaries), None)
    if aux is None or any(t.text in ",;:" for t in tokens[aux:k]):
        return None
    source = left_noun_phrase(tokens, aux, lex)
    if source is None or is_fronted(tokens, source, lex):
        end = noun_phrase_end(tokens, aux + 1, lex)  # "Am Montag hat der Minister erklärt"
        source = (tokens[aux + 1].start, tokens[end - 1].end) if end > aux + 1 else None
    if source is None:
        return None
    start = k + 1 if tokens[k + 1].low in ("dass", "daß") else k + 2
    content = trim_content(text, tokens[start].start, sentence_end(tokens))
    if content is None:
        return None
    cue_start = tokens[aux].start if aux == k - 1 else tokens[k].start
    return Attribution(content=content, source=source, cue=(cue_start, tokens[k].end),
                       type="indirect", confidence=0.7, construction="de-perfect")


def german_nach(text: str, tokens: list[Token], content_start: int,
                lex: Lexicon) -> list[Attribution]:
    """"… sind nach jüngsten Untersuchungen … festgestellt worden": nach + a source noun."""
    found = []
    for k, tok in enumerate(tokens):
        if tok.low != "nach" or k + 1 >= len(tokens):
            continue
        window = [t.low for t in tokens[k + 1:k + 4]]
        if not any(w in lex.source_nouns or w.endswith(lex.source_noun_suffixes)
                   for w in window):
            continue
        source = right_noun_phrase(tokens, k + 1, lex)
        content = trim_content(text, content_start, sentence_end(tokens))
        if source and content:
            found.append(Attribution(content=content, source=source, cue=(tok.start, tok.end),
                                     type="indirect", confidence=0.75, construction="de-nach"))
    return found


def german_so(text: str, tokens: list[Token], content_start: int,
              lex: Lexicon) -> list[Attribution]:
    """"Die Lage sei ernst, so der Minister." """
    found = []
    for k in range(1, len(tokens) - 1):
        if tokens[k].low != "so" or tokens[k - 1].text != ",":
            continue
        end = noun_phrase_end(tokens, k + 1, lex)
        rest = [t for t in tokens[end:] if t.text not in ".!?"]
        parenthetical = bool(rest) and rest[0].text == ","
        if end <= k + 1 or (len(rest) > 3 and not parenthetical):
            continue
        content = trim_content(text, content_start, tokens[k - 1].start)
        if parenthetical and (content is None or len(text[content[0]:content[1]].split()) < 4):
            # "Vom 2. April bis zum 20. Juni, so die Ergebnisse, …": the claim is the sentence.
            content = trim_content(text, content_start, sentence_end(tokens))
        if content:
            found.append(Attribution(content=content,
                                     source=(tokens[k + 1].start, tokens[end - 1].end),
                                     cue=(tokens[k].start, tokens[k].end), type="indirect",
                                     confidence=0.8, construction="de-so"))
    return found


def german_passive_report(tokens: list[Token], k: int) -> bool:
    """A cue participle after "wird"/"wurde" and before a comma: reported, by nobody named."""
    return k + 2 < len(tokens) and tokens[k + 1].text == "," and \
        any(t.low in GERMAN_PASSIVE_AUXILIARIES for t in tokens[max(0, k - 3):k]) and \
        (tokens[k].low.startswith("ge") or tokens[k].low.endswith(("t", "en")))


def impersonal(text: str, tokens: list[Token], k: int, content_start: int) -> list[Attribution]:
    """"…, hieß es.", "Weiter hieß es, dass …", "Aus Paris hieß es, …": said, by nobody the
    article names (or only by a place)."""
    if k + 1 < len(tokens) and tokens[k + 1].low == "es":
        cue = (tokens[k].start, tokens[k + 1].end)
        after = k + 2
    elif k > 0 and tokens[k - 1].low == "es":
        cue = (tokens[k - 1].start, tokens[k].end)
        after = k + 1
    else:
        return []
    while after < len(tokens) and (tokens[after].text in ",:" or tokens[after].low in ("dass", "daß")):
        after += 1
    rest_words = [t for t in tokens[after:] if t.text[:1].isalnum()]
    if len(rest_words) >= 3:
        content = trim_content(text, tokens[after].start, sentence_end(tokens))
    else:
        comma = max((j for j in range(k) if tokens[j].text == ","), default=None)
        content = trim_content(text, content_start, tokens[comma].start) if comma else None
    if content is None:
        return []
    source = None
    if tokens[0].low in ("aus", "von") and k > 1 and tokens[0].start >= content_start:
        source = (tokens[0].start, tokens[k - 1].end)  # "Aus Paris hieß es"
    return [Attribution(content=content, source=source, cue=cue, type="indirect",
                        confidence=0.6, construction="impersonal")]


def reference_clause(text: str, tokens: list[Token], lex: Lexicon) -> list[Attribution]:
    """"… einen Bericht der Zeitung, wonach die Rücklagen aufgebraucht seien": the report
    named before the comma is the source of the clause after "wonach"."""
    found = []
    for k in range(1, len(tokens) - 2):
        if tokens[k].low not in lex.reference_cues or tokens[k - 1].text != ",":
            continue
        antecedent = relative_antecedent(tokens, k - 1)
        start = antecedent[0] if antecedent else tokens[k].start
        found.extend(reported(text, tokens[k + 1].start, sentence_end(tokens),
                              (start, tokens[k].end), (tokens[k].start, tokens[k].end), 0.6,
                              "reference-clause"))
    return found
