"""Per-language attribution lexicons: data files in ``lexicons/<lang>/``, compiled once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")
# The forms of "be" and "have been" before "reported by" ("was first reported by X").
PASSIVE_AUXILIARIES = ["was", "were", "has been", "had been", "is", "are", "been"]


@dataclass(frozen=True, eq=False)  # one per language (cached): compared and hashed by identity
class Lexicon:
    """Compiled cues of one language (hashable, so look-ups on it can be cached)."""

    lang: str
    cue_forms: frozenset[str]  # lower-case surface forms of cue verbs
    lemma_of: dict[str, str]  # surface form → lemma
    object_verbs: frozenset[str]  # lemmas that take an addressee (told reporters that …)
    weak_verbs: frozenset[str]  # lemmas that need "that", a quote or a clause after them
    np_content_verbs: frozenset[str]  # lemmas whose content may be a noun phrase
    clause_verbs: frozenset[str]  # lemmas whose base and -s forms are (almost) never nouns
    as_markers: frozenset[str]  # "…, as police have said"
    speech_verbs: frozenset[str]  # the lexicon's "verbs" list itself
    intention_verbs: frozenset[str]  # "wants to …", "declined to …": content is the infinitive
    hedge_verbs: frozenset[str]  # "appears to …": an impression with no named holder
    passive_hedges: frozenset[str]  # "is expected to …": likewise, after a form of "be"
    be_forms: frozenset[str]
    stance_verbs: frozenset[str]  # "supports the bill": a side taken, never post-posed
    phrasal_heads: frozenset[str]  # first words of the phrasal cues, to skip the rest fast
    evidence_nouns: frozenset[str]  # "polls showing …"
    sentence_adverbs: frozenset[str]  # "Ultimately, …": never a source
    impersonal_cues: frozenset[str]  # German "hieß es": said by nobody named
    perfect_auxiliaries: frozenset[str]  # German "hat … angekündigt, dass …"
    needs_that_verbs: frozenset[str]  # "added that …" reports, "adds a few tricks" does not
    needs_clause_verbs: frozenset[str]  # "ordered that …" reports, "ordered a recount" acts
    action_uses: dict[str, tuple[tuple[str, ...], ...]]  # plead → (guilty,), …: an action
    action_gap: int  # words that may stand between the words of an action use
    calls_to_action: frozenset[str]  # "Read the full transcript": a link, not a list item
    stance_adjectives: frozenset[str]  # "is adamant that …": the subject holds the view
    group_nouns: frozenset[str]  # "…, said lawyers": a lower-case plural that may speak
    headline_cues: frozenset[str]  # "Hollande Says Trump …" in a title-case headline
    poll_nouns: frozenset[str]  # "in a CNN national poll": the poll is the source
    colon_non_sources: frozenset[str] | None  # "Update: …" is a label; None: no colon rule
    auxiliaries: frozenset[str]
    according_to_re: re.Pattern  # "according to X" / "laut X"
    according_after_re: re.Pattern | None  # "X zufolge"
    passive_by_re: re.Pattern | None  # "was first reported by X"
    # The phrases those two patterns read or end with ("according to", "reported by"), lower
    # case: a text holding none of them has no match of either (a quick look first).
    cue_phrases: tuple[str, ...]
    cue_nominals: frozenset[str]  # "said in a statement": part of the cue
    published_re: re.Pattern | None  # "in an editorial published by X": X's document
    pronouns: frozenset[str]
    clause_stops: frozenset[str]
    particles: frozenset[str]
    so_marker: frozenset[str]
    block_before: frozenset[str]  # a cue word after one of these is a noun or an infinitive
    particle_verbs: dict[str, tuple[str, ...]]  # gab → (an, bekannt): needs a particle later
    source_nouns: frozenset[str]  # "nach Angaben …": nach is a cue only before these
    subjunctive: frozenset[str]  # Konjunktiv I markers of reported speech
    phrasal: frozenset[tuple[str, ...]]  # ("talked", "about"), ("called", "for")
    fronted: frozenset[str]  # German: words that push the subject behind the verb
    cue_auxiliaries: frozenset[str]  # part of the cue when right before it ("has said")
    np_starters: frozenset[str]  # lowercase words a source may start with (German)
    source_noun_suffixes: tuple[str, ...]  # "Militärangaben", "Polizeiberichten"
    reference_cues: frozenset[str]  # "Demnach …": according to the source just named
    not_in_source: frozenset[str]  # a source holding one of these is a clause
    not_source_end: frozenset[str]  # a source ending in one of these was cut short


def _english_forms(lemma: str) -> set[str]:
    """Regular inflections of an English verb lemma (irregular ones are listed in the data)."""
    if " " in lemma:
        head, rest = lemma.split(" ", 1)
        return {f"{form} {rest}" for form in _english_forms(head)}
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
    return forms


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def _starting(phrases: list[str]) -> str:
    """A lookahead for the phrases' first characters, put before a pattern that matches one
    of them: the engine then tries the rest (a word boundary and an alternation, slow under
    IGNORECASE) only where one of those characters stands; the matches are the same."""
    firsts = "".join(sorted({re.escape(p[0]) for p in phrases if p}))
    return f"(?=[{firsts}])" if firsts else ""


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon | None:
    """The compiled lexicon for a language (``"en"``, ``"de"``), or None when unsupported."""
    lang = (lang or "").split("-")[0].lower()
    path = LEXICON_DIR / lang / "cues.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    lemma_of: dict[str, str] = {}
    if lang == "en":
        irregular = data.get("irregular", {})
        for lemma in data["verbs"] + data.get("intention_verbs", []) + data.get("hedge_verbs", []):
            forms = set(irregular.get(lemma, [])) | _english_forms(lemma) | {lemma}
            for form in forms:
                lemma_of.setdefault(form, lemma)
    else:
        for form in data["verbs"]:
            lemma_of[form.lower()] = form.lower()
    for form in data.get("never_cues", []):
        lemma_of.pop(form.lower(), None)
    return Lexicon(
        lang=lang,
        cue_forms=frozenset(lemma_of),
        lemma_of=lemma_of,
        object_verbs=frozenset(data.get("object_verbs", [])),
        weak_verbs=frozenset(data.get("weak_verbs", [])),
        np_content_verbs=frozenset(data.get("np_content_verbs", [])),
        clause_verbs=frozenset(data.get("clause_verbs", [])),
        as_markers=frozenset(data.get("as_markers", [])),
        speech_verbs=frozenset(data.get("verbs", [])),
        intention_verbs=frozenset(data.get("intention_verbs", [])),
        hedge_verbs=frozenset(data.get("hedge_verbs", [])),
        passive_hedges=frozenset(data.get("passive_hedges", [])),
        be_forms=frozenset(data.get("be_forms", [])),
        stance_verbs=frozenset(data.get("stance_verbs", [])),
        evidence_nouns=frozenset(data.get("evidence_nouns", [])),
        sentence_adverbs=frozenset(data.get("sentence_adverbs", [])),
        impersonal_cues=frozenset(data.get("impersonal_cues", [])),
        perfect_auxiliaries=frozenset(data.get("perfect_auxiliaries", [])),
        needs_that_verbs=frozenset(data.get("needs_that_verbs", [])),
        needs_clause_verbs=frozenset(data.get("needs_clause_verbs", [])),
        action_uses={key.lower(): tuple(tuple(p.lower().split()) for p in phrases)
                     for key, phrases in data.get("action_uses", {}).items()},
        action_gap=int(data.get("action_gap", 2)),
        calls_to_action=frozenset(data.get("calls_to_action", [])),
        stance_adjectives=frozenset(data.get("stance_adjectives", [])),
        group_nouns=frozenset(data.get("group_nouns", [])),
        headline_cues=frozenset(data.get("headline_cues", [])),
        poll_nouns=frozenset(data.get("poll_nouns", [])),
        colon_non_sources=(frozenset(data["colon_non_sources"])
                           if "colon_non_sources" in data else None),
        auxiliaries=frozenset(data.get("auxiliaries", [])),
        according_to_re=re.compile(
            _starting(according := data.get("according_to", data.get("according_to_before", [])))
            + r"\b(?:" + _alternation(according) + r")\b", re.IGNORECASE),
        according_after_re=(re.compile(_starting(data["according_to_after"]) + r"\b(?:"
                                       + _alternation(data["according_to_after"]) + r")\b")
                            if data.get("according_to_after") else None),
        passive_by_re=(re.compile(_starting(PASSIVE_AUXILIARIES) + r"\b(?:"
                                  + "|".join(PASSIVE_AUXILIARIES) + r")\s+(?:(?:first|"
                                  r"initially|also|later|originally)\s+)?(?:"
                                  + _alternation(data["passive_by"]) + r")\b", re.IGNORECASE)
                       if data.get("passive_by") else None),
        cue_phrases=tuple(p.lower() for p in according + data.get("passive_by", [])),
        cue_nominals=frozenset(data.get("cue_nominals", [])),
        published_re=(re.compile(r"\bin (an? (?:" + "|".join(map(re.escape,
                                                                   data["published_nominals"]))
                                 + r")\s+(?:published|issued|released|posted)\s+by\s+[^,.;]+)")
                      if data.get("published_nominals") else None),
        pronouns=frozenset(data.get("pronouns", [])),
        clause_stops=frozenset(data.get("clause_stops", [])),
        particles=frozenset(data.get("particles", [])),
        so_marker=frozenset(data.get("so_marker", [])),
        block_before=frozenset(data.get("block_before", [])),
        particle_verbs={k.lower(): tuple(v) for k, v in data.get("particle_verbs", {}).items()},
        source_nouns=frozenset(w.lower() for w in data.get("source_nouns_after_nach", [])),
        subjunctive=frozenset(data.get("subjunctive_markers", [])),
        phrasal=(phrasal := _phrasal_forms(data.get("phrasal", []))),
        phrasal_heads=frozenset(form[0] for form in phrasal),
        fronted=frozenset(data.get("fronted_adverbials", [])),
        cue_auxiliaries=frozenset(data.get("cue_auxiliaries", [])),
        np_starters=frozenset(data.get("np_starters", [])),
        source_noun_suffixes=tuple(data.get("source_noun_suffixes", [])),
        reference_cues=frozenset(data.get("reference_cues", [])),
        not_in_source=frozenset(data.get("not_in_source", [])),
        not_source_end=frozenset(data.get("not_source_end", [])),
    )


def _phrasal_forms(phrases: list[str]) -> frozenset[tuple[str, ...]]:
    """Verb + preposition cues ("talked about", "called for") in every inflection, as word
    tuples (looked up token by token: a regex of hundreds of alternatives is slow)."""
    forms = set()
    for phrase in phrases:
        forms |= _english_forms(phrase)
    forms |= {"told of", "spoke about", "spoke of", "spoken about", "spoke out against",
              "wrote about", "written about", "thought about"}
    return frozenset(tuple(form.split()) for form in forms)
