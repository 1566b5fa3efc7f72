"""The thesaurus importer, the lexicon loader, the idiom list and `pairgen lexicon import`."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from pairgen.augment.lexicon import (
    Lexicon,
    Synonym,
    load_idioms,
    load_lexicon,
    shipped_lexicon_path,
)
from pairgen.augment.mythes import import_mythes
from pairgen.cli.lexicon import lexicon as lexicon_group
from pairgen.errors import LexiconError

FIXTURE = Path(__file__).parent / "data" / "mythes_small.dat"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lexicon, object]:
    out = tmp_path_factory.mktemp("lex") / "small.tsv"
    report = import_mythes(FIXTURE, out)
    return load_lexicon(out), report


def lemmas(lex: Lexicon, word: str, pos: str) -> list[str]:
    return [s.lemma for s in lex.synonyms(word, pos)]


def test_cross_references_resolve_transitively(imported):
    lex, _ = imported
    assert lemmas(lex, "абетка", "NOUN") == ["азбука", "алфавіт"]
    # алфавіт -> (див.) абетка -> (див.) азбука: two hops
    assert lemmas(lex, "алфавіт", "NOUN") == ["абетка", "азбука"]


def test_reference_cycle_terminates_and_drops_the_headword(imported):
    lex, _ = imported
    assert lemmas(lex, "буква", "NOUN") == ["літера", "знак"]
    assert lemmas(lex, "літера", "NOUN") == ["буква", "знак"]


def test_comparisons_dropped_and_labels_kept_as_tags(imported):
    lex, _ = imported
    assert lex.synonyms("автомобіль", "NOUN") == (
        Synonym("авто", "NOUN", frozenset({"легковий", "розм."})),
        Synonym("машина", "NOUN", frozenset({"легковий"})),
    )
    assert "грузовик" not in lemmas(lex, "автомобіль", "NOUN")


def test_sense_line_label_applies_to_every_synonym_on_the_line(imported):
    lex, _ = imported
    syns = lex.synonyms("базікати", "VERB")
    assert all("розм." in s.tags for s in syns)
    # a trailing "(нісенітницю)" is a context label, not part of the lemma
    assert Synonym("плести", "VERB", frozenset({"нісенітницю", "розм."})) in syns


def test_reference_labels_reach_the_resolved_synonyms(imported):
    lex, _ = imported
    assert lex.synonyms("хижак", "NOUN") == (
        Synonym("звір", "NOUN", frozenset({"перен."})),
        Synonym("вовк", "NOUN", frozenset({"перен.", "див. ще"})),
    )


def test_only_same_pos_synonyms_kept(imported):
    lex, _ = imported
    assert lemmas(lex, "швидкий", "ADJF") == ["прудкий", "жвавий"]  # not the adverb бистро
    assert ("швидкий", "NOUN") not in lex  # surname readings do not count


def test_word_with_two_parts_of_speech_gets_one_row_each(imported):
    lex, _ = imported
    assert lemmas(lex, "добре", "ADVB") == ["гарно", "славно", "хороше"]
    # pymorphy3 also knows хороше as a neuter noun, so it may stand for the noun добре too
    assert lex.synonyms("добре", "NOUN") == (
        Synonym("хороше", "NOUN", frozenset({"рідше"})),
        Synonym("добро", "NOUN", frozenset({"про людину"})),
    )


def test_multiword_and_apostrophes(imported):
    lex, _ = imported
    phrase = next(s for s in lex.synonyms("базікати", "VERB") if s.multiword)
    assert phrase.lemma == "теревені правити"
    # stored and looked up in analysis form (ASCII apostrophe), with or without it in the query
    assert lemmas(lex, "м'який", "ADJF") == ["ніжний", "лагідний", "м'якенький"]
    assert lex.synonyms("м’який", "ADJF") == lex.synonyms("м'який", "ADJF")
    assert lemmas(lex, "ніжний", "ADJF") == ["лагідний", "м'якенький"]  # no self, no repeat


def test_report_counts(imported):
    lex, report = imported
    assert report.entries == len(lex) == 13
    assert report.headwords == 12
    assert report.comparisons == 2
    assert report.references == 5
    assert report.unresolved_references == 1
    assert report.malformed == 2  # "(знев., фам.) (язиком)" and "1"
    assert report.other_pos == 1  # бистро
    assert report.synonyms == sum(len(lex.synonyms(*key)) for key in lex._rows)


def test_drop_tagged(tmp_path: Path):
    out = tmp_path / "plain.tsv"
    report = import_mythes(FIXTURE, out, keep_tagged=False)
    lex = load_lexicon(out)
    assert report.tagged == 0 and report.tagged_dropped > 0
    assert ("автомобіль", "NOUN") not in lex
    assert lemmas(lex, "швидкий", "ADJF") == ["прудкий"]


def test_gzipped_round_trip(tmp_path: Path, imported):
    out = tmp_path / "small.tsv.gz"
    import_mythes(FIXTURE, out)
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    lex = load_lexicon(out)
    assert lex.synonyms("буква", "NOUN") == imported[0].synonyms("буква", "NOUN")


def test_unknown_lookup_is_empty(imported):
    lex, _ = imported
    assert lex.synonyms("азбука", "VERB") == ()
    assert lex.synonyms("неіснуюче", "NOUN") == ()


GOOD = "азбука\tNOUN\tабетка|алфавіт{заст.,рідко}\n"


@pytest.mark.parametrize(
    ("bad_line", "what"),
    [
        ("азбука\tNOUN", "expected 3 tab-separated columns"),
        ("азбука\tNoun\tабетка", "unknown part of speech 'Noun'"),
        ("азбука\tNOUN\tабетка||алфавіт", "synonyms 'абетка||алфавіт' are not `lemma`"),
        ("азбука\tNOUN\tабетка{}", "synonyms 'абетка{}' are not `lemma`"),
        ("азбука\tNOUN\tабетка2", "synonyms 'абетка2' are not `lemma`"),
        ("азбука\tNOUN\tабетка", "duplicate entry азбука NOUN (first at line 2)"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, bad_line: str, what: str):
    path = tmp_path / "bad.tsv"
    path.write_text("# header\n" + GOOD + "\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert f"bad.tsv, line 4: {what}" in str(info.value)


def test_pickled_lexicon_reloads_from_its_file(imported):
    lex, _ = imported
    copy = pickle.loads(pickle.dumps(lex))
    assert copy is lex  # same process: the cached load
    assert len(pickle.dumps(lex)) < 500  # the path, not the rows, goes to worker processes
    in_memory = Lexicon({("азбука", "NOUN"): "абетка"}, "test")
    assert pickle.loads(pickle.dumps(in_memory)).synonyms("азбука", "NOUN")[0].lemma == "абетка"


def test_missing_lexicon_file(tmp_path: Path):
    with pytest.raises(LexiconError, match="no such lexicon file"):
        load_lexicon(tmp_path / "nope.tsv")


def test_hand_written_lexicon_tags_parse(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text(GOOD, encoding="utf-8")
    lex = load_lexicon(path)
    assert lex.synonyms("азбука", "NOUN")[1] == Synonym(
        "алфавіт", "NOUN", frozenset({"заст.", "рідко"})
    )
    assert lex.source == str(path)
    assert load_lexicon(path) is lex  # cached


def test_mythes_with_a_short_entry_reports_the_line(tmp_path: Path):
    src = tmp_path / "th.dat"
    src.write_text("UTF-8\nазбука|2\n|абетка\nбуква|1\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"th\.dat, line 4: 'азбука' promises 2 sense lines"):
        import_mythes(src, tmp_path / "out.tsv")


def test_shipped_lexicon_has_real_entries():
    # how fast it loads is measured by benchmarks, not asserted here: a busy machine would fail it
    path = shipped_lexicon_path()
    lex = load_lexicon(path)
    assert len(lex) > 10_000
    assert "абетка" in lemmas(lex, "азбука", "NOUN")
    assert load_lexicon() is load_lexicon()
    assert load_lexicon().source == "shipped"
    assert path.read_text(encoding="utf-8").startswith("# pairgen-lexicon 1")


def test_shipped_idioms_hold_known_set_phrases():
    idioms = load_idioms()
    assert len(idioms) >= 400
    for phrase in ("час від часу", "все ж таки", "так само", "накивати п'ятами", "тому що"):
        assert tuple(phrase.split()) in idioms
    assert all(len(idiom) >= 2 and all(w == w.casefold() for w in idiom) for idiom in idioms)
    assert all("’" not in w for idiom in idioms for w in idiom)


def test_idiom_file_comments_and_errors(tmp_path: Path):
    path = tmp_path / "idioms.txt"
    path.write_text("# mine\nВодити за НІС  # comment\n\nп’ятами накивати\n", encoding="utf-8")
    assert load_idioms(path) == (("водити", "за", "ніс"), ("п'ятами", "накивати"))
    bad = tmp_path / "bad.txt"
    bad.write_text("час від часу\nслово\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.txt, line 2: 'слово' is not a phrase"):
        load_idioms(bad)


def test_cli_import_writes_the_lexicon(tmp_path: Path):
    out = tmp_path / "cli.tsv"
    result = CliRunner().invoke(lexicon_group, ["import", str(FIXTURE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: 13 entries from 12 headwords")
    assert lemmas(load_lexicon(out), "буква", "NOUN") == ["літера", "знак"]


def test_cli_import_missing_source_is_one_line_error(tmp_path: Path):
    missing = tmp_path / "none.dat"
    result = CliRunner().invoke(
        lexicon_group, ["import", str(missing), "-o", str(tmp_path / "x.tsv")]
    )
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: no such thesaurus file; check the path\n"
    assert not (tmp_path / "x.tsv").exists()


def test_cli_help_has_an_example():
    result = CliRunner().invoke(lexicon_group, ["import", "--help"])
    assert result.exit_code == 0
    assert "pairgen lexicon import /usr/share/mythes/th_uk_UA_v2.dat" in result.output
