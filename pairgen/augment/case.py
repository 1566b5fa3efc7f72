"""Letter-case noise as people make it: a lower-cased start, an all-lower or caps-lock sentence,
an occasional capitalised content word.

Users' text arrives with broken casing (chat logs, OCR, headlines); a model should treat these as
the same sentence, so the label measures case-fold and score such a copy 1.0. The noise imitates
what real text has and nothing else: no single function word is put in ALL CAPS inside a sentence
(`ТА`, `НЕ`), and names, abbreviations, e-mail addresses and URLs keep their case unless the whole
sentence is re-cased (`Київ` stays `Київ` when only the start is lower-cased).

    >>> import random
    >>> [e.after for e in case_noise()("Ми їхали до Києва.", random.Random(3))]  # doctest: +SKIP
    ['ми']
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from pairgen.augment import morph
from pairgen.augment.protect import is_function_word, starts_sentence
from pairgen.records import Edit
from pairgen.text import for_analysis, word_spans

MODES = ("start", "lower", "upper", "word")
WEIGHTS = (4, 2, 1, 3)
"""How often each kind of case noise is picked: a lower-cased (or capitalised) first letter is the
commonest slip, an all-lower sentence next, an occasional capitalised word, caps lock the rarest."""

_MACHINE = re.compile(r"\S*(?:@|://|www\.|\d)\S*")
"""Whitespace-delimited tokens that are e-mail addresses, URLs or hold digits: never re-cased
alone."""


@dataclass(frozen=True)
class CaseNoise:
    """Re-case the sentence start, one content word, or the whole sentence."""

    share: float = 0.2
    """Share of sentences (sentence2 of every pair kind alike) that get case noise."""
    names: frozenset[str] = frozenset()
    """Words (analysis form, case-folded) the corpus treats as names: they keep their capital."""
    name: str = "case"

    def __call__(
        self, sentence: str, rng: random.Random, avoid: tuple[tuple[int, int], ...] = ()
    ) -> list[Edit]:
        """Edits for one draw; `avoid` are spans a single-word change must not pick (swapped
        words, so that the noise stays one family's edit)."""
        spans = word_spans(sentence)
        if not spans:
            return []
        mode = rng.choices(MODES, weights=WEIGHTS)[0]
        if mode in ("lower", "upper"):
            out = []
            for start, end in spans:
                before = sentence[start:end]
                after = before.lower() if mode == "lower" else before.upper()
                if after != before and len(after) == len(before):
                    out.append(Edit("case", start, end, before, after))
            return out
        fixed = _fixed(sentence)
        if mode == "start":
            start, end = spans[0]
            word = sentence[start:end]
            if (start, end) in avoid or fixed[0] or self._is_name(word):
                return []
            first = word[0].lower() if word[0].isupper() else word[0].upper()
            after = first + word[1:]
            ok = after != word and len(after) == len(word)
            return [Edit("case", start, end, word, after)] if ok else []
        options = [
            (start, end)
            for i, (start, end) in enumerate(spans)
            if i > 0
            and not fixed[i]
            and (start, end) not in avoid
            and sentence[start:end].islower()
            and not starts_sentence(sentence, start)
            and _content(sentence[start:end])
        ]
        if not options:
            return []
        start, end = options[rng.randrange(len(options))]
        word = sentence[start:end]
        after = word[0].upper() + word[1:]
        return [Edit("case", start, end, word, after)] if len(after) == len(word) else []

    def _is_name(self, word: str) -> bool:
        """A name or abbreviation: all capitals, a capital inside, a proper-name reading, or a
        word the corpus capitalises mid-sentence."""
        letters = [c for c in word if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return True
        if any(c.isupper() for c in letters[1:]):
            return True
        key = for_analysis(word).casefold()
        if key in self.names:
            return True
        return any(p.tag.grammemes & morph.PROPER for p in morph.parse(key))


def _fixed(sentence: str) -> list[bool]:
    """For each word span: whether it sits inside an e-mail address, URL or digit token."""
    machine = [m.span() for m in _MACHINE.finditer(sentence)]
    return [any(a <= s and e <= b for a, b in machine) for s, e in word_spans(sentence)]


def _content(word: str) -> bool:
    """Whether a word carries content: a known word that is not a function word."""
    key = for_analysis(word).casefold()
    return morph.in_dictionary(key) and not is_function_word(key)


def case_noise(share: float = 0.2, names: frozenset[str] = frozenset()) -> CaseNoise:
    """The case family; `share` is the share of sentences it touches."""
    return CaseNoise(share=share, names=names)
