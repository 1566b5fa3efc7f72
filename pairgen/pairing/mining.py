"""Hard negatives without comparing all pairs.

A sentence's candidates are the sentences that share one of its rarest words (an inverted index over
words that occur in at most `max_df` sentences); only those candidates are scored with rapidfuzz.
The cost per sentence is bounded by `max_candidates`, so mining stays linear in the corpus.

    >>> idx = HardNegativeIndex([("а", "б", "в"), ("а", "б", "г"), ("д",)])
    >>> idx.ranked(0, limit=1)
    [1]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Indel

MAX_NEAR_DUPLICATE = 0.95
"""Candidates scoring at or above this are near-copies of the sentence, not negatives."""


class HardNegativeIndex:
    """An inverted index over the rare words of a group of sentences (one split)."""

    def __init__(
        self,
        words: Sequence[tuple[str, ...]],
        *,
        keys_per_sentence: int = 4,
        max_df: int = 200,
        max_candidates: int = 256,
        content: Callable[[str], bool] | None = None,
    ) -> None:
        """`content(word)` says whether a word may key a sentence; with it, only content words
        do, so every candidate shares at least one content word (`Про що вони говорять?` /
        `Про що я думаю?` share only function words and are not hard negatives)."""
        self.words = words
        self.keys_per_sentence = keys_per_sentence
        self.max_candidates = max_candidates
        df: Counter[str] = Counter()
        for ws in words:
            df.update(set(ws))
        self.df = df
        keyed = {w for w, n in df.items() if 2 <= n <= max_df}
        if content is not None:
            keyed = {w for w in keyed if content(w)}
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for i, ws in enumerate(words):
            for w in set(ws):
                if w in keyed:
                    postings[w].append(i)
        self.postings = dict(postings)

    def keys(self, i: int) -> list[str]:
        """The sentence's rarest shared words, rarest first (ties broken by the word itself)."""
        shared = {w for w in self.words[i] if w in self.postings}
        return sorted(shared, key=lambda w: (self.df[w], w))[: self.keys_per_sentence]

    def candidates(self, i: int) -> list[int]:
        """Sentences sharing a key word with sentence `i`, rarest key first, capped."""
        seen: dict[int, None] = {}
        for w in self.keys(i):
            for j in self.postings[w]:
                if j != i:
                    seen[j] = None
                    if len(seen) >= self.max_candidates:
                        return list(seen)
        return list(seen)

    def ranked(self, i: int, limit: int) -> list[int]:
        """Up to `limit` candidates, most similar first, excluding near-copies of sentence `i`.

        Closeness is always word overlap (rapidfuzz's C scorer, one `cdist` row per sentence),
        whatever label measure the build uses: it only orders candidates.
        """
        cands = self.candidates(i)
        if not cands or limit <= 0:
            return []
        row = process.cdist(
            [self.words[i]], [self.words[j] for j in cands], scorer=Indel.normalized_similarity
        )[0]
        scored = [(float(s), j) for s, j in zip(row, cands) if 0 < s < MAX_NEAR_DUPLICATE]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [j for _, j in scored[:limit]]
