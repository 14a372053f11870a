"""Source typing and grouping on short articles written for these tests: who each source is,
its category, and which mentions are one entity."""

from __future__ import annotations

from sourcelight.attribution.annotate import annotate


def entities(text: str, lang: str = "en") -> list[tuple[str, str, int]]:
    """(name, category, mentions) of every card, marked and uncertain mentions alike: these
    tests are about typing and grouping, not about the confidence threshold."""
    html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return [(s.name, s.category, len(s.mentions) + len(s.candidate_mentions))
            for s in annotate(text, html, lang, None).sources]


def test_a_pronoun_after_a_list_refers_to_the_person_not_the_list():
    text = ("President Barack Obama said the talks had stalled.\n\n"
            "Congress\n\nSyria\n\n"
            "He said he would keep trying to reach a deal.")
    assert entities(text) == [("Barack Obama", "person", 2)]


def test_the_title_refers_back_to_the_person_who_holds_it():
    text = ("President Barack Obama said the talks had stalled.\n\n"
            "Later in the day, the president said he would try again next week.")
    assert entities(text) == [("Barack Obama", "person", 2)]


def test_a_journalist_named_after_the_outlet_is_a_person():
    text = "The BBC's North America editor Jon Sopel said the mood had changed."
    assert entities(text) == [("Jon Sopel", "person", 1)]


def test_transcript_speaker_labels_group_with_the_named_person():
    text = ("Travis Cantwell says he knows everything about boilers.\n\n"
            "TRAVIS CANTWELL: We fix what the district will not fix.")
    assert entities(text) == [("Travis Cantwell", "person", 2)]


def test_a_name_with_its_role_is_that_person():
    text = ("Zeph Capo, the president of the Texas teachers' union, says the plan will help.\n\n"
            "Capo says he hopes the coalition will hold.")
    assert entities(text) == [("Zeph Capo", "person", 2)]


def test_a_group_named_after_its_kind_is_an_organization():
    text = ("The season has begun, according to whale rescue group Project Jonah.")
    assert entities(text) == [("whale rescue group Project Jonah", "organization", 1)]


def test_a_surname_is_not_taken_from_a_place_after_of():
    text = ("Jamie Werner of Ngātiwai said the beach was full of volunteers.\n\n"
            "Ngātiwai believe the whales beach when they are ready to die.\n\n"
            "Werner says the volunteers worked through the night.")
    names = [(name, count) for name, _, count in entities(text)]
    assert ("Jamie Werner", 2) in names and ("Ngātiwai", 1) in names


def test_passive_description_names_its_agent():
    text = ("The stranding has been described as “heartbreaking” by the conservation "
            "department.")
    assert entities(text) == [("the conservation department", "organization", 1)]


def test_page_label_before_a_name_is_dropped():
    text = "Media caption Mr Obama told the BBC that gun control was his biggest frustration."
    assert entities(text) == [("Obama", "person", 1)]


def test_a_name_with_one_of_its_roles_groups_with_the_name():
    text = ("Eric Reeves, one of the leading experts on Sudan, said the talks had failed.\n\n"
            "Eric Reeves said he expects new fighting.")
    assert entities(text) == [("Eric Reeves", "person", 2)]
