"""`pairgen label FILE` and `pairgen.label`: label pairs, check a measure against human scores."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pairgen import label
from pairgen.cli import main
from pairgen.labelling import pearson, spearman
from pairgen.pairing.labels import score

PAIRS = [
    ("Козак швидко читав листа.", "Козак хутко читав листа .", 5.0),
    ("Я читаю книгу.", "Я читаю книги.", 5.0),
    ("Старий дід повільно йшов до річки.", "Старий дід повільно йшов від річки.", 3.5),
    ("Старий дід повільно йшов до річки.", "Молода дівчина бігла до міста.", 1.0),
    ("Діти гралися у дворі.", "Увечері весь хутір зібрався біля млина.", 0.0),
]


def _csv(path: Path, with_score: bool = True) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["sentence1", "sentence2", "score"] if with_score else ["sentence1", "sentence2"]
        )
        writer.writerows(p if with_score else p[:2] for p in PAIRS)
    return path


def test_label_prints_spearman_pearson_and_pairs_last(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["label", str(_csv(tmp_path / "p.csv"))])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    report = label(tmp_path / "p.csv")
    assert last == f"spearman={report.spearman:.4f} pearson={report.pearson:.4f} pairs=5"
    assert report.labels == tuple(score("lemma", a, b) for a, b, _ in PAIRS)
    assert report.spearman == pytest.approx(1.0)  # this small set is ordered the same way
    assert report.idf is not None and report.idf["source"] == "shipped"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_each_format_reads_and_writes_the_same_labels(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / f"in{suffix}"
    rows = [{"sentence1": a, "sentence2": b, "score": s} for a, b, s in PAIRS]
    if suffix == ".csv":
        _csv(src)
    elif suffix == ".jsonl":
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(rows), src)
    out = tmp_path / f"out{suffix}"
    report = label(src, out, measure="overlap")
    assert report.output == out
    again = label(out, measure="overlap")  # the output is itself a pairs file: score = the label
    assert again.labels == report.labels
    assert again.spearman == pytest.approx(1.0)
    if suffix == ".parquet":
        table = pq.read_table(out)
        assert table.column_names == ["sentence1", "sentence2", "score", "input_score"]
        assert table.column("input_score").to_pylist() == [s for _, _, s in PAIRS]


def test_without_score_or_output_the_labels_go_to_stdout_as_csv(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["label", str(_csv(tmp_path / "p.csv", False))])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[0] == ["sentence1", "sentence2", "score"]
    assert [float(r[2]) for r in rows[1:]] == [score("lemma", a, b) for a, b, _ in PAIRS]


def test_idf_sources_self_table_and_corpus(tmp_path: Path, tiny_corpus: Path) -> None:
    src = _csv(tmp_path / "p.csv")
    own = label(src, idf="self")
    assert own.idf is not None and own.idf["sentences"] == 10
    saved = tmp_path / "idf.tsv"
    from_corpus = label(src, idf=str(tiny_corpus), save_idf=saved)
    assert from_corpus.idf is not None and from_corpus.idf["sentences"] == 6
    from_table = label(src, idf=str(saved))
    assert from_table.labels == from_corpus.labels
    assert from_table.idf is not None and from_table.idf["sha256"] == from_corpus.idf["sha256"]


def test_the_corpus_idf_is_the_one_a_build_records(tmp_path: Path, tiny_corpus: Path) -> None:
    from pairgen import build

    build(tiny_corpus, tmp_path / "out", n=12, workers=1, test_size=0.0)
    manifest = json.loads((tmp_path / "out" / "pairgen.json").read_text(encoding="utf-8"))
    recorded = manifest["label"]["idf"]
    assert recorded["source"] == "corpus" and recorded["sentences"] == 6
    assert label(_csv(tmp_path / "p.csv"), idf=str(tiny_corpus)).idf["sha256"] == recorded["sha256"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "bleu"], "Invalid value for '--label'"),
        (["--idf", "nowhere"], "Error: --idf nowhere: no such file or folder"),
        (["--label", "overlap", "--idf", "self"], "Error: --idf: the overlap measure uses no IDF"),
        (["-o", "x.txt"], "Error: -o x.txt: give a .csv, .jsonl or .parquet file name"),
    ],
)
def test_bad_options_are_one_line_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _csv(tmp_path / "p.csv")
    result = CliRunner().invoke(main, ["label", "p.csv", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\nx,y\n", "no column sentence1 or sentence2"),
        ("sentence1,sentence2,score\nx,y,high\n", "row 1: score 'high' is not a number"),
        ("sentence1,sentence2\n", "no pairs in it"),
    ],
)
def test_a_bad_pairs_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "p.csv").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["label", str(tmp_path / "p.csv")])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: FILE {tmp_path / 'p.csv'}")
    assert message in result.output and result.output.count("\n") == 1


def test_an_existing_output_is_kept_unless_overwrite(tmp_path: Path) -> None:
    src = _csv(tmp_path / "p.csv")
    out = tmp_path / "out.csv"
    out.write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["label", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert "exists; pass --overwrite" in result.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    same = CliRunner().invoke(main, ["label", str(src), "-o", str(src), "--overwrite"])
    assert same.exit_code == 2 and "is the input file" in same.output
    ok = CliRunner().invoke(main, ["label", str(src), "-o", str(out), "--overwrite"])
    assert ok.exit_code == 0, ok.output
    assert out.read_text(encoding="utf-8").startswith("sentence1,sentence2,score,input_score")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_rank_correlation_handles_ties_and_constants() -> None:
    assert spearman([1, 2, 2, 3], [10, 20, 20, 30]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))
