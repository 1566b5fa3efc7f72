"""Which words a synonym swap must leave alone, and how a replacement keeps the source's look.

A swapped name (`ендрю` -> `Дивак`) or a broken set phrase (`час від часу` -> `пору від часу`) is
worse than no swap, so protection is decided before any synonym is looked at:

* proper names: a proper-name grammeme on *any* pymorphy3 parse (`ендрю` even in lower case), or a
  capitalised word that does not start a sentence (or a quotation, or a dialogue line after a dash);
* words from the user's `--protect FILE` (see `load_protect_file`);
* numbers, pronouns, prepositions, conjunctions, particles, interjections, predicatives,
  auxiliaries and modal verbs, and pronominal adverbs (`тут`, `тоді`, `так`);
* every word of an idiom or set phrase occurrence (see `idiom_members`).

    >>> case_pattern("Ліс"), restyle("гай", "capital")
    ('capital', 'Гай')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pairgen.errors import LexiconError
from pairgen.text import APOSTROPHES, WORD_RE, clean, for_analysis

FUNCTION_POS = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "PRED"})
"""Parts of speech that carry grammar rather than content; a word with any such parse is kept."""

NUMBER_POS = frozenset({"NUMR"})
NUMBER_GRAMMEMES = frozenset({"ROMN", "NUMB"})

AUXILIARIES = frozenset({"бути", "бувати", "мати", "стати", "ставати", "могти", "змогти", "мусити"})
"""Lemmas used as auxiliaries or modals (`буду писати`, `мав би`, `стала сильнішою`, `може`)."""

FUNCTION_ADVERBS = frozenset(
    """тут там тоді так як де коли куди звідки звідти туди сюди тепер зараз вже уже ще навіть лише
    тільки також теж чому навіщо нащо ось от отак отам отут отоді скрізь всюди усюди ніде нікуди
    ніколи ніяк десь кудись колись якось чомусь звідкись деколи інколи іноді завжди потім більш
    менш більше менше найбільш найменш найбільше найменше дуже зовсім майже трохи досить надто
    занадто аж вельми вкрай саме якраз отже адже далі раніше пізніше спершу спочатку
    можна треба потрібно необхідно слід варто годі видно чути шкода жаль нема немає""".split()  # noqa: SIM905
)
"""Pronominal, degree and time-sequence adverbs, and predicatives (`можна`, `треба`: the dictionary
reads them as an adjective and a noun): their thesaurus "synonyms" shift the meaning (`зразу` ->
`спочатку`) or the register, and they carry little of a sentence's content anyway."""


@lru_cache(maxsize=65_536)
def is_function_word(key: str) -> bool:
    """Whether a word (analysis form, case-folded) carries grammar rather than content: any
    pronoun, preposition, conjunction, particle, interjection or predicative reading, an
    auxiliary or modal verb, or a pronominal adverb. Shared by the synonym swap (which leaves such
    words alone), case noise (which never capitalises them alone) and hard-negative mining
    (which needs a shared content word).

        >>> is_function_word("що"), is_function_word("козак")
        (True, False)
    """
    from pairgen.augment import morph

    if key in FUNCTION_ADVERBS:
        return True
    return any(
        p.tag.POS in FUNCTION_POS or (morph.known(p) and p.normal_form in AUXILIARIES)
        for p in morph.parse(key)
    )


FUNCTION_WORDS = "uk_function_words.txt"


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """The shipped list of function-word forms (`lexicons/uk_function_words.txt`): a set lookup
    for hot paths (hard-negative mining asks about every rare word of every sentence), where
    `is_function_word` would parse each word.

        >>> "що" in function_words(), "козак" in function_words()
        (True, False)
    """
    from pairgen.augment.lexicon import _package_dir

    path = _package_dir() / FUNCTION_WORDS
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read it ({exc.__class__.__name__})") from exc
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_OPENERS = "«„“\"'‘‹(—–-"
_SENTENCE_END = ".!?…"
_COMMENT = re.compile(r"\s+#.*$|^#.*$")


def case_pattern(word: str) -> str | None:
    """`lower`, `capital` (first letter upper, rest lower) or `upper`; None for mixed case."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return None
    if all(c.islower() for c in letters):
        return "lower"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "capital"
    return None


def restyle(form: str, pattern: str) -> str:
    """Give a lower-case dictionary form the source word's case pattern."""
    if pattern == "upper":
        return form.upper()
    if pattern == "capital":
        return form[:1].upper() + form[1:]
    return form


def apostrophe_of(word: str, sentence: str) -> str:
    """The apostrophe character to write: the word's own, else the sentence's, else `’`."""
    for text in (word, sentence):
        for m in WORD_RE.finditer(text):
            for c in m.group():
                if c in APOSTROPHES:
                    return c
    return "’"


def starts_sentence(sentence: str, start: int) -> bool:
    """Whether the word at `start` opens the sentence, a quotation or a dialogue line.

    Capital letters are expected there, so they say nothing about the word being a name.

        >>> starts_sentence("— Добре, — сказав він.", 2), starts_sentence("Був Вітер.", 4)
        (True, False)
    """
    before = sentence[:start].rstrip()
    if not any(c.isalnum() for c in before):
        return True
    last = before[-1]
    return last in _OPENERS or last in _SENTENCE_END


def load_protect_file(path: Path) -> frozenset[str]:
    """Read a `--protect FILE`: one word per line, `#` starts a comment, blank lines ignored.

    Words are returned in the analysis form, case-folded, which is how the swap compares them, so
    `Ендрю`, `ендрю` and `ЕНДРЮ` in the file all protect every spelling in the text.

        >>> load_protect_file(Path("names.txt"))  # doctest: +SKIP
        frozenset({'ендрю', "зам'ятня"})

    Raises:
        LexiconError: the file cannot be read, or a line holds more than one word or no letters.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        what = exc.__class__.__name__
        raise LexiconError(f"{path}: cannot read the protect file ({what})") from exc
    words: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = clean(_COMMENT.sub("", raw)).strip()
        if not line:
            continue
        if not WORD_RE.fullmatch(line):
            raise LexiconError(
                f"{path}:{lineno}: expected one word per line (letters, apostrophes, hyphens), "
                f"got {line!r}"
            )
        words.add(for_analysis(line).casefold())
    return frozenset(words)


_BY_FIRST: dict[int, tuple[object, dict[str, list[tuple[str, ...]]]]] = {}


def _by_first(idioms: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Idioms indexed by their first word; built once per (immutable) idiom list, not per call."""
    hit = _BY_FIRST.get(id(idioms))
    if hit is not None and hit[0] is idioms:
        return hit[1]
    index: dict[str, list[tuple[str, ...]]] = {}
    for idiom in idioms:
        if idiom:
            index.setdefault(idiom[0], []).append(idiom)
    if isinstance(idioms, tuple):
        _BY_FIRST[id(idioms)] = (idioms, index)
    return index


def idiom_members(
    keys: Sequence[frozenset[str]],
    idioms: Iterable[tuple[str, ...]],
    skippable: Sequence[bool] = (),
) -> frozenset[int]:
    """Indices of the words that belong to an occurrence of any idiom.

    `keys[i]` holds word i's analysis form (case-folded) and every lemma pymorphy3 gives it, so an
    idiom stored as surface words (`час від часу`) or in citation form (`водити за ніс`) matches
    inflected text (`водив за ніс`). Up to two words marked `skippable` (pronouns, particles) may
    stand inside an occurrence: `водив її за ніс`. Matching too much only leaves more words alone.

        >>> keys = [frozenset({w}) for w in ["він", "час", "від", "часу", "спав"]]
        >>> sorted(idiom_members(keys, [("час", "від", "часу")]))
        [1, 2, 3]
    """
    by_first = _by_first(idioms)
    skip = list(skippable) + [False] * (len(keys) - len(skippable))
    members: set[int] = set()
    for i, key in enumerate(keys):
        for first in key:
            for idiom in by_first.get(first, ()):
                found = _match(keys, skip, i, idiom)
                if found:
                    members.update(found)
    return frozenset(members)


def _match(
    keys: Sequence[frozenset[str]], skip: Sequence[bool], start: int, idiom: tuple[str, ...]
) -> list[int]:
    at, found, skipped = start + 1, [start], 0
    for word in idiom[1:]:
        while at < len(keys) and word not in keys[at] and skip[at] and skipped < 2:
            at, skipped = at + 1, skipped + 1
        if at >= len(keys) or word not in keys[at]:
            return []
        found.append(at)
        at += 1
    return found


def corpus_names(sentences: Iterable[str]) -> frozenset[str]:
    """Words a corpus writes capitalised inside sentences more often than in lower case: its names.

    A character called `Ґава` (a jackdaw) or `Вовкун` is not tagged as a name by the dictionary,
    and at the start of a sentence its capital says nothing; but the rest of the book capitalises
    it mid-sentence. Pass the result as `SynonymOptions.protect` (it holds each word's analysis form
    and its dictionary forms, so `Ґаві` at a sentence start is protected too).

        >>> sorted(corpus_names(["Ґава схопився.", "Тоді Ґава сів.", "Дали Ґаві хліба."]))
        ['ґава', 'ґаві']
    """
    from pairgen.augment import morph

    capital: dict[str, int] = {}
    lower: dict[str, int] = {}
    for sentence in sentences:
        analysis = for_analysis(sentence)
        for m in WORD_RE.finditer(sentence):
            word = m.group()
            key = analysis[m.start() : m.end()].casefold()
            if word.islower():
                lower[key] = lower.get(key, 0) + 1
            elif word[0].isupper() and not starts_sentence(sentence, m.start()):
                capital[key] = capital.get(key, 0) + 1
    names = {key for key, n in capital.items() if n > lower.get(key, 0)}
    lemmas = {p.normal_form for key in names for p in morph.parse(key) if morph.known(p)}
    return frozenset(names | lemmas)
