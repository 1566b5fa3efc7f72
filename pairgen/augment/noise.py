"""Surface noise for `sentence2` of every pair kind, drawn the same way whatever the kind.

Case and spacing noise change no word, so if only paraphrases carried it a model could tell a
paraphrase (and its label band) from `word ,` alone. So each noise family is applied to the second
sentence of *every* pair with the same probability (its `share`), from an rng seeded by the pair's
texts, never by its kind; a paraphrase gets it after its words were changed.

Noise families are the augmenters with a `share` attribute (`CaseNoise`, `SpacingNoise`); they may
take `avoid` spans (words a word-level family already changed) so their edit stays their own.

    >>> import random
    >>> from pairgen.augment.spacing import spacing_noise
    >>> edits, families = add_noise("Так, пане.", [spacing_noise(share=1.0)], random.Random(0))
    >>> families
    ('spacing',)
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pairgen.augment.base import apply_edits
from pairgen.records import Edit

FORCED_TRIES = 20
"""Draws tried for a noise-only paraphrase before giving up (a sentence with no punctuation gap
and nothing to re-case has no noisy copy)."""

_SPACE_RUN = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r" ?([^\w\s]) ?")


def is_noise(augmenter: Any) -> bool:
    """Whether an augmenter is a noise family (it has a `share`) rather than a word-level one."""
    return getattr(augmenter, "share", None) is not None


@lru_cache(maxsize=65_536)
def surface_key(text: str) -> str:
    """The text with letter case and spacing around punctuation ignored: two sentences with the
    same key differ only by the noise families, so they are not distinct pairs. Memoised: every
    candidate of a job is keyed with its anchor, and negatives recur across jobs.

        >>> surface_key("Так , ПАНЕ .") == surface_key("так, пане.")
        True
    """
    return _SPACE_PUNCT.sub(r"\1", _SPACE_RUN.sub(" ", text.strip())).casefold()


def add_noise(
    text: str,
    families: Sequence[Any],
    rng: random.Random,
    avoid: tuple[tuple[int, int], ...] = (),
    force: bool = False,
) -> tuple[list[Edit], tuple[str, ...]]:
    """Noise edits for `text` (offsets into it) and the families that made some.

    Each family is drawn with probability `share`, independently; edits of a later family that
    overlap an earlier one's are dropped. With `force`, draws repeat until some noise results (the
    result is then the noise distribution conditioned on "some noise"), up to `FORCED_TRIES`.
    """
    from pairgen.augment.base import overlaps

    for _ in range(FORCED_TRIES if force else 1):
        taken: list[Edit] = []
        used: list[str] = []
        for family in families:
            if rng.random() >= family.share:
                continue
            new = [
                e
                for e in family(text, rng, avoid)
                if e.before != e.after and not any(overlaps(e, t) for t in taken)
            ]
            if new:
                taken += new
                used.append(family.name)
        if taken or not force:
            return sorted(taken, key=lambda e: (e.start, e.end)), tuple(used)
    return [], ()


def rebase(
    source: str, word_edits: Sequence[Edit], noise_edits: Sequence[Edit]
) -> tuple[Edit, ...]:
    """One edit list on `source` from word edits (on `source`) and noise edits on their result.

    A noise edit outside every changed word is shifted back to source offsets; one inside a changed
    word (a whole sentence re-cased) is folded into that word's edit, which keeps its op and lemma.

        >>> w = [Edit("synonym", 0, 5, "Козак", "Вояк", "вояк")]
        >>> n = [Edit("case", 0, 4, "Вояк", "ВОЯК"), Edit("case", 5, 7, "йде", "ЙДЕ")]
        >>> [(e.op, e.after) for e in rebase("Козак йде", w, n)]  # doctest: +SKIP
    """
    words = sorted(word_edits, key=lambda e: (e.start, e.end))
    # Where each word edit's result sits in the text the noise was drawn on.
    placed: list[tuple[int, int, Edit]] = []
    shift = 0
    for e in words:
        placed.append((e.start + shift, e.start + shift + len(e.after), e))
        shift += len(e.after) - (e.end - e.start)
    merged = {id(e): e.after for e in words}
    out: list[Edit] = []
    for n in noise_edits:
        host = next(
            (p for p in placed if p[0] <= n.start and n.end <= p[1] and n.end > n.start), None
        )
        if host is not None:
            a, _, e = host
            text = merged[id(e)]
            merged[id(e)] = text[: n.start - a] + n.after + text[n.end - a :]
            continue
        back = 0
        for _, b, e in placed:
            if b <= n.start:
                back += len(e.after) - (e.end - e.start)
        out.append(Edit(n.op, n.start - back, n.end - back, n.before, n.after, n.lemma))
    for e in words:
        after = merged[id(e)]
        out.append(e if after == e.after else Edit(e.op, e.start, e.end, e.before, after, e.lemma))
    out.sort(key=lambda e: (e.start, e.end))
    apply_edits(source, out)  # raises if the offsets do not line up: a bug, never user input
    return tuple(out)
