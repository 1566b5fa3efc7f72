"""Hard-negative mining: blocked candidates, ranked by overlap, never the sentence or its copy."""

from __future__ import annotations

from pairgen.pairing.mining import HardNegativeIndex
from pairgen.text import words

SENTENCES = [
    "Старий рибалка вийшов на світанку до річки з вудкою.",
    "Старий рибалка повернувся з річки без жодної риби.",
    "Молода вчителька читала дітям казку про рибалку.",
    "На світанку над річкою стояв густий білий туман.",
    "Місто прокидалося повільно, трамваї дзеленчали на розі.",
    "Старий рибалка вийшов на світанку до річки з вудкою!",
]


def test_ranked_candidates_share_rare_words_and_are_most_similar_first() -> None:
    idx = HardNegativeIndex([words(s) for s in SENTENCES])
    ranked = idx.ranked(0, limit=5)
    assert ranked[0] == 1  # shares "старий рибалка ... річки"
    assert 0 not in ranked
    assert 5 not in ranked  # the same words: a copy, not a negative
    assert 4 not in ranked  # shares no word at all


def test_candidates_are_capped() -> None:
    many = [("спільне", f"слово{i}") for i in range(50)]
    idx = HardNegativeIndex(many, max_candidates=10)
    assert len(idx.candidates(0)) == 10


def test_very_common_words_are_not_used_for_blocking() -> None:
    corpus = [("і", f"унікальне{i}") for i in range(30)]
    idx = HardNegativeIndex(corpus, max_df=10)
    assert idx.candidates(0) == []


def test_with_a_content_test_candidates_share_a_content_word() -> None:
    """`Про що вони говорять?` / `Про що я думаю?` share only function words."""
    sents = ["Про що вони говорять?", "Про що я думаю?", "Вони говорять про коней.", "Кінь біг."]
    ws = [words(s) for s in sents]
    function = {"про", "що", "вони", "я"}
    plain = HardNegativeIndex(ws, max_df=10)
    assert 1 in plain.ranked(0, 5)
    index = HardNegativeIndex(ws, max_df=10, content=lambda w: w not in function)
    assert index.ranked(0, 5) == [2]
    for i in range(len(sents)):
        for j in index.ranked(i, 5):
            assert (set(ws[i]) & set(ws[j])) - function
