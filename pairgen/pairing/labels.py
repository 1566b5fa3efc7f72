"""Lexical-overlap labels in [0, 1].

All measures compare case-folded words with unified apostrophes (`pairgen.text.words`), so
spacing and case noise alone score 1.0 and each changed word lowers the score. Every measure is
symmetric and gives 1.0 for identical text.

    >>> score("overlap", "Він пішов додому.", "він  пішов додому .")
    1.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

Measure = Callable[[Sequence[str], Sequence[str]], float]


def overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Indel normalised similarity over words: 2 * LCS(a, b) / (|a| + |b|)."""
    return float(Indel.normalized_similarity(a, b))


def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    """Shared distinct words over all distinct words: |A ∩ B| / |A ∪ B|."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def char(a: Sequence[str], b: Sequence[str]) -> float:
    """Indel normalised similarity over the characters of the words joined by single spaces."""
    return ratio(" ".join(a), " ".join(b)) / 100.0


MEASURES: dict[str, Measure] = {"overlap": overlap, "jaccard": jaccard, "char": char}

FORMULAS = {
    "overlap": "2·LCS(A, B) / (|A| + |B|) over word sequences A, B (Indel normalised similarity)",
    "jaccard": "|set(A) ∩ set(B)| / |set(A) ∪ set(B)| over distinct words",
    "char": "2·LCS(a, b) / (|a| + |b|) over characters of the words joined by one space",
}
"""How each measure is computed; words are case-folded, apostrophes unified, punctuation ignored."""


def measure(name: str) -> Measure:
    """The measure called `name`; the caller has validated it against MEASURES."""
    return MEASURES[name]


def score(name: str, a: str, b: str) -> float:
    """The label for a pair of sentences under the measure `name`."""
    from pairgen.text import words

    return measure(name)(words(a), words(b))
