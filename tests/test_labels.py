"""Labels: the properties every measure must have, for any text."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairgen.augment.base import compose
from pairgen.augment.case import case_noise
from pairgen.augment.spacing import spacing_noise
from pairgen.pairing.labels import MEASURES, score

MEASURE_NAMES = sorted(MEASURES)
texts = st.text(max_size=200)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(a=texts, b=texts, name=st.sampled_from(MEASURE_NAMES))
def test_score_is_in_unit_interval_and_symmetric(a: str, b: str, name: str) -> None:
    s = score(name, a, b)
    assert 0.0 <= s <= 1.0
    assert s == pytest.approx(score(name, b, a))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(a=texts, name=st.sampled_from(MEASURE_NAMES))
def test_identity_scores_one(a: str, name: str) -> None:
    assert score(name, a, a) == 1.0


@pytest.mark.parametrize("name", MEASURE_NAMES)
@pytest.mark.parametrize("seed", range(20))
def test_spacing_and_case_noise_alone_score_one(name: str, seed: int) -> None:
    s = "Він сказав: «Добре», і зам’явся — поле, вони (1914 р.) пішли..."
    p = compose(s, [spacing_noise(), case_noise()], random.Random(seed))
    assert p.text != s
    assert score(name, s, p.text) == 1.0


def test_apostrophe_variants_are_the_same_word() -> None:
    assert score("overlap", "м’ята пам'ять", "мʼята пам`ять") == 1.0


def test_each_changed_word_lowers_the_overlap() -> None:
    s = "старий дід повільно йшов до річки"
    one = "старий дід поволі йшов до річки"
    two = "старий дід поволі ішов до річки"
    assert 1.0 > score("overlap", s, one) > score("overlap", s, two) > 0.0
    # 2*LCS/(|a|+|b|): one word of six replaced -> 2*5/12
    assert score("overlap", s, one) == pytest.approx(10 / 12)


def test_measures_differ_where_documented() -> None:
    a, b = "кіт кіт пес", "кіт пес"
    assert score("jaccard", a, b) == 1.0  # sets are equal
    assert score("overlap", a, b) == pytest.approx(2 * 2 / 5)
    assert 0 < score("char", "кіт", "кит") < 1
