"""Pairing: which sentences become anchors, which kind of pair each slot gets, and the candidates.

The work is split so that everything expensive is a pure function of one anchor sentence
(`make_candidates`), which workers run in any order, while the cheap, order-dependent choices
(kind schedule, duplicate removal, stopping at exactly `-n`) stay in the parent. That is what makes
the output byte-identical for any worker count.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from pairgen.augment.base import Augmenter, compose
from pairgen.pairing.labels import Measure
from pairgen.pairing.mining import HardNegativeIndex
from pairgen.records import KINDS, Edit, Pair, Paraphrase, Sentence
from pairgen.seeding import rng_for
from pairgen.text import words

ATTEMPTS_PER_PARAPHRASE = 3
"""Paraphrase attempts per paraphrase slot; a duplicate or unchanged attempt is thrown away."""
SPARE_CANDIDATES = 4
"""Extra negatives offered per job, so a duplicate does not cost the slot."""


def pair_key(a: str, b: str) -> int:
    """The same 64-bit key for (a, b) and (b, a): a pair and its mirror image are one pair."""
    lo, hi = (a, b) if a <= b else (b, a)
    h = hashlib.blake2b(lo.encode() + b"\x00" + hi.encode(), digest_size=8)
    return int.from_bytes(h.digest(), "big")


@dataclass
class Context:
    """Everything a worker needs; built once in the parent and inherited by forked workers."""

    sentences: Sequence[Sentence]
    words: Sequence[tuple[str, ...]]
    members: dict[str, list[int]]
    """Sentence ids per split: negatives are drawn from the anchor's own split."""
    split_of: Sequence[str]
    indexes: dict[str, HardNegativeIndex]
    augmenters: Sequence[Augmenter]
    measure: Measure
    seed: int


@dataclass(frozen=True)
class Job:
    """One anchor's slots in one pass."""

    anchor: int
    kinds: tuple[str, ...]
    pass_no: int
    hard_offset: int
    explain: bool


@dataclass
class Candidates:
    """What a worker offers for one job: candidates per kind, best first, with their keys."""

    anchor: int
    kinds: tuple[str, ...]
    by_kind: dict[str, list[tuple[int, Pair]]]
    skipped: Counter[str] = field(default_factory=Counter)
    augment_s: float = 0.0
    mine_s: float = 0.0

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Sent from worker to parent as plain tuples: pickle handles slotted frozen dataclasses
        # through a Python-level __setstate__ that costs ~15 µs an object, which made the parent
        # the bottleneck of a 1,000,000-pair build (~240 objects per anchor); tuples cost ~1 µs.
        # The tuples follow the records' own field order, so a new field travels too.
        rows = {
            kind: [(key, *_pair_row(p)) for key, p in cands] for kind, cands in self.by_kind.items()
        }
        state = (self.anchor, self.kinds, rows, self.skipped, self.augment_s, self.mine_s)
        return (_candidates, state)


_PAIR_FIELDS = tuple(f.name for f in fields(Pair))
_EDITS_AT = _PAIR_FIELDS.index("edits")
_pair_values = attrgetter(*_PAIR_FIELDS)
_edit_values = attrgetter(*(f.name for f in fields(Edit)))


def _pair_row(p: Pair) -> tuple[Any, ...]:
    row = _pair_values(p)
    return (*row[:_EDITS_AT], tuple(map(_edit_values, p.edits)), *row[_EDITS_AT + 1 :])


def _candidates(
    anchor: int,
    kinds: tuple[str, ...],
    rows: dict[str, list[tuple[Any, ...]]],
    skipped: Counter[str],
    augment_s: float,
    mine_s: float,
) -> Candidates:
    by_kind = {
        kind: [(row[0], _pair_of(row[1:])) for row in kind_rows] for kind, kind_rows in rows.items()
    }
    return Candidates(anchor, kinds, by_kind, skipped, augment_s, mine_s)


def _pair_of(row: tuple[Any, ...]) -> Pair:
    edits = tuple(Edit(*e) for e in row[_EDITS_AT])
    return Pair(*row[:_EDITS_AT], edits, *row[_EDITS_AT + 1 :])  # type: ignore[call-arg]


def _pair(
    ctx: Context, anchor: int, text2: str, kind: str, words2: tuple[str, ...], edits: tuple = ()
) -> tuple[int, Pair]:
    s = ctx.sentences[anchor]
    score = ctx.measure(ctx.words[anchor], words2)
    pair = Pair(s.text, text2, score, kind, s.source, s.index, edits)
    return pair_key(s.text, text2), pair


def paraphrases(
    sentence: str, augmenters: Sequence[Augmenter], seed: int, pass_no: int, wanted: int
) -> Iterator[Paraphrase]:
    """Distinct paraphrases of `sentence`, from `wanted * ATTEMPTS_PER_PARAPHRASE` attempts.

    Attempt k of pass p draws from its own rng, seeded by (seed, sentence, p, k), so the build and
    `pairgen preview` make the same paraphrases in the same order; an unchanged or repeated
    attempt is dropped, so fewer than `wanted` may come.
    """
    seen = {sentence}
    for attempt in range(wanted * ATTEMPTS_PER_PARAPHRASE):
        p = compose(sentence, augmenters, rng_for(seed, "paraphrase", sentence, pass_no, attempt))
        if p.text not in seen:
            seen.add(p.text)
            yield p


def make_candidates(ctx: Context, job: Job) -> Candidates:
    """Paraphrases, hard negatives and random negatives for one anchor; pure in (ctx, job)."""
    s = ctx.sentences[job.anchor]
    need = Counter(job.kinds)
    out = Candidates(job.anchor, job.kinds, {k: [] for k in KINDS})
    t0 = time.thread_time()  # CPU, not wall: a busy machine must not inflate the stage costs
    if need["paraphrase"]:
        for p in paraphrases(s.text, ctx.augmenters, ctx.seed, job.pass_no, need["paraphrase"]):
            out.by_kind["paraphrase"].append(
                _pair(ctx, job.anchor, p.text, "paraphrase", words(p.text), p.edits)
            )
    if job.explain:
        for aug in ctx.augmenters:
            explain = getattr(aug, "explain", None)
            if explain is not None:
                out.skipped.update(d.reason for d in explain(s.text) if d.reason != "eligible")
    t1 = time.thread_time()
    split = ctx.split_of[job.anchor]
    members = ctx.members[split]
    if need["hard"]:
        index = ctx.indexes[split]
        local = _local_position(ctx, job.anchor)
        limit = job.hard_offset + need["hard"] + SPARE_CANDIDATES
        for j in index.ranked(local, limit)[job.hard_offset :]:
            other = members[j]
            out.by_kind["hard"].append(
                _pair(ctx, job.anchor, ctx.sentences[other].text, "hard", ctx.words[other])
            )
    if need["random"] and len(members) > 1:
        rng = rng_for(ctx.seed, "random", s.text, job.pass_no)
        for _ in range(need["random"] + SPARE_CANDIDATES):
            j = members[rng.randrange(len(members))]
            if j != job.anchor and ctx.words[j] != ctx.words[job.anchor]:
                out.by_kind["random"].append(
                    _pair(ctx, job.anchor, ctx.sentences[j].text, "random", ctx.words[j])
                )
    out.mine_s = time.thread_time() - t1
    out.augment_s = t1 - t0
    return out


def _local_position(ctx: Context, anchor: int) -> int:
    positions = getattr(ctx, "_positions", None)
    if positions is None:
        positions = {i: p for ids in ctx.members.values() for p, i in enumerate(ids)}
        ctx._positions = positions  # type: ignore[attr-defined]
    return positions[anchor]


def kind_schedule(weights: dict[str, float]) -> Iterator[str]:
    """An endless sequence of kinds whose running counts track the weights as closely as
    possible (largest deficit first), e.g. 0.5/0.25/0.25 -> paraphrase, hard, paraphrase, random."""
    counts = dict.fromkeys(KINDS, 0)
    g = 0
    while True:
        g += 1
        kind = max(KINDS, key=lambda k: (g * weights[k] - counts[k], -KINDS.index(k)))
        counts[kind] += 1
        yield kind


def select(cands: Candidates, kinds: Sequence[str], seen: set[int]) -> tuple[list[Pair], int, int]:
    """Fill the job's slots in order with the first candidates not seen before.

    Returns the accepted pairs, how many hard candidates were consumed, and how many paraphrase
    slots found nothing.
    """
    pools = {k: iter(v) for k, v in cands.by_kind.items()}
    accepted: list[Pair] = []
    hard_used = 0
    no_paraphrase = 0
    for kind in kinds:
        for key, pair in pools[kind]:
            if kind == "hard":
                hard_used += 1
            if key not in seen:
                seen.add(key)
                accepted.append(pair)
                break
        else:
            no_paraphrase += kind == "paraphrase"
    return accepted, hard_used, no_paraphrase
