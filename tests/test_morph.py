"""The pymorphy3 wrapper: cached analysis, signatures that survive the dictionary's quirks."""

from __future__ import annotations

from pairgen.augment import morph


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
