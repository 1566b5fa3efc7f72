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
