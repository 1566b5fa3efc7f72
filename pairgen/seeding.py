"""Per-item random generators that do not depend on order, process or worker count.

Python's `hash()` is salted per process, so every seed here comes from a blake2b digest of the
parts. Two builds that see the same sentence with the same `--seed` make the same choices for it,
whichever worker handles it and whatever came before it.
"""

from __future__ import annotations

import hashlib
import random


def digest(*parts: object) -> bytes:
    """A stable 16-byte digest of the parts' str(), separated so ('ab','c') != ('a','bc')."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.digest()


def rng_for(*parts: object) -> random.Random:
    """A random.Random seeded from the parts: rng_for(seed, 'augment', sentence, variant)."""
    return random.Random(int.from_bytes(digest(*parts)[:8], "big"))


def unit(*parts: object) -> float:
    """A stable number in [0, 1) for the parts: used to put a sentence in a split."""
    return int.from_bytes(digest(*parts)[:8], "big") / 2**64
