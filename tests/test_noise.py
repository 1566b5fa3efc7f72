"""Noise for every pair kind: realistic case noise, the noise draw, rebasing onto the source."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairgen.augment.base import apply_edits, undo_edits
from pairgen.augment.case import case_noise
from pairgen.augment.noise import add_noise, rebase, surface_key
from pairgen.augment.protect import function_words, is_function_word
from pairgen.augment.spacing import spacing_noise
from pairgen.pairing.pairs import ParaphraseQuota, pair_key
from pairgen.records import Edit, Pair

SENTENCES = [
    "Ми їхали до Києва в неділю, і дорога була довга.",
    "Пишіть на olena@example.com або на https://example.org/uk щодня.",
    "Київ зустрів нас дощем.",
    "США та Канада підписали угоду.",
    "— Та не журіться, — сказав він, — ще все буде.",
    "Козак швидко читав листа біля хати.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_case_noise_never_caps_a_lone_word_and_keeps_names(sentence: str) -> None:
    noise = case_noise()
    for seed in range(200):
        edits = noise(sentence, random.Random(seed))
        text = apply_edits(sentence, edits)
        whole = text == sentence.upper() or text == sentence.lower()
        if whole:
            continue
        for e in edits:
            letters = [c for c in e.after if c.isalpha()]
            assert not (len(letters) > 1 and e.after.isupper() and not e.before.isupper()), e
            assert e.before[:1].isupper() or not is_function_word(e.before.casefold()), e
        for name in ("Києва", "Київ", "США", "Канада", "olena", "example"):
            if name in sentence:
                assert name in text, (text, edits)


def test_case_noise_makes_every_mode() -> None:
    sentence = "Ми їхали до міста в неділю."
    seen = {apply_edits(sentence, case_noise()(sentence, random.Random(s))) for s in range(200)}
    assert sentence.upper() in seen and sentence.lower() in seen
    assert "ми їхали до міста в неділю." in seen
    assert any("Міста" in t or "Неділю" in t or "Їхали" in t for t in seen)


def test_noise_shares_hold_and_force_gives_some_noise() -> None:
    families = [case_noise(share=0.3), spacing_noise(share=0.5)]
    sentence = "Так, пане, ми їхали до міста в неділю."
    counts = {"case": 0, "spacing": 0}
    for seed in range(2000):
        _, used = add_noise(sentence, families, random.Random(seed))
        for name in used:
            counts[name] += 1
    assert 0.25 < counts["case"] / 2000 < 0.35
    assert 0.45 < counts["spacing"] / 2000 < 0.55
    for seed in range(50):
        edits, used = add_noise(sentence, families, random.Random(seed), force=True)
        assert edits and used


def test_surface_key_ignores_case_and_spacing_only() -> None:
    assert surface_key("Так , ПАНЕ .") == surface_key("так, пане.")
    assert surface_key("Так, пане.") != surface_key("Так, брате.")
    assert pair_key("Так, пане.", "так , пане .") == pair_key("так, пане.", "Так, пане.")


def test_rebase_folds_noise_on_a_swapped_word_into_its_edit() -> None:
    source = "Козак швидко читав."
    swap = [Edit("synonym", 6, 12, "швидко", "хутко", "хутко")]
    assert apply_edits(source, swap) == "Козак хутко читав."
    noise = [Edit("case", 0, 5, "Козак", "КОЗАК"), Edit("case", 6, 11, "хутко", "ХУТКО")]
    noise += [Edit("spacing", 17, 17, "", " ")]
    edits = rebase(source, swap, noise)
    assert apply_edits(source, edits) == "КОЗАК ХУТКО читав ."
    assert [e.op for e in edits] == ["case", "synonym", "spacing"]
    assert edits[1].lemma == "хутко" and edits[1].after == "ХУТКО"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SENTENCES), st.integers(0, 10_000))
def test_noise_edits_undo_to_the_sentence(sentence: str, seed: int) -> None:
    families = [case_noise(share=0.7), spacing_noise(share=0.7)]
    edits, _ = add_noise(sentence, families, random.Random(seed))
    noisy = apply_edits(sentence, edits)
    assert undo_edits(noisy, edits) == sentence
    assert surface_key(noisy) == surface_key(sentence)


def _pair(text2: str, ops: tuple[str, ...], noise: tuple[str, ...]) -> Pair:
    edits = tuple(Edit(op, 0, 0, "", " ") for op in ops)
    return Pair("a", text2, 1.0, "paraphrase", "f", 0, edits, noise)


def test_quota_caps_noise_only_paraphrases() -> None:
    quota = ParaphraseQuota(0.1)
    word, noisy = _pair("b", ("synonym",), ()), _pair("c", ("spacing",), ("spacing",))
    taken = 0
    for i in range(100):
        pair = noisy if i % 2 else word
        if quota.allows(pair):
            quota.take(pair)
            taken += pair is noisy
    assert quota.noise_only_taken == taken <= 0.1 * quota.taken + 1
    assert ParaphraseQuota(0.0).allows(noisy) is False


def test_function_word_list_agrees_with_the_analysis() -> None:
    listed = function_words()
    assert {"що", "про", "і", "не", "та", "він", "її"} <= listed
    assert not {"козак", "хата", "читати"} & listed
    assert all(is_function_word(w) for w in sorted(listed)[:200])
