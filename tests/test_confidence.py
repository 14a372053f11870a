"""The confidence stage: calibrated confidence from named evidence, the marking threshold per
language, and the split into marks and candidates on a real page."""

from __future__ import annotations

import pytest

from sourcelight.attribution.confidence import confidence_model, score, split_by_confidence
from sourcelight.attribution.model import Attribution
from sourcelight.pipeline import clean
from sourcelight.settings import Settings


def test_the_threshold_follows_the_articles_language():
    settings = Settings()
    assert settings.min_confidence_for("en") == settings.min_confidence
    assert settings.min_confidence_for("de-AT") < settings.min_confidence
    assert Settings(min_confidence=0.0).min_confidence_for("de") == 0.0
    assert Settings(min_confidence_offsets=()).min_confidence_for("de") == \
        settings.min_confidence


def test_stronger_evidence_gives_higher_confidence_and_caps_hold():
    model = confidence_model()
    said = score(["construction:quote-cue-after", "cue:speech", "source:name-full"], 0.9, model)
    wants = score(["construction:preposed", "cue:intention", "source:unknown"], 0.6, model)
    assert 0.0 < wants < said < 1.0
    unresolved = score(["cue:speech", "source:pronoun-unresolved"], 0.9, model)
    assert unresolved <= model.caps["source:pronoun-unresolved"]


def test_split_numbers_marks_and_candidates_in_reading_order():
    found = [Attribution(content=(i * 10, i * 10 + 5), source=None, cue=None, type="indirect",
                         confidence=c) for i, c in enumerate((0.9, 0.3, 0.75, 0.1))]
    marked, candidates = split_by_confidence(found, 0.7)
    assert [(a.id, a.confidence) for a in marked] == [("a1", 0.9), ("a2", 0.75)]
    assert [(a.id, a.confidence) for a in candidates] == [("c1", 0.3), ("c2", 0.1)]


@pytest.fixture
def seed_answer(seed_page, seed_expected):
    return clean(seed_page.read_bytes(), seed_expected["url"]).to_dict()


def test_marks_are_at_or_above_the_threshold_and_candidates_below(seed_answer):
    threshold = Settings().min_confidence_for(seed_answer["article"]["lang"])
    assert seed_answer["attributions"]
    assert all(a["confidence"] >= round(threshold, 2) for a in seed_answer["attributions"])
    assert all(a["confidence"] < threshold for a in seed_answer["candidates"])
    assert all(a["evidence"] for a in seed_answer["attributions"] + seed_answer["candidates"])
    html = seed_answer["article"]["html"]
    assert all(f'data-attr="{c["id"]}"' not in html for c in seed_answer["candidates"])
