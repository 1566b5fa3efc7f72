"""Build options: one frozen dataclass, validated before any work starts, and the file loader.

The CLI, the Python API and config files (`--config pairgen.toml`, or a previous build's
`pairgen.json`) all end up here, so an invalid value is rejected the same way whichever way it came.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pairgen.augment.registry import FAMILIES
from pairgen.errors import UsageError
from pairgen.ingest.dedup import MODES as DEDUP_MODES
from pairgen.pairing.labels import MEASURES
from pairgen.records import KINDS

AUGMENTERS = tuple(FAMILIES)
"""Augmentation families, in the order they claim words (earlier wins where edits overlap)."""

SEGMENTERS = ("auto", "rules", "stanza")
DEFAULT_MIX = (("paraphrase", 0.5), ("hard", 0.25), ("random", 0.25))


_SCALARS: dict[str, type] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "str | None": str,
}
"""Field annotations (strings, under `from __future__ import annotations`) that are checked."""
_TYPE_NAMES = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}


def parse_mix(text: str) -> tuple[tuple[str, float], ...]:
    """`"paraphrase=0.5,hard=0.25,random=0.25"` -> normalised weights in KINDS order."""
    weights = dict.fromkeys(KINDS, 0.0)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in weights:
            raise UsageError(f"--mix: unknown kind {name!r}; use {', '.join(KINDS)}")
        try:
            weights[name] = float(value)
        except ValueError:
            raise UsageError(f"--mix: {part!r} is not KIND=WEIGHT (e.g. hard=0.25)") from None
    return tuple((k, v) for k, v in weights.items())


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def option(default: Any, help: str, *, compare: bool = True, **meta: Any) -> Any:
    """A field of an options dataclass, declared once: its default, its `--help` text, and how its
    flag looks (`flags=("-o", "--output")`, `metavar`, `path=True`, `flag_only=True`, `envvar`,
    `multiple=True` for a repeatable flag).

    `pairgen.cli.options` makes the click options from these fields; `compare=False` marks options
    that do not change the output (they stay out of the manifest's options).
    """
    return field(default=default, compare=compare, metadata={"help": help, **meta})


@dataclass(frozen=True)
class BuildOptions:
    """Every option of `pairgen build`; the field names are the flag names with `_` for `-`."""

    corpus: str
    output: str = option("output", "Output folder (Hub dataset layout).", flags=("-o", "--output"))
    n: int = option(2000, "Number of pairs across all splits.", flags=("-n",))
    seed: int = option(42, "Random seed; same seed, same bytes.")
    test_size: float = option(0.1, "Share of sentences in the test split, in [0, 1).")
    label: str = option("overlap", f"Label measure: {', '.join(MEASURES)}.")
    mix: tuple[tuple[str, float], ...] = option(
        DEFAULT_MIX, "Pair kinds and their weights.", metavar="KIND=WEIGHT,..."
    )
    augment: tuple[str, ...] = option(
        AUGMENTERS, "Augmentation families to use, comma-separated.", metavar="NAME,..."
    )
    segmenter: str = option("auto", f"Sentence segmenter: {', '.join(SEGMENTERS)}.")
    min_words: int = option(4, "Drop sentences with fewer words.")
    max_tokens: int = option(128, "Drop sentences with more tokens.")
    dedup: str = option(
        "near",
        "Duplicates: exact (same text) or normalised (also same after case, quotes, dashes, "
        "spacing) are dropped; near also keeps near-identical sentences (4 of 5 words alike) "
        "in one split.",
        choices=DEDUP_MODES,
        metavar="MODE",
    )
    exclude: tuple[str, ...] = option(
        (),
        "Keep the sentences of this file (.csv/.jsonl/.parquet/.txt), dataset folder or Hub "
        "dataset, and their near-duplicates, out of the pairs (e.g. an evaluation set); "
        "repeatable.",
        multiple=True,
        metavar="PATH_OR_ID",
    )
    redact: bool = option(
        False, "Replace e-mail addresses, URLs, phone numbers and @handles with placeholders."
    )
    synonym_rate: float = option(0.3, "Share of eligible words swapped.")
    min_swaps: int = option(1, "Synonym swaps per paraphrase, at least.")
    max_swaps: int = option(3, "Synonym swaps per paraphrase, at most.")
    registers: tuple[str, ...] = option(
        (), "Thesaurus labels to allow, e.g. 'розм.,заст.'.", metavar="LABEL,..."
    )
    multiword: bool = option(False, "Allow multi-word synonyms.")
    lexicon: str | None = option(
        None, "Synonym lexicon file (TSV; see lexicons/README.md).", path=True
    )
    protect: str | None = option(None, "File of words never to swap, one per line.", path=True)
    license: str = option("unknown", "License of the dataset (an SPDX id), for its card.")
    workers: int = option(0, "Worker processes; 0 = one per core.", compare=False)
    engine: str = option(
        "local",
        "Run the parallel stages here (local) or on a Ray cluster (ray; extra `ray`).",
        compare=False,
    )
    ray_address: str | None = option(
        None, "Ray cluster address (or RAY_ADDRESS).", compare=False, envvar="RAY_ADDRESS"
    )
    push_to_hub: str | None = option(
        None,
        "After building, push the folder to this Hub dataset repo.",
        compare=False,
        metavar="REPO_ID",
    )
    overwrite: bool = option(
        False, "Replace a previous pairgen output in the folder.", compare=False, flag_only=True
    )
    quiet: bool = option(
        False, "No progress on stderr.", compare=False, flags=("-q", "--quiet"), flag_only=True
    )
    verbose: bool = option(
        False,
        "Also log what was read from each file.",
        compare=False,
        flags=("-v", "--verbose"),
        flag_only=True,
    )

    def __post_init__(self) -> None:
        self._check_types()
        if self.n <= 0:
            raise UsageError(f"-n must be a positive number of pairs, got {self.n}")
        if not 0 <= self.test_size < 1:
            raise UsageError(f"--test-size must be in [0, 1), got {self.test_size}")
        if self.label not in MEASURES:
            raise UsageError(f"--label must be one of {', '.join(MEASURES)}, got {self.label!r}")
        if self.segmenter not in SEGMENTERS:
            raise UsageError(f"--segmenter must be one of {', '.join(SEGMENTERS)}")
        unknown = [a for a in self.augment if a not in AUGMENTERS]
        if unknown or not self.augment:
            raise UsageError(f"--augment takes a subset of {', '.join(AUGMENTERS)}, got {unknown}")
        names = [k for k, _ in self.mix]
        if sorted(names) != sorted(KINDS) or any(w < 0 for _, w in self.mix):
            raise UsageError("--mix needs a non-negative weight for each of " + ", ".join(KINDS))
        if sum(w for _, w in self.mix) <= 0:
            raise UsageError("--mix: at least one kind needs a positive weight")
        if self.dedup not in DEDUP_MODES:
            raise UsageError(f"--dedup must be one of {', '.join(DEDUP_MODES)}, got {self.dedup!r}")
        if not all(isinstance(e, str) and e for e in self.exclude):
            raise UsageError(f"--exclude takes paths or dataset ids, got {list(self.exclude)}")
        if self.min_words < 1 or self.max_tokens < self.min_words:
            raise UsageError("--min-words must be >= 1 and --max-tokens >= --min-words")
        if not 0 <= self.synonym_rate <= 1:
            raise UsageError(f"--synonym-rate must be in [0, 1], got {self.synonym_rate}")
        if not 0 <= self.min_swaps <= self.max_swaps:
            raise UsageError("--min-swaps must be between 0 and --max-swaps")
        for flag, value in (("--lexicon", self.lexicon), ("--protect", self.protect)):
            if value is not None and "synonym" not in self.augment:
                raise UsageError(
                    f"{flag} only matters with synonym in --augment; add it or drop {flag}"
                )
        if self.engine not in ("local", "ray"):
            raise UsageError(f"--engine must be local or ray, got {self.engine!r}")
        if self.workers < 0:
            raise UsageError(f"--workers must be >= 0 (0 = one per core), got {self.workers}")

    def _check_types(self) -> None:
        """A config file can hold `n = "ten"`: name the option instead of failing on `<=`."""
        for f in fields(self):
            value = getattr(self, f.name)
            expected = _SCALARS.get(str(f.type))
            if expected is None or (value is None and "None" in str(f.type)):
                continue
            if isinstance(value, bool) and expected is not bool:
                ok = False
            elif expected is float:
                ok = isinstance(value, int | float)
            else:
                ok = isinstance(value, expected)
            if not ok:
                flag = "-n" if f.name == "n" else "--" + f.name.replace("_", "-")
                kind = type(value).__name__
                raise UsageError(f"{flag} must be {_TYPE_NAMES[expected]}, got {value!r} ({kind})")

    @property
    def weights(self) -> dict[str, float]:
        """The mix as weights that sum to 1, in KINDS order."""
        total = sum(w for _, w in self.mix)
        return {k: w / total for k, w in self.mix}

    @property
    def worker_count(self) -> int:
        return self.workers or default_workers()

    def to_json(self) -> dict[str, Any]:
        """The options that determine the output (not workers, overwrite, quiet), JSON-ready."""
        data = asdict(self)
        for f in fields(self):
            if not f.compare:
                data.pop(f.name)
        data["mix"] = {k: w for k, w in self.mix}
        data["augment"] = list(self.augment)
        data["registers"] = list(self.registers)
        data["exclude"] = list(self.exclude)
        return data

    @classmethod
    def from_mapping(cls, data: dict[str, Any], **overrides: Any) -> BuildOptions:
        """Options from a config file or manifest (unknown keys rejected), then the overrides."""
        known = {f.name for f in fields(cls)}
        merged = {k.replace("-", "_"): v for k, v in data.items()}
        unknown = sorted(set(merged) - known)
        if unknown:
            raise UsageError(f"unknown option(s) in config: {', '.join(unknown)}")
        merged.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(merged.get("mix"), dict):
            merged["mix"] = parse_mix(",".join(f"{k}={v}" for k, v in merged["mix"].items()))
        elif isinstance(merged.get("mix"), str):
            merged["mix"] = parse_mix(merged["mix"])
        elif "mix" in merged and not isinstance(merged["mix"], tuple):
            raise UsageError(f"--mix must be a table or KIND=WEIGHT text, got {merged['mix']!r}")
        for key in ("augment", "registers"):
            if isinstance(merged.get(key), str):
                merged[key] = tuple(p.strip() for p in merged[key].split(",") if p.strip())
            elif key in merged:
                if not isinstance(merged[key], list | tuple):
                    raise UsageError(f"--{key} must be a list or comma-separated text")
                merged[key] = tuple(merged[key])
        if isinstance(merged.get("exclude"), str):
            merged["exclude"] = (merged["exclude"],)
        elif isinstance(merged.get("exclude"), list):
            merged["exclude"] = tuple(merged["exclude"])
        if "corpus" not in merged:
            raise UsageError("no corpus given: pass CORPUS or set corpus in the config file")
        return cls(**merged)


def load_config(path: Path) -> dict[str, Any]:
    """The options in `path`; a pairgen.json manifest gives its recorded `options`."""
    if not path.is_file():
        raise UsageError(f"--config: {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--config: cannot read {path} ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"--config: {path} is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    try:
        if path.suffix == ".json":
            data = json.loads(text)
            data = data.get("options", data) if isinstance(data, dict) else data
        else:
            import tomllib

            data = tomllib.loads(text)
            data = data.get("build", data)
    except (ValueError, ImportError) as exc:
        raise UsageError(
            f"--config: {path} is not valid {path.suffix[1:] or 'TOML'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise UsageError(f"--config: {path} must hold a table of options")
    return dict(data)


DEFAULT_MODEL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class TrainOptions:
    """Every option of `pairgen train` but DATASET; validated before anything is loaded."""

    output: str = option(
        "models/pairgen-model",
        "Folder for the trained model, eval.json and README.md.",
        flags=("-o", "--output"),
    )
    model: str = option(
        DEFAULT_MODEL,
        "Hub model name (used from the local cache if there) or a local model folder.",
        metavar="NAME|PATH",
    )
    epochs: int = option(3, "Passes over the train split.")
    batch_size: int = option(16, "Pairs per training step.")
    lr: float = option(5e-5, "Peak learning rate (AdamW, linear schedule).")
    warmup_ratio: float = option(0.0, "Share of steps for linear warm-up, in [0, 1).")
    max_seq_length: int = option(128, "Tokens per sentence; longer sentences are cut.")
    seed: int = option(42, "Random seed for initialisation and shuffling.")
    device: str = option("auto", f"Where to train: {', '.join(DEVICES)}.")
    fp16: bool = option(False, "Mixed precision (float16); GPU only.", flag_only=True)
    bf16: bool = option(False, "Mixed precision (bfloat16); GPU only.", flag_only=True)
    push_to_hub: str | None = option(
        None, "Then push the model folder to this repo.", metavar="REPO_ID"
    )
    token: str | None = option(
        None, "Hub token; default HF_TOKEN, then `hf auth login`.", metavar="TOKEN"
    )

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise UsageError(f"--epochs {self.epochs}: give at least 1")
        if self.batch_size < 1:
            raise UsageError(f"--batch-size {self.batch_size}: give at least 1")
        if not self.lr > 0:
            raise UsageError(f"--lr {self.lr}: the learning rate must be positive")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise UsageError(f"--warmup-ratio {self.warmup_ratio}: give a fraction in [0, 1)")
        if self.max_seq_length < 2:
            raise UsageError(f"--max-seq-length {self.max_seq_length}: give at least 2 tokens")
        if self.device not in DEVICES:
            raise UsageError(f"--device {self.device}: choose {', '.join(DEVICES)}")
        if self.fp16 and self.bf16:
            raise UsageError("--fp16 and --bf16 exclude each other; pick one")
        if (self.fp16 or self.bf16) and self.device == "cpu":
            raise UsageError(cpu_precision_message(self.fp16))


def cpu_precision_message(fp16: bool) -> str:
    flag = "--fp16" if fp16 else "--bf16"
    return f"{flag} needs a CUDA GPU (--device cuda); on CPU leave it out to train in fp32"
