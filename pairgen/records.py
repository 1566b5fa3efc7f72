"""The records that flow between stages.

Every stage takes and returns these frozen dataclasses, so a stage can be swapped (rules or stanza
segmentation, local or Ray engine) without the others noticing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("paraphrase", "hard", "random")
"""Pair kinds, in the order they are reported."""


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus file, decoded and cleaned, split into paragraphs.

    `source` is the path relative to the corpus root (posix), so manifests do not leak the user's
    home folder and two machines agree on it.
    """

    source: str
    paragraphs: tuple[str, ...]
    encoding: str
    replaced: int = 0
    """How many undecodable bytes were replaced with U+FFFD."""
    format: str = "text"
    """How it was read: "text", "markdown" or "html" (`pairgen.ingest.markup`)."""
    markup: tuple[tuple[str, int], ...] = ()
    """Lines of a text file dropped or changed as markup or code, per reason."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as the author wrote it (NFC, invisible characters removed), and its origin."""

    text: str
    source: str
    index: int
    """Position of the sentence within its source file, counting every segmented sentence."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to a source sentence: `text[start:end]` (was `before`) became `after`.

    Offsets index the *source* sentence, so a reader of the provenance config can check every
    change against the original. An insertion has `start == end` and `before == ""`.
    """

    op: str
    start: int
    end: int
    before: str
    after: str
    lemma: str = ""
    """For synonym swaps, the dictionary form of the synonym that was inflected into `after`."""


@dataclass(frozen=True, slots=True)
class Paraphrase:
    """A noisy copy of `source`; applying `edits` to `source` gives `text`."""

    source: str
    text: str
    edits: tuple[Edit, ...]
    noise: tuple[str, ...] = ()
    """The noise families (`case`, `spacing`) that changed `text`; with no other edit op among
    `edits`, this is a noise-only copy."""

    @property
    def noise_only(self) -> bool:
        """Whether the words are the source's: every edit is noise."""
        return all(e.op in self.noise for e in self.edits)


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of the dataset, with its provenance."""

    sentence1: str
    sentence2: str
    score: float
    kind: str
    source: str
    sentence_index: int
    edits: tuple[Edit, ...] = field(default=())
    """How `sentence2` was made: for a paraphrase, edits on `sentence1`; for a hard or random
    pair, the noise edits on the corpus sentence that became `sentence2` (offsets into it)."""
    noise: tuple[str, ...] = field(default=())
    """The noise families that touched `sentence2`, drawn the same way for every kind."""
