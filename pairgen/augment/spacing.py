"""Tokenisation spacing noise: `поле, вони` -> `поле , вони`, `«просто»` -> `« просто »`.

Real training data often went through a tokenise-then-join step; this family imitates it, on the
whole sentence or on a stretch of it. Word characters are never touched, so the label measures
(which ignore punctuation and spacing) score such a paraphrase 1.0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from tokenize_uk import tokenize_words_with_spans

from pairgen.records import Edit
from pairgen.text import word_spans


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


@lru_cache(maxsize=65_536)
def gaps(sentence: str) -> tuple[int, ...]:
    """Offsets where a tokenise-then-join step would put a space: between touching tokens, one
    of which is punctuation (`слово,` `«слово` `слово»` `(1914)`)."""
    tokens = tokenize_words_with_spans(sentence)
    inside = {i for start, end in word_spans(sentence) for i in range(start + 1, end)}
    out = []
    for (a, _, a_end), (b, b_start, _) in pairwise(tokens):
        if a_end == b_start and (not _is_word(a) or not _is_word(b)) and a_end not in inside:
            out.append(a_end)
    return tuple(out)


@dataclass(frozen=True)
class SpacingNoise:
    """Insert spaces at tokenisation gaps: all of them with probability `whole`, else a stretch."""

    share: float = 0.2
    """Share of sentences (sentence2 of every pair kind alike) that get spacing noise."""
    whole: float = 0.5
    name: str = "spacing"

    def __call__(
        self, sentence: str, rng: random.Random, avoid: tuple[tuple[int, int], ...] = ()
    ) -> list[Edit]:
        """Edits for one draw; `avoid` is accepted for the noise interface (spaces never land
        inside a word, so swapped words are safe anyway)."""
        points = gaps(sentence)
        if not points:
            return []
        if len(points) > 1 and rng.random() >= self.whole:
            i = rng.randrange(len(points))
            j = rng.randrange(i, len(points)) + 1
            points = points[i:j]
        return [Edit("spacing", p, p, "", " ") for p in points]


def spacing_noise(share: float = 0.2, whole: float = 0.5) -> SpacingNoise:
    """The spacing family; `share` is the share of sentences it touches, `whole` the chance to
    re-space every gap rather than a stretch."""
    return SpacingNoise(share=share, whole=whole)
