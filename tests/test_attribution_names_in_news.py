"""How US and agency news writes its speakers, each rule with its negative: party and state
codes, appositives in either order, a first name that is also a verb, where a cue was said,
and a participle clause after a post-posed cue. Sentences written for these tests."""

from __future__ import annotations

from helpers import only, spans


def test_party_and_state_initials_stay_in_the_name():
    a = only("Rep. Ann Cole (R-S.C.) said the claim smacked of hypocrisy.")
    assert a["source"] == "Rep. Ann Cole (R-S.C.)"
    assert a["content"] == "the claim smacked of hypocrisy"


def test_a_full_stop_inside_a_source_still_splits_two_sentences():
    # Negative: a real sentence end inside the phrase is no party code.
    found = spans("The vote failed in the end. Cole said the claim smacked of hypocrisy.")
    assert [a["source"] for a in found] == ["Cole"]


def test_post_posed_cue_with_time_then_participle():
    found = spans("The plan is reckless, Ortiz said Tuesday in Paris, noting that nobody had "
                  "read it.")
    by_cue = {a["cue"]: a for a in found}
    assert by_cue["said"]["source"] == "Ortiz"
    assert by_cue["said"]["content"] == "The plan is reckless"
    assert by_cue["noting"]["source"] == "Ortiz"  # the speaker of the cue before


def test_participle_after_a_plain_clause_keeps_the_sentence_subject():
    # Negative: no cue in the clause before the participle, so its subject speaks.
    a = only("Mayor Ortiz toured the plant on Friday, noting that output had doubled.")
    assert a["source"] == "Mayor Ortiz" and a["cue"] == "noting"


def test_a_day_after_the_cue_is_not_an_inverted_source():
    found = spans("“We will override the veto,” Senator Jane Doe, R-Ky., said Tuesday.")
    assert all(a["source"] != "Tuesday" for a in found)


def test_inverted_source_after_the_cue_is_still_read():
    # Negative of the above: a name after the cue is the source.
    a = only("The plan is reckless, said Ortiz.")
    assert a["source"] == "Ortiz"


def test_possessive_role_after_a_name():
    a = only("Hong Min-ho, South Korea's unification minister, told a hearing that he "
             "expected another test.")
    assert a["source"] == "Hong Min-ho, South Korea's unification minister"


def test_description_then_name():
    a = only("Another pollster, Dana Wood of Clemson University, said his survey showed "
             "support holding steady.")
    assert a["source"] == "Another pollster, Dana Wood of Clemson University"


def test_description_then_clause_is_no_name():
    # Negative: after a description, a clause with a verb is not the speaker's name.
    found = spans("Another pollster, whose survey ran late, said support held steady.")
    assert all(a["source"] != "Another pollster, whose survey ran late" for a in found)


def test_first_name_that_spells_a_verb():
    a = only("“It is an expensive model,” said Will Doyle, a professor of economics.")
    assert a["source"] == "Will Doyle"
    assert only("Will Doyle said the model is expensive.")["source"] == "Will Doyle"


def test_a_capitalised_will_opening_a_question_is_no_name():
    # Negative: "Will the council …?" opens a question; only "he" speaks.
    found = spans("“It is an expensive model,” he said. Will the council agree?")
    assert [a["source"] for a in found] == ["he"]


def test_where_it_was_said_is_not_part_of_the_source():
    a = only("“There is no bad publicity,” said Mayor Don Guardian in a telephone interview.")
    assert a["source"] == "Mayor Don Guardian"


def test_in_followed_by_a_place_stays_in_the_source():
    # Negative: "in Washington" names which office, not how it spoke.
    a = only("The Department of Justice in Washington said the case was closed.")
    assert a["source"] == "The Department of Justice in Washington"


def test_official_before_said_is_a_person():
    assert only("The official said the agency had secured the files.")["source"] == \
        "The official"
    a = only("The bridge will stay shut until May, a former official said.")
    assert a["source"] == "a former official"


def test_adjective_before_a_base_form_still_makes_a_noun():
    # Negative: "the most telling promise" — after determiner and adjective, a noun.
    assert spans("It was the most telling promise of the campaign.") == []


def test_a_cue_word_after_an_article_is_a_noun_in_the_source():
    a = only("The plan failed, according to a report from WKOW.")
    assert a["source"] == "a report from WKOW"
    b = only("The plan failed, according to a person familiar with his thinking.")
    assert b["source"] == "a person familiar with his thinking"


def test_a_cue_word_without_an_article_still_ends_the_source():
    # Negative: "Aides to the governor reported …": the verb ends the subject.
    a = only("Aides to the governor reported that the bridge was safe.")
    assert a["source"] == "Aides to the governor" and a["cue"] == "reported"


def test_a_semicolon_ends_a_post_posed_cue_clause():
    found = spans("Turnout will decide the race, analysts say; in 2012, the party lost.")
    assert [(a["source"], a["content"]) for a in found] == [
        ("analysts", "Turnout will decide the race")]


def test_but_after_an_inverted_source_opens_another_clause():
    a = only("The plan is not reckless, said Mr. Sperling, but the board has doubts.")
    assert a["source"] == "Mr. Sperling" and a["content"] == "The plan is not reckless"


def test_party_code_with_state_abbreviation_then_role():
    a = only("Rep. Ann Cole (D-Md.), chair of the party’s drafting committee, said the plank "
             "would stay.")
    assert a["source"] == "Rep. Ann Cole (D-Md.), chair of the party’s drafting committee"


def test_time_between_a_name_and_its_verb_is_not_the_name():
    a = only("Senator Dianne Ford last week said the email was not classified.")
    assert a["source"] == "Senator Dianne Ford"
    # Negative: capitalised, "Last Week" is part of a name.
    b = only("The Last Week Tonight show said the email was not classified.")
    assert b["source"] == "The Last Week Tonight show"


def test_a_cue_in_an_opening_while_clause_reports_up_to_its_comma():
    found = spans("While many social conservatives have expressed discomfort with Trump, many "
                  "said Monday that the ruling helps the mayor.")
    by_cue = {a["cue"]: a for a in found}
    assert by_cue["have expressed"]["content"] == "discomfort with Trump"
    assert by_cue["said"]["source"] == "many"
    assert by_cue["said"]["content"] == "that the ruling helps the mayor"


def test_a_quantifier_before_a_noun_form_still_blocks_it():
    # Negative: "many claims" is a plural noun, no report.
    assert spans("Many claims about the plan circulated online last week.") == []


def test_a_possessive_before_a_cue_form_makes_it_a_noun():
    assert spans("The site removed Zimmerman's listing from its pages.") == []
    # Negative: "he's" is a pronoun and its verb, not a possessive.
    a = only("“The plan will fail,” he's saying to anyone who will listen.")
    assert a["source"] == "he's"


def test_a_clause_after_the_cue_makes_the_reading_preposed():
    a = only("While the plan failed, officials said the budget grew.")
    assert a["source"] == "officials" and a["content"] == "the budget grew"
    # Negative: where and when after the cue keep the post-posed reading.
    b = only("The plan failed, officials said at a news conference in Paris on Monday.")
    assert b["source"] == "officials" and b["content"] == "The plan failed"


def test_a_document_after_an_article_and_adjective():
    a = only("Sales of electric cars grew 60 percent a year, according to a recent report "
             "by the agency.")
    assert a["source"] == "a recent report"


def test_a_time_ago_is_no_source():
    assert spans("The senator, two weeks ago said the talks would resume.") == []


def test_an_opening_participle_phrase_is_no_source():
    assert all(a["source"] != "Speaking in his real voice again" for a in spans(
        "Speaking in his real voice again, he kept saying the end was near."))
    # Negative: a capitalised second word makes a name ("Downing Street").
    assert only("Downing Street said the talks would resume on Monday.")["source"] == \
        "Downing Street"


def test_participle_after_an_opening_place_phrase_speaks_for_the_name():
    a = only("Here in Columbia, Sanders stepped up his emphasis on criminal justice issues, "
             "saying, “We have to make the streets safe.”")
    assert a["source"] == "Sanders" and a["content"].startswith("“We have")


def test_a_plural_noun_before_the_participle_clause_is_no_cue():
    # Negative: "issues" is a noun, so the participle's speaker is the sentence's subject,
    # not whatever precedes "issues".
    a = only("Sanders raised justice issues, noting that crime had fallen.")
    assert a["source"] == "Sanders" and a["cue"] == "noting"


def test_an_aside_in_brackets_after_a_full_stop_opens_a_sentence():
    found = spans("Trump asked about the wall, she and another reporter said. (A spokeswoman "
                  "disputed their account.)")
    assert all("(A spokeswoman" not in a["content"] for a in found)
    assert any(a["source"] == "A spokeswoman" and a["cue"] == "disputed" for a in found)


def test_two_joined_subjects_close_the_content_before_them():
    a = spans("Trump asked about the wall, she and another reporter said.")
    assert all(x["content"] != "the wall, she and another reporter said" for x in a)


def test_a_lower_case_bracket_after_a_full_stop_does_not_split():
    # Negative: "(p. 12)" after an abbreviation-like stop continues the sentence.
    a = only("The study found that sleep improves memory (see p. 12) in older adults.")
    assert a["content"] == "that sleep improves memory (see p. 12) in older adults"
