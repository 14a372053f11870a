"""Issue 3's "Done means" on the seed page: every expected attribution, nothing else, and the
expected source entities with their categories."""

from __future__ import annotations

import pytest

from sourcelight.pipeline import clean


def occurrence(text: str, needle: str, near: int) -> tuple[int, int]:
    """The occurrence of ``needle`` closest to ``near`` (expected strings repeat: "said")."""
    best = None
    start = text.find(needle)
    while start != -1:
        if best is None or abs(start - near) < abs(best - near):
            best = start
        start = text.find(needle, start + 1)
    assert best is not None, f"{needle!r} is not in the article text"
    return best, best + len(needle)


def overlaps(span, other) -> bool:
    return bool(span) and span[0] < other[1] and other[0] < span[1]


@pytest.fixture
def result(seed_page, seed_expected):
    return clean(seed_page.read_bytes(), seed_expected["url"]).to_dict()


def expected_spans(text: str, expected: dict) -> list[dict]:
    out = []
    for e in expected["attributions"]:
        content = occurrence(text, e["content"], 0)
        source = occurrence(text, e["source"], content[0])
        cue = occurrence(text, e["cue"], source[0])
        out.append({**e, "content_span": content, "source_span": source, "cue_span": cue})
    return out


def test_every_expected_attribution_is_found(result, seed_expected):
    text = result["article"]["text"]
    for e in expected_spans(text, seed_expected):
        hits = [a for a in result["attributions"]
                if overlaps(a["source"], e["source_span"]) and overlaps(a["cue"], e["cue_span"])
                and overlaps(a["content"], e["content_span"])]
        assert hits, f"not found: {e['source']!r} {e['cue']!r} {e['content'][:50]!r}"


def test_nothing_is_attributed_that_is_not_there(result, seed_expected):
    text = result["article"]["text"]
    expected = expected_spans(text, seed_expected)
    for a in result["attributions"]:
        assert any(overlaps(a["content"], e["content_span"]) and
                   overlaps(a["source"], e["source_span"]) for e in expected), (
            "unexpected attribution: "
            f"{text[a['source'][0]:a['source'][1]] if a['source'] else None!r} "
            f"{text[a['cue'][0]:a['cue'][1]] if a['cue'] else None!r} "
            f"{text[a['content'][0]:a['content'][1]][:60]!r}")
    assert len(result["attributions"]) == len(expected)


def test_sources_are_grouped_into_the_expected_entities(result, seed_expected):
    text = result["article"]["text"]
    expected = expected_spans(text, seed_expected)
    categories = {e["id"]: e["category"] for e in seed_expected["entities"]}
    ours_for: dict[str, set[str]] = {}
    for e in expected:
        match = next(a for a in result["attributions"]
                     if overlaps(a["source"], e["source_span"])
                     and overlaps(a["content"], e["content_span"]))
        ours_for.setdefault(e["entity"], set()).add(match["entity"])
    # Each expected entity is exactly one of ours, and no two expected entities share one.
    assert all(len(ids) == 1 for ids in ours_for.values()), ours_for
    mapping = {k: next(iter(v)) for k, v in ours_for.items()}
    assert len(set(mapping.values())) == len(mapping) == 9
    by_id = {s["id"]: s for s in result["sources"]}
    for expected_id, our_id in mapping.items():
        assert by_id[our_id]["category"] == categories[expected_id], (expected_id, by_id[our_id])
    assert len(result["sources"]) == 9


def test_anonymous_source_carries_its_stated_reason(result):
    anonymous = [s for s in result["sources"] if s["category"] == "anonymous"]
    assert len(anonymous) == 1
    assert len(anonymous[0]["mentions"]) == 3
    assert "sensitivity of the matter" in anonymous[0]["anonymity_reason"]


def test_state_media_is_flagged(result):
    media = {s["name"]: s for s in result["sources"] if s["category"] == "media"}
    assert media["Xinhua"]["state_media"] is True
    assert media["Wall Street Journal"]["state_media"] is False


def test_summary_counts_the_sources(result):
    summary = result["summary"]
    assert summary["sources"] == 9
    assert summary["by_category"] == {"anonymous": 1, "person": 2, "media": 3,
                                      "organization": 3}
    assert summary["anonymous_mentions"] == 3
    assert 0.3 < summary["attributed_share"] < 1.0


def test_article_html_marks_every_span_and_survives_sanitising(result):
    from sourcelight.extract.text import html_to_text
    from sourcelight.render import sanitize_html
    html = result["article"]["html"]
    assert sanitize_html(html) == html
    assert html_to_text(html) == result["article"]["text"]
    for a in result["attributions"]:
        for role in ("source", "cue", "content"):
            if a[role]:
                assert f'class="sl-{role}" data-attr="{a["id"]}" data-entity="{a["entity"]}"' \
                    in html, (a["id"], role)
    # The WSJ source crosses into a link: the mark is split around and inside the <a>.
    assert '<a href="https://wsj.example/world/asia/trump-takaichi-call" rel="noopener ' \
           'noreferrer"><mark class="sl-source"' in html


def test_cited_link_is_media_and_tied_to_its_attribution(result):
    (link,) = result["links"]
    assert link["kind"] == "media" and link["text"] == "Wall Street Journal"
    by_id = {a["id"]: a for a in result["attributions"]}
    text = result["article"]["text"]
    source = by_id[link["attribution"]]["source"]
    assert text[source[0]:source[1]] == "the Wall Street Journal"


def test_report_clause_source_is_named_without_its_relative_word():
    from sourcelight.attribution.annotate import annotate
    # A lone surname is a person's when the article gives the full name (news always does).
    text = ("Es gibt eine Verlautbarung, wonach im vergangenen Jahr 500 Betriebe schlossen. "
            "Thomas Müller war dabei. Müller sagte, es sei schlimm.")
    sources = annotate(text, f"<p>{text}</p>", "de", None).sources
    assert [(s.name, s.category) for s in sources] == [("Verlautbarung", "document"),
                                                       ("Thomas Müller", "person")]


def test_an_acronym_source_is_an_organization():
    from sourcelight.attribution.annotate import annotate
    text = "HCA said the use of the drugs surged 90% this year."
    sources = annotate(text, f"<p>{text}</p>", "en", None).sources
    assert [(s.name, s.category) for s in sources] == [("HCA", "organization")]
