"""Paragraph roles: the stretches of article text that are not prose (captions, credits,
bylines, date lines, contributor lines), on real pages of the shared corpus and on
hand-written constructions, each with the prose next to it that must stay prose."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import lxml.html
import pytest

from sourcelight.extract.line_roles import role_rules
from sourcelight.extract.roles import line_spans, mark_structure, paragraph_roles
from sourcelight.extract.text import parse_fragment, text_with_offsets
from sourcelight.pipeline import clean, extract_article

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MOZILLA_URL = "http://fakehost/test/page.html"


def corpus_page(name: str) -> tuple[bytes, str | None]:
    """A page of the shared corpus, read in place: ``wcxb-NNNN`` or ``moz-<folder>``."""
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    if name.startswith("wcxb-"):
        return gzip.decompress((CORPUS / "wcxb-dev" / "html" / f"{name[5:]}.html.gz")
                               .read_bytes()), None
    return (CORPUS / "readability-test-pages" / name[4:] / "source.html").read_bytes(), MOZILLA_URL


def roles_of(name: str) -> tuple[str, list[tuple[int, int, str]]]:
    html, url = corpus_page(name)
    result = clean(html, url)
    return result.article.text, result.non_prose


def role_at(spans, start: int, end: int) -> str | None:
    """The role of the span that holds ``[start, end)`` whole, or None (prose)."""
    for s, e, role in spans:
        if s <= start and end <= e:
            return role
    return None


def roles_of_occurrences(text: str, spans, needle: str) -> list[str | None]:
    return [role_at(spans, m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


# ---------------------------------------------------------------- real pages
def test_figure_captions_with_getty_credits_are_captions_and_the_story_is_prose():
    text, spans = roles_of("wcxb-0034")
    credits = roles_of_occurrences(text, spans, "/ Getty Images")
    assert len(credits) == 6 and set(credits) == {"caption"}
    # The story around the figures, which names ClassPass and Strava as sources, is prose.
    for sentence in ("According to Strava", "ClassPass also reported", "tells TODAY.com"):
        assert sentence in text
        assert set(roles_of_occurrences(text, spans, sentence)) == {None}, sentence


def test_news_photo_captions_with_agency_credits():
    text, spans = roles_of("moz-schema-org-context-object")
    assert set(roles_of_occurrences(text, spans, "Getty Images")) == {"caption"}
    assert role_at(spans, *_find(text, "State Department deputy spokesperson Vedant Patel")) is None


def test_a_reporter_line_at_the_end_is_a_contributor_line():
    text, spans = roles_of("moz-schema-org-context-object")
    assert role_at(spans, *_find(text, "Stella Kim reported from Seoul")) == "contributor-line"


def test_byline_agency_line_and_reviewer_line_inside_the_text():
    # (At the article's ends the extraction removes them: see test_promos.py.)
    text, spans = _roles_of_fragment(
        "<p>The council met on Monday and voted on the budget for next year.</p>"
        "<p>By Kelli Miller<br>WebMD Health News</p><p>Reviewed by Hansa D. Bhargava, MD</p>"
        "<p>The vote was close, the chair said.</p>")
    assert role_at(spans, *_find(text, "By Kelli Miller")) == "byline"
    assert role_at(spans, *_find(text, "WebMD Health News")) == "byline"
    assert role_at(spans, *_find(text, "Reviewed by Hansa D. Bhargava, MD")) == "byline"
    assert role_at(spans, *_find(text, "The vote was close")) is None


def test_paragraphs_that_end_in_a_photo_credit_are_captions():
    text, spans = roles_of("wcxb-0153")
    assert roles_of_occurrences(text, spans, "| Photo by Lisa Jennings") == ["caption"] * 3
    assert role_at(spans, *_find(text, "For many restaurant chains")) is None
    text, spans = roles_of("wcxb-0395")
    assert role_at(spans, *_find(text, "Photo : BSS")) == "caption"


def test_a_line_repeating_an_image_alt_text_is_a_caption_but_the_same_name_in_prose_is_not():
    text, spans = roles_of("moz-yahoo-3")
    occurrences = roles_of_occurrences(text, spans, "Vanessa Hicks")
    assert "caption" in occurrences and None in occurrences
    # "A photographer and Navy veteran is fighting back after a photo …": prose about a
    # photographer is not a credit.
    assert role_at(spans, *_find(text, "A photographer and Navy veteran")) is None


def test_agency_story_tail_rule_correction_and_contributors():
    text, spans = roles_of("moz-yahoo-2")
    assert role_at(spans, *_find(text, "contributed to this report")) == "contributor-line"
    assert role_at(spans, *_find(text, "This version corrects")) == "contributor-line"
    for rule in re.finditer(r"(?m)^_{2,}$", text):
        assert role_at(spans, rule.start(), rule.end()) == "contributor-line"
    # The story's own dateline opens a paragraph of prose: it is not a line of its own.
    assert role_at(spans, *_find(text, "MOSCOW (AP) — An unmanned")) is None


def test_a_dateline_standing_alone():
    text, spans = roles_of("moz-wapo-1")
    assert role_at(spans, *_find(text, "CAIRO —")) == "dateline-line"
    assert role_at(spans, *_find(text, "Heba Habib contributed to this report.")) == \
        "contributor-line"


def test_credits_in_figcaptions_through_clean_are_never_sources():
    html, url = corpus_page("wcxb-0034")
    result = clean(html, url)
    names = " ".join(s.name for s in result.sources)
    assert "Getty" not in names and "Mikolette" not in names
    for a in [*result.attributions, *result.candidates]:
        for span in (a.source, a.cue, a.content):
            if span is not None:
                assert role_at(result.non_prose, span[0], span[0] + 1) is None


def test_roles_never_change_the_text_and_spans_are_sorted_and_disjoint():
    for name in ("wcxb-0034", "moz-wapo-1", "moz-nytimes-4", "wcxb-0153"):
        html, url = corpus_page(name)
        result = clean(html, url)
        spans = result.non_prose
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        assert all(0 <= s < e <= len(result.article.text) for s, e, _ in spans)
        # clean() reads them off the extracted article's tree; extraction alone does not.
        extracted = extract_article(html, url)
        assert extracted.non_prose == []
        assert spans == paragraph_roles(parse_fragment(extracted.article.html),
                                        extracted.article.text)


# ---------------------------------------------------------------- constructions
@pytest.mark.parametrize("line, role", [
    ("Mikolette / Getty Images", "credit"),
    ("(AP Photo/Evan Vucci)", "credit"),
    ("Photo: Reuters", "credit"),
    ("Courtesy of the artist", "credit"),
    ("Getty Images", "credit"),
    ("Image caption, Protesters gathered in the square", "caption"),
    ("Media playback is unsupported on your device", "caption"),
    ("By Jane Doe and John Roe, Associated Press", "byline"),
    ("Jane Doe, Associated Press", "byline"),
    ("The Associated Press", "byline"),
    ("WASHINGTON (AP) —", "dateline-line"),
    ("BERLIN, Dec 4 (Reuters) -", "dateline-line"),
    ("Published 3:04 PM EST, Thu December 4, 2025", "dateline-line"),
    ("___", "contributor-line"),
    ("Associated Press writers Jane Doe in Paris and John Roe contributed to this report.",
     "contributor-line"),
    ("Reporting by Jane Doe; Editing by John Roe", "contributor-line"),
    ("Stella Kim reported from Seoul, and Jennifer Jett from Hong Kong.", "contributor-line"),
    ("A protester in Seoul on Friday. Ezra Acayan / Getty Images", "caption"),
])
def test_line_shapes(line, role):
    assert line_spans(line) == [(0, len(line), role)]


@pytest.mark.parametrize("prose", [
    "Getty Images said on Monday it would cut 200 jobs.",
    "The photographer, who asked not to be named, said the image was staged.",
    "By 2030, the city will have doubled its bus fleet.",
    "By Monday, officials had left the building.",
    "John Smith reported from Kabul that the Taliban had retreated.",
    "He contributed to the report on climate change, he said.",
    "Research from Frontiers in Neuroscience points to music as a social glue.",
    "Wallet (credit/debit cards, cash, etc.)",
    "Courtesy of the new law, the city must act now, the mayor said.",
    "Reuters reported that the talks had stalled.",
    "The Associated Press reported on Tuesday that the vote was delayed.",
    "1",
    "$14.55",
])
def test_prose_that_mentions_credits_stays_prose(prose):
    assert line_spans(prose) == []


def _roles_of_fragment(markup: str) -> tuple[str, list]:
    root = parse_fragment(markup)
    text, _ = text_with_offsets(root)
    return text, paragraph_roles(root, text)


def test_a_pull_quote_s_attribution_is_its_source_not_a_credit():
    text, spans = _roles_of_fragment(
        "<p>The council met on Monday and voted on the budget for next year.</p>"
        "<blockquote>We will not cut a single bus route.</blockquote>"
        "<small>Jane Doe, council chair</small>"
        "<figure><blockquote>Buses are the city's backbone.</blockquote>"
        "<figcaption><cite>John Roe</cite></figcaption></figure>"
        "<p>Later, the mayor <small>(a Democrat)</small> spoke.</p>")
    assert role_at(spans, *_find(text, "Jane Doe, council chair")) is None
    assert role_at(spans, *_find(text, "John Roe")) is None
    assert role_at(spans, *_find(text, "(a Democrat)")) == "small-print"
    assert role_at(spans, *_find(text, "Later, the mayor")) is None


def test_a_citation_inside_a_sentence_is_prose_and_alone_a_credit():
    text, spans = _roles_of_fragment(
        "<p>The <cite>Guardian</cite> reported that the talks had stalled.</p>"
        "<p><cite>Jane Doe / Reuters</cite></p>")
    assert role_at(spans, *_find(text, "Guardian")) is None
    assert role_at(spans, *_find(text, "Jane Doe / Reuters")) == "credit"


def test_mark_structure_turns_classed_captions_and_credits_into_elements_text_unchanged():
    markup = ('<div><div class="wp-caption"><img src="a.jpg" alt="">'
              '<p class="wp-caption-text">The mayor at the depot.</p></div>'
              '<p>The mayor said the depot would open in May, and that it had cost less '
              'than planned.</p>'
              '<p class="photo-credit">Jane Doe/City Times</p>'
              '<p><span class="byline">By John Roe</span></p></div>')
    body = lxml.html.fragment_fromstring(markup)
    before = body.text_content()
    mark_structure(body)
    assert body.text_content() == before
    assert body.find(".//figure") is not None and body.find(".//figcaption") is not None
    smalls = [" ".join(s.text_content().split()) for s in body.iter("small")]
    assert smalls == ["Jane Doe/City Times", "By John Roe"]
    # The paragraph of prose is untouched.
    assert [p.text_content()[:9] for p in body.iter("p")] == ["The mayor", "Jane Doe/", "By John R"]


def test_mark_structure_leaves_long_blocks_named_credit_alone():
    prose = "Always compare prices, since renting at the airport often costs more. " * 4
    body = lxml.html.fragment_fromstring(f'<div><p class="credits-section">{prose}</p></div>')
    mark_structure(body)
    assert body.find(".//small") is None


def test_the_rules_are_data_compiled_once():
    assert role_rules() is role_rules()
    assert role_rules().agency_re.search("Jane Doe / Getty Images")


def _find(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.mark.parametrize("line, is_date", [
    # WCXB-dev date lines with ordinal days and a review date; prose with an ordinal stays.
    ("Last updated on September 16th, 2023 at 09:27 am", True),
    ("Monday, August 11th, 2025 at 11:00 am", True),
    ("Last reviewed January 2023", True),
    ("The 4th of July parade was cancelled", False),
])
def test_date_lines_with_ordinal_days(line, is_date):
    from sourcelight.extract.line_roles import is_date_line
    assert is_date_line(line) is is_date


def test_role_phrases_are_found_where_the_byline_pattern_finds_them():
    # The byline test looks for its role phrases by their words instead of running its
    # pattern over every line: both must find the same, at word boundaries and in any case.
    from sourcelight.extract.line_roles import _has_byline_role

    r = role_rules()
    lines = ["Jane Doe, Staff Writer", "JANE DOE | STAFF WRITER", "Jane Doe, Staff  Writer",
             "Jane Doe, Staff Writers", "Jane Doe, Reporter_x", "Jane Doe, xReporter",
             "Jane Doe, Reporter-at-large", "Writing for the Times", "It was for them alone",
             "for the", "(for the)", "Ana Li, Médico, reporter", "Ana Li, AP", "APPLE pie",
             "Ana Li, Kyodo News", "AP/Reuters", "Senior writer and senior reporter"]
    text, _ = roles_of("moz-yahoo-2")
    lines += [line for line in text.split("\n") if line.strip()]
    for line in lines:
        assert _has_byline_role(line, r) == (r.byline_role_re.search(line) is not None), line


@pytest.mark.parametrize(("line", "role"), [
    ("Jane Doe, Senior/Writer", "byline"),  # the role phrase is made by joining the parts
    ("Jane Doe, for the Times", "byline"),
    ("He wrote for the Times on Monday", None),
    ("Mourners gather in the square. Jane Doe / Getty Images", "caption"),
    ("Mourners gather.Getty Images", "caption"),
    ("Mourners gathered in the square on Monday, and Getty Images was there.", None),
])
def test_line_shapes_told_without_their_costly_patterns(line, role):
    assert line_spans(line) == ([(0, len(line), role)] if role else [])
