"""The pymorphy3 wrapper: cached analysis, signatures that survive the dictionary's quirks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import tomllib
from conftest import REPO, SHIPPED_CORPUS

from pairgen.augment import morph
from pairgen.text import for_analysis, words


def test_analyser_is_built_once_and_parses_are_memoised() -> None:
    assert morph.analyzer() is morph.analyzer()
    assert morph.parse("книжку") is morph.parse("книжку")


def test_apostrophes_must_be_ascii_for_the_dictionary() -> None:
    assert morph.is_known("зам'явся")
    assert not morph.is_known("зам’явся")


def test_memoised_known_agrees_with_pymorphy3_on_every_parse() -> None:
    # known dictionary words, a ґ spelled with г (found through the substitutes), guesses, a name
    words = [
        "книжку",
        "гудзик",
        "ганок",
        "ґанок",
        "зам'явся",
        "зам’явся",
        "хмарочосик",
        "ендрю",
        "швидко",
    ]
    checked = [(morph.known(p), p.is_known) for w in words for p in morph.parse(w)]
    assert len(checked) > len(words)
    assert all(ours == theirs for ours, theirs in checked)
    assert {theirs for _, theirs in checked} == {True, False}


def test_every_parse_is_kept_because_there_is_no_frequency_data() -> None:
    assert {p.tag.POS for p in morph.parse("добре")} == {"NOUN", "ADVB", "ADJF"}


def test_singular_is_made_explicit() -> None:
    (book,) = morph.parse("книжку")
    assert "sing" not in book.tag.grammemes
    assert morph.signature(book) == {"femn", "accs", "sing"}
    past = next(p for p in morph.parse("читав"))
    assert morph.signature(past) == {"masc", "past", "sing"}
    plural = next(p for p in morph.parse("хати") if "plur" in p.tag.grammemes)
    assert "sing" not in morph.signature(plural)


def test_signature_covers_mood_person_tense_and_lexical_grammemes() -> None:
    (imperative,) = morph.parse("читайте")
    assert morph.signature(imperative) == {"plur", "2per", "impr"}
    (infinitive,) = morph.parse("повертатися")
    assert morph.signature(infinitive) == {"infn"}
    assert morph.lexical(infinitive) == {"impf", "Refl"}
    (impersonal,) = morph.parse("зроблено")
    assert "Impe" in morph.signature(impersonal)
    participle = morph.parse("написаний")[0]
    assert morph.lexical(participle) == {"pssv", "perf"}


def test_paradigms_leave_out_proper_names() -> None:
    kinds = [forms[0].tag for forms in morph.paradigms("вовк", "NOUN")]
    assert kinds and not any(t.grammemes & morph.PROPER for t in kinds)
    assert morph.paradigms("ендрю", "NOUN") == ()
    assert morph.paradigms("неіснуюче", "NOUN") == ()


def test_a_paradigm_has_each_signature_and_the_round_trip_check() -> None:
    (paradigm,) = morph.paradigms("господар", "NOUN")
    datv = frozenset({"masc", "datv", "sing"})
    assert {f.word for f in paradigm if morph.signature(f) == datv} == {"господареві", "господарю"}
    assert morph.has_reading("господареві", "господар", "NOUN", datv, frozenset())
    assert not morph.has_reading(
        "господареві", "господар", "NOUN", frozenset({"nomn"}), frozenset()
    )


def test_gerunds_map_to_their_verbs_and_back() -> None:
    impf, perf = frozenset({"impf"}), frozenset({"perf"})
    assert morph.verb_of_gerund("читаючи", impf) == "читати"
    assert morph.verb_of_gerund("зрозумівши", perf) == "зрозуміти"
    assert morph.verb_of_gerund("повернувшись", perf | {"Refl"}) == "повернутися"
    assert morph.gerund("розказувати", impf) == "розказуючи"
    assert morph.gerund("дрижати", impf) == "дрижачи"
    assert morph.gerund("розгніватися", perf | {"Refl"}) == "розгнівавшись"
    assert morph.gerund("розказувати", perf) is None


def test_letters_pymorphy3_cannot_name_have_no_parse() -> None:
    assert morph.parse("𗀀") == ()
    assert not morph.is_known("𗀀")


_PURE_PARSES = r"""
import json, sys
sys.modules["dawg"] = None  # what pymorphy3 sees without DAWG2: it falls back to dawg-python
import pymorphy3.dawg
from pairgen.augment import morph
assert not pymorphy3.dawg.EXTENSION_AVAILABLE
words, lemmas = json.load(sys.stdin)
print(json.dumps([
    [[p.word, str(p.tag), p.normal_form, p.score, p.is_known] for p in morph.parse(w)]
    for w in words
] + [
    [[[f.word, str(f.tag)] for f in par] for par in morph.paradigms(lemma, pos)]
    for lemma, pos in lemmas
]))
"""


def _sample_words() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SHIPPED_CORPUS.glob("*.txt")))
    forms = sorted({for_analysis(w).casefold() for w in words(text)})
    return [*forms[::4], "ґанок", "хмарочосик", "ендрю", "зам'явся", "по-братерськи"]


def test_the_c_dawg_reader_gives_the_pure_python_readers_parses() -> None:
    # DAWG2 (pymorphy3[fast]) is a dependency for speed only: every parse, score and paradigm
    # must be what pymorphy3's pure-Python reader gives, or builds would change with the install.
    pytest.importorskip("dawg", reason="DAWG2 is not installed here (`pip install -e .` adds it)")
    import pymorphy3.dawg

    assert pymorphy3.dawg.EXTENSION_AVAILABLE
    forms = _sample_words()
    assert len(forms) > 1000
    lemmas = sorted(
        {(p.normal_form, p.tag.POS) for w in forms[::10] for p in morph.parse(w) if p.tag.POS}
    )
    ours = [
        [[p.word, str(p.tag), p.normal_form, p.score, p.is_known] for p in morph.parse(w)]
        for w in forms
    ] + [
        [[[f.word, str(f.tag)] for f in par] for par in morph.paradigms(lemma, str(pos))]
        for lemma, pos in lemmas
    ]
    pure = subprocess.run(
        [sys.executable, "-c", _PURE_PARSES],
        input=json.dumps([forms, [[lemma, str(pos)] for lemma, pos in lemmas]]),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(pure.stdout) == json.loads(json.dumps(ours))
    assert sum(len(p) for p in ours[: len(forms)]) > len(forms)  # several readings per word


def test_pyproject_asks_for_the_c_dawg_reader() -> None:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.startswith("pymorphy3[fast]") for d in deps["dependencies"])
