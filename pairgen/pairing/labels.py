"""Lexical-overlap labels in [0, 1].

All measures compare case-folded words with unified apostrophes (`pairgen.text.words`), so
spacing and case noise alone score 1.0. Every measure is symmetric and gives 1.0 for identical
text. The default, `lemma` (`pairgen.pairing.lemmas`), compares lemmas rather than word forms,
weighs words by how informative they are (IDF) and gives credit for thesaurus synonyms: of the
four it agrees best with human similarity judgments (benchmarks/bench_labels.py). `overlap`,
`jaccard` and `char` compare word forms or characters and need no statistics.

    >>> score("overlap", "Він пішов додому.", "він  пішов додому .")
    1.0
    >>> score("lemma", "Козак швидко читав листа.", "Козак хутко читав листа .")
    1.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

if TYPE_CHECKING:
    from pairgen.augment.lexicon import Lexicon
    from pairgen.pairing.idf import Idf

Measure = Callable[[Sequence[str], Sequence[str]], float]

DEFAULT_MEASURE = "lemma"


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


PLAIN: dict[str, Measure] = {"overlap": overlap, "jaccard": jaccard, "char": char}
"""The measures that need no corpus statistics or lexicon."""

MEASURES: tuple[str, ...] = (DEFAULT_MEASURE, *PLAIN)
"""Every measure name, the default first."""

NEEDS_IDF = frozenset({"lemma"})
"""Measures that weigh words by IDF, so a build records its table in the manifest."""

FORMULAS = {
    "lemma": "(Σ_{w∈A} idf(w)·m(w, B) + Σ_{w∈B} idf(w)·m(w, A)) / (Σ_{w∈A} idf(w) + "
    "Σ_{w∈B} idf(w)), where m(w, S) = 1 if w shares a pymorphy3 lemma with a word of S or is its "
    "thesaurus synonym, else the best character similarity r >= 0.8 of their lemmas, else 0; "
    "idf(w) = ln((N + 1) / (df(w) + 1)) + 1 over the N sentences of the corpus",
    "overlap": "2·LCS(A, B) / (|A| + |B|) over word sequences A, B (Indel normalised similarity)",
    "jaccard": "|set(A) ∩ set(B)| / |set(A) ∪ set(B)| over distinct words",
    "char": "2·LCS(a, b) / (|a| + |b|) over characters of the words joined by one space",
}
"""How each measure is computed; words are case-folded, apostrophes unified, punctuation ignored."""


def make_measure(name: str, idf: Idf | None = None, lexicon: Lexicon | None = None) -> Measure:
    """The measure called `name` (validated against MEASURES by the caller).

    `lemma` weighs words with `idf` (default: the shipped table, `lexicons/uk_word_df.tsv`) and
    credits the synonyms of `lexicon` (default: the shipped thesaurus); the others ignore both.

        >>> from pairgen.pairing.idf import idf_from_words
        >>> m = make_measure("lemma", idf_from_words([("кіт",), ("пес",)]))
        >>> m(("кіт", "спить"), ("кота", "спить"))
        1.0
    """
    if name in PLAIN:
        return PLAIN[name]
    from pairgen.augment.lexicon import load_lexicon
    from pairgen.pairing.idf import load_idf
    from pairgen.pairing.lemmas import LemmaOverlap

    # `is None`, not `or`: a Lexicon has a length, and an empty one must not become the shipped one
    return LemmaOverlap(
        load_idf() if idf is None else idf, load_lexicon() if lexicon is None else lexicon
    )


@cache
def measure(name: str) -> Measure:
    """The measure called `name` with the shipped IDF table and thesaurus (one per process)."""
    return make_measure(name)


def score(name: str, a: str, b: str) -> float:
    """The label for a pair of sentences under the measure `name` (shipped IDF and thesaurus)."""
    from pairgen.text import words

    return measure(name)(words(a), words(b))
