"""`pairgen train --eval`: score the model on the user's own STS sets, beside a no-model baseline.

A dataset's own test split is labelled by the same lexical measure the model learns from, so a high
figure there says little (a plain string ratio scores 0.93 on it). An external set with human
scores says how well the model judges similarity. Each `--eval` set (CSV, JSONL or parquet file, a
local dataset folder or a Hub id; columns `sentence1`, `sentence2`, `score`) is scored with
sentence-transformers' `EmbeddingSimilarityEvaluator` before training and after every epoch, under
its name (file stem or Hub id). Pearson and Spearman do not depend on the score's scale, so 0-1
and 0-5 sets need no conversion; the detected scale is recorded all the same.

Next to each result stands the label measure's own Spearman on the set (`pairgen label`), a
baseline without a model: a model that does not beat it has learnt less than the labels know.

    sets = load_eval_sets(["sts-dev.csv"], token=None, measure="lemma")
    sets[0].name, sets[0].baseline.spearman
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pairgen.errors import HubError, UsageError

SMALL_TEST = 100
"""A test split smaller than this gets a warning: its correlation moves a lot with a few pairs."""
SPLIT_ORDER = ("test", "validation", "dev")
"""A dataset's split to evaluate on, first found; a dataset with one split uses that one."""
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*")


@dataclass(frozen=True)
class Baseline:
    """The label measure's agreement with the set's scores, with no model at all."""

    measure: str
    spearman: float
    pearson: float


@dataclass(frozen=True)
class EvalPoint:
    """A model's agreement with a set's scores at one moment (cosine similarity): the built-in
    test split's and every `--eval` set's results are these."""

    stage: str
    """`before training` or `epoch N`."""
    epoch: int
    step: int
    pearson: float
    spearman: float

    @classmethod
    def from_metrics(
        cls, name: str, stage: str, epoch: int, step: int, metrics: dict[str, Any]
    ) -> EvalPoint:
        """The point the similarity evaluator called `name` reported in `metrics`."""
        return cls(
            stage,
            epoch,
            step,
            float(metrics[f"{name}_pearson_cosine"]),
            float(metrics[f"{name}_spearman_cosine"]),
        )


@dataclass
class EvalSet:
    """One external STS set and its results so far."""

    name: str
    """File stem, folder name or Hub id: the name in logs, eval.json and the model card."""
    source: str
    sentence1: tuple[str, ...]
    sentence2: tuple[str, ...]
    scores: tuple[float, ...]
    scale: str
    baseline: Baseline
    points: list[EvalPoint] = field(default_factory=list)

    def note(self, point: EvalPoint) -> str:
        return (
            f"{self.name} pearson {point.pearson:.4f}, spearman {point.spearman:.4f} "
            f"(label {self.baseline.measure} without a model: spearman "
            f"{self.baseline.spearman:.4f})"
        )


def load_eval_sets(specs: Sequence[str], token: str | None, measure: str) -> list[EvalSet]:
    """Read every `--eval` set and compute its baseline under `measure`; fail before training."""
    out: list[EvalSet] = []
    names: set[str] = {"test"}  # the dataset's own split keeps its name
    for spec in specs:
        name, s1, s2, scores = _read(spec, token)
        if len(scores) < 2:
            raise UsageError(f"--eval {spec}: a correlation needs at least 2 pairs")
        base, k = name, 2
        while name in names:
            name, k = f"{base}-{k}", k + 1
        names.add(name)
        out.append(
            EvalSet(name, spec, s1, s2, scores, _scale(scores), _baseline(measure, s1, s2, scores))
        )
    return out


def _read(
    spec: str, token: str | None
) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[float, ...]]:
    from pairgen.labelling import FORMATS, read_pairs

    path = Path(spec).expanduser()
    if path.is_file() or path.suffix.lower() in FORMATS:
        pairs = read_pairs(path, "--eval")
        if pairs.score is None:
            raise UsageError(
                f"--eval {spec}: no score column; an STS set needs sentence1, sentence2, score"
            )
        return path.stem, pairs.sentence1, pairs.sentence2, pairs.score
    if path.is_dir():
        return path.resolve().name, *_columns(_load_folder(path, spec), spec)
    if _HUB_ID.fullmatch(spec):
        return spec, *_columns(_load_hub(spec, token), spec)
    raise UsageError(
        f"--eval {spec}: no such file or folder; give a .csv, .jsonl or .parquet file, a dataset "
        "folder or a Hub id (user/name)"
    )


def _load_folder(folder: Path, spec: str) -> Any:
    """`load_dataset(folder)` in a throw-away cache (a folder's cache key ignores its contents)."""
    from datasets import load_dataset

    try:
        with tempfile.TemporaryDirectory(prefix="pairgen-eval-") as cache:
            return load_dataset(str(folder), cache_dir=cache, keep_in_memory=True)
    except Exception as err:  # datasets raises many types for a folder it cannot read
        raise UsageError(f"--eval {spec}: not a readable dataset folder ({_message(err)})") from err


def _load_hub(repo_id: str, token: str | None) -> Any:
    from datasets import load_dataset

    try:
        return load_dataset(repo_id, token=token)
    except Exception as err:  # not found, gated, offline and not cached, network down, ...
        raise HubError(
            f"--eval {repo_id}: cannot load it from the Hub or the local cache "
            f"({_message(err)}); check the id, or give a local file"
        ) from err


def _columns(splits: Any, spec: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[float, ...]]:
    names = list(splits)
    chosen = next((s for s in SPLIT_ORDER if s in splits), names[0] if len(names) == 1 else None)
    if chosen is None:
        raise UsageError(
            f"--eval {spec}: which split? it has {', '.join(names)} and none of "
            f"{', '.join(SPLIT_ORDER)}"
        )
    split = splits[chosen]
    missing = [c for c in ("sentence1", "sentence2", "score") if c not in split.column_names]
    if missing:
        raise UsageError(f"--eval {spec}: the {chosen} split lacks column(s) {', '.join(missing)}")
    scores = []
    for number, value in enumerate(split["score"], 1):
        score = float(value) if isinstance(value, int | float) else math.nan
        if not math.isfinite(score):
            raise UsageError(f"--eval {spec}, row {number}: score {value!r} is not a number")
        scores.append(score)
    return tuple(split["sentence1"]), tuple(split["sentence2"]), tuple(scores)


def _scale(scores: Sequence[float]) -> str:
    """`0-1`, `0-5` or the observed range: for the record (correlations ignore the scale)."""
    lo, hi = min(scores), max(scores)
    if lo >= 0 and hi <= 1:
        return "0-1"
    if lo >= 0 and hi <= 5:
        return "0-5"
    return f"{lo:g}-{hi:g}"


def _baseline(
    measure: str, s1: Sequence[str], s2: Sequence[str], scores: Sequence[float]
) -> Baseline:
    from pairgen.labelling import pearson, spearman
    from pairgen.pairing.labels import measure as shipped
    from pairgen.text import words

    labels = [shipped(measure)(words(a), words(b)) for a, b in zip(s1, s2)]
    return Baseline(measure, spearman(labels, scores), pearson(labels, scores))


def evaluators(sets: Sequence[EvalSet], batch_size: int) -> list[Any]:
    """One `EmbeddingSimilarityEvaluator` per set, named after it (cosine similarity)."""
    from sentence_transformers.sentence_transformer.evaluation import (
        EmbeddingSimilarityEvaluator,
    )

    return [
        EmbeddingSimilarityEvaluator(
            sentences1=list(s.sentence1),
            sentences2=list(s.sentence2),
            scores=list(s.scores),
            batch_size=max(batch_size, 32),
            main_similarity="cosine",
            name=s.name,
            write_csv=False,
        )
        for s in sets
    ]


def record(
    sets: Sequence[EvalSet],
    stage: str,
    epoch: int,
    step: int,
    metrics: dict[str, Any],
    log: Callable[[str], None],
) -> None:
    """Add this moment's result of each set (`metrics` as the evaluator returns them)."""
    for s in sets:
        if f"{s.name}_spearman_cosine" not in metrics:
            continue
        point = EvalPoint.from_metrics(s.name, stage, epoch, step, metrics)
        s.points.append(point)
        log(f"  {stage}: {s.note(point)}")


def callback(sets: Sequence[EvalSet], log: Callable[[str], None]) -> Any:
    """A TrainerCallback that records each set's result after every epoch's evaluation."""
    from transformers import TrainerCallback

    class EvalSetRecorder(TrainerCallback):
        def on_evaluate(self, args, state, control, metrics=None, **kwargs):  # type: ignore[no-untyped-def]
            epoch = round(state.epoch or 0)
            found = {
                k[len("eval_") :]: v for k, v in (metrics or {}).items() if k.startswith("eval_")
            }
            record(sets, f"epoch {epoch}", epoch, state.global_step, found, log)

    return EvalSetRecorder()


def to_json(sets: Sequence[EvalSet]) -> list[dict[str, Any]]:
    """The `eval_sets` entry of eval.json."""
    return [
        {
            "name": s.name,
            "source": s.source,
            "rows": len(s.scores),
            "scale": s.scale,
            "similarity": "cosine",
            "baseline": {
                "measure": s.baseline.measure,
                "spearman": _number(s.baseline.spearman),
                "pearson": _number(s.baseline.pearson),
            },
            "results": [
                {
                    "stage": p.stage,
                    "epoch": p.epoch,
                    "step": p.step,
                    "pearson": _number(p.pearson),
                    "spearman": _number(p.spearman),
                }
                for p in s.points
            ],
        }
        for s in sets
    ]


def card_section(sets: Sequence[EvalSet]) -> str:
    """Markdown for the model card: one table per set, with the no-model baseline first."""
    if not sets:
        return ""
    lines = [
        "## Evaluation on other sets (pairgen train --eval)",
        "",
        "Cosine similarity of the two embeddings against each set's `score` "
        "(`EmbeddingSimilarityEvaluator`), before training and after each epoch. The first row is "
        "the dataset's label measure scoring the pairs itself, with no model (`pairgen label`).",
    ]
    for s in sets:
        lines += [
            "",
            f"### {s.name}",
            "",
            f"`{s.source}`: {len(s.scores)} pairs, scores {s.scale}.",
            "",
            "| Stage | Epoch | Step | Pearson | Spearman |",
            "|:------|------:|-----:|--------:|---------:|",
            f"| label {s.baseline.measure}, no model | | | {s.baseline.pearson:.4f} | "
            f"{s.baseline.spearman:.4f} |",
        ]
        lines += [
            f"| {p.stage} | {p.epoch} | {p.step} | {p.pearson:.4f} | {p.spearman:.4f} |"
            for p in s.points
        ]
    return "\n".join(lines) + "\n"


def table(eval_set: EvalSet) -> str:
    """The set's results as the log prints them, the no-model baseline last."""
    rows = [f"{'stage':<16} {'pearson':>8} {'spearman':>9}"]
    rows += [f"{p.stage:<16} {p.pearson:>8.4f} {p.spearman:>9.4f}" for p in eval_set.points]
    base = eval_set.baseline
    rows.append(f"{'label, no model':<16} {base.pearson:>8.4f} {base.spearman:>9.4f}")
    return "\n".join(rows)


def _number(value: float) -> float | None:
    """JSON has no NaN: a constant side makes a correlation undefined, recorded as null."""
    return value if math.isfinite(value) else None


def _message(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
