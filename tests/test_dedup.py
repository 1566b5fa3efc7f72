"""De-duplication, near-duplicate groups and decontamination (`--dedup`, `--exclude`)."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import REPO, SHIPPED_CORPUS
from outputs import parquet_bytes

from pairgen import build
from pairgen.cli import main
from pairgen.errors import UsageError
from pairgen.ingest.dedup import deduplicate, near_groups, normal_key
from pairgen.ingest.exclude import read_exclusion

STS = REPO.parent / "shared" / "sts" / "sts17-uk-dev.csv"


def _rows(folder: Path) -> dict[str, list[dict]]:
    return {
        p.name.split("-")[0]: pq.read_table(p).to_pylist()
        for p in sorted((folder / "data").glob("*.parquet"))
    }


def _near_copy(text: str) -> str:
    """The story as another site would have it: other apostrophes, dashes and spacing."""
    text = text.replace("’", "'").replace("ʼ", "'").replace(" — ", " - ")
    return re.sub(r"([,.]) (?=\w)", r"\1  ", text)


def _story_and_near_copy(tmp_path: Path) -> Path:
    """A corpus of a shipped story (`a.txt`) and its near copy from another site (`b.txt`)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = (SHIPPED_CORPUS / "povist-khutir.txt").read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(story, encoding="utf-8")
    (corpus / "b.txt").write_text(_near_copy(story), encoding="utf-8")
    return corpus


# --- keys and groups ---------------------------------------------------------------------------
def test_normal_key_ignores_case_apostrophes_quotes_dashes_and_spacing() -> None:
    a = "— Пам’ять, — сказав він, — це «все»."
    b = '- пам\'ять ,- сказав  він , -  це "все" .'
    assert normal_key(a) == normal_key(b)
    assert normal_key("Він прийшов.") != normal_key("Він прийшов?")
    assert normal_key("на город") != normal_key("нагород")


def test_near_groups_join_one_word_edits_and_nothing_else() -> None:
    keys = [
        normal_key(s)
        for s in (
            "Старий рибалка вийшов на світанку до річки з вудкою.",
            "Молода вчителька поспішала до школи з оберемком зошитів.",
            "Старий рибалка вийшов на світанку до ріки з вудкою.",  # one word of nine
            "Молода вчителька поспішала до школи з оберемком.",  # one word fewer
            "Старий рибалка пішов увечері до річки з вудкою.",  # two words of nine: 0.78
        )
    ]
    assert near_groups(keys) == [0, 1, 0, 1, 4]


def test_near_groups_are_the_same_whatever_the_input_size() -> None:
    """Banding is per sentence: adding unrelated sentences never changes a group."""
    rng = random.Random(5)
    words = [f"слово{i}" for i in range(300)]
    base = [" ".join(rng.sample(words, 12)) for _ in range(200)]
    twins = [" ".join(s.split()[1:]) for s in base[:50]]  # one word of twelve dropped
    small = near_groups(base[:50] + twins)
    assert small[50:] == list(range(50))
    large = near_groups(base[:50] + twins + base[50:])
    assert large[:100] == small


def test_deduplicate_counts_each_level() -> None:
    texts = [
        "Він прийшов додому пізно ввечері.",
        "Він прийшов додому пізно ввечері.",  # exact
        "він прийшов  додому пізно ввечері .",  # normalised
        "Він прийшов додому дуже пізно ввечері.",  # near: one word inserted in six
        "Зовсім інше речення стоїть тут окремо.",
    ]
    exact = deduplicate(texts, "exact")
    assert exact.keep == [0, 2, 3, 4] and dict(exact.dropped) == {"duplicate": 1}
    normalised = deduplicate(texts, "normalised")
    assert normalised.keep == [0, 3, 4]
    assert dict(normalised.dropped) == {"duplicate": 1, "duplicate (normalised)": 1}
    assert normalised.group == [0, 1, 2]
    near = deduplicate(texts, "near")
    assert near.keep == [0, 3, 4] and near.group == [0, 0, 2]
    assert near.groups == {"groups": 1, "sentences": 2, "largest": 2}


def test_excluded_texts_and_their_near_duplicates_are_dropped() -> None:
    texts = [
        "Чоловік грає на гітарі біля вогнища.",
        "чоловік грає на гітарі  біля вогнища!",  # the same words: near
        "Жінка нарізає цибулю на кухні.",
    ]
    d = deduplicate(texts, "near", exclude=["«Чоловік грає на гітарі біля вогнища»."])
    assert d.keep == [2]
    assert dict(d.dropped) == {"excluded": 1, "excluded (near)": 1}
    assert deduplicate(texts, "exact", exclude=["Жінка нарізає цибулю на кухні."]).keep == [0, 1]


# --- the build ---------------------------------------------------------------------------------
def test_near_copy_of_a_story_leaves_no_test_pair_with_a_train_twin(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = (SHIPPED_CORPUS / "povist-khutir.txt").read_text(encoding="utf-8")
    (corpus / "story.txt").write_text(story, encoding="utf-8")
    (corpus / "story-copy.txt").write_text(story, encoding="utf-8")
    (corpus / "story-other-site.txt").write_text(_near_copy(story), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(corpus), "-o", str(out), "-n", "400", "--seed", "7", "-q"]
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    train = {normal_key(r[c]) for r in rows["train"] for c in ("sentence1", "sentence2")}
    test = [r for r in rows["test"]]
    assert test
    twins = [r for r in test if {normal_key(r["sentence1"]), normal_key(r["sentence2"])} & train]
    assert twins == []
    manifest = json.loads((out / "pairgen.json").read_text(encoding="utf-8"))
    dropped = manifest["counts"]["sentences_dropped"]
    assert dropped["duplicate"] > 0 and dropped["duplicate (normalised)"] > 0
    assert f"duplicate (normalised) {dropped['duplicate (normalised)']}" in result.output
    assert manifest["dedup"]["mode"] == "near"


def test_exact_mode_lets_the_near_copy_in(tmp_path: Path) -> None:
    corpus = _story_and_near_copy(tmp_path)
    near, exact = tmp_path / "near", tmp_path / "exact"
    build(corpus, near, n=100, seed=1)
    build(corpus, exact, n=100, seed=1, dedup="exact")
    kept = [
        json.loads((o / "pairgen.json").read_text())["counts"]["sentences_kept"]
        for o in (near, exact)
    ]
    assert kept[1] > kept[0]


def test_dedup_is_the_same_whatever_the_workers(tmp_path: Path) -> None:
    corpus = _story_and_near_copy(tmp_path)
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        build(corpus, out, n=120, seed=3, workers=workers)
        outs.append(parquet_bytes(out))
    assert outs[0] == outs[1]


@pytest.fixture
def sts_rows() -> list[dict[str, str]]:
    if not STS.is_file():
        pytest.skip(f"{STS} is not here (it lives in ../shared, never in the repo)")
    with open(STS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_exclude_keeps_an_evaluation_set_out_of_the_pairs(
    tmp_path: Path, sts_rows: list[dict[str, str]]
) -> None:
    """STS sentences copied into a corpus (as is, with other quotes, one word dropped) never
    reach the output; the build says how many were dropped and records the source."""
    rng = random.Random(11)
    chosen = [r["sentence1"] for r in rng.sample(sts_rows, 12) if len(r["sentence1"].split()) >= 6]
    assert len(chosen) >= 6
    variants = [chosen[0], chosen[1].replace(",", " ,"), f"«{chosen[2].rstrip('.')}»."]
    variants += [" ".join(s.split()[:-2] + s.split()[-1:]) for s in chosen[3:]]  # a word dropped
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = (SHIPPED_CORPUS / "povist-khutir.txt").read_text(encoding="utf-8").splitlines()
    (corpus / "mixed.txt").write_text("\n".join(story[:40] + variants + story[40:]) + "\n")
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "-n", "300", "--seed", "2", "-q"]
    result = CliRunner().invoke(main, [*args, "--exclude", str(STS)])
    assert result.exit_code == 0, result.output
    rows = [r for split in _rows(out).values() for r in split]
    forbidden = {normal_key(s) for s in chosen + variants}
    words = {tuple(normal_key(s).split()) for s in chosen}
    for r in rows:
        for c in ("sentence1", "sentence2"):
            assert normal_key(r[c]) not in forbidden
            k = tuple(normal_key(r[c]).split())
            assert not any(len(set(k) & set(w)) >= 0.8 * len(w) for w in words), r[c]
    manifest = json.loads((out / "pairgen.json").read_text(encoding="utf-8"))
    (source,) = manifest["decontamination"]
    assert source["source"] == str(STS) and source["columns"] == ["sentence1", "sentence2"]
    dropped = manifest["counts"]["sentences_dropped"]
    assert dropped.get("excluded", 0) + dropped.get("excluded (near)", 0) >= len(variants)
    assert "Decontaminated against" in (out / "README.md").read_text(encoding="utf-8")
    assert "--exclude" in manifest["command"]


def test_exclusion_sources(tmp_path: Path) -> None:
    jsonl = tmp_path / "eval.jsonl"
    jsonl.write_text('{"text": "Перше речення.", "label": 1}\n{"text": "Друге.", "label": 0}\n')
    assert read_exclusion(str(jsonl)).texts == ("Перше речення.", "Друге.")
    txt = tmp_path / "eval.txt"
    txt.write_text("Рядок один.\n\nРядок два.\n", encoding="utf-8")
    assert read_exclusion(str(txt)).texts == ("Рядок один.", "Рядок два.")
    table = tmp_path / "eval.parquet"
    import pyarrow as pa

    pq.write_table(pa.table({"id": [1, 2], "question": ["Що це?", "Хто там?"]}), table)
    assert read_exclusion(str(table)).columns == ("question",)
    folder = tmp_path / "dataset"
    (folder / "data").mkdir(parents=True)
    pq.write_table(
        pa.table({"sentence1": ["Кіт спить."], "sentence2": ["Пес гавкає."], "score": [0.2]}),
        folder / "data" / "test-00000-of-00001.parquet",
    )
    got = read_exclusion(str(folder))
    assert got.texts == ("Кіт спить.", "Пес гавкає.") and got.columns == ("sentence1", "sentence2")


def test_bad_exclusion_is_one_usage_error(tmp_path: Path, tiny_corpus: Path) -> None:
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no text column"):
        read_exclusion(str(numbers))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(tiny_corpus), "-o", str(out), "--exclude", str(tmp_path / "nope")]
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: --exclude ")
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()
    with pytest.raises(UsageError, match="no such file or folder"):
        read_exclusion("sts/missing-dev.csv")  # a relative path, not a Hub id
