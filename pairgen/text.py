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
_FORMAT_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x061C, 0x061C),  # Arabic letter mark (a bidi control)
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides (U+202E turns text around)
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidi isolates (U+2067 ...), deprecated format controls
    (0xFEFF, 0xFEFF),  # zero-width no-break space (a BOM inside text)
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0xE0001, 0xE0001),  # language tag
    (0xE0020, 0xE007F),  # tag characters
)
"""Invisible format characters (Unicode category Cf) that change how text shows or compares but
are not part of the words: removed. Cf characters with a visible form (Arabic number signs,
hieroglyph and musical format controls) are not in the list."""
_INVISIBLE: dict[int, None] = {
    c: None for start, end in _FORMAT_RANGES for c in range(start, end + 1)
}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " "})

WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ`‘-][^\W\d_]+)*", re.UNICODE)
"""A word: letters, possibly joined by apostrophes or hyphens (`зам’явся`, `будь-який`)."""


def clean(text: str) -> str:
    """The written form: NFC, soft hyphens, zero-width and bidi controls gone (`_FORMAT_RANGES`),
    odd spaces as spaces."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_SPACES)


def safe_text(text: str) -> str:
    """`text` that any UTF-8 stream can print and any UTF-8 file or parquet column can hold:
    bytes a file name had that are not UTF-8 (surrogate escapes, as `os` decodes them) become
    `\\xNN`, so two such names stay apart.

        >>> safe_text(b"caf\\xe9.txt".decode("utf-8", "surrogateescape"))
        'caf\\\\xe9.txt'
    """
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


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
