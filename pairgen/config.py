"""Build options: one frozen dataclass, validated before any work starts, and the file loader.

The CLI, the Python API and config files (`--config pairgen.toml`, or a previous build's
`pairgen.json`) all end up here, so an invalid value is rejected the same way whichever way it came.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pairgen.augment.registry import FAMILIES
from pairgen.errors import OptionTypeError, UsageError
from pairgen.ingest.dedup import MODES as DEDUP_MODES
from pairgen.pairing.labels import DEFAULT_MEASURE, MEASURES
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


MAX_WORKERS_PER_CORE = 4
"""--workers above this many per core is capped, with a warning: more only cost memory."""
_PATHS = frozenset({"corpus", "output", "lexicon", "protect"})
"""Options that name files: checked for what no file name can hold."""
MAX_LICENSE = 100
"""Characters in --license at most: an SPDX expression or a short plain name."""


def parse_mix(text: str) -> tuple[tuple[str, float], ...]:
    """`"paraphrase=0.5,hard=0.25,random=0.25"` -> weights in KINDS order (missing kinds: 0)."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            pairs.append((name.strip(), float(value)))
        except ValueError:
            raise UsageError(f"--mix: {part!r} is not KIND=WEIGHT (e.g. hard=0.25)") from None
        if not sep:
            raise UsageError(f"--mix: {part!r} is not KIND=WEIGHT (e.g. hard=0.25)")
    return mix_weights(pairs)


def mix_weights(value: Any) -> tuple[tuple[str, float], ...]:
    """The mix from text, a table (`{"hard": 1}`) or (kind, weight) pairs, checked: known kinds,
    each named once, finite non-negative numbers; kinds left out weigh 0.

        >>> mix_weights({"paraphrase": 1})
        (('paraphrase', 1.0), ('hard', 0.0), ('random', 0.0))
    """
    if isinstance(value, str):
        return parse_mix(value)
    if isinstance(value, dict):
        value = list(value.items())
    if not isinstance(value, list | tuple) or not all(
        isinstance(p, list | tuple) and len(p) == 2 for p in value
    ):
        raise OptionTypeError(
            f"--mix must be KIND=WEIGHT text, a table or (kind, weight) pairs, got {value!r}"
        )
    weights = dict.fromkeys(KINDS, 0.0)
    seen: set[str] = set()
    for name, weight in value:
        if name not in weights:
            raise UsageError(f"--mix: unknown kind {name!r}; use {', '.join(KINDS)}")
        if name in seen:
            raise UsageError(f"--mix names {name} twice: give each kind once")
        seen.add(name)
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise OptionTypeError(f"--mix: the weight of {name} must be a number, got {weight!r}")
        if not math.isfinite(weight) or weight < 0:
            raise UsageError(
                f"--mix: the weight of {name} must be a finite number >= 0, got {weight}"
            )
        weights[name] = float(weight)
    return tuple(weights.items())


def _texts(value: Any, flag: str) -> tuple[str, ...]:
    """A list option from comma-separated text or a list of texts (a config file's `[1, 2]`
    is refused here, before any work)."""
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise OptionTypeError(
            f"{flag} must be a list of text or comma-separated text, got {value!r}"
        )
    return tuple(value)


def input_file_error(path: str | os.PathLike[str], flag: str) -> UsageError | None:
    """Why `path` cannot be read as an input file without blocking, or None (a missing file is
    left to the reader, which says so). A FIFO would block the build for ever, a device could
    stream without end, a folder cannot be read as text."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing, unreadable, or a NUL in the name
        return None
    if stat.S_ISREG(mode):
        return None
    what = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return UsageError(f"{flag} {path} is {what}, not a regular file: give a text file")


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
    text_column: str = option(
        "text", "Column holding the text in .jsonl/.csv/.parquet files and datasets."
    )
    revision: str | None = option(
        None,
        "Branch, tag or commit of an hf://datasets/OWNER/NAME corpus (default: main).",
        metavar="REV",
    )
    test_size: float = option(0.1, "Share of sentences in the test split, in [0, 1).")
    label: str = option(
        DEFAULT_MEASURE,
        f"Label measure: {', '.join(MEASURES)} (lemma: IDF-weighted lemma overlap with synonym "
        "credit; see README, Labels).",
    )
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
    noise_only: float = option(
        0.02,
        "Largest share of paraphrases that differ only by letter case or spacing, in [0, 1]; "
        "the rest carry a word change.",
    )
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
    private: bool = option(
        False, "Create the --push-to-hub repo private.", compare=False, flag_only=True
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
        # The Python API may pass a table for mix and lists for augment and registers.
        object.__setattr__(self, "mix", mix_weights(self.mix))
        object.__setattr__(self, "augment", _texts(self.augment, "--augment"))
        object.__setattr__(self, "registers", _texts(self.registers, "--registers"))
        if isinstance(self.exclude, str):  # one source; a path may hold commas
            object.__setattr__(self, "exclude", (self.exclude,))
        object.__setattr__(self, "exclude", _texts(list(self.exclude), "--exclude"))
        self._check_types()
        if not self.text_column.strip():
            raise UsageError("--text-column must name a column, got an empty name")
        if self.revision is not None and not self.corpus.startswith("hf://datasets/"):
            raise UsageError(
                "--revision applies to a Hub dataset corpus (hf://datasets/OWNER/NAME); "
                f"drop it for {self.corpus}"
            )
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
        if not all(self.exclude):
            raise UsageError("--exclude needs a path or a dataset id, got an empty one")
        if self.min_words < 1 or self.max_tokens < self.min_words:
            raise UsageError("--min-words must be >= 1 and --max-tokens >= --min-words")
        if not 0 <= self.synonym_rate <= 1:
            raise UsageError(f"--synonym-rate must be in [0, 1], got {self.synonym_rate}")
        if not 0 <= self.noise_only <= 1:
            raise UsageError(f"--noise-only must be in [0, 1], got {self.noise_only}")
        if not 0 <= self.min_swaps <= self.max_swaps:
            raise UsageError("--min-swaps must be between 0 and --max-swaps")
        if self.max_swaps > self.max_tokens:
            raise UsageError(
                f"--max-swaps {self.max_swaps} is above --max-tokens {self.max_tokens}: "
                "a kept sentence has no more words to swap"
            )
        for flag, value in (("--lexicon", self.lexicon), ("--protect", self.protect)):
            if value is not None and "synonym" not in self.augment:
                raise UsageError(
                    f"{flag} only matters with synonym in --augment; add it or drop {flag}"
                )
            if value is not None and (error := input_file_error(value, flag)):
                raise error
        self._check_license()
        if self.engine not in ("local", "ray"):
            raise UsageError(f"--engine must be local or ray, got {self.engine!r}")
        if self.workers < 0:
            raise UsageError(f"--workers must be >= 0 (0 = one per core), got {self.workers}")

    def _check_license(self) -> None:
        """The licence goes into the card's YAML and the manifest: one short printable line
        (an SPDX expression such as `cc-by-4.0`, or a plain name), never a YAML document."""
        value = self.license
        if (
            not value.strip()
            or value != value.strip()
            or not value.isprintable()
            or len(value) > MAX_LICENSE
            or not any(c.isalnum() for c in value)
        ):
            raise UsageError(
                f"--license must be an SPDX id (e.g. cc-by-4.0) or a short plain name on one "
                f"line, at most {MAX_LICENSE} characters, got {value[:MAX_LICENSE]!r}"
            )

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
            flag = "-n" if f.name == "n" else "--" + f.name.replace("_", "-")
            if not ok:
                kind = type(value).__name__
                raise OptionTypeError(
                    f"{flag} must be {_TYPE_NAMES[expected]}, got {value!r} ({kind})"
                )
            if expected is float and not math.isfinite(value):
                raise UsageError(f"{flag} must be a finite number, got {value}")
            if f.name in _PATHS and isinstance(value, str) and "\x00" in value:
                name = "CORPUS" if f.name == "corpus" else flag
                raise UsageError(f"{name} {value!r} has a NUL character, which no file name can")

    @property
    def weights(self) -> dict[str, float]:
        """The mix as weights that sum to 1, in KINDS order."""
        total = sum(w for _, w in self.mix)
        return {k: w / total for k, w in self.mix}

    @property
    def worker_count(self) -> int:
        """Worker processes to start: one per core by default, at most MAX_WORKERS_PER_CORE."""
        cap = MAX_WORKERS_PER_CORE * default_workers()
        return min(self.workers, cap) if self.workers else default_workers()

    def workers_note(self) -> str | None:
        """The warning for a --workers above the cap, or None."""
        if self.workers <= self.worker_count:
            return None
        return (
            f"--workers {self.workers} is more than {MAX_WORKERS_PER_CORE} per core "
            f"({default_workers()} cores here): using {self.worker_count}"
        )

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
        if "corpus" not in merged:
            raise UsageError("no corpus given: pass CORPUS or set corpus in the config file")
        return cls(**merged)


def load_config(path: Path, warn: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The options in `path`; a pairgen.json manifest gives its recorded `options`.

    A manifest written by a newer pairgen is still read, with a warning through `warn`: its
    options may mean something this version does not know.
    """
    if "\x00" in str(path):
        raise UsageError(f"--config {str(path)!r} has a NUL character, which no file name can")
    if error := input_file_error(path, "--config:"):
        raise error
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
            data = json.loads(text, parse_constant=_no_constant)
            if isinstance(data, dict):
                _warn_if_newer(data.get("pairgen_version"), path, warn)
                data = data.get("options", data)
            if isinstance(data, dict):
                data = _beside(data, path.parent)
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


def _no_constant(name: str) -> Any:
    """Strict JSON: `NaN` and `Infinity` are not JSON, so a manifest holding them is refused."""
    raise ValueError(f"{name} is not valid JSON")


def _version_key(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _warn_if_newer(version: Any, path: Path, warn: Callable[[str], None] | None) -> None:
    from pairgen import __version__

    if warn is None or not isinstance(version, str):
        return
    if _version_key(version) > _version_key(__version__):
        warn(
            f"--config {path} was written by pairgen {version}, newer than this {__version__}: "
            "options it added are refused and defaults may differ; upgrade pairgen to replay "
            "it exactly"
        )


def _beside(options: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A manifest's file options resolved against its folder (pairgen.json stores them relative
    to the output folder, so that a pushed manifest shows no local absolute path)."""
    resolved = dict(options)
    for key in ("corpus", "lexicon", "protect"):
        value = resolved.get(key)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            candidate = folder / value
            if candidate.exists():
                resolved[key] = os.path.normpath(candidate)
    return resolved


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
    base_model_id: str | None = option(
        None,
        "Hub id of the base model, for the card when --model is a local copy.",
        metavar="REPO_ID",
    )
    push_to_hub: str | None = option(
        None, "Then push the model folder to this repo.", metavar="REPO_ID"
    )
    private: bool = option(False, "Create the --push-to-hub repo private.", flag_only=True)
    token: str | None = option(
        None, "Hub token; default HF_TOKEN, then `hf auth login`.", metavar="TOKEN"
    )
    eval_sets: tuple[str, ...] = option(
        (),
        "Also evaluate on this STS set (CSV, JSONL, parquet, dataset folder or Hub id with "
        "sentence1, sentence2, score) before training and after each epoch; repeatable.",
        flags=("--eval",),
        metavar="PATH|ID",
        multiple=True,
    )

    def __post_init__(self) -> None:
        if isinstance(self.eval_sets, str | Path):  # one set given from Python
            object.__setattr__(self, "eval_sets", (str(self.eval_sets),))
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
