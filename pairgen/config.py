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

from pairgen.errors import UsageError
from pairgen.pairing.labels import MEASURES
from pairgen.records import KINDS

AUGMENTERS = ("synonym", "case", "spacing")
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


@dataclass(frozen=True)
class BuildOptions:
    """Every option of `pairgen build`; the field names are the flag names with `_` for `-`."""

    corpus: str
    output: str = "output"
    n: int = 2000
    seed: int = 42
    test_size: float = 0.1
    label: str = "overlap"
    mix: tuple[tuple[str, float], ...] = DEFAULT_MIX
    augment: tuple[str, ...] = AUGMENTERS
    segmenter: str = "auto"
    min_words: int = 4
    max_tokens: int = 128
    synonym_rate: float = 0.3
    min_swaps: int = 1
    max_swaps: int = 3
    registers: tuple[str, ...] = ()
    multiword: bool = False
    lexicon: str | None = None
    protect: str | None = None
    license: str = "unknown"
    workers: int = field(default=0, compare=False)
    overwrite: bool = field(default=False, compare=False)
    quiet: bool = field(default=False, compare=False)
    verbose: bool = field(default=False, compare=False)
    push_to_hub: str | None = field(default=None, compare=False)
    engine: str = field(default="local", compare=False)
    ray_address: str | None = field(default=None, compare=False)

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
                merged[key] = tuple(p for p in merged[key].split(",") if p)
            elif key in merged:
                if not isinstance(merged[key], list | tuple):
                    raise UsageError(f"--{key} must be a list or comma-separated text")
                merged[key] = tuple(merged[key])
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
