"""End to end: the shipped corpus in, a Hub-layout folder out that `datasets` loads."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from outputs import parquet_bytes

from pairgen import build
from pairgen.augment.base import apply_edits, undo_edits
from pairgen.errors import NotEnoughPairsError, OutputError
from pairgen.pairing.pairs import pair_key
from pairgen.records import Edit


def _rows(folder: Path, config: str = "data") -> dict[str, list[dict]]:
    return {
        p.name.split("-")[0]: pq.read_table(p).to_pylist()
        for p in sorted((folder / config).glob("*.parquet"))
    }


def test_load_dataset_reads_both_configs(built: Path) -> None:
    from datasets import load_dataset

    ds = load_dataset(str(built))
    assert set(ds) == {"train", "test"}
    assert ds["train"].column_names == ["sentence1", "sentence2", "score"]
    assert ds["train"].features["score"].dtype == "float32"
    assert len(ds["train"]) + len(ds["test"]) == 400
    prov = load_dataset(str(built), "provenance")
    assert len(prov["train"]) == len(ds["train"])
    assert set(prov["train"].column_names) >= {"kind", "source", "sentence_index", "edits"}


def test_scores_are_labels_and_paraphrase_edits_reproduce_sentence2(built: Path) -> None:
    data, prov = _rows(built), _rows(built, "provenance")
    kinds = set()
    for split in data:
        for row, p in zip(data[split], prov[split]):
            assert 0.0 <= row["score"] <= 1.0
            kinds.add(p["kind"])
            edits = [Edit(**e) for e in p["edits"]]
            if p["kind"] == "paraphrase":
                assert edits and apply_edits(row["sentence1"], edits) == row["sentence2"]
            else:
                # Negatives carry only noise, as edits on the corpus sentence they came from.
                assert {e.op for e in edits} <= {"case", "spacing"}
                original = undo_edits(row["sentence2"], edits)
                assert apply_edits(original, edits) == row["sentence2"]
    assert kinds == {"paraphrase", "hard", "random"}


def test_noise_is_drawn_alike_for_every_kind(built: Path) -> None:
    """No surface feature tells the kind: every kind's sentence2 carries noise, none always."""
    manifest = json.loads((built / "pairgen.json").read_text(encoding="utf-8"))
    by_kind = manifest["counts"]["noise_by_kind"]
    for kind in ("paraphrase", "hard", "random"):
        assert by_kind[kind].get("none", 0) > 0
        assert by_kind[kind].get("case", 0) + by_kind[kind].get("spacing", 0) > 0


def test_splits_share_no_sentence_and_pairs_are_unique(built: Path) -> None:
    data, prov = _rows(built), _rows(built, "provenance")
    sources = {
        split: {r["sentence1"] for r in rows}
        | {
            undo_edits(r["sentence2"], [Edit(**e) for e in p["edits"]])
            for r, p in zip(rows, prov[split])
            if p["kind"] != "paraphrase"
        }
        for split, rows in data.items()
    }
    assert not sources["train"] & sources["test"]
    keys = [pair_key(r["sentence1"], r["sentence2"]) for rows in data.values() for r in rows]
    assert len(keys) == len(set(keys))


def test_manifest_and_card_describe_the_build(built: Path) -> None:
    manifest = json.loads((built / "pairgen.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["pairs"] == 400
    assert manifest["seed"] == 7
    assert manifest["command"].startswith("pairgen build ")
    assert {f["path"] for f in manifest["corpus"]["files"]} >= {"povist-khutir.txt"}
    assert all(len(f["sha256"]) == 64 for f in manifest["corpus"]["files"])
    card = (built / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "\nlanguage:\n- uk\n" in card.split("\n---\n")[0]
    assert "config_name: provenance" in card
    assert manifest["command"] in card
    from pairgen.pairing.labels import FORMULAS

    assert FORMULAS["lemma"] in card  # the default label's formula
    assert manifest["label"]["idf"]["sentences"] == manifest["counts"]["sentences_kept"]
    assert len(manifest["label"]["idf"]["sha256"]) == 64


def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path, shipped_corpus: Path) -> None:
    outs = []
    for workers in (1, 2, 4):
        out = tmp_path / f"w{workers}"
        build(shipped_corpus, out, n=150, seed=3, workers=workers)
        outs.append(parquet_bytes(out))
    assert outs[0] == outs[1] == outs[2]
    other = tmp_path / "other-seed"
    build(shipped_corpus, other, n=150, seed=4, workers=2)
    assert parquet_bytes(other) != outs[0]


def test_existing_output_needs_overwrite_and_survives_a_failed_build(
    tmp_path: Path, tiny_corpus: Path
) -> None:
    out = tmp_path / "out"
    build(tiny_corpus, out, n=10, seed=1, workers=1, test_size=0)
    before = parquet_bytes(out)
    with pytest.raises(OutputError, match="not empty: pass --overwrite"):
        build(tiny_corpus, out, n=10, seed=2, workers=1)
    with pytest.raises(
        NotEnoughPairsError, match=r"gives only about \d+ distinct pairs, not 100000"
    ):
        build(tiny_corpus, out, n=100_000, seed=2, workers=1, overwrite=True)
    assert parquet_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["tiny", "out"] or sorted(
        p.name for p in tmp_path.iterdir()
    ) == ["out", "tiny"]
    build(tiny_corpus, out, n=10, seed=2, workers=1, overwrite=True, test_size=0)
    assert parquet_bytes(out) != before


def test_no_test_split_when_test_size_is_zero(tmp_path: Path, tiny_corpus: Path) -> None:
    out = tmp_path / "out"
    build(tiny_corpus, out, n=10, seed=1, workers=1, test_size=0)
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]
    assert "split: test" not in (out / "README.md").read_text(encoding="utf-8")
