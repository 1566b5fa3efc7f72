"""Use any pairgen augmenter as an nlpaug augmenter, so it composes with `nlpaug.flow`.

    >>> import nlpaug.flow as naf
    >>> from pairgen.augment.case import case_noise
    >>> flow = naf.Sequential([NlpaugAdapter(case_noise(), seed=1)])
    >>> len(flow.augment("Добрий день, пане.")) == 1
    True

The adapter owns its `random.Random`, so nlpaug's global seeding is neither needed nor touched.
"""

from __future__ import annotations

import random

from nlpaug.base_augmenter import Augmenter as _NlpaugAugmenter
from nlpaug.util import Action, Method

from pairgen.augment.base import Augmenter, compose


class NlpaugAdapter(_NlpaugAugmenter):  # type: ignore[misc]
    """Wraps one pairgen augmenter; `augment(text)` returns nlpaug's usual list of strings."""

    def __init__(self, augmenter: Augmenter, seed: int = 0) -> None:
        super().__init__(
            name=f"pairgen_{augmenter.name}",
            method=Method.SENTENCE,
            action=Action.SUBSTITUTE,
            aug_min=1,
            aug_max=1,
            aug_p=1.0,
        )
        self.augmenter = augmenter
        self.rng = random.Random(seed)

    @classmethod
    def clean(cls, data: str | list[str]) -> str | list[str]:
        return data

    @classmethod
    def is_duplicate(cls, dataset: list[str], data: str) -> bool:
        return data in dataset

    def substitute(self, data: str) -> str:
        return compose(data, [self.augmenter], self.rng).text
