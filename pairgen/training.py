"""The optional training stage: fine-tune a sentence-transformers model on a pairgen dataset.

Why a separate stage: the dataset exists to train a sentence-similarity model, and a model card that
says "Unnamed Dataset" with no evaluation tells its reader nothing. This stage trains with
`SentenceTransformerTrainer` and `CosineSimilarityLoss` on the `sentence1`, `sentence2`, `score`
columns, scores the test split with `EmbeddingSimilarityEvaluator` before training and after every
epoch, and writes the model, `eval.json` and a card that names the dataset (local path or Hub id),
the pairgen version and build command from `pairgen.json`, language `uk` and the licence.

    report = train("output", "models/uk-minilm", model="path/to/local/model", epochs=1)
    report.evaluation[-1].spearman

torch, datasets, transformers and sentence_transformers are imported inside the functions that
need them, so `pairgen --help` stays fast.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pairgen.config import TrainOptions, cpu_precision_message
from pairgen.errors import (
    HubError,
    Interrupted,
    MissingDependencyError,
    PairgenError,
    UsageError,
)
from pairgen.evaluation import EvalPoint

EVAL_FILE = "eval.json"
CARD_FILE = "README.md"
MANIFEST_FILE = "pairgen.json"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
_EVAL_NAME = "test"
_ST_PLACEHOLDER = "sentence_transformers_model_id"
"""What sentence-transformers' card loads in its usage snippet when the model has no Hub id."""


@dataclass(frozen=True)
class LossPoint:
    """Mean training loss over the logging window that ends at `step`."""

    step: int
    epoch: float
    loss: float


@dataclass(frozen=True)
class DatasetSource:
    """Where the pairs came from, as the model card names it."""

    name: str  # the local path as given, or the Hub id
    hub_id: str | None
    manifest: dict[str, Any]  # pairgen.json, {} when the dataset has none
    license: str | None


@dataclass(frozen=True)
class TrainReport:
    """What `train` did: where the model is, the loss curve, the evaluation, the speed."""

    output: Path
    train_rows: int
    eval_rows: int  # 0 when the dataset has no test split (evaluation skipped)
    loss_history: tuple[LossPoint, ...]
    evaluation: tuple[EvalPoint, ...]  # before training, then one per epoch; () when skipped
    seconds: float  # wall time of the whole call
    samples_per_s: float  # training samples per second, as the trainer measured it
    device: str
    pushed_to: str | None = None  # the Hub URL after --push-to-hub
    eval_sets: tuple[Any, ...] = ()  # the --eval sets (`pairgen.evaluation.EvalSet`), results


def train(
    dataset: str | Path,
    output: str | Path | None = None,
    *,
    log: Callable[[str], None] = print,
    **options: Any,
) -> TrainReport:
    """Fine-tune a model on the pairs in `dataset`; save it with `eval.json` and a card to `output`.

    `dataset` is a pairgen output folder or a Hub dataset id; keyword options are `TrainOptions`
    fields (`model`: a Hub model name, taken from the local cache when it is there, or a local
    folder; `epochs`, `batch_size`, `lr`, ...; `output` defaults to models/pairgen-model). The
    defaults reproduce the reference setup: batch 16, lr 5e-5, 3 epochs, linear schedule, no
    warm-up, seed 42, 128 tokens.

        report = train("output", "models/uk", model="models/base", epochs=1, log=lambda s: None)
        print(report.evaluation[0].spearman, "->", report.evaluation[-1].spearman)

    Raises UsageError for bad options or a dataset without the pair columns, MissingDependencyError
    when the model is neither local nor reachable, HubError when the Hub refuses.
    """
    started = time.perf_counter()
    if output is not None:
        options["output"] = str(output)
    opts = TrainOptions(**options)
    model = opts.model
    push_folder = _push_function(opts.push_to_hub, opts.token)
    base_id = base_model_id(model, opts.base_model_id)
    output = Path(opts.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} is a file; give a folder for the model")
    device = _resolve_device(opts.device, opts.fp16, opts.bf16)
    from pairgen.write.folder import MODEL, AtomicFolder

    inputs = {"the dataset": dataset if Path(dataset).exists() else None}
    inputs["--model"] = model if Path(model).expanduser().exists() else None
    folder = AtomicFolder(output, overwrite=True, kind=MODEL, inputs=inputs)
    folder.check()  # never a dataset or any other folder but a model; locked until saved
    try:
        return _train(dataset, opts, folder, push_folder, base_id, device, log, started)
    except KeyboardInterrupt:
        raise Interrupted(
            f"training interrupted: nothing was written, {output} is as it was"
        ) from None
    finally:
        folder.release()


def _train(
    dataset: str | Path,
    opts: TrainOptions,
    folder: Any,
    push_folder: Callable[..., Any] | None,
    base_id: str | None,
    device: str,
    log: Callable[[str], None],
    started: float,
) -> TrainReport:
    """`train` once the options and the output are checked: load, train, save through `folder`
    (a `pairgen.write.folder.AtomicFolder`, so an interrupted run leaves no half-written model)."""
    model, batch_size, seed = opts.model, opts.batch_size, opts.seed
    push_to_hub, token, output = opts.push_to_hub, opts.token, Path(opts.output)
    source, train_rows, test_rows = _load_pairs(dataset, token)
    log(f"dataset {source.name}: {len(train_rows)} train pairs, {_test_note(test_rows)}")
    eval_sets = _eval_sets(opts.eval_sets, token, source, test_rows, log)
    card = _card_data(source, base_id, push_to_hub, test=test_rows is not None)
    st_model = _load_model(model, device, card, token, seed)
    st_model.max_seq_length = _seq_length(st_model, opts.max_seq_length, model, log)
    log(f"model {model} on {device}: {st_model.get_embedding_dimension()} dimensions")

    evaluator = _with_eval_sets(
        None if test_rows is None else _evaluator(test_rows, batch_size), eval_sets, batch_size
    )
    points: list[EvalPoint] = []
    if evaluator is not None:
        metrics = evaluator(st_model, epoch=0, steps=0)
        if test_rows is not None:
            points.append(_eval_point("before training", 0, 0, metrics))
            log(f"  before training: {_eval_note(points[-1])}")
        _record_eval_sets(eval_sets, "before training", 0, 0, metrics, log)
    losses: list[LossPoint] = []
    with folder as tmp:
        result = _fit(
            st_model,
            opts,
            tmp,
            train_rows,
            test_rows,
            evaluator,
            losses,
            points,
            device,
            log,
            eval_sets,
        )
        _remove_empty_dir(tmp / "eval")  # the trainer makes it for CSVs that we do not write
        st_model.save_pretrained(str(tmp))
        _write_eval(tmp, source, test_rows, points, eval_sets)
        _finish_card(
            output,
            source,
            base_id,
            len(train_rows),
            test_rows,
            points,
            log,
            where=tmp,
            eval_sets=eval_sets,
        )
    if points:
        log(f"evaluation on the test split ({len(test_rows)} pairs, cosine similarity):")
        log(eval_table(points))
    if eval_sets:
        from pairgen.evaluation import table

        for eval_set in eval_sets:
            log(f"evaluation on {eval_set.name} ({len(eval_set.scores)} pairs, cosine similarity):")
            log(table(eval_set))
    wrote_eval = points or eval_sets
    log(f"saved the model, {CARD_FILE}{' and ' + EVAL_FILE if wrote_eval else ''} to {output}")

    pushed_to = None
    if push_folder is not None and push_to_hub is not None:
        pushed = push_folder(
            output,
            push_to_hub,
            repo_type="model",
            token=token,
            private=opts.private,
            commit_message=f"pairgen train {source.name}",
        )
        pushed_to = pushed.url
        log(f"pushed {output} to {pushed.url}")

    return TrainReport(
        output=output,
        train_rows=len(train_rows),
        eval_rows=0 if test_rows is None else len(test_rows),
        loss_history=tuple(losses),
        evaluation=tuple(points),
        seconds=time.perf_counter() - started,
        samples_per_s=float(result.metrics.get("train_samples_per_second", 0.0)),
        device=device,
        pushed_to=pushed_to,
        eval_sets=tuple(eval_sets),
    )


def _fit(
    st_model: Any,
    opts: TrainOptions,
    where: Path,
    train_rows: Any,
    test_rows: Any,
    evaluator: Any,
    losses: list[LossPoint],
    points: list[EvalPoint],
    device: str,
    log: Callable[[str], None],
    eval_sets: Sequence[Any] = (),
) -> Any:
    """Run the trainer with its working files in `where` (the output's temporary folder)."""
    args = _training_args(
        where,
        opts.epochs,
        opts.batch_size,
        opts.lr,
        opts.warmup_ratio,
        opts.seed,
        device,
        opts.fp16,
        opts.bf16,
        steps_per_epoch=math.ceil(len(train_rows) / opts.batch_size),
        evaluate=evaluator is not None,
    )
    trainer = _trainer(
        st_model, train_rows, test_rows, evaluator, args, _recorder(losses, points, log)
    )
    if eval_sets:
        from pairgen.evaluation import callback

        trainer.add_callback(callback(eval_sets, log))
    result = trainer.train()
    _check_losses(losses)
    return result


def _seq_length(st_model: Any, max_seq_length: int, model: str, log: Callable[[str], None]) -> int:
    """--max-seq-length, checked against the model's position limit (above it, transformers fails
    deep inside on the first long sentence): the default is lowered to the limit with a note,
    a value asked for is refused naming the limit."""
    try:
        first = st_model[0]
        limits = [
            getattr(getattr(first, "tokenizer", None), "model_max_length", None),
            getattr(getattr(getattr(first, "auto_model", None), "config", None),
                    "max_position_embeddings", None),
        ]  # fmt: skip
    except (IndexError, TypeError, KeyError):
        return max_seq_length
    known = [v for v in limits if isinstance(v, int) and 0 < v < 1_000_000]
    if not known or max_seq_length <= min(known):
        return max_seq_length
    if max_seq_length == TrainOptions().max_seq_length:
        log(f"model {model} takes at most {min(known)} tokens: --max-seq-length {min(known)}")
        return min(known)
    raise UsageError(
        f"--max-seq-length {max_seq_length} is above what --model {model} can take "
        f"({min(known)} tokens): give at most {min(known)}"
    )


def _remove_empty_dir(path: Path) -> None:
    if path.is_dir() and not any(path.iterdir()):
        path.rmdir()


# --- options -----------------------------------------------------------------------------------


def _resolve_device(device: str, fp16: bool, bf16: bool) -> str:
    """'auto' -> 'cuda' when torch sees a GPU, else 'cpu'; check that mixed precision can run."""
    import torch

    has_cuda = torch.cuda.is_available()
    if device == "cuda" and not has_cuda:
        raise UsageError("--device cuda: torch sees no CUDA GPU here; use --device cpu")
    resolved = "cuda" if device == "cuda" or (device == "auto" and has_cuda) else "cpu"
    if (fp16 or bf16) and resolved == "cpu":
        raise UsageError(cpu_precision_message(fp16))
    if bf16 and not torch.cuda.is_bf16_supported():
        raise UsageError("--bf16: this GPU has no bfloat16 support; use --fp16")
    return resolved


def _push_function(repo_id: str | None, token: str | None) -> Callable[..., Any] | None:
    """Check the repo id and that a token exists up front: a push must not fail after training."""
    if repo_id is None:
        return None
    from pairgen.hub import push_folder, ready_to_push

    ready_to_push(repo_id, token)
    return push_folder


# --- dataset -----------------------------------------------------------------------------------


def _load_pairs(dataset: str | Path, token: str | None) -> tuple[DatasetSource, Any, Any]:
    """Train and test splits (test may be None) with only the pair columns, and their source."""
    text = str(dataset)
    folder = Path(dataset).expanduser()
    if folder.is_dir():
        splits = _load_folder(folder, text)
        manifest = _read_json(folder / MANIFEST_FILE)
        source = DatasetSource(
            name=_display_name(text, folder),
            hub_id=None,
            manifest=manifest,
            license=manifest.get("license") or _card_license(folder / CARD_FILE),
        )
    elif folder.exists():
        raise UsageError(f"DATASET {text} is a file; give a pairgen output folder or a Hub id")
    elif _HUB_ID.match(text) and "/" in text:
        splits = _load_hub(text, token)
        manifest = _hub_manifest(text, token)
        source = DatasetSource(text, text, manifest, manifest.get("license"))
    else:
        raise UsageError(
            f"DATASET {text}: no such folder; give a pairgen output folder or a Hub id (user/name)"
        )

    if "train" not in splits:
        raise UsageError(f"DATASET {text} has no train split (found: {', '.join(splits)})")
    train_rows = _pair_columns(splits["train"], text, "train")
    if len(train_rows) == 0:
        raise UsageError(f"DATASET {text}: the train split is empty")
    test_rows = _pair_columns(splits["test"], text, "test") if "test" in splits else None
    if test_rows is not None and len(test_rows) < 2:
        test_rows = None  # a correlation needs two pairs at least
    return source, train_rows, test_rows


def _load_folder(folder: Path, text: str) -> Any:
    """`load_dataset(folder)` in a fresh cache, kept in memory.

    datasets keys a local folder's cache by the folder's name and README configs only, so another
    folder called "output", or this one rebuilt, would otherwise give stale rows without a word.
    """
    from datasets import load_dataset

    try:
        with tempfile.TemporaryDirectory(prefix="pairgen-train-") as cache:
            return load_dataset(str(folder), cache_dir=cache, keep_in_memory=True)
    except Exception as err:  # datasets raises many types for a folder it cannot read
        raise UsageError(
            f"DATASET {text}: not a readable pairgen output folder ({_first_line(err)}); "
            "expected data/train-*.parquet"
        ) from err


def _load_hub(repo_id: str, token: str | None) -> Any:
    from datasets import load_dataset

    from pairgen.hub import check_reachable, is_offline

    if not is_offline():  # offline, datasets reads its cache; online, fail fast when it is not
        check_reachable(f"DATASET {repo_id}", repo_id, "dataset", token)
    try:
        return load_dataset(repo_id, token=token)
    except Exception as err:  # not found, gated, offline and not cached, network down, ...
        raise HubError(
            f"DATASET {repo_id}: cannot load it from the Hub or the local cache "
            f"({_first_line(err)}); check the id, or give a local pairgen output folder"
        ) from err


def _pair_columns(split: Any, text: str, name: str) -> Any:
    """Only sentence1, sentence2, score (float32): the layout CosineSimilarityLoss expects."""
    from datasets import Value

    from pairgen.write.parquet import columns

    missing = [c for c in columns("default") if c not in split.column_names]
    if missing:
        raise UsageError(
            f"DATASET {text}: the {name} split lacks column(s) {', '.join(missing)}; "
            "a pairgen dataset has sentence1, sentence2, score"
        )
    split = split.select_columns(list(columns("default")))
    if split.features["score"] != Value("float32"):
        split = split.cast_column("score", Value("float32"))
    return split


def _display_name(text: str, folder: Path) -> str:
    """The folder's name: the card and eval.json name the dataset, not the machine's paths."""
    return folder.resolve().name


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise UsageError(f"{path}: not readable JSON ({_first_line(err)})") from err
    return data if isinstance(data, dict) else {}


def _card_license(path: Path) -> str | None:
    """The `license:` of a dataset card's YAML front matter, if any."""
    if not path.is_file():
        return None
    from huggingface_hub import DatasetCard

    try:
        value = DatasetCard.load(path).data.get("license")
    except Exception:  # a card we cannot parse just gives no licence; the manifest may have one
        return None
    return value if isinstance(value, str) else None


def _hub_manifest(repo_id: str, token: str | None) -> dict[str, Any]:
    """pairgen.json of a Hub dataset (from the cache when offline); {} when it has none."""
    from huggingface_hub import hf_hub_download

    try:
        path = hf_hub_download(repo_id, MANIFEST_FILE, repo_type="dataset", token=token)
    except Exception:  # not a pairgen dataset, or not cached: the card then says "unknown"
        return {}
    return _read_json(Path(path))


def _eval_sets(
    specs: tuple[str, ...],
    token: str | None,
    source: DatasetSource,
    test_rows: Any,
    log: Callable[[str], None],
) -> list[Any]:
    """The `--eval` sets (read before the model loads), and a warning for a small test split."""
    from pairgen.evaluation import SMALL_TEST, load_eval_sets
    from pairgen.pairing.labels import DEFAULT_MEASURE, MEASURES

    if test_rows is not None and len(test_rows) < SMALL_TEST:
        log(
            f"warning: the test split has only {len(test_rows)} pairs (< {SMALL_TEST}), labelled "
            "by the build's own measure: its correlation says little; add --eval with a "
            "human-judged STS set"
        )
    measure = (source.manifest.get("label") or {}).get("measure", DEFAULT_MEASURE)
    sets = load_eval_sets(specs, token, measure if measure in MEASURES else DEFAULT_MEASURE)
    for s in sets:
        log(
            f"--eval {s.name}: {len(s.scores)} pairs, scores {s.scale}; label {measure} without "
            f"a model: spearman {s.baseline.spearman:.4f}"
        )
    return sets


def _with_eval_sets(evaluator: Any, eval_sets: Sequence[Any], batch_size: int) -> Any:
    """The test split's evaluator followed by one per `--eval` set (None if there is nothing)."""
    if not eval_sets:
        return evaluator
    from sentence_transformers.sentence_transformer.evaluation import SequentialEvaluator

    from pairgen.evaluation import evaluators

    found = evaluators(eval_sets, batch_size)
    return SequentialEvaluator([evaluator, *found] if evaluator is not None else found)


def _record_eval_sets(
    eval_sets: Sequence[Any],
    stage: str,
    epoch: int,
    step: int,
    metrics: dict[str, Any],
    log: Callable[[str], None],
) -> None:
    if eval_sets:
        from pairgen.evaluation import record

        record(eval_sets, stage, epoch, step, metrics, log)


def _test_note(test_rows: Any) -> str:
    if test_rows is None:
        return "no test split (of 2+ pairs): evaluation skipped"
    return f"{len(test_rows)} test pairs"


# --- model -------------------------------------------------------------------------------------


def base_model_id(model: str, given: str | None) -> str | None:
    """The Hub id of the model training starts from, for the card's `base_model:`.

    `--base-model-id` wins; a Hub name is its own id; a local copy inside the Hugging Face cache
    (`models--OWNER--NAME/snapshots/REV`) gives it from its path; any other local folder has none.
    """
    if given is not None:
        from huggingface_hub.errors import HFValidationError
        from huggingface_hub.utils import validate_repo_id

        try:
            validate_repo_id(given)
        except HFValidationError:
            raise UsageError(
                f"--base-model-id {given!r} is not a Hub model id (e.g. OWNER/NAME)"
            ) from None
        return given
    path = Path(model).expanduser()
    if not path.exists():
        return model
    parts = path.resolve().parts
    for i, part in enumerate(parts[:-2]):
        if part.startswith("models--") and parts[i + 1] == "snapshots":
            return part[len("models--") :].replace("--", "/")
    return None


def _usable_path(output: Path) -> str:
    """How the card's usage snippet loads a model saved in `output`: the path as given when it is
    relative, else the folder's name (no absolute path of this machine in a card)."""
    return output.as_posix() if not output.is_absolute() else output.name


def _card_data(
    source: DatasetSource, base_id: str | None, model_id: str | None, *, test: bool = True
) -> Any:
    """Card data that names the dataset and the base model; `model_id` (the --push-to-hub repo)
    is what the usage snippet loads. local_files_only keeps card generation off the network.

    Without a test split no eval dataset is named: the card template would fail on it (and print
    a library traceback) for want of its columns."""
    from sentence_transformers import SentenceTransformerModelCardData

    entry = {"name": source.name}
    if source.hub_id:
        entry["id"] = source.hub_id
    card = SentenceTransformerModelCardData(
        language="uk",
        license=source.license,
        model_id=model_id,
        train_datasets=[dict(entry)],
        eval_datasets=[{**entry, "name": f"{source.name} (test split)"}] if test else [],
        local_files_only=True,
    )
    card.add_tags("pairgen")
    if source.hub_id:
        card.datasets.append(source.hub_id)
    if base_id:
        card.base_model = base_id
    return card


def _load_model(model: str, device: str, card: Any, token: str | None, seed: int) -> Any:
    """A local folder, else the Hub model from the cache, else from the Hub; one-line errors."""
    import transformers
    from huggingface_hub.constants import is_offline_mode
    from sentence_transformers import SentenceTransformer

    transformers.set_seed(seed)  # layers that a plain transformers checkpoint lacks start seeded
    path = Path(model).expanduser()
    if path.is_dir():
        try:
            return SentenceTransformer(
                str(path), device=device, model_card_data=card, local_files_only=True
            )
        except Exception as err:
            raise UsageError(
                f"--model {model}: not a sentence-transformers or transformers model folder "
                f"({_first_line(err)})"
            ) from err
    if path.exists() or not _HUB_ID.match(model):
        raise UsageError(f"--model {model}: no such model folder; give a folder or a Hub model id")

    try:
        return SentenceTransformer(
            model, device=device, model_card_data=card, local_files_only=True
        )
    except OSError:
        pass  # not (completely) in the local cache: try the Hub below
    unreachable = (
        f"model {model} is not in the local Hugging Face cache and the Hub cannot be reached"
    )
    if is_offline_mode():
        raise MissingDependencyError(
            f"{unreachable} (HF_HUB_OFFLINE is set); pass --model PATH to a local copy"
        )
    _check_hub_model(model, token, unreachable)
    try:
        return SentenceTransformer(model, device=device, model_card_data=card, token=token)
    except Exception as err:
        raise HubError(f"--model {model}: download failed ({_first_line(err)})") from err


def _check_hub_model(model: str, token: str | None, unreachable: str) -> None:
    """One quick request, so that a dead network costs a second, not a minute of retries."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    try:
        HfApi().model_info(model, token=token, timeout=10)
    except GatedRepoError as err:
        raise HubError(
            f"--model {model} is gated on the Hub; accept its terms and pass --token"
        ) from err
    except RepositoryNotFoundError as err:
        raise UsageError(
            f"--model {model}: no such model on the Hub (private? pass --token); "
            "or pass --model PATH to a local copy"
        ) from err
    except Exception as err:
        raise MissingDependencyError(
            f"{unreachable} ({_first_line(err)}); pass --model PATH to a local copy"
        ) from err


# --- training ----------------------------------------------------------------------------------


def _evaluator(test_rows: Any, batch_size: int) -> Any:
    from sentence_transformers.sentence_transformer.evaluation import (
        EmbeddingSimilarityEvaluator,
    )

    return EmbeddingSimilarityEvaluator(
        sentences1=list(test_rows["sentence1"]),
        sentences2=list(test_rows["sentence2"]),
        scores=[float(s) for s in test_rows["score"]],
        batch_size=max(batch_size, 32),
        main_similarity="cosine",
        name=_EVAL_NAME,
        write_csv=False,
    )


def _training_args(
    output: Path,
    epochs: int,
    batch_size: int,
    lr: float,
    warmup_ratio: float,
    seed: int,
    device: str,
    fp16: bool,
    bf16: bool,
    *,
    steps_per_epoch: int,
    evaluate: bool,
) -> Any:
    """Reference setup: linear schedule, evaluation per epoch, no checkpoints, no trackers."""
    from sentence_transformers import SentenceTransformerTrainingArguments

    return SentenceTransformerTrainingArguments(
        output_dir=str(output),
        num_train_epochs=epochs,
        per_device_train_batch_size=batch_size,
        per_device_eval_batch_size=max(batch_size, 32),
        learning_rate=lr,
        lr_scheduler_type="linear",
        warmup_steps=warmup_ratio,  # transformers 5: a float in [0, 1) is a ratio of all steps
        seed=seed,
        data_seed=seed,
        use_cpu=device == "cpu",
        fp16=fp16,
        bf16=bf16,
        eval_strategy="epoch" if evaluate else "no",
        save_strategy="no",
        logging_strategy="steps",
        logging_steps=max(1, steps_per_epoch // 5),
        report_to="none",
        disable_tqdm=True,
    )


def _trainer(
    st_model: Any, train_rows: Any, test_rows: Any, evaluator: Any, args: Any, callback: Any
) -> Any:
    from sentence_transformers import SentenceTransformerTrainer
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss
    from transformers import PrinterCallback

    trainer = SentenceTransformerTrainer(
        model=st_model,
        args=args,
        train_dataset=train_rows,
        eval_dataset=test_rows,
        loss=CosineSimilarityLoss(st_model),
        evaluator=evaluator,
        callbacks=[callback],
    )
    trainer.remove_callback(PrinterCallback)  # our callback logs one short line instead of dicts
    return trainer


def _recorder(losses: list[LossPoint], points: list[EvalPoint], log: Callable[[str], None]) -> Any:
    """A TrainerCallback that keeps the loss curve and the per-epoch evaluation."""
    from transformers import TrainerCallback

    from pairgen.progress import eta

    class Recorder(TrainerCallback):
        started = 0.0

        def on_train_begin(self, args, state, control, **kwargs):  # type: ignore[no-untyped-def]
            self.started = time.monotonic()

        def on_log(self, args, state, control, logs=None, **kwargs):  # type: ignore[no-untyped-def]
            if logs and "loss" in logs:
                point = LossPoint(state.global_step, float(state.epoch or 0.0), float(logs["loss"]))
                losses.append(point)
                left = eta(time.monotonic() - self.started, state.global_step, state.max_steps)
                log(
                    f"  step {point.step:>5}/{state.max_steps}  epoch {point.epoch:5.2f}  "
                    f"loss {point.loss:.5f}  {left}"
                )

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):  # type: ignore[no-untyped-def]
            metrics = metrics or {}
            prefix = f"eval_{_EVAL_NAME}_"
            if prefix + "spearman_cosine" not in metrics:
                return
            epoch = round(state.epoch or 0)
            point = _eval_point(
                f"epoch {epoch}",
                epoch,
                state.global_step,
                {k[len("eval_") :]: v for k, v in metrics.items()},
            )
            points.append(point)
            log(f"  {point.stage}: {_eval_note(point)}")

    return Recorder()


def _check_losses(losses: list[LossPoint]) -> None:
    bad = [p for p in losses if not math.isfinite(p.loss)]
    if bad:
        raise PairgenError(
            f"training diverged: loss {bad[0].loss} at step {bad[0].step}; "
            "lower --lr or drop --fp16"
        )


# --- evaluation and card -----------------------------------------------------------------------


def _eval_point(stage: str, epoch: int, step: int, metrics: dict[str, Any]) -> EvalPoint:
    return EvalPoint.from_metrics(_EVAL_NAME, stage, epoch, step, metrics)


def _eval_note(point: EvalPoint) -> str:
    return f"test pearson {point.pearson:.4f}, spearman {point.spearman:.4f}"


def eval_table(points: tuple[EvalPoint, ...] | list[EvalPoint]) -> str:
    """The evaluation as a small text table, one row per moment (also what the CLI prints).

    >>> print(eval_table([EvalPoint("before training", 0, 0, 0.41, 0.4)]))
    stage             pearson  spearman
    before training    0.4100    0.4000
    """
    rows = [f"{'stage':<16} {'pearson':>8} {'spearman':>9}"]
    rows += [f"{p.stage:<16} {p.pearson:>8.4f} {p.spearman:>9.4f}" for p in points]
    return "\n".join(rows)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no NaN


def _write_eval(
    output: Path,
    source: DatasetSource,
    test_rows: Any,
    points: list[EvalPoint],
    eval_sets: Sequence[Any] = (),
) -> None:
    """eval.json: the before value and one entry per epoch, and each `--eval` set's results
    (`eval_sets`); removed when nothing was evaluated."""
    path = output / EVAL_FILE
    if not points and not eval_sets:
        path.unlink(missing_ok=True)  # a stale file from an earlier run would lie
        return
    data: dict[str, Any] = {"dataset": source.name}
    if eval_sets:
        from pairgen.evaluation import to_json

        data["eval_sets"] = to_json(eval_sets)
    if not points:
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return
    before, *epochs = points
    data |= {
        "dataset": source.name,
        "split": "test",
        "rows": len(test_rows),
        "similarity": "cosine",
        "before": {"pearson": _finite(before.pearson), "spearman": _finite(before.spearman)},
        "epochs": [
            {
                "epoch": p.epoch,
                "step": p.step,
                "pearson": _finite(p.pearson),
                "spearman": _finite(p.spearman),
            }
            for p in epochs
        ],
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def card_section(
    source: DatasetSource,
    base_id: str | None,
    train_rows: int,
    test_rows: int | None,
    points: list[EvalPoint],
) -> str:
    """The markdown appended to the generated card: where the data came from, how good it is."""
    manifest = source.manifest
    where = (
        f"[{source.hub_id}](https://huggingface.co/datasets/{source.hub_id}) (Hugging Face Hub)"
        if source.hub_id
        else f"`{source.name}` (local pairgen output folder)"
    )
    lines = [
        "## Training data (pairgen)",
        "",
        f"- Dataset: {where}",
        "- Base model: "
        + (f"`{base_id}`" if base_id else "a local copy without a Hub id (see --base-model-id)"),
        f"- Built with pairgen {manifest.get('pairgen_version', 'unknown')}"
        + (f": `{manifest['command']}`" if manifest.get("command") else " (no pairgen.json found)"),
    ]
    if "seed" in manifest:
        lines.append(f"- Build seed: {manifest['seed']}")
    fingerprint = (manifest.get("corpus") or {}).get("fingerprint")
    if fingerprint:
        lines.append(f"- Corpus fingerprint: `{fingerprint}`")
    lines.append(
        f"- License: {source.license or 'unknown (not in pairgen.json or the dataset card)'}"
    )
    lines.append(
        f"- Pairs: {train_rows} train, "
        + (f"{test_rows} test" if test_rows is not None else "no test split")
    )
    lines += ["", "## Evaluation on the test split (pairgen)", ""]
    if not points:
        lines.append("Not evaluated: the dataset has no test split.")
    else:
        lines += [
            "Cosine similarity of the two embeddings against the `score` labels "
            "(`EmbeddingSimilarityEvaluator`), before training and after each epoch.",
            "",
            "| Stage | Epoch | Step | Pearson | Spearman |",
            "|:------|------:|-----:|--------:|---------:|",
        ]
        lines += [
            f"| {p.stage} | {p.epoch} | {p.step} | {p.pearson:.4f} | {p.spearman:.4f} |"
            for p in points
        ]
    return "\n".join(lines) + "\n"


def _finish_card(
    output: Path,
    source: DatasetSource,
    base_id: str | None,
    train_rows: int,
    test_rows: Any,
    points: list[EvalPoint],
    log: Callable[[str], None],
    *,
    where: Path | None = None,
    eval_sets: Sequence[Any] = (),
) -> None:
    """Append our section to the generated card; write a minimal card if the generator failed.

    The card is in `where` (the output's temporary folder while the run writes it) and names
    `output`, where the model will be."""
    path = (where or output) / CARD_FILE
    n_test = None if test_rows is None else len(test_rows)
    section = card_section(source, base_id, train_rows, n_test, points)
    if eval_sets:
        from pairgen.evaluation import card_section as eval_sets_section

        section += "\n" + eval_sets_section(eval_sets)
    if path.is_file():
        text = _name_eval_dataset(path.read_text(encoding="utf-8"), source)
        text = text.replace(f'("{_ST_PLACEHOLDER}")', f'("{_usable_path(output)}")')
        text = text.rstrip("\n") + "\n\n" + section
    else:
        log("sentence-transformers could not generate a model card; writing a minimal one")
        front = ["---", "language:", "- uk", "library_name: sentence-transformers"]
        if source.license:
            front.append(f"license: {source.license}")
        front += ["tags:", "- sentence-transformers", "- pairgen", "---", ""]
        text = "\n".join(front) + "\n" + section
    path.write_text(text, encoding="utf-8")


def _name_eval_dataset(text: str, source: DatasetSource) -> str:
    """The generated card names the evaluation data after the evaluator (`test`); name the
    dataset instead: its Hub id, or the folder's name, and its split."""
    from huggingface_hub import ModelCard

    card = ModelCard(text)
    for result in card.data.get("eval_results") or []:
        if result.dataset_name == _EVAL_NAME:
            result.dataset_name = f"{source.name} (test split)"
            result.dataset_type = source.hub_id or source.name
            result.dataset_split = "test"
    return str(card)


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
