"""The `lemma` label: IDF-weighted overlap of lemmas, with credit for synonyms and word families.

Word overlap misses what Ukrainian inflection and paraphrase do to a sentence: `книга`, `книги`,
`книзі` are three different words to it, a swapped thesaurus synonym counts as a new word, and the
function words every sentence has (`і`, `в`, `на`) count as much as its content. This measure is
the soft word-alignment similarity of Mihalcea, Corley & Strapparava (2006, "Corpus-based and
knowledge-based measures of text semantic similarity"), with lemmas for words:

    match(w, B) = 1      if w shares a lemma with a word of B (pymorphy3, every reading), or one
                         of them lists the other as a synonym in the thesaurus;
                  r      else, if some lemma of w and some lemma of a word of B have a character
                         similarity r >= RELATED (one word family or spelling: `вудка` / `вудочка`,
                         `газонокосарка` / `газонокосилка`);
                  0      otherwise;

    label(A, B) = (Σ_{w∈A} idf(w)·match(w, B) + Σ_{w∈B} idf(w)·match(w, A))
                  / (Σ_{w∈A} idf(w) + Σ_{w∈B} idf(w))

over the words of A and B (with repeats), idf from `pairgen.pairing.idf`. It is symmetric, in
[0, 1], 1.0 for the same words (so spacing and case noise score 1.0) and for a thesaurus swap.

Every word is analysed once per process: its lemmas, synonyms and weight are kept per word form,
and each sentence's combined sets per word list, so the anchor of a job (labelled against all its
candidates) is analysed once.

    >>> from pairgen.pairing.idf import load_idf
    >>> m = LemmaOverlap(load_idf())
    >>> m(("козак", "читав", "книгу"), ("козаки", "читали", "книжку")) > 0.6
    True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import process
from rapidfuzz.distance import Indel

if TYPE_CHECKING:
    from pairgen.augment.lexicon import Lexicon
    from pairgen.pairing.idf import Idf

RELATED = 0.8
"""Least character similarity (2·LCS / total length) of two lemmas of one word family: at most
one character in five differs."""

PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
"""Proper-name readings are ignored when a word has another one (`люди` is not the name Люда)."""

_CACHE_LIMIT = 200_000
"""Entries per cache before it is emptied: bounded memory in long builds, same values."""


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the measure knows about one word form."""

    lemmas: frozenset[str]
    """The form itself and the dictionary form of each of its readings."""
    reach: frozenset[str]
    """`lemmas` and their thesaurus synonyms: what the word matches."""
    weight: float


@dataclass(frozen=True, slots=True)
class Profile:
    """A word list prepared for comparison: distinct words in first-seen order, combined sets."""

    info: tuple[WordInfo, ...]
    weights: tuple[float, ...]
    """Per distinct word: its weight times how often it occurs."""
    lemmas: frozenset[str]
    synonyms: frozenset[str]
    keys: tuple[str, ...]
    """Every lemma of every distinct word, for the character comparison ..."""
    owner: tuple[int, ...]
    """... and the position in `info` of the word each key belongs to."""
    total: float


def readings(word: str) -> tuple[tuple[str, str | None], ...]:
    """(dictionary form, part of speech) of each reading of `word`, proper names last resort.

    Uses the build's memoised analyser (`pairgen.augment.morph.parse`), so a word the synonym
    swap already parsed costs nothing here. All readings count: the dictionary has no frequencies
    to pick one, and two forms that can be the same word should match.

        >>> sorted({lemma for lemma, _ in readings("людей")})
        ['людина']
    """
    from pairgen.augment.morph import parse

    parses = parse(word)
    tags = [_tag_facts(p.tag) for p in parses]
    common = [(p, pos) for p, (pos, proper) in zip(parses, tags) if not proper]
    every = common or [(p, pos) for p, (pos, _) in zip(parses, tags)]
    return tuple(dict.fromkeys((str(p.normal_form), pos) for p, pos in every))


_TAG_FACTS: dict[str, tuple[str | None, bool]] = {}


def _tag_facts(tag: Any) -> tuple[str | None, bool]:
    """(part of speech, whether a proper-name reading) of a pymorphy3 tag, memoised by its text:
    a few hundred tags serve every word, and pymorphy3 works both out again on each access."""
    key = str(tag)
    found = _TAG_FACTS.get(key)
    if found is None:
        pos = tag.POS
        found = _TAG_FACTS[key] = (None if pos is None else str(pos), bool(tag.grammemes & PROPER))
    return found


class LemmaOverlap:
    """The `lemma` measure for one IDF table and one thesaurus (None: no synonym credit).

    Call it with two word lists (`pairgen.text.words`). Picklable: a Ray worker gets the table and
    the lexicon (which re-reads its file) and starts with empty caches.
    """

    def __init__(
        self, idf: Idf, lexicon: Lexicon | None = None, related: float | None = RELATED
    ) -> None:
        self.idf = idf
        self.lexicon = lexicon
        self.related = related
        """RELATED, or None for no credit to word families (the benchmark's ablation)."""
        self._words: dict[str, WordInfo] = {}
        self._profiles: dict[tuple[str, ...], Profile] = {}
        self._synonyms: dict[tuple[str, str], frozenset[str]] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (LemmaOverlap, (self.idf, self.lexicon, self.related))

    def word(self, word: str) -> WordInfo:
        found = self._words.get(word)
        if found is None:
            found = self._words[word] = self._analyse(word)
            if len(self._words) > _CACHE_LIMIT:
                self._words.clear()
        return found

    def _analyse(self, word: str) -> WordInfo:
        found = readings(word)
        lemmas = frozenset([word, *(lemma for lemma, _ in found)])
        synonyms: set[str] = set()
        if self.lexicon is not None:
            for lemma, pos in found:
                if pos:
                    synonyms |= self._synonyms_of(lemma, pos)
        return WordInfo(lemmas, lemmas | synonyms, self.idf.weight(word))

    def _synonyms_of(self, lemma: str, pos: str) -> frozenset[str]:
        """The one-word thesaurus synonyms of a lemma, memoised: many forms share a lemma."""
        key = (lemma, pos)
        found = self._synonyms.get(key)
        if found is None:
            lexicon = self.lexicon
            items = lexicon.synonyms(lemma, pos) if lexicon is not None else ()
            found = self._synonyms[key] = frozenset(s.lemma for s in items if not s.multiword)
            if len(self._synonyms) > _CACHE_LIMIT:
                self._synonyms.clear()
        return found

    def profile(self, words: Sequence[str]) -> Profile:
        key = tuple(words)
        found = self._profiles.get(key)
        if found is None:
            found = self._profiles[key] = self._prepare(key)
            if len(self._profiles) > _CACHE_LIMIT // 10:
                self._profiles.clear()
        return found

    def _prepare(self, words: tuple[str, ...]) -> Profile:
        counts = Counter(words)
        info = tuple(self.word(w) for w in counts)
        lemmas: set[str] = set()
        reach: set[str] = set()
        keys: list[str] = []
        owner: list[int] = []
        for i, w in enumerate(info):
            lemmas |= w.lemmas
            reach |= w.reach
            ordered = sorted(w.lemmas)
            keys += ordered
            owner += [i] * len(ordered)
        weights = tuple(n * w.weight for n, w in zip(counts.values(), info))
        return Profile(
            info,
            weights,
            frozenset(lemmas),
            frozenset(reach - lemmas),
            tuple(keys),
            tuple(owner),
            sum(weights),
        )

    def __call__(self, a: Sequence[str], b: Sequence[str]) -> float:
        if tuple(a) == tuple(b):
            return 1.0
        if not a or not b:
            return 0.0
        p, q = self.profile(a), self.profile(b)
        match_p, match_q = _exact(p, q), _exact(q, p)
        if self.related is not None and (0.0 in match_p or 0.0 in match_q):
            _related(p, q, match_p, match_q, self.related)
        side_p = sum(w * m for w, m in zip(p.weights, match_p))
        side_q = sum(w * m for w, m in zip(q.weights, match_q))
        return (side_p + side_q) / (p.total + q.total)


def _exact(p: Profile, q: Profile) -> list[float]:
    """1.0 for each word of `p` that shares a lemma with `q` or is a synonym of one, else 0.0."""
    return [
        1.0 if not w.reach.isdisjoint(q.lemmas) or not w.lemmas.isdisjoint(q.synonyms) else 0.0
        for w in p.info
    ]


def _related(
    p: Profile, q: Profile, match_p: list[float], match_q: list[float], cutoff: float
) -> None:
    """Raise each match to the best character similarity >= cutoff between the words' lemmas."""
    import numpy as np

    scores = process.cdist(
        p.keys, q.keys, scorer=Indel.normalized_similarity, score_cutoff=cutoff, dtype=np.float64
    )
    rows, cols = np.nonzero(scores)
    for r, c, value in zip(rows.tolist(), cols.tolist(), scores[rows, cols].tolist()):
        i, j = p.owner[r], q.owner[c]
        if value > match_p[i]:
            match_p[i] = value
        if value > match_q[j]:
            match_q[j] = value
