"""pymorphy3 with the Ukrainian dictionaries: parsing, paradigms and the grammemes that must agree.

Every swap decision goes through here, so the analyser is built once per process (lazily: building
it costs a fraction of a second and ~20 MB) and parses are memoised. Words are passed in the
*analysis* form, case-folded (`pairgen.text.for_analysis(word).casefold()`), because the dictionary
spells apostrophes as ASCII `'`: `зам'явся` is known, `зам’явся` is only guessed.

pymorphy3 reads its dictionaries through DAWG2's C extension, a dependency (`pymorphy3[fast]`): the
same parses as the pure-Python reader it falls back to (tests/test_morph.py compares them), in about
40 % of the time. Parsing is the largest single cost of the synonym swap and of the `lemma` label.

Two traps of the Ukrainian dictionary shape the helpers below. It has no frequency data, so
`parse()[0]` is not the likeliest reading: callers look at *all* parses. Singular nouns and
past-tense verbs often carry no `sing` grammeme, so `number()` reads singular as "not `plur`".

    >>> [str(p.tag) for p in parse("книжку")]
    ['NOUN,inan femn,accs']
    >>> sorted(signature(parse("книжку")[0]))
    ['accs', 'femn', 'sing']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pymorphy3
    from pymorphy3.analyzer import Parse

CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})
NUMBERS = frozenset({"sing", "plur"})
GENDERS = frozenset({"masc", "femn", "neut"})
PERSONS = frozenset({"1per", "2per", "3per"})
TENSES = frozenset({"past", "pres", "futr"})
MOODS = frozenset({"impr", "infn", "Impe"})
"""Imperative, infinitive and the impersonal `-но/-то` form (`сказано`) are all marked per form."""
DEGREES = frozenset({"COMP", "Supr"})
"""The dictionary lemmatises comparatives and superlatives separately (`кращий`, `найкращий`); these
grammemes rarely appear, but when they do they must match."""
ASPECTS = frozenset({"perf", "impf"})
VOICES = frozenset({"actv", "pssv"})
ANIMACY = frozenset({"anim", "inan"})

INFLECTIONAL = CASES | NUMBERS | GENDERS | PERSONS | TENSES | MOODS | DEGREES
"""Grammemes that vary within one word's paradigm: the synonym is inflected to these."""

PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
"""Proper-name grammemes: a word with any of these on any parse is never swapped."""

NONSTANDARD = frozenset({"Arch", "Infr", "Slng", "Dist", "alt", "Rare", "Abbr", "Fixd"})
"""Forms marked archaic, informal, slang, non-normative or alternative: never produced when a plain
form fits (and `Abbr` / indeclinable `Fixd` paradigms are not used as synonyms at all)."""

_NUMBERED = frozenset({"NOUN", "ADJF", "VERB", "PRTF", "NUMR"})


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The process-wide Ukrainian analyser (built on first use, then shared)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=200_000)
def parse(word: str) -> tuple[Parse, ...]:
    """All parses of `word` (analysis form, case-folded), in the dictionary's order.

    >>> sorted({p.tag.POS for p in parse("добре")})
    ['ADJF', 'ADVB', 'NOUN']
    """
    if any(unicodedata.name(c, None) is None for c in word):
        # pymorphy3 looks letters up by Unicode name and raises on unnamed ones (Tangut, private
        # use); no Ukrainian word contains them, so the word simply has no parse.
        return ()
    return tuple(analyzer().parse(word))


def is_known(word: str) -> bool:
    """Whether the dictionary holds `word` (rather than the analyser guessing from its ending)."""
    return any(known(p) for p in parse(word))


def in_dictionary(word: str) -> bool:
    """Whether the dictionary holds `word`, without parsing it (a lookup, no guessing): cheap for
    the many made-up words a rule asks about (`по-братерськи`)."""
    return _form_is_known(word)


def known(p: Parse) -> bool:
    """`p.is_known`, memoised: pymorphy3 recomputes that property with a dictionary walk on every
    access, and the swap rules ask it of every parse of every neighbour (a fifth of their time)."""
    return _form_is_known(p.word)


@lru_cache(maxsize=200_000)
def _form_is_known(form: str) -> bool:
    morph = analyzer()
    return bool(morph.dictionary.word_is_known(form, substitutes_compiled=morph.char_substitutes))


def number(tag_grammemes: Iterable[str], pos: str | None) -> str | None:
    """`plur`, `sing` or None (uninflected words): singular is the absence of `plur`."""
    grammemes = set(tag_grammemes)
    if "plur" in grammemes:
        return "plur"
    if "sing" in grammemes:
        return "sing"
    if pos in _NUMBERED and grammemes & (CASES | GENDERS | PERSONS):
        return "sing"
    return None


def signature(p: Parse) -> frozenset[str]:
    """The inflectional grammemes of one parse, with singular made explicit.

    Two words can stand in the same slot of a sentence only if their forms have the same signature
    (and the same POS and lexical grammemes, see `lexical`).
    """
    grammemes = set(p.tag.grammemes) & INFLECTIONAL
    num = number(p.tag.grammemes, p.tag.POS)
    grammemes -= NUMBERS
    if num is not None:
        grammemes.add(num)
    return frozenset(grammemes)


def lexical(p: Parse) -> frozenset[str]:
    """Grammemes of the whole word that a synonym must share: aspect, reflexivity, voice."""
    return frozenset(p.tag.grammemes & (ASPECTS | VOICES | {"Refl"}))


def animacy(p: Parse) -> str | None:
    """`anim`, `inan` or None."""
    found = p.tag.grammemes & ANIMACY
    return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=50_000)
def paradigms(lemma: str, pos: str) -> tuple[tuple[Parse, ...], ...]:
    """The dictionary paradigms whose dictionary form is `lemma` with part of speech `pos`.

    A lemma can have several (`вовк` animate and inanimate; verbs of both aspects); proper-name,
    abbreviation and indeclinable paradigms are left out, as is anything only guessed.

    >>> [len(forms) for forms in paradigms("господар", "NOUN")]
    [18]
    """
    seen: set[tuple[str, ...]] = set()
    found: list[tuple[Parse, ...]] = []
    for p in parse(lemma):
        if not known(p) or pos != p.tag.POS or p.normal_form != lemma:
            continue
        if p.tag.grammemes & (PROPER | {"Abbr", "Fixd"}):
            continue
        forms = tuple(p.lexeme)
        key = tuple(f"{f.word}:{f.tag}" for f in forms)
        if key not in seen:
            seen.add(key)
            found.append(forms)
    return tuple(found)


def has_reading(word: str, lemma: str, pos: str, sig: frozenset[str], lex: frozenset[str]) -> bool:
    """Whether pymorphy3 reads `word` as a known form of `lemma` with this POS and these grammemes.

    Used as the round-trip check on every produced form, and by the benchmark's agreement figure.
    """
    return any(
        known(p)
        and p.normal_form == lemma
        and pos == p.tag.POS
        and signature(p) == sig
        and lexical(p) == lex
        for p in parse(word)
    )


_IMPF_GERUND = {"уть": "учи", "ють": "ючи", "ать": "ачи", "ять": "ячи"}


@lru_cache(maxsize=20_000)
def verb_of_gerund(gerund: str, lex: frozenset[str]) -> str | None:
    """The infinitive a gerund is formed from (the dictionary lemmatises gerunds separately).

    Rebuilt from the gerund's ending and checked against the dictionary: an imperfective gerund
    comes from the 3rd person plural present (`читаючи` <- `читають`), a perfective one from the
    masculine past (`прочитавши` <- `прочитав`).

        >>> verb_of_gerund("читаючи", frozenset({"impf"}))
        'читати'
    """
    refl = gerund.endswith("сь")
    base = gerund[:-2] if refl else gerund
    if "impf" in lex:
        tail = next((t for t, g in _IMPF_GERUND.items() if base.endswith(g)), None)
        if tail is None:
            return None
        finite, want = base[:-3] + tail, frozenset({"3per", "plur", "pres"})
    elif base.endswith("ши"):
        finite, want = base[:-2], frozenset({"masc", "past", "sing"})
    else:
        return None
    finite += "ся" if refl else ""
    for p in parse(finite):
        if known(p) and p.tag.POS == "VERB" and signature(p) == want and lexical(p) == lex:
            return str(p.normal_form)
    return None


@lru_cache(maxsize=20_000)
def gerund(verb: str, lex: frozenset[str]) -> str | None:
    """The gerund of `verb` with this aspect and reflexivity, if pymorphy3 knows it as one.

    >>> gerund("розказувати", frozenset({"impf"})), gerund("збагнути", frozenset({"perf"}))
    ('розказуючи', 'збагнувши')
    """
    refl = "Refl" in lex
    if "impf" in lex:
        want = frozenset({"3per", "plur", "pres"})
    elif "perf" in lex:
        want = frozenset({"masc", "past", "sing"})
    else:
        return None
    for paradigm in paradigms(verb, "VERB"):
        for f in paradigm:
            if signature(f) != want or lexical(f) != lex or f.tag.grammemes & NONSTANDARD:
                continue
            finite = f.word[:-2] if refl and f.word.endswith("ся") else f.word
            if "impf" in lex:
                if finite[-3:] not in _IMPF_GERUND:
                    continue
                form = finite[:-3] + _IMPF_GERUND[finite[-3:]]
            else:
                form = finite + "ши"
            form += "сь" if refl else ""
            if any(known(p) and p.tag.POS == "GRND" and lexical(p) == lex for p in parse(form)):
                return form
    return None


_SOFTENED = {"ст": "щ", "зд": "жд", "д": "дж", "т": "ч", "з": "ж", "с": "ш", "б": "бл", "п": "пл"}
_SOFTENED |= {"в": "вл", "м": "мл", "ф": "фл"}


@lru_cache(maxsize=20_000)
def transitive(verb: str) -> bool:
    """Whether a (non-reflexive) verb takes a direct object, as far as the dictionary shows:
    it has a passive participle (`читати` -> `читаний`, `штурмувати` -> `штурмований`,
    `носити` -> `ношений`), which only transitive verbs form. `напирати` has none: it governs
    `на` + accusative, not a bare accusative. False when no participle is known.

        >>> transitive("штурмувати"), transitive("напирати")
        (True, False)
    """
    if verb.endswith(("ся", "сь")):
        return False
    found: list[str] = []
    if verb.endswith(("ати", "яти")):
        found.append(verb[:-2] + "ний")
    if verb.endswith("увати"):
        # будувати -> будований; a secondary imperfective shares its perfective's object:
        # розказувати -> розказаний
        found += [verb[:-5] + "ований", verb[:-5] + "аний"]
    if verb.endswith("ювати"):
        found += [verb[:-5] + "ьований", verb[:-5] + "йований"]  # малювати -> мальований
    if verb.endswith(("ути", "оти", "рти")):
        found.append(verb[:-2] + "тий")
    if verb.endswith(("ити", "іти", "їти")):
        stem = verb[:-3]
        found.append(stem + "ений")
        for tail, soft in _SOFTENED.items():
            if stem.endswith(tail):
                found.append(stem[: -len(tail)] + soft + "ений")
                break
    if verb.endswith(("сти", "зти")):
        found.append(verb[:-2] + "ений")
    return any(
        in_dictionary(form)
        and any(p.tag.POS == "ADJF" and "pssv" in p.tag.grammemes for p in parse(form))
        for form in found
    )
