"""Duplicate and near-duplicate sentences: one key per sentence, and groups that share a split.

Real corpora hold the same text twice in forms exact matching does not see: a story saved from two
sites, one with `’` and ` — `, the other with `'` and ` - `; an edition with one word changed. If
the two copies land in different splits, the test set measures memory, not similarity. Three
levels (`--dedup`):

==============  ===================================================================================
``exact``       a sentence equal, character for character, to an earlier one is dropped
``normalised``  also equal after NFKC, case folding, dropping apostrophes and quotes, one hyphen
                for every dash and one space between tokens (`normal_key`): dropped
``near``        (default) also: sentences whose words are near-identical (word-level edit
                similarity at least `NEAR_SIMILARITY`: one word in five inserted, deleted or
                replaced) form a group, and a group's sentences all go to one split
==============  ===================================================================================

Near-duplicates are found without comparing every pair: each sentence's word set gets a MinHash
signature (`minhash`: 128 multiply-shift hash functions over BLAKE2b word hashes, vectorised with
numpy), cut into `BANDS` bands of `ROWS` values; sentences that agree on a whole band are
candidates (locality-sensitive hashing), and a candidate joins a group only when the edit
similarity of the word sequences (`rapidfuzz`) reaches the threshold. A pair at that threshold has
a word-set Jaccard of about 0.67 and is found with probability 0.999 (0.988 at Jaccard 0.6); time
and memory grow linearly with the corpus. `datasketch` computes the same kind of signature, but
importing it loads scipy (most of a second, on every build) and it hashes one sentence per call;
benchmarks/bench_dedup.py measures both.

    >>> normal_key("Пам’ять — це «все»,  каже він.")
    'память - це все , каже він .'
    >>> normal_key("пам'ять - це \\"все\\" ,каже  він.")
    'память - це все , каже він .'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MODES = ("exact", "normalised", "near")
NEAR_SIMILARITY = 0.8
"""Word-level normalised Levenshtein similarity at which two sentences are near-duplicates."""
BANDS, ROWS = 32, 4
"""MinHash LSH banding: 128 permutations; candidates share all 4 values of one of 32 bands."""
_MAX_REPS = 64
"""A sentence is compared with at most this many groups of a bucket (the latest): a bucket of many
unrelated sentences (templated text) must not make the cost quadratic."""
_CHUNK = 1024
"""Sentences hashed at once: their words' 128 hash values each (~1 KB a word) are held together."""

_QUOTES = "'’ʼ`‘\"«»„“”‟‹›′″"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_TABLE = str.maketrans({**dict.fromkeys(_QUOTES), **dict.fromkeys(_DASHES, "-")})
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w+")


def normal_key(text: str) -> str:
    """The text with case, apostrophes, quotes, dashes and spacing made uniform.

    Apostrophes and quotes are dropped rather than unified because `’` is both (an apostrophe in
    `пам’ять`, a closing quote elsewhere); every token is separated by one space, so `слово ,` and
    `слово,` agree.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)
    return " ".join(_TOKEN.findall(folded))


def key(text: str, mode: str) -> str:
    """The key under which `mode` considers two sentences the same."""
    return text if mode == "exact" else normal_key(text)


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def minhash(
    word_sets: Sequence[Sequence[str]], seed: int = 1, hashed: Callable[[str], int] = _word_hash
) -> np.ndarray:
    """MinHash signatures (len(word_sets), BANDS * ROWS) of uint32, one row per word set.

    Each word is hashed to 64 bits (BLAKE2b: the same on every machine and run, unlike `hash`),
    then by `BANDS * ROWS` random multiply-shift hash functions; a signature holds each
    function's minimum over the set. Two sets agree on one value with probability equal to their
    Jaccard similarity. All sets of a call are hashed in one vectorised pass.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    perms = BANDS * ROWS
    multiply = rng.integers(0, 1 << 63, perms, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 1 << 63, perms, dtype=np.uint64)
    flat: list[int] = []
    starts: list[int] = []
    for words in word_sets:
        starts.append(len(flat))
        flat += [hashed(w) for w in set(words)] or [0]
    # (permutations, words): each row reduced along contiguous memory
    values = multiply[:, None] * np.array(flat, dtype=np.uint64) + add[:, None]  # wraps mod 2^64
    shifted = (values >> np.uint64(32)).astype(np.uint32)
    return np.ascontiguousarray(np.minimum.reduceat(shifted, starts, axis=1).T)


def _band_hashes(word_sets: Sequence[Sequence[str]]) -> Iterator[np.ndarray]:
    """For each chunk of `word_sets`, an array (chunk, BANDS) of 64-bit band hashes."""
    import numpy as np

    weights = (np.arange(1, ROWS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | 1
    hashed = lru_cache(maxsize=1 << 18)(_word_hash)  # words repeat: hash each once (~30 MB)
    for start in range(0, len(word_sets), _CHUNK):
        signatures = minhash(word_sets[start : start + _CHUNK], hashed=hashed)
        bands = np.zeros((len(signatures), BANDS), dtype=np.uint64)
        for row in range(ROWS):  # a band's hash: its ROWS values mixed into 64 bits
            bands += signatures[:, row::ROWS].astype(np.uint64) * weights[row]
        yield bands


class _Groups:
    """Union-find over sentence indices; a group's root is its first (smallest) index."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def near_groups(keys: Sequence[str], threshold: float = NEAR_SIMILARITY) -> list[int]:
    """For each key (a `normal_key`), the index of the first key of its near-duplicate group.

    Deterministic: bands, buckets and members are visited in a fixed order. Within a bucket a
    sentence is compared with one member of each group already there (of the last `_MAX_REPS`),
    not with every member.

        >>> near_groups(["він прийшов додому пізно ввечері .", "він прийшов додому ввечері .",
        ...              "зовсім інше речення тут стоїть ."])
        [0, 0, 2]
    """
    import numpy as np
    from rapidfuzz.distance import Levenshtein

    n = len(keys)
    if n < 2:
        return list(range(n))
    words = [tuple(_WORD.findall(k)) for k in keys]
    hashes = np.concatenate(list(_band_hashes(words)))
    groups = _Groups(n)
    for band in range(BANDS):
        column = hashes[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        ends = np.r_[starts[1:], n]
        shared = ends - starts > 1
        for start, end in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True):
            reps: list[int] = []  # one member of each group met in this bucket
            for i in order[start:end].tolist():
                root = groups.find(i)
                if any(groups.find(j) == root for j in reps):
                    continue
                for j in reps[-_MAX_REPS:]:
                    if Levenshtein.normalized_similarity(words[i], words[j]) >= threshold:
                        groups.union(i, j)
                        break
                else:
                    reps.append(i)
    return [groups.find(i) for i in range(n)]


@dataclass
class Deduplicated:
    """What `deduplicate` kept, how it grouped them, and what it dropped and why."""

    keep: list[int]
    """Indices of the kept texts, in input order."""
    group: list[int]
    """For each kept text, the position in `keep` of its group's first member (itself if alone)."""
    dropped: Counter[str] = field(default_factory=Counter)
    """Per reason: "duplicate", "duplicate (normalised)", "excluded", "excluded (near)"."""

    @property
    def groups(self) -> dict[str, int]:
        """Near-duplicate groups of more than one sentence, and the sentences in them."""
        sizes = Counter(self.group)
        big = [n for n in sizes.values() if n > 1]
        return {"groups": len(big), "sentences": sum(big), "largest": max(big, default=0)}


def deduplicate(texts: Sequence[str], mode: str, exclude: Iterable[str] = ()) -> Deduplicated:
    """Drop duplicates of earlier texts and texts of `exclude`; group near-duplicates.

    Excluded texts match after normalisation whatever the mode (an evaluation set copied with
    other quotes is still the evaluation set), and with ``near`` a text in a group with an
    excluded one is dropped too.

        >>> d = deduplicate(["Він прийшов.", "він  прийшов.", "Вона пішла."], "normalised",
        ...                 exclude=["«Вона пішла.»"])
        >>> d.keep, dict(d.dropped)
        ([0], {'duplicate (normalised)': 1, 'excluded': 1})
    """
    if mode not in MODES:
        raise ValueError(f"dedup mode must be one of {MODES}, got {mode!r}")
    excluded = {normal_key(t) for t in exclude}
    exact: set[str] = set()
    normal: set[str] = set()
    result = Deduplicated([], [])
    keys: list[str] = []
    for i, text in enumerate(texts):
        if text in exact:
            result.dropped["duplicate"] += 1
            continue
        exact.add(text)
        k = normal_key(text) if excluded or mode != "exact" else text
        if k in excluded:
            result.dropped["excluded"] += 1
        elif mode != "exact" and k in normal:
            result.dropped["duplicate (normalised)"] += 1
        else:
            normal.add(k)
            result.keep.append(i)
            keys.append(k)
    if mode != "near":
        result.group = list(range(len(result.keep)))
        return result
    n = len(keys)
    roots = near_groups(keys + sorted(excluded - normal))
    tainted = {roots[i] for i in range(n, len(roots))}
    keep: list[int] = []
    group: list[int] = []
    position: dict[int, int] = {}
    for p in range(n):
        if roots[p] in tainted:
            result.dropped["excluded (near)"] += 1
            continue
        position[p] = len(keep)
        keep.append(result.keep[p])
        group.append(position[roots[p]])  # a root is its group's smallest index: seen already
    result.keep, result.group = keep, group
    return result
