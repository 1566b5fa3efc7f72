"""`pairgen preview` / `pairgen.paraphrase`: shows what a build would make of a sentence."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pairgen.augment.base import apply_edits
from pairgen.augment.registry import make_augmenters
from pairgen.augment.synonyms import REASONS
from pairgen.cli import main
from pairgen.config import BuildOptions
from pairgen.errors import UsageError
from pairgen.pairing.labels import DEFAULT_MEASURE, measure, score
from pairgen.pairing.pairs import Context, Job, labelled, make_candidates
from pairgen.preview import paraphrase, render
from pairgen.records import Sentence
from pairgen.text import words

NOISE = ("case", "spacing")
TEXT = (
    "Старий рибалка вийшов на світанку до річки з вудкою. Хазяїн повільно читав листа.\n"
    "Над річкою ще стояв густий білий туман, і вода здавалася сивою."
)


@pytest.fixture(scope="module")
def previews() -> list:
    return paraphrase(TEXT, n=4, seed=3)


def test_text_is_segmented_into_sentences_across_lines(previews: list) -> None:
    assert [p.sentence for p in previews] == [
        "Старий рибалка вийшов на світанку до річки з вудкою.",
        "Хазяїн повільно читав листа.",
        "Над річкою ще стояв густий білий туман, і вода здавалася сивою.",
    ]


def test_paraphrases_are_distinct_labelled_and_reproduced_by_their_edits(previews: list) -> None:
    for p in previews:
        texts = [v.text for v in p.paraphrases]
        assert len(texts) == len(set(texts)) and p.sentence not in texts
        assert 1 <= len(texts) <= 4
        for v in p.paraphrases:
            assert apply_edits(p.sentence, v.edits) == v.text
            assert v.score == score(DEFAULT_MEASURE, p.sentence, v.text)
            # Highlighted spans are exactly the edits' results in the paraphrase.
            assert [v.text[a:b] for a, b, _ in v.spans] == [e.after for e in v.edits]


def test_preview_matches_what_the_build_pairing_makes() -> None:
    """The same augmenters and per-sentence rngs as the build's pairing: same paraphrases, order."""
    sentences = [Sentence(p.sentence, "a.txt", i) for i, p in enumerate(paraphrase(TEXT, n=1))]
    options = BuildOptions(corpus="-", seed=11)
    ctx = Context(
        sentences=sentences,
        words=[words(s.text) for s in sentences],
        members={"train": list(range(len(sentences))), "test": []},
        split_of=["train"] * len(sentences),
        indexes={},
        augmenters=make_augmenters(options),
        measure=measure(DEFAULT_MEASURE),
        seed=11,
    )
    for i, s in enumerate(sentences):
        cands = make_candidates(ctx, Job(i, ("paraphrase",) * 2, 0, 0, False))
        paraphrases = [labelled(ctx, pair) for _, pair in cands.by_kind["paraphrase"]]
        built = [(pair.sentence2, pair.score) for pair in paraphrases]
        [p] = paraphrase(s.text, n=max(1, len(built)), seed=11)
        made = [(v.text, v.score) for v in p.paraphrases if not v.noise_only]
        assert made == built


def test_first_paraphrase_is_the_one_in_a_real_build(built: Path, shipped_corpus: Path) -> None:
    """End to end: every paraphrase row of a one-pass build is preview's first paraphrase.

    Preview weighs words with the shipped IDF table, the build with its corpus's: the row's label
    is checked against the build's measure, `pairgen label --idf CORPUS`."""
    from pairgen.labelling import corpus_idf
    from pairgen.pairing.labels import make_measure

    build_measure = make_measure(DEFAULT_MEASURE, corpus_idf(shipped_corpus))
    manifest = __import__("json").loads((built / "pairgen.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["passes"] == 1
    checked = 0
    for split in ("train", "test"):
        data = pq.read_table(built / "data" / f"{split}-00000-of-00001.parquet").to_pylist()
        prov = pq.read_table(built / "provenance" / f"{split}-00000-of-00001.parquet")
        for row, kind in zip(data, prov.column("kind").to_pylist(), strict=True):
            if kind != "paraphrase":
                continue
            # The slot's own paraphrase is preview's first; a slot paid for another anchor takes
            # a later one; a noise-only copy is preview's only one.
            [p] = paraphrase(row["sentence1"], n=3, seed=manifest["seed"])
            assert [v.text for v in p.paraphrases].count(row["sentence2"]) == 1
            label = build_measure(words(row["sentence1"]), words(row["sentence2"]))
            assert label == pytest.approx(row["score"], abs=1e-6)
            checked += 1
    assert checked > 20


def test_explain_gives_a_reason_for_every_word_and_swaps_use_eligible_words(
    previews: list,
) -> None:
    for p in previews:
        decisions = {(d.start, d.end): d for d in p.decisions}
        assert [p.sentence[a:b] for a, b in decisions] == [d.word for d in p.decisions]
        assert {d.reason for d in p.decisions} <= set(REASONS)
        for v in p.paraphrases:
            for e in v.edits:
                if e.op == "synonym":
                    d = decisions[(e.start, e.end)]
                    assert d.reason == "eligible" and e.after in d.candidates
    eligible = [d for p in previews for d in p.decisions if d.reason == "eligible"]
    assert eligible and all(d.candidates for d in eligible)


def test_same_seed_same_paraphrases_other_seed_others() -> None:
    a = paraphrase(TEXT, n=3, seed=5, augment=NOISE)
    assert a == paraphrase(TEXT, n=3, seed=5, augment=NOISE)
    assert a != paraphrase(TEXT, n=3, seed=6, augment=NOISE)


def test_fixed_seed_output_is_pinned() -> None:
    [p] = paraphrase("Діти чекали на неї біля хвіртки, гомонячи.", n=2, seed=42, augment=NOISE)
    assert [v.text for v in p.paraphrases] == ["діти чекали на неї біля хвіртки, гомонячи."]
    assert [(v.score, v.noise_only) for v in p.paraphrases] == [(1.0, True)]
    assert p.note == (
        "no word can be safely swapped: the only paraphrase differs in letter case or spacing"
    )


def test_variants_prefer_different_words_and_say_when_fewer_exist() -> None:
    sentence = "Вона подивилася на обличчя хазяїна й промовила тихо."
    [p] = paraphrase(sentence, n=5, seed=1)
    swapped = [{e.before for e in v.edits if e.op == "synonym"} for v in p.paraphrases]
    assert all(swapped), p.paraphrases
    assert len(set().union(*swapped)) >= min(len(swapped), p.possible or 0, 2)
    if len(p.paraphrases) < 5:
        assert p.note is not None and "distinct" in p.note
    [one] = paraphrase("Хазяїн повільно читав листа.", n=3, seed=1)
    assert len(one.paraphrases) == one.possible == 1
    assert one.note == "only 1 distinct paraphrase exists (3 asked): 1 way to swap its words"


def test_without_the_synonym_family_there_are_no_decisions_or_swaps() -> None:
    for p in paraphrase(TEXT, n=3, augment=NOISE):
        assert p.decisions == ()
        assert all(e.op in NOISE for v in p.paraphrases for e in v.edits)


def test_a_sentence_with_nothing_to_change_reports_its_attempts() -> None:
    [p] = paraphrase("Так", n=2, augment=("spacing",))
    assert p.paraphrases == () and p.attempts == 0
    assert "no paraphrase: no word can change and no noise fits the sentence" in render([p])
    [p] = paraphrase("Так", n=2, augment=("synonym",))
    assert p.paraphrases == () and p.attempts == 6
    assert "no paraphrase: nothing changed in 6 attempts" in render([p])


def test_sentences_a_build_would_drop_are_marked_with_the_reason() -> None:
    kept, short = paraphrase("Козак швидко читав листа. Ну, що ж.", n=1, augment=NOISE)
    assert (kept.dropped, short.dropped) == (None, "too short")
    assert "[2] Ну, що ж.\n    (a build drops this sentence: too short)\n" in render([kept, short])
    [kept] = paraphrase("Ну, що ж.", n=1, augment=NOISE, min_words=2)
    assert kept.dropped is None


def test_bad_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="-n must be between 1 and 1000"):
        paraphrase(TEXT, n=0)
    with pytest.raises(UsageError, match="--synonym-rate"):
        paraphrase(TEXT, synonym_rate=2.0)
    with pytest.raises(UsageError, match="--augment"):
        paraphrase(TEXT, augment=("shuffle",))


def test_render_lists_label_edits_and_reasons(previews: list) -> None:
    screen = render(previews, explain=True)
    assert screen.startswith("[1] Старий рибалка")
    assert f"{DEFAULT_MEASURE}  paraphrase" in screen
    assert "words (why each was or was not swapped):" in screen
    assert "function word" in screen and "eligible" in screen


# --- the command ---------------------------------------------------------------------------


def test_cli_prints_plain_text_off_a_terminal() -> None:
    result = CliRunner().invoke(main, ["preview", "-n", "2", "Козак швидко читав листа."])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("[1] Козак швидко читав листа.\n")
    assert "\x1b[" not in result.output
    [p] = paraphrase("Козак швидко читав листа.", n=2)
    shown = [
        ln[13:] for ln in result.output.splitlines() if ln.startswith(("      0.", "      1."))
    ]
    assert shown == [v.text for v in p.paraphrases]


def test_cli_highlights_changed_spans_on_a_terminal() -> None:
    result = CliRunner().invoke(
        main, ["preview", "-n", "1", "--augment", "case", "Козак читав листа."], color=True
    )
    assert result.exit_code == 0, result.output
    [p] = paraphrase("Козак читав листа.", n=1, augment=("case",))
    changed = p.paraphrases[0].edits[0].after
    assert f"\x1b[33m{changed}\x1b[0m" in result.output


def test_cli_reads_stdin_and_explains() -> None:
    result = CliRunner().invoke(
        main, ["preview", "--explain", "-n", "1"], input="Хазяїн повільно читав листа.\n"
    )
    assert result.exit_code == 0, result.output
    assert any(ln.split()[:2] == ["Хазяїн", "eligible"] for ln in result.output.splitlines()), (
        result.output
    )


def test_cli_rejects_explain_without_synonyms_and_empty_text() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["preview", "--augment", "case", "--explain", "Текст тут."])
    assert result.exit_code == 2
    assert (
        result.output == "Error: --explain describes the synonym swap: add synonym to --augment\n"
    )
    result = runner.invoke(main, ["preview"], input="  \n")
    assert result.exit_code == 2
    assert result.output == "Error: the text is empty: nothing to preview\n"


def test_a_given_lexicon_gives_its_synonym_credit_as_in_a_build(tmp_path: Path) -> None:
    # моторно is no synonym of швидко in the shipped thesaurus: only the user's lexicon says so,
    # and the build credits its own lexicon's synonyms, so preview must too. (The swap goes
    # towards the commoner word, `швидко`.)
    lexicon = tmp_path / "lex.tsv"
    rows = "# pairgen-lexicon 1\nшвидко\tADVB\tмоторно\nмоторно\tADVB\tшвидко\n"
    lexicon.write_text(rows, encoding="utf-8")
    sentence = "Козак моторно читав листа."
    assert score("lemma", sentence, "Козак швидко читав листа.") < 0.9  # shipped: no credit

    [p] = paraphrase(sentence, n=2, lexicon=str(lexicon), augment=("synonym",))
    swapped = [v for v in p.paraphrases if "швидко" in v.text]
    assert swapped and all(v.score == 1.0 for v in swapped)

    result = CliRunner().invoke(
        main, ["preview", "-n", "1", "--augment", "synonym", "--lexicon", str(lexicon), sentence]
    )
    assert result.exit_code == 0, result.output
    assert "  1.000  Козак швидко читав листа." in result.output
