"""Pairing: which sentences become anchors, which kind of pair each slot gets, and the candidates.

The work is split so that everything expensive is a pure function of one anchor sentence
(`make_candidates`), which workers run in any order, while the cheap, order-dependent choices
(kind schedule, duplicate removal, stopping at exactly `-n`) stay in the parent. That is what makes
the output byte-identical for any worker count.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from pairgen.augment.base import Augmenter, apply_edits, compose
from pairgen.augment.noise import add_noise, is_noise, rebase, surface_key
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
    """The same 64-bit key for (a, b) and (b, a): a pair and its mirror image are one pair, and
    so are two pairs that differ only in letter case or spacing (`surface_key`)."""
    a, b = surface_key(a), surface_key(b)
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
    ctx: Context,
    anchor: int,
    text2: str,
    kind: str,
    words2: tuple[str, ...],
    edits: tuple[Edit, ...] = (),
    noise: tuple[str, ...] = (),
) -> tuple[int, Pair]:
    s = ctx.sentences[anchor]
    score = ctx.measure(ctx.words[anchor], words2)
    pair = Pair(s.text, text2, score, kind, s.source, s.index, edits, noise)
    return pair_key(s.text, text2), pair


def noisy(
    anchor: str, text: str, families: Sequence[Augmenter], seed: int, force: bool = False
) -> tuple[str, tuple[Edit, ...], tuple[str, ...]]:
    """`text` (the second sentence of a pair with `anchor`) with noise drawn the same way for every
    pair kind: the rng is seeded by the two texts, never by the kind. Returns the noisy text, the
    noise edits on `text` and the families that made them."""
    rng = rng_for(seed, "noise", anchor, text)
    edits, used = add_noise(text, families, rng, force=force)
    return (apply_edits(text, edits) if edits else text), tuple(edits), used


def paraphrases(
    sentence: str,
    augmenters: Sequence[Augmenter],
    seed: int,
    pass_no: int,
    wanted: int,
    noise_only: bool = True,
) -> Iterator[Paraphrase]:
    """Distinct paraphrases of `sentence` from `wanted * ATTEMPTS_PER_PARAPHRASE` attempts, each
    with a word-level change, then the same noise every pair kind gets.

    Attempt k of pass p draws its words from its own rng, seeded by (seed, sentence, p, k), so the
    build and `pairgen preview` make the same paraphrases in the same order. Distinct means
    different words: an attempt equal to the sentence or to an earlier one once case and spacing
    are ignored is dropped, so fewer than `wanted` may come. Later attempts prefer words and
    synonyms the earlier ones did not use. Only when no attempt changes a word, and `noise_only`
    allows it, one noise-only copy comes (`Paraphrase.noise_only`); the build takes those only up
    to `--noise-only` of its paraphrases.
    """
    swaps = [a for a in augmenters if not is_noise(a)]
    noise = [a for a in augmenters if is_noise(a)]
    seen = {surface_key(sentence)}
    used: list[Edit] = []
    for attempt in range(wanted * ATTEMPTS_PER_PARAPHRASE if swaps else 0):
        rng = rng_for(seed, "paraphrase", sentence, pass_no, attempt)
        p = compose(sentence, swaps, rng, used=tuple(used))
        key = surface_key(p.text)
        if not p.edits or key in seen:
            continue
        seen.add(key)
        used += p.edits
        yield _with_noise(sentence, p, noise, seed)
    if not used and noise_only and noise:
        text, edits, families = noisy(sentence, sentence, noise, seed, force=True)
        if edits:
            yield Paraphrase(sentence, text, edits, families)


def _with_noise(
    sentence: str, p: Paraphrase, families: Sequence[Augmenter], seed: int
) -> Paraphrase:
    """Noise on a paraphrase's text, drawn as for any pair's second sentence; a noise edit on a
    changed word is folded into that word's edit, so edits still apply to `sentence`."""
    rng = rng_for(seed, "noise", sentence, p.text)
    placed = []
    shift = 0
    for e in p.edits:
        placed.append((e.start + shift, e.start + shift + len(e.after)))
        shift += len(e.after) - (e.end - e.start)
    noise, used = add_noise(p.text, families, rng, avoid=tuple(placed))
    if not noise:
        return p
    edits = rebase(sentence, p.edits, noise)
    return Paraphrase(sentence, apply_edits(sentence, edits), edits, used)


def make_candidates(ctx: Context, job: Job) -> Candidates:
    """Paraphrases, hard negatives and random negatives for one anchor; pure in (ctx, job)."""
    s = ctx.sentences[job.anchor]
    need = Counter(job.kinds)
    out = Candidates(job.anchor, job.kinds, {k: [] for k in KINDS})
    t0 = time.thread_time()  # CPU, not wall: a busy machine must not inflate the stage costs
    if need["paraphrase"]:
        made = paraphrases(
            s.text, ctx.augmenters, ctx.seed, job.pass_no, need["paraphrase"], noise_only=False
        )
        for p in made:
            out.by_kind["paraphrase"].append(
                _pair(ctx, job.anchor, p.text, "paraphrase", words(p.text), p.edits, p.noise)
            )
    if job.explain and need["paraphrase"]:
        # The build report's "left alone" counts come from the sentences the first pass tried to
        # paraphrase: their analysis is memoised already, while analysing every anchor only for
        # the report cost as much as the paraphrases themselves.
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


def _noise_families(ctx: Context) -> list[Augmenter]:
    families = getattr(ctx, "_noise", None)
    if families is None:
        families = [a for a in ctx.augmenters if is_noise(a)]
        ctx._noise = families  # type: ignore[attr-defined]
    return families


def with_noise(ctx: Context, pair: Pair) -> Pair:
    """A hard or random pair with the noise every second sentence gets (`noisy`). Applied by the
    parent to the pairs it accepts, not by the workers to every candidate: most candidates are
    spares that are never used. The pair's key does not change (noise is not a difference)."""
    if pair.kind == "paraphrase":
        return pair
    text, edits, used = noisy(pair.sentence1, pair.sentence2, _noise_families(ctx), ctx.seed)
    if not edits:
        return pair
    return dataclasses.replace(pair, sentence2=text, edits=edits, noise=used)


def noise_only_paraphrase(ctx: Context, anchor: int) -> tuple[int, Pair] | None:
    """A paraphrase slot's last resort, made by the parent when `--noise-only` allows: the anchor
    with forced noise (case or spacing, drawn as for any pair, given that some noise came)."""
    s = ctx.sentences[anchor].text
    text, edits, used = noisy(s, s, _noise_families(ctx), ctx.seed, force=True)
    if not edits:
        return None
    return _pair(ctx, anchor, text, "paraphrase", ctx.words[anchor], edits, used)


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


@dataclass
class ParaphraseQuota:
    """The parent's running account of paraphrases: how many were taken, how many of them are
    noise-only (capped at `noise_only` of all), and how many slots are owed.

    An anchor whose words cannot change leaves its paraphrase slot empty (unless the noise-only
    share allows a noise-only copy); the slot is owed and paid by a later anchor's spare
    paraphrase with a word change, so the kind mix holds and most paraphrases teach a word change.
    The account is kept in the parent, in anchor order, so it does not depend on the workers.
    """

    noise_only: float
    taken: int = 0
    noise_only_taken: int = 0
    owed: int = 0

    def allows(self, pair: Pair) -> bool:
        return not all(e.op in pair.noise for e in pair.edits) or self.allows_noise_only()

    def allows_noise_only(self) -> bool:
        return self.noise_only_taken + 1 <= self.noise_only * (self.taken + 1)

    def take(self, pair: Pair) -> None:
        self.taken += 1
        self.noise_only_taken += all(e.op in pair.noise for e in pair.edits)


def select(
    cands: Candidates,
    kinds: Sequence[str],
    seen: set[int],
    quota: ParaphraseQuota,
    ctx: Context | None = None,
) -> tuple[list[Pair], int, int]:
    """Fill the job's slots in order with the first candidates not seen before, then pay owed
    paraphrase slots with the anchor's spare paraphrases. With `ctx`, accepted negatives get
    their noise (`with_noise`) and an empty paraphrase slot a noise-only copy where the quota
    allows one.

    Returns the accepted pairs, how many hard candidates were consumed, and how many paraphrase
    slots found nothing (they are owed, see `ParaphraseQuota`).
    """
    pools = {k: iter(v) for k, v in cands.by_kind.items()}
    accepted: list[Pair] = []
    hard_used = 0
    no_paraphrase = 0
    for kind in kinds:
        for key, pair in pools[kind]:
            if kind == "hard":
                hard_used += 1
            if key in seen or (kind == "paraphrase" and not quota.allows(pair)):
                continue
            seen.add(key)
            accepted.append(pair if ctx is None else with_noise(ctx, pair))
            if kind == "paraphrase":
                quota.take(pair)
            break
        else:
            if kind == "paraphrase":
                fallback = None
                if ctx is not None and quota.allows_noise_only():
                    fallback = noise_only_paraphrase(ctx, cands.anchor)
                if fallback is not None and fallback[0] not in seen:
                    seen.add(fallback[0])
                    accepted.append(fallback[1])
                    quota.take(fallback[1])
                else:
                    no_paraphrase += 1
                    quota.owed += 1
    for key, pair in pools["paraphrase"]:
        if quota.owed <= 0:
            break
        if key in seen or all(e.op in pair.noise for e in pair.edits):
            continue
        seen.add(key)
        accepted.append(pair)
        quota.take(pair)
        quota.owed -= 1
    return accepted, hard_used, no_paraphrase
