"""The attribution finder's house: every attribution names the construction that read it (the
confidence stage weighs it), and the finder's modules stay small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sourcelight.attribution.finder import find_attributions

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "sourcelight" / "attribution"
FINDER_MODULES = ("finder", "tokens", "quotes", "clauses", "noun_phrases", "readings",
                  "grammar_en", "grammar_de", "continuation")


def constructions(text: str, lang: str = "en") -> list[tuple[str, str | None]]:
    """(construction, source text) of each attribution found in ``text``."""
    return [(a.construction, text[a.source[0]:a.source[1]] if a.source else None)
            for a in find_attributions(text, lang)]


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "“We will not back down from this fight,” the mayor said on Monday.",
     ("quote-cue-after", "the mayor")),
    ("en", "The mayor said: “We will not back down from this fight.”",
     ("quote-cue-before", "The mayor")),
    ("en", "Jones: “The partisanship of the state is getting worse every year.”",
     ("quote-name-colon", "Jones")),
    ("en", "The company’s spokeswoman wrote:\n“We are reviewing the complaint and will respond.”",
     ("announced-quote", "The company’s spokeswoman")),
    ("en", "The bridge will stay closed until spring, officials said.",
     ("postposed", "officials")),
    ("en", "The governor said the state would appeal the ruling.",
     ("preposed", "The governor")),
    ("en", "According to the ministry, the driver was not wearing a seatbelt.",
     ("according-to", "the ministry")),
    ("en", "Sanders called for a higher minimum wage in his speech.", ("phrasal", "Sanders")),
    ("en", "The deal was first reported by the Wall Street Journal.",
     ("passive-by", "the Wall Street Journal")),
    ("en", "Clinton held a 10-point lead over Trump in a CNN national poll.",
     ("poll", "a CNN national poll")),
    ("en", "PENCE: We will not raise taxes on working families.", ("speaker-colon", "PENCE")),
    ("en", "The new rules appear to favour the largest banks.", ("hedge", None)),
    ("en", "When asked whether he would run again, the senator smiled.", ("asked", None)),
    ("en", "There were polls showing her well behind in the state.",
     ("evidence-showing", "polls")),
    ("de", "Die Lage sei ernst, so der Minister.", ("de-so", "der Minister")),
    ("de", "Der Einsatz dauerte bis zum Abend, wie die Polizei mitteilte.",
     ("de-wie", "die Polizei")),
    ("de", "Die Steuern sollen im kommenden Jahr sinken, hieß es.", ("impersonal", None)),
    ("de", "Dem Bericht der Zeitung zufolge sind die Rücklagen aufgebraucht.",
     ("de-zufolge", "Dem Bericht der Zeitung")),
    ("de", "Strauss-Kahn wird vorgeworfen, ein Zimmermädchen angegriffen zu haben.",
     ("de-passive", None)),
])
def test_each_reading_names_its_construction(lang, text, expected):
    assert constructions(text, lang) == [expected]


def test_participle_and_its_main_clause_are_told_apart():
    found = constructions("Huma Abedin wrote to supporters on Friday, telling them that the "
                          "campaign was on track.")
    assert ("participle", "Huma Abedin") in found and ("preposed", "Huma Abedin") in found


def test_german_reported_speech_going_on_in_the_subjunctive():
    found = constructions("Der Minister sagte, die Steuern würden sinken. Die Regierung habe "
                          "genug Geld dafür.", "de")
    assert found == [("preposed", "Der Minister"), ("de-subjunctive", "Der Minister")]


def test_announced_quote_needs_the_colon_at_the_paragraph_end():
    # The colon may be followed by blanks; without a colon the next paragraph's quotation
    # has no speaker.
    with_colon = "The spokeswoman wrote:   \n“We are reviewing the complaint and will respond.”"
    without = "The spokeswoman wrote a letter.\n“We are reviewing the complaint and will respond.”"
    assert constructions(with_colon) == [("announced-quote", "The spokeswoman")]
    assert all(c != "announced-quote" for c, _ in constructions(without))


def test_finder_modules_stay_readable():
    """No finder module over about 500 lines (issue 9, part 5)."""
    sizes = {name: len((PACKAGE / f"{name}.py").read_text(encoding="utf-8").splitlines())
             for name in FINDER_MODULES}
    assert max(sizes.values()) <= 520, sizes


def test_grammar_modules_do_not_import_the_orchestrator():
    """The rules never import finder.py (it imports them): no cycle to untangle."""
    for name in FINDER_MODULES[1:]:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "finder" not in imported, name


def test_span_index_answers_as_a_scan_would():
    """The finder's look-ups by bisection give what scanning every span gives."""
    import random

    from sourcelight.attribution.tokens import SpanIndex

    rng = random.Random(9)
    spans = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 400) for _ in range(60))]
    index = SpanIndex(spans)
    for pos in range(0, 450):
        assert index.holds(pos) == any(s <= pos < e for s, e in spans), pos
        assert index.starts_within(pos, pos + 7) == any(pos <= s < pos + 7 for s, _ in spans)
    assert not SpanIndex([]).holds(3) and not SpanIndex([]).starts_within(0, 10)
