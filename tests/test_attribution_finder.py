"""Hand-written cases for the attribution finder: each construction, in each language, and
the negatives (scare quotes, titles, non-attributive "said")."""

from __future__ import annotations

import pytest

from helpers import only, spans
from sourcelight.attribution.finder import find_attributions


# ---------------------------------------------------------------- English
def test_direct_quote_with_cue_after():
    a = only("“We will not back down from this fight,” said Mayor Ana Ruiz.")
    assert a == {"source": "Mayor Ana Ruiz", "cue": "said", "type": "direct",
                 "content": "We will not back down from this fight,"}


def test_direct_quote_with_subject_before_cue():
    a = only("“The budget is balanced for the first time in a decade,” the minister told reporters.")
    assert a["source"] == "the minister" and a["cue"] == "told" and a["type"] == "direct"


def test_colon_introduced_quote():
    a = only("The mayor said: “We will rebuild every house that the flood destroyed.”")
    assert a["source"] == "The mayor" and a["type"] == "direct"
    assert a["content"].startswith("We will rebuild")


def test_straight_quotes_work_like_curly_ones():
    a = only('"The report is wrong on every count," the company said in a statement.')
    assert a["source"] == "the company" and a["cue"] == "said in a statement"


def test_indirect_speech_with_that():
    a = only("The agency said that prices would rise again in the spring.")
    assert a == {"source": "The agency", "cue": "said", "type": "indirect",
                 "content": "that prices would rise again in the spring"}


def test_indirect_speech_with_cue_after_content():
    a = only("The talks will resume next week, two diplomats familiar with the plan said.")
    assert a["source"] == "two diplomats familiar with the plan"
    assert a["content"] == "The talks will resume next week"


def test_told_skips_the_addressee():
    a = only("She told parliament on Friday that the army was ready.")
    assert a["source"] == "She" and a["content"] == "that the army was ready"


def test_according_to():
    a = only("The plant will close in June, according to company documents.")
    assert a["source"] == "company documents" and a["cue"] == "according to"
    assert a["content"] == "The plant will close in June"


def test_passive_reported_by():
    a = only("The deal was first reported by the Financial Times.")
    assert a["source"] == "the Financial Times" and a["cue"] == "was first reported by"


def test_mixed_quote_is_typed_mixed():
    a = only("The senator said the bill was “a gift to polluters” and would fail.")
    assert a["type"] == "mixed" and a["source"] == "The senator"


def test_relative_clause_subject_keeps_its_antecedent():
    a = only("Officials released a readout of the meeting which stated that both sides agreed.")
    assert a["source"].startswith("a readout of the meeting")
    assert a["content"] == "that both sides agreed"


def test_appositive_source_after_a_quote():
    a = only("“It is too early to say,” Jim Clyburn, a congressman from South Carolina, said.")
    assert a["source"] == "Jim Clyburn, a congressman from South Carolina"


@pytest.mark.parametrize("text", [
    "She starred in “The Last Days of Summer” in 2004.",             # a film title
    "The said property was sold in 1998 to a developer.",            # "said" as adjective
    "The state guest house hosted the ceremony on Tuesday.",         # "state" is a noun
    "Beijing, which claims democratically governed Taiwan, objected.",  # a territorial claim
    "Asked for comment, the ministry referred reporters to its website.",
])
def test_negatives_yield_no_attribution(text):
    assert spans(text, "en") == []


# ---------------------------------------------------------------- German
def test_german_quote_with_verb_first_after_it():
    a = only("„Wir werden das Werk nicht schließen“, sagte Müller am Montag.", "de")
    assert a["source"] == "Müller am Montag" or a["source"] == "Müller"
    assert a["cue"] == "sagte" and a["type"] == "direct"


def test_german_laut():
    a = only("Laut Polizei wurden drei Menschen bei dem Unfall verletzt.", "de")
    assert a["cue"].lower() == "laut" and a["source"] == "Polizei"


def test_german_zufolge():
    a = only("Dem Bericht zufolge stiegen die Preise im Mai deutlich an.", "de")
    assert a["cue"] == "zufolge" and "Bericht" in a["source"]


def test_german_so_after_content():
    a = only("Die Lage sei ernst, so der Minister.", "de")
    assert a["cue"] == "so" and a["source"] == "der Minister"
    assert a["content"] == "Die Lage sei ernst"


def test_german_subject_after_the_verb():
    a = only("Am Montag sagte der Minister, dass die Steuern sinken würden.", "de")
    assert a["source"] == "der Minister" and a["content"].startswith("dass die Steuern")


def test_german_konjunktiv_continues_the_last_speaker():
    found = spans("Der Sprecher sagte, die Firma prüfe den Fall. Man habe bereits mit den "
                  "Behörden gesprochen.", "de")
    assert len(found) == 2
    assert found[1]["cue"] is None and found[1]["source"] == "Der Sprecher"


def test_german_wie_clause():
    a = only("Drei Menschen wurden verletzt, wie die Polizei mitteilte.", "de")
    assert a["source"] == "die Polizei" and a["content"] == "Drei Menschen wurden verletzt"


def test_scare_quotes_are_not_direct_quotes():
    assert all(a["type"] != "direct"
               for a in spans("Critics called the plan a “disaster” and a “giveaway”.", "en"))


def test_unsupported_language_yields_nothing():
    assert find_attributions("“Nous allons gagner”, a dit le ministre.", "xx") == []


# ---------------------------------------------------------------- French and Spanish (first lexicons)
@pytest.mark.parametrize("text, lang, source, cue, kind", [
    ("« Nous ne céderons pas », a déclaré le ministre.", "fr", "le ministre", "a déclaré", "direct"),
    ("Selon la police, trois personnes ont été blessées.", "fr", "la police", "Selon", "indirect"),
    ("Le ministre a déclaré que les impôts baisseraient.", "fr", "Le ministre", "a déclaré",
     "indirect"),
    ("“No vamos a ceder”, dijo el ministro.", "es", "el ministro", "dijo", "direct"),
    ("Según la policía, tres personas resultaron heridas.", "es", "la policía", "Según",
     "indirect"),
    ("El ministro dijo que los impuestos bajarían.", "es", "El ministro", "dijo", "indirect"),
])
def test_french_and_spanish(text, lang, source, cue, kind):
    a = only(text, lang)
    assert (a["source"], a["cue"], a["type"]) == (source, cue, kind)
    assert not a["content"].endswith(".")


def test_quote_resumed_after_its_cue_is_one_attribution():
    a = only("“We will win this vote,” she said, “because we have the numbers in the chamber.”")
    assert a["source"] == "she" and a["type"] == "direct"
    assert a["content"].startswith("We will win") and a["content"].endswith("the chamber.")


def test_quote_running_over_paragraphs_is_attributed_as_a_whole():
    text = ("The minister spoke for an hour.\n\n“We will not raise taxes this year, and we will "
            "not cut pensions.\n\n“Nobody should doubt that,” he said.")
    a = only(text)
    assert a["source"] == "he"
    assert a["content"].startswith("We will not raise taxes")
    assert a["content"].endswith("Nobody should doubt that,")


def test_german_mixed_quote():
    a = only("Der Minister sagte, die Reform sei „ein historischer Schritt“ für das Land.", "de")
    assert a["type"] == "mixed" and a["source"] == "Der Minister"


def test_french_guillemets_with_cue_after():
    a = only("« Nous ne céderons pas devant la menace », a déclaré la ministre.", "fr")
    assert a["type"] == "direct" and a["source"] == "la ministre"
    assert a["content"] == "Nous ne céderons pas devant la menace"


def test_german_pronoun_after_the_verb_is_the_subject():
    a = only("In einem Interview erklärte er, die Verhandlungen seien gescheitert.", "de")
    assert a["source"] == "er" and a["content"].startswith("die Verhandlungen")
