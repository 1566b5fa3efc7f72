"""The edit interface every augmentation family plugs into.

An augmenter is a small callable `(sentence, rng) -> list[Edit]`: it proposes changes with offsets
into the sentence it was given and never touches global randomness. `compose` runs several of them
over the same source sentence, drops proposals that overlap ones already taken, and applies the rest
in one pass, so every edit's offsets stay valid in the *source* sentence.

    >>> import random
    >>> from pairgen.augment.case import case_noise
    >>> p = compose("Добрий день, пане.", [case_noise()], random.Random(1))
    >>> apply_edits(p.source, p.edits) == p.text
    True
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Protocol, cast

from pairgen.records import Edit, Paraphrase


class Augmenter(Protocol):
    """One augmentation family. `name` is what `--augment` and the edits' `op` call it."""

    @property
    def name(self) -> str: ...

    def __call__(self, sentence: str, rng: random.Random) -> list[Edit]: ...


class VariedAugmenter(Augmenter, Protocol):
    """A family that also takes the edits earlier variants of the sentence made (`varies`)."""

    varies: bool

    def __call__(  # type: ignore[override]
        self, sentence: str, rng: random.Random, used: tuple[Edit, ...] = ()
    ) -> list[Edit]: ...


def overlaps(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same characters (two insertions at one place do)."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into `source`) and return the new text."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or source[e.start : e.end] != e.before:
            raise ValueError(f"edit {e} does not match the source at {e.start}:{e.end}")
        out.append(source[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(source[pos:])
    return "".join(out)


def undo_edits(result: str, edits: Iterable[Edit]) -> str:
    """The source text back from `apply_edits(source, edits)` and the edits: a hard or random
    pair's corpus sentence from its noisy `sentence2` and provenance edits.

        >>> e = [Edit("spacing", 3, 3, "", " ")]
        >>> undo_edits(apply_edits("Так, пане.", e), e)
        'Так, пане.'
    """
    out: list[str] = []
    pos = 0
    shift = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        at = e.start + shift
        out.append(result[pos:at])
        if result[at : at + len(e.after)] != e.after:
            raise ValueError(f"edit {e} does not match the result at {at}")
        out.append(e.before)
        pos = at + len(e.after)
        shift += len(e.after) - (e.end - e.start)
    out.append(result[pos:])
    return "".join(out)


def compose(
    sentence: str,
    augmenters: Sequence[Augmenter],
    rng: random.Random,
    used: tuple[Edit, ...] = (),
) -> Paraphrase:
    """Run the augmenters in order over `sentence`; earlier families win where edits overlap.

    Edits that change nothing are dropped, so `Paraphrase.edits` is empty exactly when the text is
    unchanged; callers treat that as "no paraphrase could be made". `used` are edits earlier
    variants of the sentence made: a family with a true `varies` attribute takes them and prefers
    other words and synonyms.
    """
    taken: list[Edit] = []
    for augment in augmenters:
        if getattr(augment, "varies", False):
            proposed = cast(VariedAugmenter, augment)(sentence, rng, used)
        else:
            proposed = augment(sentence, rng)
        for edit in proposed:
            if edit.before == edit.after:
                continue
            if not any(overlaps(edit, t) for t in taken):
                taken.append(edit)
    taken.sort(key=lambda e: (e.start, e.end))
    return Paraphrase(source=sentence, text=apply_edits(sentence, taken), edits=tuple(taken))
