"""Quotations that go on without a cue (issue 9, part 4): a paragraph that opens with a
quotation and names nobody continues the previous paragraph's speaker, over several
paragraphs; a quotation resumed in the next sentence of the same paragraph belongs to the
quotation before it. Each rule with its negatives; the sentences are written for these tests."""

from __future__ import annotations

from sourcelight.attribution.finder import find_attributions


def read(text: str, lang: str = "en") -> list[dict]:
    """Each attribution as readable strings, with its construction and raw source span."""
    part = lambda s: text[s[0]:s[1]] if s else None  # noqa: E731
    return [{"construction": a.construction, "source": part(a.source), "span": a.source,
             "cue": part(a.cue), "content": part(a.content), "type": a.type}
            for a in find_attributions(text, lang)]


def continuations(text: str, lang: str = "en") -> list[dict]:
    return [a for a in read(text, lang) if a["construction"] == "continuation"]


# ---------------------------------------------------------------- across paragraphs
def test_quotation_paragraphs_continue_the_speaker_before_them():
    text = ("“We will win this race,” Smith said on Tuesday.\n"
            "“Nobody believed in us at the start of the campaign.”\n"
            "“Now they do, and they will vote for us.”")
    found = read(text)
    assert [a["construction"] for a in found] == ["quote-cue-after", "continuation",
                                                  "continuation"]
    # The same source span as the attribution continued: one card for all three.
    assert {a["span"] for a in found} == {found[0]["span"]}
    assert found[1]["content"] == "Nobody believed in us at the start of the campaign."
    assert found[1]["cue"] is None and found[1]["type"] == "direct"


def test_continuation_follows_an_indirect_report_too():
    text = ("The mayor said the budget would be balanced by June.\n"
            "“There is no other way to keep the libraries open.”")
    assert [(a["source"], a["content"]) for a in continuations(text)] == [
        ("The mayor", "There is no other way to keep the libraries open.")]


def test_a_narrator_paragraph_in_between_ends_the_chain():
    text = ("“We will win this race,” Smith said on Tuesday.\n"
            "The polls opened at seven in the morning across the state.\n"
            "“Nobody believed in us at the start of the campaign.”")
    assert continuations(text) == []


def test_evidence_does_not_speak_a_quotation():
    text = ("“We will win this race,” Smith said on Tuesday.\n"
            "The polls show him ten points behind in the state.\n"
            "“Nobody believed in us at the start of the campaign.”")
    assert continuations(text) == []


def test_a_paragraph_naming_another_speaker_takes_over():
    text = ("“We will win this race,” Smith said on Tuesday.\n"
            "“Nobody believed in us at the start,” Jones said.\n"
            "“Now they do, and they will vote for us.”")
    assert [a["source"] for a in continuations(text)] == ["Jones"]


def test_a_title_or_a_short_quotation_opening_a_paragraph_is_no_continuation():
    text = ("The host said the network had renewed the show for a second season.\n"
            "“The Late Hour with Nora Bell” airs on Thursdays at eleven.\n"
            "“Great news” was the headline in the local paper the next day.")
    assert continuations(text) == []


def test_a_quotation_in_mid_paragraph_does_not_open_a_continuation():
    text = ("“We will win this race,” Smith said on Tuesday.\n"
            "Her rival called the claim “a fantasy with no numbers behind it at all.”")
    assert continuations(text) == []


def test_a_report_quoted_inside_the_quotation_does_not_block_it():
    text = ("“The plant is safe,” the manager said.\n"
            "“They told us the plant would close next year, and they were wrong.”")
    found = continuations(text)
    assert [(a["source"], a["content"][:25]) for a in found] == [
        ("the manager", "They told us the plant wo")]


def test_a_quotation_over_several_paragraphs_is_one_attribution_at_its_cue():
    # The first quotation is left open (the convention for quotes that run on); the cue at
    # the end covers all of it, so no continuation is kept for its paragraphs.
    text = ("“We will win this race,” Smith said on Tuesday.\n"
            "“We will fight on in every county.\n"
            "“And we will win,” he said.")
    found = read(text)
    assert [a["construction"] for a in found] == ["quote-cue-after", "quote-cue-after"]
    assert found[1]["content"].startswith("We will fight on") and found[1]["source"] == "he"


def test_german_quotation_paragraph_continues_the_speaker():
    text = ("„Wir werden die Wahl gewinnen“, sagte Müller am Dienstag.\n"
            "„Niemand hat am Anfang an uns geglaubt.“")
    assert [(a["source"], a["content"]) for a in continuations(text, "de")] == [
        ("Müller", "Niemand hat am Anfang an uns geglaubt.")]


# ---------------------------------------------------------------- within a paragraph
def test_quotation_resumed_after_the_cue_sentence_belongs_to_the_speaker():
    text = ("“I have seen what desecration is,” Hicks said of her time in the army. "
            "“At the end of the day I did nothing wrong.”")
    found = read(text)
    assert len(found) == 1 and found[0]["source"] == "Hicks"
    assert found[0]["content"].endswith("I did nothing wrong.")


def test_quotation_after_a_narrator_sentence_is_not_resumed():
    text = ("“I know how low I felt during those hours,” said Hicks. Her husband was at work. "
            "“It is a train wreck you cannot help but watch.”")
    found = read(text)
    assert len(found) == 1 and found[0]["content"] == "I know how low I felt during those hours,"


# ---------------------------------------------------------------- announced by "X said:"
ANNOUNCED = ("However, Mr Obama said race relations had improved during his presidency.\n"
             "In a wide-ranging interview, President Obama also said:\n"
             "The UK must stay in the EU to have influence on the world stage\n"
             "He is confident the Iran nuclear deal will be passed by Congress\n"
             "Syria needs a political solution in order to defeat the Islamic State group\n"
             "Read the full transcript of his interview\n"
             "Mr Obama lands in Kenya later on Friday for his first visit as president.")


def test_a_cue_and_colon_announce_the_next_paragraph_and_its_list():
    found = [a for a in read(ANNOUNCED) if a["source"] in ("President Obama", "He")]
    # An item with a reading of its own ("He is confident …") keeps it, and the list goes on.
    assert [(a["construction"], a["source"], a["content"][:28]) for a in found] == [
        ("announced-paragraph", "President Obama", "The UK must stay in the EU t"),
        ("stance-adjective", "He", "the Iran nuclear deal will b"),
        ("continuation", "President Obama", "Syria needs a political solu")]
    assert found[0]["cue"] == "said" and found[2]["cue"] is None
    assert found[0]["span"] == found[2]["span"]


def test_the_list_ends_at_a_call_to_action_and_at_a_full_sentence():
    contents = [a["content"] for a in read(ANNOUNCED)]
    assert not any(c.startswith(("Read the full", "Mr Obama lands")) for c in contents)


def test_what_comes_before_the_colon_is_not_the_content():
    # "In a wide-ranging interview, President Obama also said:" is no post-posed report.
    assert all(a["content"] != "In a wide-ranging interview" for a in read(ANNOUNCED))


def test_a_label_and_colon_announce_nothing():
    text = ("Update:\nThe bridge will stay closed until the inspection is finished\n"
            "Traffic is diverted through the old town")
    assert read(text) == []


def test_a_paragraph_after_the_announced_one_that_ends_a_sentence_is_not_an_item():
    text = ("The minister told parliament:\n"
            "The budget will be balanced by the end of the decade\n"
            "Opposition members left the chamber before the vote.")
    found = read(text)
    assert [(a["construction"], a["source"]) for a in found] == [
        ("announced-paragraph", "The minister")]


# ---------------------------------------------------------------- a quotation after a report
def test_a_quotation_sentence_after_a_report_continues_its_speaker():
    text = ("Die Ministerin kündigte am Montag ihren Rückzug an. „Ich will diesem "
            "Generationswechsel nicht im Wege stehen.“")
    found = continuations(text, "de")
    assert [(a["source"], a["content"]) for a in found] == [
        ("Die Ministerin", "Ich will diesem Generationswechsel nicht im Wege stehen.")]


def test_a_quotation_that_is_only_part_of_its_sentence_is_no_continuation():
    text = ("The mayor said the budget would be balanced by June. “A fantasy with no numbers "
            "behind it at all” was how her rival described the plan.")
    assert continuations(text) == []


def test_evidence_before_a_quotation_sentence_is_no_speaker():
    text = ("The polls show the mayor ten points behind. “Nobody believed in us at the start "
            "of the campaign.”")
    assert continuations(text) == []
