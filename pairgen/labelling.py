"""`pairgen label`: label any file of sentence pairs with a build's measure, and check the measure.

Users can label their own pairs with exactly the measure a build uses, and anyone can check a
measure against human judgments: when the file has a `score` column, the labels' Spearman and
Pearson correlation with it are reported (both ignore the score's scale, 0-1 or 0-5).

The `lemma` measure weighs words by IDF. Its source (`idf`) is, by default, the table shipped in
`lexicons/uk_word_df.tsv` (document frequencies over public-domain Ukrainian prose); `"self"`
counts over the file's own sentences; a `pairgen-idf` table file, or a corpus folder or text file
(read, segmented and filtered as `pairgen build` does with its default options, so the labels are
exactly that build's), can be given instead.

    report = label("pairs.csv", "labelled.csv")
    print(report.spearman, report.pearson, report.pairs)
"""

from __future__ import annotations

import csv
import json
import math
import os
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pairgen.errors import PairgenError, UsageError
from pairgen.pairing.labels import DEFAULT_MEASURE, MEASURES, NEEDS_IDF, make_measure

FORMATS = (".csv", ".jsonl", ".parquet")
"""Pair files `pairgen label` (and `pairgen train --eval`) read and write, by extension."""
IDF_SOURCES = ("shipped", "self")
"""Named IDF sources; anything else is a path (a `pairgen-idf` table, or a corpus)."""


@dataclass(frozen=True)
class Pairs:
    """The pairs of a file, and its `score` column when it has one."""

    sentence1: tuple[str, ...]
    sentence2: tuple[str, ...]
    score: tuple[float, ...] | None


@dataclass(frozen=True)
class LabelReport:
    """What `label` did: the labels, where they went, and how they agree with the file's scores."""

    pairs: int
    measure: str
    labels: tuple[float, ...]
    idf: dict[str, Any] | None
    """The IDF table used (`Idf.describe()`), for `lemma`; None for the other measures."""
    output: Path | None
    spearman: float | None
    """Against the file's `score` column; None without one, NaN when either side is constant."""
    pearson: float | None

    def summary(self) -> str:
        """The closing line: `spearman=<x> pearson=<y> pairs=<n>` (or just `pairs=<n>`)."""
        if self.spearman is None or self.pearson is None:
            return f"pairs={self.pairs}"
        return f"spearman={self.spearman:.4f} pearson={self.pearson:.4f} pairs={self.pairs}"


def label(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    measure: str = DEFAULT_MEASURE,
    idf: str = "shipped",
    lexicon: str | os.PathLike[str] | None = None,
    save_idf: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
) -> LabelReport:
    """Label the pairs in `path` (CSV, JSONL or parquet with `sentence1`, `sentence2`).

    Writes `output` (same formats; columns `sentence1`, `sentence2`, `score` = the label, and the
    input's own `score` as `input_score`) if given. `idf` is `"shipped"`, `"self"` or a path (see
    the module docstring); `lexicon` a synonym lexicon TSV (default: the shipped thesaurus);
    `save_idf` writes the IDF table used, so it can be given back later.

        >>> report = label("tests/data/sts_small.csv")          # doctest: +SKIP
        >>> report.summary()                                    # doctest: +SKIP
        'spearman=0.8000 pearson=0.7500 pairs=6'

    Raises UsageError for a bad option, a missing or malformed file, or an output that exists
    (without `overwrite`); LexiconError for a bad IDF table or lexicon.
    """
    if measure not in MEASURES:
        raise UsageError(f"--label must be one of {', '.join(MEASURES)}, got {measure!r}")
    source = Path(path)
    target = Path(output) if output is not None else None
    if target is not None:
        _check_output(source, target, overwrite)
    if save_idf is not None and measure not in NEEDS_IDF:
        raise UsageError(f"--save-idf: the {measure} measure uses no IDF table; drop --save-idf")
    pairs = read_pairs(source)
    table = None
    if measure in NEEDS_IDF:
        table = _idf(idf, pairs)
        if save_idf is not None:
            table.save(save_idf, f"source: {table.source}")
    elif idf != "shipped":
        raise UsageError(f"--idf: the {measure} measure uses no IDF table; drop --idf")
    from pairgen.augment.lexicon import load_lexicon
    from pairgen.text import words

    scorer = make_measure(measure, table, load_lexicon(None if lexicon is None else str(lexicon)))
    labels = tuple(scorer(words(a), words(b)) for a, b in zip(pairs.sentence1, pairs.sentence2))
    if target is not None:
        write_pairs(target, pairs, labels)
    rho = r = None
    if pairs.score is not None:
        rho, r = spearman(labels, pairs.score), pearson(labels, pairs.score)
    return LabelReport(
        pairs=len(labels),
        measure=measure,
        labels=labels,
        idf=table.describe() if table is not None else None,
        output=target,
        spearman=rho,
        pearson=r,
    )


# --- IDF sources ---------------------------------------------------------------------------


def _idf(source: str, pairs: Pairs) -> Any:
    from pairgen.pairing.idf import FORMAT, idf_from_words, load_idf
    from pairgen.text import words

    if source == "shipped":
        return load_idf()
    if source == "self":
        both = (*pairs.sentence1, *pairs.sentence2)
        return idf_from_words((words(s) for s in both), "self")
    path = Path(source).expanduser()
    if not path.exists():
        raise UsageError(
            f"--idf {source}: no such file or folder; give shipped, self, a pairgen-idf table "
            "or a corpus"
        )
    if path.is_file() and _first_line(path).startswith(f"# {FORMAT}"):
        return load_idf(path)
    return corpus_idf(path)


def corpus_idf(corpus: str | os.PathLike[str]) -> Any:
    """The IDF table a default `pairgen build` of `corpus` weighs its labels with."""
    from pairgen.config import BuildOptions
    from pairgen.pairing.idf import idf_from_words
    from pairgen.pipeline import read_sentences
    from pairgen.text import words

    read = read_sentences(BuildOptions(corpus=str(corpus)), _quiet, _quiet)
    return idf_from_words((words(s.text) for s in read.sentences), str(corpus))


def _quiet(_: str) -> None:
    pass


def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return f.readline(200).decode("utf-8", "replace")
    except OSError as exc:
        raise UsageError(f"--idf {path}: cannot read it ({exc.strerror})") from None


# --- reading and writing pairs -------------------------------------------------------------


def read_pairs(path: Path, what: str = "FILE") -> Pairs:
    """`sentence1`, `sentence2` (and `score`, if present) from a CSV, JSONL or parquet file."""
    if not path.is_file():
        raise UsageError(f"{what} {path}: no such file; give a .csv, .jsonl or .parquet of pairs")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{what} {path}: unknown format; give a .csv, .jsonl or .parquet file")
    try:
        rows = _read_rows(path, suffix)
    except UnicodeDecodeError as exc:
        raise UsageError(f"{what} {path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{what} {path}: cannot read it as {suffix[1:]} ({_line(exc)})") from None
    if not rows:
        raise UsageError(f"{what} {path}: no pairs in it")
    missing = [c for c in ("sentence1", "sentence2") if c not in rows[0]]
    if missing:
        raise UsageError(
            f"{what} {path}: no column {' or '.join(missing)}; pairs need sentence1, sentence2 "
            "(and score to be checked against)"
        )
    s1, s2, scores = [], [], []
    for number, row in enumerate(rows, 1):
        a, b = row.get("sentence1"), row.get("sentence2")
        if not isinstance(a, str) or not isinstance(b, str):
            raise UsageError(f"{what} {path}, row {number}: sentence1 and sentence2 must be text")
        s1.append(a)
        s2.append(b)
        if "score" in rows[0]:
            scores.append(_score(row.get("score"), path, number, what))
    return Pairs(tuple(s1), tuple(s2), tuple(scores) if "score" in rows[0] else None)


def _read_rows(path: Path, suffix: str) -> list[dict[str, Any]]:
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    if suffix == ".jsonl":
        rows = []
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise ValueError(f"line {number} is not a JSON object")
                    rows.append(row)
        return rows
    import pyarrow.parquet as pq

    try:
        return list(pq.read_table(path).to_pylist())
    except Exception as exc:  # pyarrow raises its own error types for a file that is not parquet
        raise ValueError(_line(exc)) from None


def _score(value: Any, path: Path, number: int, what: str) -> float:
    try:
        score = float(value)
    except (TypeError, ValueError):
        score = math.nan
    if not math.isfinite(score):
        raise UsageError(f"{what} {path}, row {number}: score {value!r} is not a number")
    return score


def write_pairs(target: Path, pairs: Pairs, labels: Sequence[float]) -> None:
    """Write the labelled pairs next to `target` and rename into place (never half a file)."""
    columns: dict[str, Any] = {
        "sentence1": pairs.sentence1,
        "sentence2": pairs.sentence2,
        "score": labels,
    }
    if pairs.score is not None:
        columns["input_score"] = pairs.score
    fd, tmp_name = tempfile.mkstemp(prefix=".pairgen-label-", dir=target.parent or Path("."))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        suffix = target.suffix.lower()
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table(columns), tmp)
        else:
            rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
            with tmp.open("w", encoding="utf-8", newline="") as f:
                if suffix == ".csv":
                    writer = csv.DictWriter(f, fieldnames=list(columns))
                    writer.writeheader()
                    writer.writerows(rows)
                else:
                    f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PairgenError(f"-o {target}: cannot write it ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_output(source: Path, target: Path, overwrite: bool) -> None:
    if target.suffix.lower() not in FORMATS:
        raise UsageError(f"-o {target}: give a .csv, .jsonl or .parquet file name")
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise UsageError(f"-o {target} is the input file; write the labels to another file")
    if target.is_dir():
        raise UsageError(f"-o {target} is a folder; give a file name")
    if target.exists() and not overwrite:
        raise UsageError(f"-o {target} exists; pass --overwrite to replace it")
    if not target.parent.is_dir() and str(target.parent) not in ("", "."):
        raise UsageError(f"-o {target}: the folder {target.parent} does not exist")


def _line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- correlation ---------------------------------------------------------------------------


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's r; NaN when either side is constant or has fewer than two values."""
    try:
        return float(statistics.correlation(x, y))
    except statistics.StatisticsError:
        return math.nan


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: Pearson's r of the ranks, ties given their average rank."""
    return pearson(_ranks(x), _ranks(y))


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks
