"""Unicode clean-up and word spans shared by every stage.

Two forms of a sentence exist. The *written* form (what goes into the dataset) is NFC with invisible
characters removed and NBSP as a plain space, but keeps the author's punctuation and apostrophes.
The *analysis* form additionally spells every apostrophe as ASCII `'`, which is how the pymorphy3
Ukrainian dictionary spells them. The two have the same length, so offsets computed on one are
valid in the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'’ʼ`‘"
"""Characters Ukrainian texts use as the apostrophe (U+0027, U+2019, U+02BC, U+0060, U+2018)."""

_TO_ASCII_APOSTROPHE = str.maketrans({c: "'" for c in APOSTROPHES})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " "})

WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ`‘-][^\W\d_]+)*", re.UNICODE)
"""A word: letters, possibly joined by apostrophes or hyphens (`зам’явся`, `будь-який`)."""


def clean(text: str) -> str:
    """The written form: NFC, soft hyphens and zero-width characters gone, odd spaces as spaces."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_SPACES)


def for_analysis(text: str) -> str:
    """The analysis form: apostrophe variants as ASCII `'`; same length as `text`."""
    return text.translate(_TO_ASCII_APOSTROPHE)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words in `text`, in order (digits and punctuation are not words)."""
    return [m.span() for m in WORD_RE.finditer(text)]


@lru_cache(maxsize=16_384)
def words(text: str) -> tuple[str, ...]:
    """Case-folded words with unified apostrophes: the units every label measure compares.

    The cache is small on purpose: an entry costs ~1.5 KB, and a big build sees millions of
    distinct paraphrases that are never looked up twice (corpus sentences keep theirs in
    `pairs.Context.words`).
    """
    return tuple(m.group().casefold() for m in WORD_RE.finditer(for_analysis(text)))


def swap_key(before: str, after: str) -> str:
    """`швидко → хутко`: how the manifest and `pairgen inspect` name a synonym swap, case-folded so
    `Швидко → Хутко` at a sentence start counts with the others."""
    return f"{before.casefold()} → {after.casefold()}"
