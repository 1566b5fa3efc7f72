"""`--exclude`: the sentences of an evaluation set that must never enter the pairs.

A model trained on pairs that contain the sentences it is later scored on (an STS benchmark) is
scored on memory. `read_exclusion` takes what a user has at hand and returns its texts:

- a ``.csv``, ``.tsv``, ``.jsonl``/``.json`` or ``.parquet`` file: the columns ``sentence1`` and
  ``sentence2`` when present (STS layout), else ``sentence``/``text``, else every column whose
  values are text (not numbers);
- a ``.txt`` file (or ``.txt.gz``): one text per line;
- a local folder in a layout `datasets.load_dataset` reads (a Hub-layout dataset folder), or a Hub
  dataset id: every split, the same column choice.

The build segments the texts into sentences and drops corpus sentences equal to one of them after
normalisation, and (with ``--dedup near``) their near-duplicates (`pairgen.ingest.dedup`).

    >>> source = read_exclusion("../shared/sts/sts17-uk-dev.csv")   # doctest: +SKIP
    >>> source.spec, len(source.texts), source.columns                # doctest: +SKIP
    ('../shared/sts/sts17-uk-dev.csv', 250, ('sentence1', 'sentence2'))
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pairgen.errors import UsageError

PAIR_COLUMNS = ("sentence1", "sentence2")
TEXT_COLUMNS = ("sentence", "text")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".parquet")


@dataclass(frozen=True)
class Exclusion:
    """One `--exclude` source: what the user named, the texts read from it, how it was read."""

    spec: str
    texts: tuple[str, ...]
    columns: tuple[str, ...]
    sha256: str
    """Of the file's bytes; of the texts for a folder or a Hub dataset."""


def choose_columns(names: Sequence[str], sample: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The text columns of a table: sentence1/sentence2, else sentence/text, else every column
    whose sampled values are strings that are not numbers."""
    pair = tuple(c for c in PAIR_COLUMNS if c in names)
    if pair:
        return pair
    named = tuple(c for c in TEXT_COLUMNS if c in names)
    if named:
        return named
    rows = list(sample)
    return tuple(c for c in names if rows and all(_is_text(r.get(c)) for r in rows))


def _is_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _texts(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[str]:
    out = []
    for row in rows:
        for c in columns:
            value = row.get(c)
            if isinstance(value, str) and value.strip():
                out.append(value.strip())
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_table(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    name = path.name.lower()
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return table.column_names, table.to_pylist()
    with open(path, encoding="utf-8-sig", newline="") as f:
        if name.endswith((".csv", ".tsv")):
            reader = csv.DictReader(f, delimiter="\t" if name.endswith(".tsv") else ",")
            rows = list(reader)
            return list(reader.fieldnames or []), rows
        if name.endswith(".json") and f.read(1) == "[":
            f.seek(0)
            rows = json.load(f)
        else:
            f.seek(0)
            rows = [json.loads(line) for line in f if line.strip()]
    names = list(dict.fromkeys(k for r in rows if isinstance(r, dict) for k in r))
    return names, [r for r in rows if isinstance(r, dict)]


def _read_dataset(spec: str) -> tuple[list[str], list[dict[str, Any]]]:
    import datasets

    loaded = datasets.load_dataset(spec)
    names: list[str] = []
    rows: list[dict[str, Any]] = []
    for split in sorted(loaded):
        part = loaded[split]
        names += [c for c in part.column_names if c not in names]
        rows += part.to_list()
    return names, rows


def read_exclusion(spec: str) -> Exclusion:
    """Read one `--exclude` source (see the module docstring); UsageError if it cannot be read."""
    path = Path(spec)
    looks_local = spec.startswith((".", "/", "~")) or spec.lower().endswith(
        (*TABLE_SUFFIXES, ".txt", ".txt.gz")
    )
    if looks_local and not path.exists():  # not a Hub id: never ask the network about it
        raise UsageError(f"--exclude {spec}: no such file or folder")
    try:
        if path.is_file():
            name = path.name.lower()
            if name.endswith(TABLE_SUFFIXES):
                names, rows = _read_table(path)
            else:
                opener = gzip.open if name.endswith(".gz") else open
                with opener(path, "rt", encoding="utf-8-sig") as f:  # type: ignore[operator]
                    lines = [line.strip() for line in f if line.strip()]
                return Exclusion(spec, tuple(lines), ("line",), _sha256(path))
            digest = _sha256(path)
        else:
            names, rows = _read_dataset(spec)
            digest = ""
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as e:
        raise UsageError(f"--exclude {spec}: cannot read it ({e})") from None
    except Exception as e:  # datasets raises many types for a missing or odd dataset
        what = "a folder" if path.is_dir() else "not a file or folder here, nor a dataset"
        raise UsageError(
            f"--exclude {spec}: {what} that datasets.load_dataset could read "
            f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); give a .csv, "
            ".jsonl, .parquet or .txt file, a dataset folder or a Hub dataset id"
        ) from None
    columns = choose_columns(names, rows[:50])
    if not columns:
        raise UsageError(
            f"--exclude {spec}: no text column found (columns: {', '.join(names) or 'none'}); "
            "name them sentence1/sentence2, sentence or text"
        )
    texts = tuple(_texts(rows, columns))
    if not digest:
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    return Exclusion(spec, texts, columns, digest)
