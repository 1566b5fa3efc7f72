"""`pairgen build` from the command line: summary, exit codes, config files and replay."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from outputs import parquet_bytes

from pairgen.cli import main


def test_build_prints_a_summary(tmp_path: Path, tiny_corpus: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(tiny_corpus), "-o", str(out), "-n", "12", "--workers", "1", "-q"]
    result = CliRunner().invoke(main, [*args, "--test-size", "0"])
    assert result.exit_code == 0, result.output
    assert "read 1 file(s), 6 sentences (segmenter: rules)" in result.output
    assert f"wrote 12 pairs to {out}" in result.output
    assert "label lemma: mean" in result.output


def test_bad_option_is_one_line_with_exit_code_2(tmp_path: Path, tiny_corpus: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(tiny_corpus), "-o", str(tmp_path / "o"), "--label", "bleu"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --label must be one of lemma, overlap, jaccard, char, got 'bleu'"
    )
    assert not (tmp_path / "o").exists()


def test_config_file_gives_options_and_flags_override_it(tmp_path: Path, tiny_corpus: Path) -> None:
    cfg = tmp_path / "pairgen.toml"
    cfg.write_text(
        f'corpus = "{tiny_corpus.as_posix()}"\nn = 9\nseed = 5\ntest_size = 0\n'
        'mix = "paraphrase=0,hard=0,random=1"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--config", str(cfg), "-o", str(out), "-n", "3", "-q", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "pairgen.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["pairs"] == 3  # the flag wins over the file's n = 9
    assert manifest["seed"] == 5
    assert manifest["counts"]["by_kind"] == {"paraphrase": 0, "hard": 0, "random": 3}


def test_replaying_a_manifest_gives_the_same_bytes(tmp_path: Path, tiny_corpus: Path) -> None:
    first = tmp_path / "first"
    runner = CliRunner()
    args = ["build", str(tiny_corpus), "-o", str(first), "-n", "12", "--seed", "11", "-q"]
    args += ["--test-size", "0"]
    assert runner.invoke(main, [*args, "--mix", "paraphrase=2,hard=1,random=1"]).exit_code == 0
    replay = tmp_path / "replay"
    result = runner.invoke(
        main, ["build", "--config", str(first / "pairgen.json"), "-o", str(replay), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert parquet_bytes(replay) == parquet_bytes(first)
    card = (replay / "README.md").read_text(encoding="utf-8")
    # the card names the folder only by its name, in the usage snippet
    assert card.replace('"replay"', '"first"') == (first / "README.md").read_text("utf-8")


def test_verbose_logs_each_file(tmp_path: Path, tiny_corpus: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(tiny_corpus),
            "-o",
            str(out),
            "-n",
            "12",
            "--workers",
            "1",
            "-v",
            "--test-size",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "a.txt: utf-8, 6 sentences, 6 kept" in result.output
