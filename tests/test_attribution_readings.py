"""Readings added for issue 9 from the sources dev set's open half, each with its negatives:
views held with an adjective ("are adamant that"), a part of a group as the speaker ("Many of
them"), names with credentials and roles ("Keri Gans, R.D.N., author of …"), and a content
that runs on past a comma when what follows is not a second report. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from helpers import only, spans


# ---------------------------------------------------------------- "are adamant that …"
@pytest.mark.parametrize("text, source, cue, content", [
    ("Opposition lawmakers are adamant that the minister be removed from office.",
     "Opposition lawmakers", "are adamant", "the minister be removed from office"),
    ("The mayor is confident the new budget will pass the council in May.",
     "The mayor", "is confident", "the new budget will pass the council in May"),
    ("Economists were skeptical that the cuts would pay for themselves.",
     "Economists", "were skeptical", "the cuts would pay for themselves"),
])
def test_a_view_held_with_an_adjective(text, source, cue, content):
    a = only(text)
    assert (a["source"], a["cue"], a["content"]) == (source, cue, content)


@pytest.mark.parametrize("text", [
    "The coach is sure to win the award this year.",
    "Officials were confident of victory in the early count.",
    "It is certain that prices will rise next year.",
    "The results were clear and the count was over by midnight.",
])
def test_adjectives_without_a_holder_or_a_clause_report_nothing(text):
    assert spans(text) == []


def test_an_adjective_inside_a_quotation_is_the_speakers_voice():
    found = spans("“We are confident that the plant is safe,” the manager said.")
    assert [a["source"] for a in found] == ["the manager"]


# ---------------------------------------------------------------- who speaks
def test_part_of_a_group_is_a_source():
    a = only("Many of them said they learned about the order from the evening news.")
    assert a["source"] == "Many of them"


def test_an_object_pronoun_is_still_no_source():
    assert spans("The new rules let them say anything they like about the budget.") == []


def test_a_name_with_a_credential_and_a_role():
    a = only("Keri Gans, R.D.N., author of The Small Change Diet, says it's also important "
             "not to neglect other nutrients.")
    assert a["source"] == "Keri Gans, R.D.N., author of The Small Change Diet"


def test_a_role_with_a_verb_in_it_is_no_appositive():
    # "author of the plan that failed" holds a clause: the phrase is not one speaker's name.
    found = spans("Tom Reed, who wrote of the plan that was rejected, says the vote was rigged.")
    assert all(a["source"] != "Tom Reed, who wrote of the plan that was rejected"
               for a in found)


# ---------------------------------------------------------------- where the content ends
def test_content_runs_past_a_comma_before_a_verb_with_an_object():
    a = only("Mr. Frankel warns that when the economy weakens, the government will find it "
             "more difficult to cut taxes.")
    assert a["content"].endswith("more difficult to cut taxes")


def test_content_runs_past_a_noun_that_looks_like_a_cue():
    a = only("A representative for the platform tells reporters that between 2023 and 2024, "
             "the hashtag saw a 105% increase in posts.")
    assert a["content"].endswith("increase in posts")


def test_content_still_stops_before_a_second_report():
    found = spans("The minister said the talks had failed, the official news agency reported.")
    assert ("The minister", "the talks had failed") in [(a["source"], a["content"])
                                                        for a in found]


# ---------------------------------------------------------------- "also recommends …"
def test_an_adverb_between_subject_and_verb_makes_the_verb_a_report():
    a = only("The committee also recommends replacing red meat with beans and lentils.")
    assert (a["source"], a["cue"]) == ("The committee", "recommends")


@pytest.mark.parametrize("text", [
    "There were now demands for a recount in three of the counties.",
    "Her demands were also met with silence by the board on Monday.",
])
def test_the_same_words_as_nouns_report_nothing(text):
    assert spans(text) == []


# ---------------------------------------------------------------- "…, say economists"
@pytest.mark.parametrize("text, source", [
    ("Inflation will ease by the summer, say economists.", "economists"),
    ("Prices will fall in the spring, said physicians at the clinic.",
     "physicians at the clinic"),
])
def test_an_inverted_group_of_people_is_the_source(text, source):
    assert only(text)["source"] == source


def test_a_lower_case_plural_that_names_no_people_is_no_source():
    assert spans("The plan will fail within a year, said matters.") == []


def test_a_parenthetical_cue_inside_one_report():
    a = only("The combination, say economists, marks a journey into uncharted territory.")
    assert a["source"] == "economists"
    assert a["content"].startswith("The combination") and a["content"].endswith("territory")


def test_a_parenthetical_cue_after_an_adverbial_keeps_the_clause_after_it():
    a = only("In the early 1990s, Ms. Ripert said, when she was earning a lot, she bought a "
             "flat.")
    assert a["content"] == "when she was earning a lot, she bought a flat"


# ---------------------------------------------------------------- German
@pytest.mark.parametrize("text", [
    "Der Minister äußerte sich am Montag in einem Interview zu dem Vorfall.",
    "Oskar Lafontaine sprach sich kategorisch gegen den Einsatz der Bundeswehr aus.",
])
def test_german_reflexive_comment_without_a_clause_reports_nothing(text):
    assert spans(text, "de") == []


def test_german_reflexive_with_a_dass_clause_reports_it():
    a = only("Der Trainer zeigte sich zuversichtlich, dass die Mannschaft das Spiel gewinnen "
             "werde.", "de")
    assert (a["source"], a["content"]) == ("Der Trainer",
                                           "dass die Mannschaft das Spiel gewinnen werde")


@pytest.mark.parametrize("text, source", [
    ("Entsprechend äußerte sich der Vorsitzende der Partei, dass die Koalition halten werde.",
     "der Vorsitzende der Partei"),
    ("So sagte zum Beispiel der Minister, dass die Steuern sinken würden.", "der Minister"),
    ("Dies teilte die Polizei am Montag mit, dass drei Menschen verletzt worden seien.",
     "die Polizei"),
])
def test_german_subject_after_the_verb_past_a_fronted_word(text, source):
    assert only(text, "de")["source"] == source


def test_german_lower_case_word_is_no_source():
    # "gestern" (yesterday) stands where the subject would: no speaker is named.
    assert spans("Darüber hatte gestern berichtet, dass 200 Mitarbeiter entlassen werden "
                 "sollen.", "de") == []
    assert only("Der Sender hat gestern berichtet, 200 Mitarbeiter sollen entlassen werden.",
                "de")["source"] == "Der Sender"


def test_a_narrator_aside_after_a_comma_ends_the_content():
    a = only("The readout stated that the two leaders discussed trade, without elaborating.")
    assert a["content"] == "that the two leaders discussed trade"
