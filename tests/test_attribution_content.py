"""Where an attribution's content starts and ends, and the cue words a reader expects
(issue 9, "Attributions a reader expects"), each rule with its negatives. The sentences are
written for these tests, not taken from the corpora."""

from __future__ import annotations

import pytest

from helpers import only, spans


# ------------------------------------------- a quotation that starts in the middle of a sentence
@pytest.mark.parametrize("text, content", [
    ("The treaty with Norway “goes beyond any single government in either capital,” "
     "ministry spokesperson Ana Ruiz said Friday.",
     "The treaty with Norway “goes beyond any single government in either capital,"),
    ("Pupils who start school this year \"will see a very different classroom by the time "
     "they leave,\" she said.",
     "Pupils who start school this year \"will see a very different classroom by the time "
     "they leave,"),
    ("Apart from the war years, “this kind of borrowing has never been seen in peacetime,” "
     "said Mark Hale, an economist at Leeds.",
     "Apart from the war years, “this kind of borrowing has never been seen in peacetime,"),
])
def test_quotation_inside_a_sentence_reports_the_whole_sentence(text, content):
    a = only(text)
    assert a["content"] == content and a["type"] == "mixed"


def test_leading_conjunction_is_not_part_of_the_report():
    a = only("And because the river rose so fast, “nobody had time to move the cattle,” "
             "said the farmer.")
    assert a["content"].startswith("because the river rose so fast")


def test_quoted_pieces_of_one_sentence_are_one_content():
    text = ("“Care is needed for people who already take blood thinners,” which are common after "
            "surgery, “because the supplement can make bleeding worse,” Dr. Lane explains.")
    a = only(text)
    assert a["source"] == "Dr. Lane" and a["type"] == "mixed"
    assert a["content"].startswith("Care is needed for people")
    assert a["content"].endswith("can make bleeding worse,")


def test_quotation_opening_its_sentence_stays_direct():
    a = only("“We will rebuild every school that the storm destroyed,” the governor said.")
    assert a["content"] == "We will rebuild every school that the storm destroyed,"
    assert a["type"] == "direct"


@pytest.mark.parametrize("text", [
    # another cue before the quotation: two reports, not one
    "The mayor said the plan “will fail in every district we know of,” the aide added.",
    # a colon announces the quotation: the words before it are the narrator's
    "He put it this way: “we will fail in every district we serve,” the aide added.",
    # "according to" before the quotation names another source
    "According to the report, “the bridge will need to close for a year,” the engineer said.",
])
def test_words_before_the_quotation_that_are_not_the_report(text):
    a = next(a for a in spans(text) if a["source"] in ("the aide", "the engineer"))
    assert a["type"] == "direct"
    assert a["content"].lstrip("“").split()[0] in ("will", "we", "the")


def test_each_sentence_keeps_its_own_quotation():
    found = spans("“We will win this race,” she said. “And then we will win the next one,” "
                  "she added.")
    assert [a["content"] for a in found] == ["We will win this race,",
                                             "And then we will win the next one,"]


def test_straight_opening_quote_closed_by_a_curly_one():
    a = only("And so \"people with allergies should also avoid the spray,” adds Dr. Mia Chen.")
    assert a["source"] == "Dr. Mia Chen" and a["cue"] == "adds"
    assert a["content"].endswith("should also avoid the spray,")


def test_short_quotation_closed_by_a_curly_quote_is_no_utterance():
    assert spans("The shop sells \"fine teas” and coffee beans from Kenya.") == []


# ------------------------------------------------ a that-clause opening with a subordinate clause
@pytest.mark.parametrize("text, content", [
    ("Ms. Reyes warns that when the rains come, the old dam will not hold the water.",
     "that when the rains come, the old dam will not hold the water"),
    ("A spokesperson for the app tells Reuters that between 2022 and 2024, downloads rose "
     "by half.",
     "that between 2022 and 2024, downloads rose by half"),
    ("The coach said that despite the injuries, the team would play on Sunday.",
     "that despite the injuries, the team would play on Sunday"),
])
def test_opening_clause_inside_the_content_does_not_end_it(text, content):
    a = only(text)
    assert a["content"] == content


def test_a_later_comma_still_ends_the_content_before_another_report():
    found = spans("The company said that in 2023, sales rose by a fifth, the agency reported.")
    said = next(a for a in found if a["cue"] == "said")
    assert said["content"] == "that in 2023, sales rose by a fifth"


def test_content_without_an_opening_clause_still_ends_before_a_postposed_report():
    found = spans("Mr. Lane said that prices rose sharply, the ministry reported on Monday.")
    said = next(a for a in found if a["cue"] == "said")
    assert said["content"] == "that prices rose sharply"


# ------------------------------------------------------------------------------ more cue verbs
@pytest.mark.parametrize("text, cue", [
    ("“Deep rest is not the same thing as sleep at all,” Dr. Ames clarifies.", "clarifies"),
    ("“You can feel the difference after a single session,” Ms. Ortiz shares.", "shares"),
    ("The gym chain shared that rowing classes were booked out in every city last year.",
     "shared"),
    ("The clinic clarified that the vaccine is free for everyone over sixty.", "clarified"),
])
def test_clarify_and_share_report(text, cue):
    assert only(text)["cue"] == cue


@pytest.mark.parametrize("text", [
    "Shares of the company fell 5% on Monday, and investors shared their worries.",
    "The families shared a meal in the old town hall after the flood.",
    "The coach clarified the rules before the game started on Sunday.",
])
def test_clarify_and_share_as_actions_report_nothing(text):
    assert spans(text) == []


# ---------------------------------------------------------------------- evidence as the source
@pytest.mark.parametrize("text, source, content", [
    ("Water matters and research shows that even mild dehydration can cause headaches.",
     "research", "that even mild dehydration can cause headaches"),
    ("Other studies show additional benefits for people with type 2 diabetes.",
     "Other studies", "additional benefits for people with type 2 diabetes"),
    ("Research shows strength training can be especially useful after fifty.",
     "Research", "strength training can be especially useful after fifty"),
    ("But the data does show fewer accidents on the new road.",
     "the data", "fewer accidents on the new road"),
])
def test_what_evidence_shows_is_reported(text, source, content):
    a = only(text)
    assert (a["source"], a["content"]) == (source, content)


@pytest.mark.parametrize("text", [
    "The research showed up late in the review.",
    "The report found its way to the minister by Friday.",
    "The studies continue to grow in number.",
    "Figures show.",
])
def test_evidence_nouns_that_report_nothing(text):
    assert spans(text) == []


# ------------------------------------------- the quotation's sentence goes on before its cue
def test_words_after_the_quotation_and_before_the_cue_are_content():
    a = only("Many people feel better, but “the trials have not shown the same benefits” in "
             "healthy adults, says Dr. Mellor.")
    assert a["source"] == "Dr. Mellor" and a["type"] == "mixed"
    assert a["content"] == "the trials have not shown the same benefits” in healthy adults"


def test_words_after_the_quotation_with_the_subject_before_the_cue():
    a = only("The bill “will cost far more than anyone in the chamber admits” over ten years, "
             "Ms. Park said in a statement.")
    assert a["source"] == "Ms. Park"
    assert a["content"] == ("The bill “will cost far more than anyone in the chamber admits” "
                            "over ten years")


def test_a_prepositional_phrase_after_a_quotation_is_never_its_speaker():
    found = spans("The hall rang with “we want our jobs back” in front of the plant, the union "
                  "said.")
    assert all(not (a["source"] or "").startswith("in ") for a in found)


@pytest.mark.parametrize("text, source", [
    # a cue before the quotation: the last cue reports the whole sentence
    ("The crowd chanted “we want our jobs back” in front of the plant, the union said.",
     "the union"),
    # a new clause after the quotation
    ("“We will take this case to court,” and then she left the room, the clerk said.",
     "the clerk"),
])
def test_a_sentence_going_on_after_the_quotation_in_a_new_clause(text, source):
    a = next(a for a in spans(text) if a["source"] == source)
    assert a["content"].lstrip("“").startswith(("The crowd", "We will"))


# ------------------------------------------------------- what a modal or a quotation rules out
@pytest.mark.parametrize("text", [
    "But the government will find it more difficult to cut taxes next year.",
    "Tests could show nothing at all for another week, the nurse warned us.",
])
def test_a_finding_not_yet_made_is_no_report(text):
    assert all(a["cue"] not in ("will find", "find", "could show", "show") for a in spans(text))


def test_a_finding_made_is_still_a_report():
    a = only("The auditors found that the city had overpaid its contractors.")
    assert a["source"] == "The auditors"


def test_quotation_right_after_the_cue_is_the_content():
    a = only('Talking about how he was feeling after his recent wins, he said "every leader has '
             'strengths and weaknesses".')
    assert a["cue"] == "said" and a["source"] == "he"
    assert "every leader has strengths and weaknesses" in a["content"]
    assert "Talking" not in a["content"]


# ------------------------------------------------------------- a cue word used as a noun
@pytest.mark.parametrize("text, source, cue", [
    ("“Trackers can measure sleep, heart rate and even stress levels,” the trends report stated.",
     "the trends report", "stated"),
    ("As part of its annual trends report, the gym chain shared that rowing was booked out.",
     "the gym chain", "shared"),
    ("“You are a total loser and your book is terrible,” the note says.", "the note", "says"),
])
def test_a_cue_word_heading_a_noun_phrase_is_not_the_cue(text, source, cue):
    a = only(text)
    assert (a["source"], a["cue"]) == (source, cue)


@pytest.mark.parametrize("text, cue", [
    ("Mr. Kaine now says, however, that he is a strong advocate for the bill.", "says"),
    ("Prices will rise, economists say, and wages will not keep up.", "say"),
    ("She repeatedly says, “Do not do it, please do not do it,” until the car stops.", "says"),
    ("“The market will hate this deal and they will not reward us,” she recounted telling "
     "them.", "recounted"),
])
def test_a_cue_verb_before_a_comma_or_a_participle_still_reports(text, cue):
    assert any(a["cue"] == cue for a in spans(text))


# ------------------------------------------------- an opening quotation mark after a full stop
def test_opening_quotation_mark_after_a_full_stop_begins_the_next_sentence():
    found = spans("A small study found that most people kept the habit years later. “This matters "
                  "because most dieters regain the weight,” says Dr. Matt.")
    study = next(a for a in found if a["cue"] == "found")
    said = next(a for a in found if a["cue"] == "says")
    assert study["content"] == "that most people kept the habit years later"
    assert said["type"] == "direct" and said["content"].startswith("This matters")


def test_german_closing_mark_still_ends_its_sentence():
    from sourcelight.attribution.tokens import split_sentences
    text = "Er sagte: „Wir kommen wieder.“ Dann ging er. „Ja“, rief sie."
    starts = [text[s.start:s.start + 4] for s in split_sentences(text, 0, len(text))]
    assert starts == ["Er s", "Dann", "„Ja“"]


# ----------------------------------------------- an inverted speaker with a long description
def test_inverted_speaker_with_a_long_appositive():
    a = only("Some firms are starting to wonder whether they pay too much for the new drugs, said "
             "Jim Walker, chief strategy officer of the Business Group on Health, a coalition of "
             "large employers.")
    assert a["source"].startswith("Jim Walker") and a["cue"] == "said"
    assert a["content"] == ("Some firms are starting to wonder whether they pay too much for "
                            "the new drugs")


def test_the_appositive_of_an_inverted_speaker_is_not_the_content():
    a = only("Practice patience and kindness, says David Palmer, a professor of psychology at "
             "Marywood University in Scranton, Pa.")
    assert a["content"] == "Practice patience and kindness"


@pytest.mark.parametrize("text", [
    # the words after the name are the verb's object, not who the name is
    "James Bruner, whose father was the family pastor, remembers Mr. Bush, known as Jeb, as a "
    "larger-than-life presence at the river club.",
    # an adverbial before the subject: no inverted speaker after the verb
    "On Wednesday, the nominee urged Russian hackers, a group he praised, to look for the "
    "missing emails from the private server.",
])
def test_long_words_after_a_verb_are_no_inverted_speaker(text):
    assert all(a["cue"] not in ("remembers", "urged") or
               a["content"].split()[0] not in ("James", "On") for a in spans(text))


# --------------------------------------------- a relative clause with no comma before "who"
@pytest.mark.parametrize("text, source", [
    ("Ann Dale, founder of the city pilates studio who's been teaching for 18 years, tells "
     "reporters that she noticed the boom after the pandemic.",
     "Ann Dale, founder of the city pilates studio who's been teaching for 18 years"),
    ("Lance Beebe, 49, a Navy veteran who now is a civilian employee, said the vote was close.",
     "Lance Beebe, 49, a Navy veteran who now is a civilian employee"),
])
def test_speaker_described_by_a_relative_clause_without_a_comma(text, source):
    assert only(text)["source"] == source


@pytest.mark.parametrize("phrase, plausible", [
    ("Ann Dale, a coach who's been teaching for years", True),
    ("the plan has been", False),  # a clause, not a speaker: "been" outside a who-clause
    ("a coach whose team has been", False),
])
def test_only_a_who_clause_may_hold_a_verb_in_a_source(phrase, plausible):
    from sourcelight.attribution.lexicon import lexicon
    from sourcelight.attribution.noun_phrases import plausible_source
    assert plausible_source(phrase, (0, len(phrase)), lexicon("en")) is plausible


# ------------------------------------------- a cue between two quotations that end and open
def test_a_cue_right_before_a_quotation_does_not_close_the_one_before():
    found = spans("Dr. Vale notes that fasting can help with “lowering blood pressure in older "
                  "adults.” A small six-month trial shows “improvements in cholesterol levels,” "
                  "says Dr. Font.")
    assert not any(a["cue"] == "shows" for a in found)
    font = next(a for a in found if a["source"] == "Dr. Font")
    assert font["content"].startswith("A small six-month trial shows")


def test_a_cue_after_a_closed_quotation_still_closes_it():
    a = only("“We will never give up on this town,” Mayor Lee said.")
    assert a["source"] == "Mayor Lee"


@pytest.mark.parametrize("text, cue", [
    ("Voters are split on the new tax, the poll found.", "found"),
    ("Voters are split on the tax, the new city poll found.", "found"),
    ("Turnout was low, as the results show, and the count went on all night.", "show"),
])
def test_evidence_verb_before_a_mark_reads_as_before(text, cue):
    assert any(a["cue"] == cue for a in spans(text))


def test_evidence_verb_before_a_dash_reports_nothing():
    assert spans("Here is what the research actually shows—and how to fast safely.") == []


def test_an_impression_verb_closing_a_sentence_needs_a_comma_close_before_it():
    assert spans("The people in the old town hall of the city centre found.") == []


# --------------------------------------- an inverted aside before a long rest of the sentence
def test_inverted_aside_before_a_long_predicate():
    a = only("The combination, say economists, marks a journey into mostly uncharted and "
             "rather risky financial territory.")
    assert a["source"] == "economists"
    assert a["content"].startswith("The combination") and a["content"].endswith("territory")


@pytest.mark.parametrize("text", [
    # a verb with its object between commas, not an aside
    "James Bruner, whose father was the pastor, remembers Mr. Bush, known as Jeb, as a "
    "larger-than-life presence at the old river club on the coast.",
])
def test_an_object_between_commas_is_no_inverted_aside(text):
    assert all(a["source"] != "Mr. Bush" for a in spans(text))


# ---------------------------------------------------- a dash before a report of its own
def test_a_dash_before_a_new_report_ends_the_content():
    found = spans("The gym's co-founder Ann Miles says interest in weights has grown this year, "
                  "especially among older women — research shows that lifting helps bone health.")
    says = next(a for a in found if a["cue"] == "says")
    shows = next(a for a in found if a["cue"] == "shows")
    assert says["content"].endswith("especially among older women")
    assert shows["source"] == "research"


@pytest.mark.parametrize("text", [
    "The mayor said the budget was tight — the deficit had doubled — and that cuts would follow.",
    "Aides said voters were unsure whom they would back — or would even consider backing a "
    "third candidate.",
])
def test_dashes_around_an_aside_do_not_end_the_content(text):
    said = next(a for a in spans(text) if a["cue"] == "said")
    assert said["content"].endswith(("cuts would follow", "a third candidate"))


# ------------------------------------------- passives across "not", reaffirm, "shared how"
def test_a_passive_across_not_is_no_report_by_its_subject():
    found = spans("Officials said they were not notified in advance that the army would move.")
    assert [a["cue"] for a in found] == ["said"]


@pytest.mark.parametrize("text, cue, content", [
    ("But they have repeatedly reaffirmed the “ironclad” nature of the alliance with Seoul.",
     "reaffirmed", "the “ironclad” nature of the alliance with Seoul"),
    ("We met a few builders, and they shared how homeowners are changing their kitchens.",
     "shared", "how homeowners are changing their kitchens"),
])
def test_reaffirm_and_shared_how_report(text, cue, content):
    a = only(text)
    assert (a["cue"], a["content"]) == (cue, content)


# ------------------------------------------------------- "noted in its report", "said in his speech"
@pytest.mark.parametrize("text, cue, content", [
    ("The studio chain noted in its report a 159% increase in body scan bookings in 2024.",
     "noted in its report", "a 159% increase in body scan bookings in 2024"),
    ("The agency said in its report that prices rose in every region.",
     "said in its report", "that prices rose in every region"),
    ("The firm argued in its letter, sent on Monday, that the ruling was wrong.",
     "argued in its letter", "sent on Monday, that the ruling was wrong"),
])
def test_where_it_was_said_is_part_of_the_cue(text, cue, content):
    a = only(text)
    assert (a["cue"], a["content"]) == (cue, content)


def test_a_participle_before_in_the_report_is_no_cue():
    assert spans("The biases shown in the report should not be read as a verdict on the panels.") \
        == []


# ------------------------------------- a feeling after an unpunctuated quotation; "we'll share"
def test_a_feeling_after_a_quotation_without_closing_punctuation_does_not_close_it():
    found = spans("The president apologized, saying they “stemmed from the urgency” he felt as "
                  "leader but “caused anxiety to the public.”")
    assert all(a["cue"] != "felt" for a in found)


def test_a_speech_verb_after_an_unpunctuated_quotation_still_closes_it():
    a = only("“We will win this fight in the courts” she said.")
    assert (a["source"], a["cue"]) == ("she", "said")


@pytest.mark.parametrize("text", [
    "We’ll share how the team is tackling the most common limits of the industry.",
    "Below, we will explain what the new rules mean for renters and landlords.",
])
def test_the_article_announcing_itself_is_no_report(text):
    assert spans(text) == []


def test_a_dash_that_ends_the_text_opens_no_report():
    # A paragraph whose last token is a dash once read past the end of the tokens.
    from sourcelight.attribution.annotate import attribute
    for text in ("Jones says the plan was bold and right for all of us —",
                 "Jones says the plan was bold and right for all of us —\n\nNext paragraph."):
        found = attribute(text, "en", 0.0).attributions
        assert [text[a.cue[0]:a.cue[1]] for a in found] == ["says"]
