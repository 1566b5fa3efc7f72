"""Pair planning: the kind schedule follows the mix, mirror pairs count once."""

from __future__ import annotations

from collections import Counter
from itertools import islice

import pytest

from pairgen.pairing.pairs import kind_schedule, pair_key


@pytest.mark.parametrize(
    "weights",
    [
        {"paraphrase": 0.5, "hard": 0.25, "random": 0.25},
        {"paraphrase": 1.0, "hard": 0.0, "random": 0.0},
        {"paraphrase": 0.2, "hard": 0.3, "random": 0.5},
    ],
)
@pytest.mark.parametrize("n", [1, 7, 100, 2001])
def test_schedule_counts_match_the_mix_within_one(weights: dict[str, float], n: int) -> None:
    counts = Counter(islice(kind_schedule(weights), n))
    for kind, w in weights.items():
        assert abs(counts[kind] - w * n) <= 1
    assert sum(counts.values()) == n


def test_schedule_interleaves_kinds() -> None:
    first = list(islice(kind_schedule({"paraphrase": 0.5, "hard": 0.25, "random": 0.25}), 4))
    assert sorted(first) == ["hard", "paraphrase", "paraphrase", "random"]


def test_pair_key_is_symmetric_and_distinguishes_pairs() -> None:
    assert pair_key("а", "б") == pair_key("б", "а")
    assert pair_key("а", "б") != pair_key("а", "в")
    assert pair_key("аб", "в") != pair_key("а", "бв")


def test_spares_are_labelled_on_acceptance_with_the_workers_value(tiny_corpus) -> None:
    """A worker labels one candidate per slot; a spare the parent takes gets the same label."""
    import math

    from pairgen.config import BuildOptions
    from pairgen.pairing.pairs import Job, labelled, make_candidates
    from pairgen.pipeline import make_context, read_sentences
    from pairgen.text import words

    options = BuildOptions(corpus=str(tiny_corpus), workers=1, test_size=0.0)
    corpus = read_sentences(options, lambda _: None, lambda _: None)
    ctx = make_context(options, corpus.sentences)
    cands = make_candidates(ctx, Job(0, ("hard", "random"), 0, 0, False))
    assert len(cands.by_kind["random"]) >= 2, "the job draws spares"
    for kind in ("hard", "random"):
        pairs = [pair for _, pair in cands.by_kind[kind]]
        if not pairs:
            continue
        assert not math.isnan(pairs[0].score)
        assert all(math.isnan(p.score) for p in pairs[1:])
        for p in pairs:
            assert labelled(ctx, p).score == ctx.measure(ctx.words[0], words(p.sentence2))
        assert labelled(ctx, pairs[0]) is pairs[0]
