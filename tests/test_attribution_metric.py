"""The attribution benchmark's metric (bench/attribution.py), on small hand-made texts and spans.

The metric is imported from the bench file itself (not reimplemented), the way
test_quality_gate.py loads bench/extraction.py.
"""

from __future__ import annotations

import itertools
import random
from types import ModuleType

import pytest
from helpers import load_bench



def _load() -> ModuleType:
    return load_bench("attribution")


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _load()


def span_of(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return (start, start + len(piece))


# ---------------------------------------------------------------- token overlap
def test_token_overlap_counts_shared_word_tokens(bench):
    text = "Smith said the plan will fail, aides say."
    tokens = bench.Tokens(text)
    plan = span_of(text, "the plan will fail")
    # A span covering only part of a word still shares that word's token.
    assert bench.token_overlap(tokens, plan, (span_of(text, "fail")[0] + 2, len(text))) == 1
    assert bench.token_overlap(tokens, plan, span_of(text, "plan will")) == 2
    # Adjacent spans, no shared token.
    assert bench.token_overlap(tokens, span_of(text, "Smith"), span_of(text, " said")) == 0
    # A span of punctuation only has no token, so it overlaps nothing.
    assert bench.token_overlap(tokens, span_of(text, ","), (0, len(text))) == 0
    assert bench.token_overlap(tokens, None, plan) == 0


# ---------------------------------------------------------------- one-to-one matching
def test_matching_finds_maximum_where_greedy_would_not(bench):
    # Greedy by weight takes (0, 0) first and strands left 1; the maximum matching is 2.
    edges = [(0, 0, 10), (0, 1, 1), (1, 0, 1)]
    pairs = bench.max_matching(2, 2, edges)
    assert sorted(pairs) == [(0, 1), (1, 0)]


def test_matching_is_maximum_on_random_graphs(bench):
    rng = random.Random(7)
    for _ in range(300):
        n_left, n_right = rng.randint(0, 5), rng.randint(0, 5)
        edges = [(a, b, rng.randint(1, 9)) for a in range(n_left) for b in range(n_right)
                 if rng.random() < 0.4]
        pairs = bench.max_matching(n_left, n_right, edges)
        # One-to-one and only along edges.
        assert len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
        assert set(pairs) <= {(a, b) for a, b, _ in edges}
        # As large as the best matching found by brute force.
        best = 0
        for size in range(min(n_left, n_right), 0, -1):
            if any(len({a for a, _ in combo}) == size == len({b for _, b in combo})
                   for combo in itertools.combinations([(a, b) for a, b, _ in edges], size)):
                best = size
                break
        assert len(pairs) == best, (n_left, n_right, edges, pairs)


def test_two_predictions_on_one_gold_match_once(bench):
    text = "The minister said the deal was dead."
    tokens = bench.Tokens(text)
    source, content = span_of(text, "The minister"), span_of(text, "the deal was dead")
    gold = [bench.Item(content, source, span_of(text, "said"), "indirect")]
    predicted = [bench.Item(content, source, None, "indirect"),
                 bench.Item(span_of(text, "deal was"), span_of(text, "minister"), None, "direct")]
    pairs = bench.match_attributions(tokens, gold, predicted)
    assert len(pairs) == 1
    assert pairs[0][0] == 0
    assert bench.prf(len(gold), len(predicted), len(pairs)) == (0.5, 1.0, pytest.approx(2 / 3))


# ---------------------------------------------------------------- null sources
def test_null_source_matches_only_null_source(bench):
    text = "It was reported that the talks had failed, Reuters said."
    tokens = bench.Tokens(text)
    content = span_of(text, "the talks had failed")
    reuters = span_of(text, "Reuters")
    both_null = bench.match_attributions(tokens, [bench.Item(content, None, None)],
                                         [bench.Item(content, None, None)])
    gold_null = bench.match_attributions(tokens, [bench.Item(content, None, None)],
                                         [bench.Item(content, reuters, None)])
    pred_null = bench.match_attributions(tokens, [bench.Item(content, reuters, None)],
                                         [bench.Item(content, None, None)])
    assert len(both_null) == 1
    assert gold_null == [] and pred_null == []


def test_content_overlap_without_source_overlap_is_no_match(bench):
    text = "Jones said the vote was rigged, and Smith agreed."
    tokens = bench.Tokens(text)
    content = span_of(text, "the vote was rigged")
    gold = [bench.Item(content, span_of(text, "Jones"), None)]
    assert bench.match_attributions(tokens, gold,
                                    [bench.Item(content, span_of(text, "Smith"), None)]) == []
    assert len(bench.match_attributions(tokens, gold,
                                        [bench.Item(content, span_of(text, "Jones"), None)])) == 1


def test_span_scores_skip_null_spans(bench):
    text = "Officials said it would rain."
    tokens = bench.Tokens(text)
    said = span_of(text, "said")
    assert bench.match_spans(tokens, [None, said], [said, None], exact=False) == (1, 1, 1)
    assert bench.match_spans(tokens, [None], [None], exact=True) == (0, 0, 0)


# ---------------------------------------------------------------- exact match stripping
def test_exact_match_strips_quotes_and_punctuation(bench):
    text = "“We will win, and soon,” she said. „Nie wieder“, sagte er."
    tokens = bench.Tokens(text)
    quoted = span_of(text, "“We will win, and soon,”")
    bare = span_of(text, "We will win, and soon")
    assert bench.strip_span(text, quoted) == bare
    assert bench.match_spans(tokens, [quoted], [bare], exact=True) == (1, 1, 1)
    assert bench.match_spans(tokens, [bare], [(bare[0], quoted[1] + 1)],
                             exact=True) == (1, 1, 1)
    # One word short is an overlap, not an exact match.
    short = span_of(text, "We will win, and")
    assert bench.match_spans(tokens, [quoted], [short], exact=True) == (1, 1, 0)
    assert bench.match_spans(tokens, [quoted], [short], exact=False) == (1, 1, 1)
    german = span_of(text, "„Nie wieder“,")
    assert bench.strip_span(text, german) == span_of(text, "Nie wieder")


def test_exact_match_is_one_to_one(bench):
    text = "He said yes. He said no."
    tokens = bench.Tokens(text)
    said = span_of(text, "said")
    assert bench.match_spans(tokens, [said], [said, said], exact=True) == (1, 2, 1)


# ---------------------------------------------------------------- record scoring
def test_score_record_counts_and_type_accuracy(bench):
    text = "“It is over,” Smith said. Jones thinks the war will end."
    record = bench.Record("t1", text, [
        bench.Item(span_of(text, "“It is over,”"), span_of(text, "Smith"), span_of(text, "said"),
                   "direct"),
        bench.Item(span_of(text, "the war will end"), span_of(text, "Jones"),
                   span_of(text, "thinks"), "free_indirect"),
    ])
    predicted = [
        bench.Item(span_of(text, "It is over"), span_of(text, "Smith"), span_of(text, "said"),
                   "direct"),
        bench.Item(span_of(text, "war will"), span_of(text, "Jones"), None, "indirect"),
        bench.Item(span_of(text, "Jones thinks"), None, None, "direct"),  # a false positive
    ]
    score = bench.Score()
    row = bench.score_record(record, predicted, score)
    assert row == {"gold": 2, "predicted": 3, "matched": 2}
    assert (score.type_pairs, score.type_correct) == (2, 2)  # free_indirect counts as indirect
    assert score.spans[("cue", False)] == [2, 1, 1]
    assert score.spans[("content", True)] == [2, 3, 1]


# ---------------------------------------------------------------- regex baseline
def test_regex_baseline_finds_simple_quotes(bench):
    text = "“We will win,” Smith said. Later: „Wir schaffen das“, sagte Merkel."
    found = bench.regex_baseline(text, "en")
    assert len(found) == 1
    assert text[slice(*found[0].source)] == "Smith"
    assert text[slice(*found[0].cue)] == "said"
    german = bench.regex_baseline(text, "de")
    assert [text[slice(*a.source)] for a in german] == ["Merkel"]
    assert bench.regex_baseline("She called it a “farce” and left.", "en") == []
