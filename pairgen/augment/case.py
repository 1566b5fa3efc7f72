"""Letter-case noise: a lower-cased sentence start, a few words capitalised, upper- or lower-cased.

Users' text arrives with broken casing (chat logs, OCR, headlines); a model should treat these as
the same sentence, so the label measures case-fold and score such a paraphrase 1.0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pairgen.records import Edit
from pairgen.text import word_spans

_STYLES = ("lower", "upper", "capitalise")


def _restyle(word: str, style: str) -> str:
    if style == "lower":
        return word.lower()
    if style == "upper":
        return word.upper()
    return word[:1].upper() + word[1:].lower()


@dataclass(frozen=True)
class CaseNoise:
    """Change the case of the sentence start, of a few words, or of the whole sentence."""

    rate: float = 0.15
    """Share of words restyled in the `words` mode (at least one)."""
    name: str = "case"

    def __call__(self, sentence: str, rng: random.Random) -> list[Edit]:
        spans = word_spans(sentence)
        if not spans:
            return []
        mode = rng.choices(("start", "words", "sentence"), weights=(4, 4, 1))[0]
        if mode == "start":
            targets, style = (
                [spans[0]],
                ("lower" if sentence[spans[0][0]].isupper() else "capitalise"),
            )
            styles = [style]
        elif mode == "words":
            k = max(1, round(self.rate * len(spans)))
            targets = sorted(rng.sample(spans, min(k, len(spans))))
            styles = [rng.choice(_STYLES) for _ in targets]
        else:
            targets = spans
            styles = [rng.choice(("lower", "upper"))] * len(spans)
        edits = []
        for (start, end), style in zip(targets, styles):
            before = sentence[start:end]
            after = _restyle(before, style)
            if after != before and len(after) == len(before):
                edits.append(Edit("case", start, end, before, after))
        return edits


def case_noise(rate: float = 0.15) -> CaseNoise:
    """The case family; `rate` is the share of words restyled when it picks single words."""
    return CaseNoise(rate=rate)
