"""More constructions of the attribution finder, each with its negative: the wider English
cues (wishes, impressions, stances, headlines, transcripts, polls) and the German word-order
cases. The sentences are written for these tests, not taken from the corpora."""

from __future__ import annotations

import pytest

from helpers import only, spans


# ---------------------------------------------------------------- English: who the source is
@pytest.mark.parametrize("text, source", [
    ("Mayor Ortiz says he’d veto the budget if it reaches his desk.", "Mayor Ortiz"),
    ("Aides to the senator say she’s leaning towards a run.", "Aides to the senator"),
    ("Economists say inflation will ease by the summer.", "Economists"),
    ("Rita Gomez, the union’s lead negotiator, said that the offer was unacceptable.",
     "Rita Gomez, the union’s lead negotiator"),
    ("Paul Hart, 64, said he had never seen the river so high.", "Paul Hart, 64"),
    ("Sen. Jane Doe, D-Ore., told reporters that the bill would pass.",
     "Sen. Jane Doe, D-Ore."),
    ("The board’s chair, Lena Park, said in a statement that the merger was off.",
     "The board’s chair, Lena Park"),
    ("Farmers, like their neighbours in the valley, say the drought is the worst in decades.",
     "Farmers, like their neighbours in the valley"),
])
def test_source_noun_phrases(text, source):
    assert only(text)["source"] == source


def test_relative_clause_source_keeps_its_antecedent_name():
    a = only("The letter came from Maria Lopez, who told the council that the vote was rigged.")
    assert a["source"] == "Maria Lopez, who" and a["content"] == "that the vote was rigged"


def test_second_of_two_predicates_shares_the_subject():
    a = only("Harris voted early on Tuesday and says she backed the school levy.")
    assert a["source"] == "Harris" and a["cue"] == "says"


def test_pronoun_before_the_cue_is_the_whole_source():
    a = only("The report names three towns that he said had lost their only clinic.")
    assert a["source"] == "he"


def test_opening_adverbial_is_not_the_content():
    a = only("In the interview, the governor said the state would appeal the ruling.")
    assert a["source"] == "the governor"
    assert a["content"] == "the state would appeal the ruling"


def test_temporal_word_after_the_cue_is_skipped():
    a = only("The minister said Thursday he would resign at the end of the month.")
    assert a["content"] == "he would resign at the end of the month"


def test_as_x_said_introduces_the_source():
    a = only("The bridge was closed for safety reasons, as engineers have said.")
    assert a["source"] == "engineers" and a["content"] == "The bridge was closed for safety reasons"


def test_parenthetical_cue_takes_what_follows_a_short_adverbial():
    a = only("Back in 2019, the coach said, the team could barely afford new kit.")
    assert a["source"] == "the coach"
    assert a["content"] == "the team could barely afford new kit"


def test_quote_speaker_with_party_code_in_parentheses():
    a = only("“We have the votes,” Rep. Maria Stone (D-Ill.) said in an interview.")
    assert a["source"].endswith("Maria Stone (D-Ill.)") and a["type"] == "direct"


def test_quote_speaker_described_by_a_relative_clause():
    a = only("“The figures were massaged,” an official, who was not authorized to speak "
             "publicly, told the newspaper.")
    assert a["source"].startswith("an official, who") and a["cue"] == "told"


# ---------------------------------------------------------------- English: wider cues
def test_wish_takes_the_infinitive_as_content():
    a = only("The mayor wants to double the number of bus lanes by 2030.")
    assert a == {"source": "The mayor", "cue": "wants", "type": "indirect",
                 "content": "to double the number of bus lanes by 2030"}


def test_refusal_to_comment_is_an_attribution():
    a = only("A spokeswoman for the company declined to comment.")
    assert a["source"] == "A spokeswoman for the company" and a["content"] == "to comment"


def test_impression_with_no_holder_has_no_source():
    a = only("The coalition appears to have lost its majority in the upper house.")
    assert a["source"] is None and a["cue"] == "appears"
    assert a["content"].startswith("The coalition appears")


def test_expectation_with_no_holder_has_no_source():
    a = only("The central bank is expected to raise rates again next month.")
    assert a["source"] is None and a["cue"] == "is expected"


def test_question_with_no_asker():
    found = spans("When asked whether she would run again, Ms. Berg smiled.")
    assert found == [{"source": None, "cue": "asked", "type": "indirect",
                      "content": "whether she would run again"}]


def test_asked_someone_to_do_something():
    a = only("The state asked a federal judge to block the new rules before the school year.")
    assert a["source"] == "The state" and a["content"].startswith("a federal judge to block")


def test_speaker_before_a_colon_in_a_headline_or_transcript():
    a = only("Governor Lee: We will not raise taxes this year.")
    assert a["source"] == "Governor Lee" and a["cue"] == ":"
    assert a["content"] == "We will not raise taxes this year."


def test_headline_cue_in_title_case():
    a = only("Harbor Chief Says New Port Will Open By Spring")
    assert a["source"] == "Harbor Chief" and a["cue"] == "Says"


def test_finding_of_a_named_poll():
    a = only("The senator leads her rival by nine points in a new Marist poll.")
    assert a["source"] == "a new Marist poll" and a["content"].startswith("The senator leads")


def test_participle_with_a_preposition_takes_the_subject():
    found = spans("The minister spoke for an hour, referring to the deficit left by her "
                  "predecessor.")
    assert [(a["source"], a["cue"]) for a in found] == [("The minister", "referring to")]


def test_first_person_inside_a_quotation_is_the_speakers_voice():
    found = spans("“If I say the plan is dead, people panic,” the mayor said.")
    assert [(a["source"], a["cue"]) for a in found] == [("the mayor", "said")]


def test_stance_inside_reported_content_is_not_a_second_source():
    found = spans("Murphy said he supports the final bill.")
    assert [(a["source"], a["cue"]) for a in found] == [("Murphy", "said")]


@pytest.mark.parametrize("text", [
    "The game was called off because of the storm.",
    "He works for a start-up called Brightwave in Austin.",
    "The measure is supported by most of the council.",
    "She won the seat with strong rural support, but lost the cities.",
    "Editor’s note: This story has been updated with new figures.",
    "Update: The road has reopened to traffic.",
    "He appeared on stage with his wife and two sons.",
    "The company wants nothing more than a quiet quarter.",
    "The candidate is still ahead in the polls in most states.",
    "Revealed: The ten best beaches on the coast.",
    "Compatibility: I only tested hubs that work with at least two assistants.",
    "Nothing Ear: This set has wireless charging and a better battery.",
    "If you want to avoid calls in public, use the wired pair.",
    "Hubs with a screen add a few extra tricks like showing the news.",
    "The noise cancelling continues to be superb on long flights.",
    "Prices are $3 per hour per person, paid in advance.",
    "He made only a passing promise of reform during the campaign.",
])
def test_wider_cues_have_their_negatives(text):
    assert spans(text) == []


# ---------------------------------------------------------------- German word order
def test_german_nach_angaben_before_a_passive_with_a_name():
    a = only("Nach Angaben von Augenzeugen wurde der Oppositionspolitiker am Abend festgenommen.",
             "de")
    assert a["source"] == "Augenzeugen" and a["cue"] == "Nach Angaben von"


def test_german_role_appositive_belongs_to_the_source():
    a = only("Anna Weber, Vorsitzende des Mieterbundes in Köln, sagte, die Mieten seien zu hoch.",
             "de")
    assert a["source"] == "Anna Weber, Vorsitzende des Mieterbundes in Köln"
    assert a["content"] == "die Mieten seien zu hoch"


def test_german_adverbial_before_the_verb_puts_the_subject_after_it():
    a = only("An die Gewerkschaften gewandt sagte Köhler, sie müssten ihre Zurückhaltung "
             "aufgeben.", "de")
    assert a["source"] == "Köhler"


def test_german_nominalised_adjective_as_subject():
    a = only("Am Montag sagte der 81-jährige, dass er nichts gesehen habe.", "de")
    assert a["source"].startswith("der 81-jährige") and a["content"].startswith("dass")


def test_german_subject_with_appositive_before_a_particle_verb():
    a = only("Der Parteichef, Peter Brandt, warf der Regierung schwere Fehler vor.", "de")
    assert a["source"] == "Der Parteichef, Peter Brandt" and a["cue"] == "warf"


def test_german_regnal_number_does_not_end_the_sentence():
    a = only("Später sagte die Kanzlerin, Benedikt XVI. „ist einer der großen Denker unserer "
             "Zeit“.", "de")
    assert a["source"] == "die Kanzlerin" and a["content"].startswith("Benedikt XVI.")


def test_german_indicative_future_does_not_continue_reported_speech():
    found = spans("Der Minister sagte, die Reform sei nötig. Die Beratungen werden im Mai "
                  "beginnen.", "de")
    assert [(a["source"], a["cue"]) for a in found] == [("Der Minister", "sagte")]


def test_german_gemaess_and_quoted_outlet_after_laut():
    a = only("Der Unfall kostete gemäß der Lokalzeitung zwölf Menschen das Leben.", "de")
    assert a["cue"] == "gemäß" and a["source"].startswith("der Lokalzeitung")
    b = only("Laut „Welt“ soll er sich im Ausland aufhalten.", "de")
    assert b["source"] == "„Welt“" and b["cue"] == "Laut"


def test_german_wonach_clause_takes_the_report_before_it():
    a = only("Es gibt eine Schätzung, wonach im vergangenen Jahr 500 Betriebe schlossen.", "de")
    assert a["source"] == "Schätzung, wonach"
    assert a["content"] == "im vergangenen Jahr 500 Betriebe schlossen"


def test_german_quoted_name_inside_a_source():
    a = only("Moritz Wohlrab von der „Aktion Deutschland hilft“ sagte, es fehle an Spenden.", "de")
    assert a["source"] == "Moritz Wohlrab von der „Aktion Deutschland hilft“"


def test_german_plan_with_soll_werden_is_no_reported_speech():
    found = spans("Der Minister sagte, die Reform sei nötig. Die Namen sollen im Mai "
                  "veröffentlicht werden.", "de")
    assert [(a["source"], a["cue"]) for a in found] == [("Der Minister", "sagte")]


def test_time_phrase_between_subject_and_verb():
    a = only("Maria Ruiz, the party chair, this past week announced the creation of a new "
             "ethics panel.")
    assert a["source"] == "Maria Ruiz, the party chair"


def test_named_speaker_keeps_the_statement_released_by_a_campaign():
    a = only("Senator Tom Hale said in a statement released by his campaign the report "
             "proves nothing.")
    assert a["source"] == "Senator Tom Hale" and a["cue"] == "said in a statement"
    assert a["content"] == "the report proves nothing"


@pytest.mark.parametrize("text, source, cue, content", [
    ("Die Regierung hat am Montag angekündigt, dass die Steuern steigen.", "Die Regierung",
     "angekündigt", "dass die Steuern steigen"),
    ("Am Montag hat der Minister erklärt, die Lage sei ernst.", "der Minister", "erklärt",
     "die Lage sei ernst"),
    ("Der Vorstand hat beschlossen, das Werk in Bochum zu schließen.", "Der Vorstand",
     "hat beschlossen", "das Werk in Bochum zu schließen"),
])
def test_german_perfect_tense_cue(text, source, cue, content):
    a = only(text, "de")
    assert (a["source"], a["cue"], a["content"]) == (source, cue, content)


def test_german_perfect_tense_without_reported_content_is_no_attribution():
    assert spans("Der Minister hat die Schule am Montag besucht.", "de") == []


@pytest.mark.parametrize("text, source, content", [
    ("Der Einbau sei zunächst für Rastatt geplant, hieß es.", None,
     "Der Einbau sei zunächst für Rastatt geplant"),
    ("Weiter hieß es, dass die Ermittlungen andauerten.", None, "die Ermittlungen andauerten"),
    ("Aus Paris hieß es, das Vorgehen sei eine schwere Verletzung des Abkommens.", "Aus Paris",
     "das Vorgehen sei eine schwere Verletzung des Abkommens"),
])
def test_german_impersonal_hiess_es(text, source, content):
    a = only(text, "de")
    assert (a["source"], a["cue"], a["content"]) == (source, "hieß es", content)


def test_german_inverted_subject_with_a_name_and_a_fronted_time():
    found = spans("Für das kommende Jahr prognostizierte der Vorsitzende des Verbandes, Phillip "
                  "Urban, einen Anstieg der Preise. Ähnlich erwartet die Vorsitzende des "
                  "Handelsverbands, Brigitte Weber, für Schuhe eine Preissteigerung.", "de")
    assert [(a["source"], a["cue"], a["content"]) for a in found] == [
        ("der Vorsitzende des Verbandes, Phillip Urban", "prognostizierte",
         "einen Anstieg der Preise"),
        ("die Vorsitzende des Handelsverbands, Brigitte Weber", "erwartet",
         "für Schuhe eine Preissteigerung"),
    ]


def test_quote_announced_at_the_end_of_the_previous_paragraph():
    text = ("The university’s spokesman Dan Lister wrote:\n\n"
            "“The anthem is a moment to reflect on the freedoms we hold sacred.”")
    assert spans(text) == [{"source": "The university’s spokesman Dan Lister", "cue": "wrote",
                            "type": "direct", "content": "The anthem is a moment to reflect on "
                            "the freedoms we hold sacred."}]


def test_paragraph_ending_with_a_colon_but_no_cue_announces_nothing():
    text = "The list of demands:\n\n“Free buses, longer hours and more routes for everyone.”"
    assert spans(text) == []


@pytest.mark.parametrize("text, source", [
    ("Ramil Carr, 31, a freelance photographer, said the rally was the perfect moment.",
     "Ramil Carr, 31, a freelance photographer"),
    ("Cory James, 22, of Flint, Mich., said he had not given up hope.",
     "Cory James, 22, of Flint, Mich."),
    ("Mara Lee, the mayor's director of transport and planning, said the lanes would stay.",
     "Mara Lee, the mayor's director of transport and planning"),
    ("Arturo Vidal, Chile's ambassador to Spain from 2007 to 2013, said Chile must respond.",
     "Arturo Vidal, Chile's ambassador to Spain from 2007 to 2013"),
])
def test_speaker_with_several_appositives(text, source):
    assert only(text)["source"] == source


def test_nyt_double_apostrophes_around_a_quote_ending_in_a_single_quote():
    a = only("''I told the banks, 'we are sorry, but we do not care at all,''' said Mr. Meyer, "
             "who runs a research firm.")
    assert a["source"] == "Mr. Meyer" and a["type"] == "direct"


def test_two_joined_reports_after_an_opening_adverbial():
    found = spans("In a short interview, Ms. Ward rejected the idea that the plan had failed "
                  "and said that the city would press on.")
    assert [(a["source"], a["cue"], a["content"]) for a in found] == [
        ("Ms. Ward", "rejected", "the idea that the plan had failed"),
        ("Ms. Ward", "said", "that the city would press on"),
    ]


def test_evidence_showing_something():
    a = only("Despite polls showing her well behind, the senator campaigned in every county.")
    assert (a["source"], a["cue"], a["content"]) == ("polls", "showing", "her well behind")


def test_sentence_initial_question_with_no_asker():
    a = only("Asked on Monday whether she would run again, Ms. Berg shook her head.")
    assert a["source"] is None and a["content"] == "on Monday whether she would run again"


def test_participle_subject_after_a_dateline():
    found = spans("WASHINGTON — Sen. Ann Roe defended the plan on Tuesday, saying the savings "
                  "would outweigh the costs.")
    assert ("Sen. Ann Roe", "saying") in [(a["source"], a["cue"]) for a in found]


def test_participle_after_a_postposed_cue_belongs_to_that_speaker():
    found = spans("“The prosecutor must decide,” Mr. Lane added, saying it should be up to the "
                  "court.")
    assert [(a["source"], a["cue"]) for a in found] == [("Mr. Lane", "added"),
                                                        ("Mr. Lane", "saying")]


@pytest.mark.parametrize("text", [
    "In vielen Fällen sagte man, es habe keine Verhandlung gegeben, und alles sei vorbei.",
    "Es weist aber einiges darauf hin, dass die Wölfe aus jener Zeit stammen.",
])
def test_german_adverbials_and_es_are_no_sources(text):
    assert all(a["source"] not in ("In vielen Fällen", "Es") for a in spans(text, "de"))


def test_called_on_is_read_as_the_phrasal_cue():
    a = only("The senator called on members to be closely coordinated.")
    assert a["cue"] == "called on" and a["content"] == "members to be closely coordinated"


def test_standing_in_the_polls_is_no_finding_of_a_poll():
    assert spans("She is running ahead of her rival in New Hampshire polls.") == []


@pytest.mark.parametrize("text, source, content", [
    ("Sales were great, he said, wiping the sweat off his face.", "he", "Sales were great"),
    ("And Sen. Rob Dean (R-Ohio), another vulnerable incumbent, said he had not thought about "
     "it.", "Rob Dean (R-Ohio), another vulnerable incumbent", "he had not thought about it"),
])
def test_post_posed_readings_that_do_not_fit_give_way(text, source, content):
    found = [(a["source"], a["content"]) for a in spans(text) if a["cue"] == "said"]
    assert found and found[0][0].endswith(source) and found[0][1] == content


def test_german_passive_report_has_no_named_source():
    a = only("Dem Manager wird vorgeworfen, eine Angestellte bedroht zu haben.", "de")
    assert (a["source"], a["cue"], a["content"]) == (None, "vorgeworfen",
                                                     "eine Angestellte bedroht zu haben")


def test_french_opening_adverbial_is_not_the_content():
    a = only("Dans un souci d'apaisement, le président avait annoncé par avance qu'il saisirait "
             "le Conseil.", "fr")
    assert a["source"] == "le président" and a["content"].startswith("par avance qu'il")


def test_french_clause_is_no_source():
    assert all(a["source"] != "Le contrôle de cette surveillance sera"
               for a in spans("Le contrôle de cette surveillance sera assuré, a déclaré le "
                              "ministre.", "fr"))
