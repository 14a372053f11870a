"""Actions that are not statements are not cues (issue 9, part 4): "pleaded guilty", "ordered
investigations", "reported for duty", "posted a loss" — each beside the same verb used to say
something. The words that make a verb an action are lexicon data (``action_uses``,
``needs_clause_verbs`` in lexicons/<lang>/cues.json). Sentences written for these tests."""

from __future__ import annotations

import pytest

from helpers import only, spans


@pytest.mark.parametrize("text", [
    "The former aide pleaded guilty to lying to the FBI in 2017.",
    "He pleaded not guilty to all charges on Monday.",
    "Smith pleaded no contest to the charges.",
    "The governor ordered investigations into the deaths at the prison.",
    "The judge ordered a new trial after the jury deadlocked.",
    "The officer reported for duty at the station on Monday morning.",
    "Thousands of workers reported to work despite the storm.",
    "The company posted a loss of $2 billion for the quarter.",
    "The challenger posted an overwhelming victory in the primary.",
    "Smith voted against the bill in the Senate last week.",
    "The family filed a suit against the city over the shooting.",
])
def test_actions_are_not_attributions(text):
    assert spans(text) == []


@pytest.mark.parametrize("text, source, content", [
    ("She pleaded with the judge to spare her son.", "She",
     "with the judge to spare her son"),
    ("The judge ordered that the records be released by Friday.", "The judge",
     "that the records be released by Friday"),
    ("The judge ordered the agency to release the records by Friday.", "The judge",
     "the agency to release the records by Friday"),
    ("The agency reported that its revenue rose by ten percent.", "The agency",
     "that its revenue rose by ten percent"),
    ("The witness reported to police that the man had a knife and would work alone.",
     "The witness", "to police that the man had a knife and would work alone"),
    ("The candidate posted a message saying the race was far from over.", "The candidate",
     "a message saying the race was far from over"),
])
def test_the_same_verbs_still_report(text, source, content):
    a = only(text)
    assert (a["source"], a["content"]) == (source, content)


@pytest.mark.parametrize("text", [
    "Der Angeklagte bekannte sich am Montag vor Gericht schuldig.",
    "Der Angeklagte bekannte sich nicht schuldig.",
    "Der Polizist meldete sich am Morgen krank.",
])
def test_german_actions_are_not_attributions(text):
    assert spans(text, "de") == []


@pytest.mark.parametrize("text, source", [
    ("Der Minister bekannte, dass er Fehler gemacht habe.", "Der Minister"),
    ("Die Polizei meldete, dass drei Menschen verletzt worden seien.", "Die Polizei"),
])
def test_the_same_german_verbs_still_report(text, source):
    assert only(text, "de")["source"] == source


def test_know_and_declare_report_only_with_a_clause():
    from sourcelight.attribution.annotate import attribute

    def cues(text):
        return [text[a.cue[0]:a.cue[1]] for a in attribute(text, "en", 0.0).attributions
                if a.cue]

    assert cues("He knows his way around a construction site.") == []
    assert cues("Yoon declared martial law around 10:30 p.m. Tuesday.") == []
    assert cues("He knows that the plan will fail.") == ["knows"]
    assert cues("The minister declared that the plan had failed.") == ["declared"]
    assert cues("“We have won the election tonight,” he declared.") == ["declared"]
