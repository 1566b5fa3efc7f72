"""`pairgen train` for real: a tiny BERT made here, trained on a real small `pairgen.build` output.

The model (2 layers, 32 dimensions, WordPiece vocabulary trained on the test sentences) and the
dataset are made once per session; the trained model is shared by the tests that read its files.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hub_server import FakeHub, point_readers_at
from tiny_bert import make_tiny_bert, ukrainian_sentences, write_corpus

from pairgen.cli.train import train_cmd
from pairgen.errors import HubError, UsageError
from pairgen.training import EVAL_FILE, train

REPO = Path(__file__).resolve().parent.parent
FAST = {"epochs": 2, "batch_size": 16, "lr": 1e-3, "max_seq_length": 32, "device": "cpu"}


BASE_ID = "alice/tiny-bert-uk"


@pytest.fixture(scope="session")
def sentences() -> list[str]:
    return ukrainian_sentences(400)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, sentences: list[str]) -> Path:
    return make_tiny_bert(tmp_path_factory.mktemp("model") / "tiny-bert", sentences)


def _build(root: Path, sentences: list[str], **options: object) -> Path:
    from pairgen import build

    corpus = write_corpus(root / "corpus", sentences)
    build(corpus, root / "pairs", n=300, seed=1, license="cc0-1.0", **options)
    return root / "pairs"


@pytest.fixture(scope="session")
def pairs(tmp_path_factory: pytest.TempPathFactory, sentences: list[str]) -> Path:
    """A real pairgen output folder: 300 pairs with train and test splits."""
    return _build(tmp_path_factory.mktemp("pairs"), sentences)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, pairs: Path, tiny_model: Path):
    lines: list[str] = []
    out = tmp_path_factory.mktemp("trained") / "model"
    report = train(
        pairs, out, model=str(tiny_model), base_model_id=BASE_ID, log=lines.append, **FAST
    )
    return report, lines


def test_loss_is_finite_and_falls(trained) -> None:
    report, _ = trained
    losses = [p.loss for p in report.loss_history]
    assert len(losses) >= 6
    assert all(math.isfinite(x) for x in losses)
    third = len(losses) // 3
    assert sum(losses[-third:]) / third < sum(losses[:third]) / third


def test_eval_json_has_pearson_and_spearman_before_and_per_epoch(trained) -> None:
    report, _ = trained
    data = json.loads((report.output / EVAL_FILE).read_text(encoding="utf-8"))
    assert data["split"] == "test" and data["rows"] == report.eval_rows > 0
    assert set(data["before"]) == {"pearson", "spearman"}
    assert [e["epoch"] for e in data["epochs"]] == [1, 2]
    for entry in [data["before"], *data["epochs"]]:
        assert -1.0 <= entry["pearson"] <= 1.0 and -1.0 <= entry["spearman"] <= 1.0
    assert data["epochs"][-1]["spearman"] == pytest.approx(report.evaluation[-1].spearman)


def test_log_prints_the_evaluation_table(trained) -> None:
    report, lines = trained
    text = "\n".join(lines)
    assert "stage" in text and "pearson" in text and "spearman" in text
    assert [p.stage for p in report.evaluation] == ["before training", "epoch 1", "epoch 2"]
    assert f"{report.evaluation[-1].spearman:.4f}" in text


def test_loss_lines_show_the_step_count_and_an_eta(trained) -> None:
    _, lines = trained
    steps = [line for line in lines if line.lstrip().startswith("step ")]
    assert steps and all(
        re.search(r"step +\d+/\d+ .* loss [\d.]+  ETA \d\d:\d\d$", s) for s in steps
    )


def test_saved_model_reloads_and_encodes(trained) -> None:
    from sentence_transformers import SentenceTransformer

    report, _ = trained
    model = SentenceTransformer(str(report.output), device="cpu", local_files_only=True)
    vectors = model.encode(["Старий мірошник уранці побачив криницю.", "Інше речення."])
    assert vectors.shape == (2, 32)
    assert not (report.output / "eval").exists()  # no empty CSV folder left behind


def test_card_names_dataset_language_license_and_scores(trained, pairs: Path) -> None:
    from huggingface_hub import ModelCard

    report, _ = trained
    card = ModelCard.load(report.output / "README.md")
    assert card.data.language == ["uk"]
    assert card.data.license == "cc0-1.0"
    manifest = json.loads((pairs / "pairgen.json").read_text(encoding="utf-8"))
    assert str(pairs) not in card.text and str(report.output) not in card.text  # no local paths
    assert f"{pairs.name} (test split)" in card.text
    assert card.data.base_model == BASE_ID
    assert {r.dataset_name for r in card.data.eval_results} == {f"{pairs.name} (test split)"}
    assert 'SentenceTransformer("sentence_transformers_model_id")' not in card.text
    assert f'SentenceTransformer("{report.output.name}")' in card.text
    assert f"pairgen {manifest['pairgen_version']}" in card.text
    assert manifest["command"] in card.text
    assert "Unnamed Dataset" not in card.text
    assert "CosineSimilarityLoss" in card.text
    last = report.evaluation[-1]
    assert f"| epoch 2 | 2 | {last.step} | {last.pearson:.4f} | {last.spearman:.4f} |" in card.text


def test_base_model_id_from_the_flag_a_hub_name_or_a_cache_path(tmp_path: Path) -> None:
    from pairgen.training import base_model_id

    snapshot = tmp_path / "hub" / "models--sentence-transformers--LaBSE" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    assert base_model_id(str(snapshot), None) == "sentence-transformers/LaBSE"
    assert base_model_id("sentence-transformers/LaBSE", None) == "sentence-transformers/LaBSE"
    assert base_model_id(str(tmp_path), None) is None  # a local folder says nothing
    assert base_model_id(str(tmp_path), "alice/uk-base") == "alice/uk-base"
    with pytest.raises(UsageError, match="--base-model-id 'not an id' is not a Hub model id"):
        base_model_id(str(tmp_path), "not an id")


def test_same_seed_same_losses(trained, pairs: Path, tiny_model: Path, tmp_path: Path) -> None:
    report, _ = trained
    again = train(pairs, tmp_path / "m", model=str(tiny_model), log=lambda _: None, **FAST)
    assert [p.loss for p in again.loss_history] == pytest.approx(
        [p.loss for p in report.loss_history], rel=1e-5
    )


def test_no_test_split_skips_evaluation_and_reads_fresh_rows(
    tmp_path: Path, sentences: list[str], tiny_model: Path, pairs: Path, monkeypatch
) -> None:
    import datasets

    # datasets caches a local folder by its name and README configs only: load the other folder
    # called "pairs" through that cache first, as any tool might, and check we do not get its rows.
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    datasets.load_dataset(str(pairs))
    folder = _build(tmp_path, sentences, test_size=0.0)
    assert folder.name == pairs.name
    lines: list[str] = []
    out = tmp_path / "model"
    options = {**FAST, "epochs": 1}
    report = train(folder, out, model=str(tiny_model), log=lines.append, **options)
    manifest = json.loads((folder / "pairgen.json").read_text(encoding="utf-8"))
    assert report.train_rows == manifest["counts"]["splits"]["train"] == 300
    assert report.eval_rows == 0 and report.evaluation == ()
    assert any("no test split" in line for line in lines)
    assert not (out / EVAL_FILE).exists()
    assert "Not evaluated: the dataset has no test split." in (out / "README.md").read_text()


def test_fp16_on_cpu_is_a_usage_error_before_any_work(pairs: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"--fp16 needs a CUDA GPU"):
        train(pairs, tmp_path / "m", model="unused", device="cpu", fp16=True)
    assert not (tmp_path / "m").exists()


def test_cli_fp16_on_cpu_exits_2_with_one_line(pairs: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        train_cmd, [str(pairs), "-o", str(tmp_path / "m"), "--device", "cpu", "--fp16"]
    )
    assert result.exit_code == 2
    assert "Error: --fp16 needs a CUDA GPU (--device cuda)" in result.output
    assert "Traceback" not in result.output


def test_cli_trains_and_prints_the_table(pairs: Path, tiny_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli-model"
    args = [str(pairs), "-o", str(out), "--model", str(tiny_model), "--epochs", "1"]
    args += ["--lr", "1e-3", "--max-seq-length", "32", "--device", "cpu"]
    result = CliRunner().invoke(train_cmd, args)
    assert result.exit_code == 0, result.output
    assert "evaluation on the test split" in result.output
    assert "before training" in result.output and "epoch 1" in result.output
    assert (out / EVAL_FILE).is_file() and (out / "model.safetensors").is_file()


def test_offline_model_not_in_cache_is_one_clear_line(pairs: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
        "PYTHONPATH": str(REPO),
    }
    code = "from pairgen.cli.train import train_cmd; train_cmd()"
    args = [str(pairs), "--model", "nobody-here/not-cached-model", "-o", str(tmp_path / "m")]
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: model nobody-here/not-cached-model is not in the local Hugging Face cache and "
        "the Hub cannot be reached (HF_HUB_OFFLINE is set); pass --model PATH to a local copy"
    ]
    assert not (tmp_path / "m").exists()


def test_bad_dataset_and_model_paths_name_the_problem(pairs: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"DATASET .*nope: no such folder"):
        train(tmp_path / "nope", tmp_path / "m", device="cpu")
    (tmp_path / "empty" / "data").mkdir(parents=True)
    (tmp_path / "empty" / "data" / "train.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"lacks column\(s\) sentence1, sentence2, score"):
        train(tmp_path / "empty", tmp_path / "m", device="cpu")
    with pytest.raises(UsageError, match=r"--model \./no/such/model: no such model folder"):
        train(pairs, tmp_path / "m", model="./no/such/model", device="cpu")


def test_push_to_hub_checks_the_repo_id_before_training(pairs: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"malformed repo id 'no-namespace'"):
        train(pairs, tmp_path / "m", device="cpu", push_to_hub="no-namespace")


def test_help_does_not_import_torch_or_datasets() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from pairgen.cli.train import train_cmd\n"
        "result = CliRunner().invoke(train_cmd, ['--help'])\n"
        "assert result.exit_code == 0 and '--push-to-hub' in result.output\n"
        "heavy = ('torch', 'datasets', 'transformers', 'sentence_transformers')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# --- --eval: external STS sets -----------------------------------------------------------------
def _sts_rows(sentences: list[str]) -> list[dict[str, object]]:
    """Pairs with made-up 0-5 scores: identical > shared start > unrelated."""
    rows = []
    for i in range(0, 60, 3):
        a, b, c = sentences[i], sentences[i + 1], sentences[i + 2]
        rows.append({"sentence1": a, "sentence2": a.upper(), "score": 5.0})
        rows.append(
            {"sentence1": a, "sentence2": " ".join(a.split()[:3] + b.split()[3:]), "score": 2.5}
        )
        rows.append({"sentence1": b, "sentence2": c, "score": 0.0})
    return rows


def test_eval_sets_are_scored_before_and_after_each_epoch_beside_the_baseline(
    pairs: Path, tiny_model: Path, sentences: list[str], tmp_path: Path
) -> None:
    import csv

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pairgen import label

    rows = _sts_rows(sentences)
    sts = tmp_path / "my-sts.csv"
    with sts.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["sentence1", "sentence2", "score"])
        writer.writeheader()
        writer.writerows(rows)
    folder = tmp_path / "sts-folder" / "data"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows[:30]), folder / "test-00000.parquet")
    lines: list[str] = []
    out = tmp_path / "m"
    options = {**FAST, "epochs": 1}
    train(
        pairs,
        out,
        model=str(tiny_model),
        log=lines.append,
        eval_sets=(str(sts), str(folder.parent)),
        **options,
    )

    data = json.loads((out / EVAL_FILE).read_text(encoding="utf-8"))
    assert data["split"] == "test"  # the dataset's own split is still there
    first, second = data["eval_sets"]
    assert (first["name"], first["rows"], first["scale"]) == ("my-sts", 60, "0-5")
    assert (second["name"], second["rows"]) == ("sts-folder", 30)
    assert [r["stage"] for r in first["results"]] == ["before training", "epoch 1"]
    assert all(-1 <= r["spearman"] <= 1 for r in first["results"])
    assert first["baseline"]["measure"] == "lemma"
    assert first["baseline"]["spearman"] == pytest.approx(label(sts).spearman)
    assert any("my-sts pearson" in line and "label lemma without a model" in line for line in lines)
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "### my-sts" in card and "### sts-folder" in card
    assert "| label lemma, no model |" in card


def test_an_eval_set_by_hub_id_is_loaded_from_the_hub_and_named_by_its_id(
    pairs: Path,
    tiny_model: Path,
    sentences: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`--eval user/name`: `datasets.load_dataset` from the (fake, local) Hub, its test split."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq
    from huggingface_hub import HfFileSystem

    rows = _sts_rows(sentences)
    shard = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows[:24]), shard)
    out = tmp_path / "m"
    with FakeHub() as hub:
        point_readers_at(hub, monkeypatch, tmp_path / "cache")
        hub.publish("carol/uk-sts", {"data/test-00000-of-00001.parquet": shard.getvalue()})
        try:
            train(
                pairs,
                out,
                model=str(tiny_model),
                eval_sets=("carol/uk-sts",),
                **{**FAST, "epochs": 1},
            )
            with pytest.raises(HubError, match="--eval carol/none: cannot load it from the Hub"):
                train(pairs, tmp_path / "m2", model=str(tiny_model), eval_sets=("carol/none",))
        finally:
            HfFileSystem.clear_instance_cache()
    reads = [r.path for r in hub.requests if r.path.endswith(".parquet")]
    assert any("carol/uk-sts" in path for path in reads)
    (got,) = json.loads((out / EVAL_FILE).read_text(encoding="utf-8"))["eval_sets"]
    assert (got["name"], got["rows"], got["scale"]) == ("carol/uk-sts", 24, "0-5")
    assert [r["stage"] for r in got["results"]] == ["before training", "epoch 1"]
    assert "### carol/uk-sts" in (out / "README.md").read_text(encoding="utf-8")
    assert not (tmp_path / "m2").exists()


def test_a_small_test_split_is_warned_about(trained) -> None:
    _, lines = trained
    assert any(line.startswith("warning: the test split has only") for line in lines)


def test_a_bad_eval_set_fails_before_training(pairs: Path, tmp_path: Path) -> None:
    (tmp_path / "noscore.csv").write_text("sentence1,sentence2\nа,б\nв,г\n", encoding="utf-8")
    for spec, message in (
        ("nowhere.csv", "Error: --eval nowhere.csv: no such file"),
        (str(tmp_path / "noscore.csv"), "no score column"),
        ("not a set", "Error: --eval not a set: no such file or folder"),
    ):
        result = CliRunner().invoke(
            train_cmd, [str(pairs), "-o", str(tmp_path / "m"), "--model", "unused", "--eval", spec]
        )
        assert result.exit_code == 2, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and message in errors[0], result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "m").exists()
