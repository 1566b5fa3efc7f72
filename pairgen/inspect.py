"""`pairgen inspect`: what a finished output folder holds, and what looks wrong with it.

Reads the folder `pairgen build` wrote (data/ and provenance/ parquet, pairgen.json when present)
and reports counts per split and kind, the label distribution, the most frequent edits and swaps,
a few rows of each kind, and warnings a trainer cares about: label ranges with no pairs, very short
sentences, and test sentences that also occur in train once case, punctuation and spacing are
ignored (which leaks test pairs into training).

    >>> report = inspect_output(Path("output"))      # doctest: +SKIP
    >>> print(render(report))                        # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pairgen.errors import OptionTypeError, UsageError
from pairgen.records import KINDS
from pairgen.text import swap_key

BINS = 10
"""Label histogram bins over [0, 1]; the last one includes 1.0."""
SHORT_WORDS = 4
"""A sentence with fewer words than this is "very short" (the build's default --min-words)."""
SPARSE = 0.01
"""A label bin holding less than this share of the pairs is reported as sparse."""
TOP = 10
"""How many edits and swapped words the report lists."""


@dataclass(frozen=True)
class KindStats:
    """Label summary of one kind of pair."""

    count: int
    mean: float
    quartiles: tuple[float, float, float]
    low: float
    high: float


@dataclass(frozen=True)
class Sample:
    """One row of the dataset, with where it is."""

    split: str
    row: int
    sentence1: str
    sentence2: str
    score: float


@dataclass(frozen=True)
class InspectReport:
    """Everything `render` prints; also usable from a notebook (`scores_by_kind` feeds a plot)."""

    folder: Path
    manifest: dict[str, Any] | None
    counts: dict[str, dict[str, int]]
    """Pairs per split, then per kind."""
    scores_by_kind: dict[str, tuple[float, ...]]
    stats: dict[str, KindStats]
    histogram: dict[str, tuple[int, ...]]
    """Pairs per label bin (BINS bins over [0, 1]), per kind."""
    edits: list[tuple[str, int]]
    swaps: list[tuple[str, int]]
    samples: dict[str, list[Sample]]
    warnings: list[str] = field(default_factory=list)

    @property
    def pairs(self) -> int:
        return sum(sum(kinds.values()) for kinds in self.counts.values())


def _bin(score: float) -> int:
    return min(BINS - 1, max(0, int(score * BINS)))


def _stats(scores: Sequence[float]) -> KindStats:
    q = statistics.quantiles(scores, n=4) if len(scores) > 1 else [scores[0]] * 3
    return KindStats(
        len(scores), statistics.fmean(scores), (q[0], q[1], q[2]), min(scores), max(scores)
    )


NEEDED = {"data": ("sentence1", "sentence2", "score"), "provenance": ("kind", "edits")}
"""Columns inspect reads from each config; a file without them is not what a build writes."""


def _read_split(folder: Path, config: str, split: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for path in sorted((folder / config).glob(f"{split}-*.parquet")):
        try:
            table = pq.read_table(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise UsageError(
                f"cannot read {path} ({type(exc).__name__}): rebuild the output folder"
            ) from None
        missing = [c for c in NEEDED[config] if c not in table.column_names]
        if missing:
            raise UsageError(
                f"{path} lacks the column(s) {', '.join(missing)} that pairgen build writes "
                f"(it has {', '.join(table.column_names) or 'none'}): rebuild the output folder"
            )
        rows += table.select(list(NEEDED[config])).to_pylist()
    return rows


def _row_problem(row: dict[str, Any], prov: dict[str, Any]) -> str | None:
    """What makes a row unusable for the summary (it is then counted, not summarised), or None."""
    score = row["score"]
    if isinstance(score, bool) or not isinstance(score, int | float):
        return f"a score that is not a number ({score!r})"
    if not math.isfinite(score) or not 0 <= score <= 1:
        return f"a score outside [0, 1] ({score!r})"
    if not isinstance(row["sentence1"], str) or not isinstance(row["sentence2"], str):
        return "a sentence that is not text"
    if not isinstance(prov["kind"], str):
        return f"a kind that is not text ({prov['kind']!r})"
    edits = prov["edits"] or []
    if not isinstance(edits, list) or not all(
        isinstance(e, dict) and isinstance(e.get("op"), str) for e in edits
    ):
        return "edits that are not a list of records"
    return None


def _read_manifest(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """pairgen.json as a dict, or None and why it was ignored (inspect reports damage, it does
    not stop at it)."""
    if not path.is_file():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"{path} is not valid JSON ({reason}): ignored"
    if not isinstance(data, dict):
        return None, f"{path} holds {type(data).__name__}, not a JSON object: ignored"
    return data, None


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def manifest_value(manifest: dict[str, Any] | None, *keys: str) -> Any:
    """`manifest[k1][k2]...`, or None where a level is missing or not an object (a hand-edited
    or damaged manifest must not crash the report)."""
    value: Any = manifest
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def inspect_output(folder: Path, samples: int = 3) -> InspectReport:
    """Read an output folder of `pairgen build` and summarise it; `samples` rows shown per kind.

    Raises:
        UsageError: the folder is not a pairgen output (no data/*.parquet or no provenance/), or
            its files do not belong together.
    """
    from pairgen.text import words

    if isinstance(samples, bool) or not isinstance(samples, int):
        raise OptionTypeError(f"--samples must be a whole number, got {samples!r}")
    if samples < 0:
        raise UsageError(f"--samples must be >= 0, got {samples}")
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder: give the output folder of `pairgen build`")
    found = {p.name.split("-")[0] for p in (folder / "data").glob("*.parquet")}
    splits = sorted(found, key=lambda s: (s != "train", s != "test", s))
    if not splits:
        raise UsageError(
            f"{folder} has no data/*.parquet: give the folder `pairgen build` wrote (-o OUTPUT)"
        )
    if not (folder / "provenance").is_dir():
        raise UsageError(
            f"{folder}/provenance/ is missing: inspect needs the provenance config that "
            "`pairgen build` writes beside data/"
        )
    manifest, manifest_problem = _read_manifest(folder / "pairgen.json")
    bad_rows: Counter[str] = Counter()
    first_bad: dict[str, str] = {}

    counts: dict[str, dict[str, int]] = {}
    scores: dict[str, list[float]] = {k: [] for k in KINDS}
    edits: Counter[str] = Counter()
    swaps: Counter[str] = Counter()
    rows_by_kind: dict[str, list[Sample]] = {k: [] for k in KINDS}
    sentences: dict[str, set[tuple[str, ...]]] = {}
    examples: dict[tuple[str, ...], str] = {}
    short: dict[str, int] = {}

    for split in splits:
        data = _read_split(folder, "data", split)
        prov = _read_split(folder, "provenance", split)
        if len(prov) != len(data):
            raise UsageError(
                f"{folder}: data/{split} has {len(data)} rows but provenance/{split} has "
                f"{len(prov)}: the two configs come from different builds; rebuild the folder"
            )
        kinds: Counter[str] = Counter()
        seen = sentences.setdefault(split, set())
        for i, (row, p) in enumerate(zip(data, prov, strict=True)):
            problem = _row_problem(row, p)
            if problem is not None:
                bad_rows[split] += 1
                first_bad.setdefault(split, f"row {i}: {problem}")
                continue
            kind = p["kind"]
            kinds[kind] += 1
            scores.setdefault(kind, []).append(row["score"])
            rows_by_kind.setdefault(kind, []).append(
                Sample(split, i, row["sentence1"], row["sentence2"], row["score"])
            )
            for e in p["edits"] or ():
                edits[e["op"]] += 1
                if e["op"] == "synonym":
                    swaps[swap_key(str(e.get("before")), str(e.get("after")))] += 1
            for text in (row["sentence1"], row["sentence2"]):
                key = words(text)
                if key not in seen:
                    seen.add(key)
                    examples.setdefault(key, text)
                    if len(key) < SHORT_WORDS:
                        short[text] = len(key)
        counts[split] = {k: kinds[k] for k in (*KINDS, *sorted(set(kinds) - set(KINDS)))}

    stats = {k: _stats(v) for k, v in scores.items() if v}
    histogram = {
        k: tuple(Counter(_bin(s) for s in v).get(b, 0) for b in range(BINS))
        for k, v in scores.items()
    }
    picked: dict[str, list[Sample]] = {
        k: [v[j * len(v) // samples] for j in range(min(samples, len(v)))]
        for k, v in rows_by_kind.items()
    }
    pairs = sum(sum(c.values()) for c in counts.values())
    warnings = _warnings(histogram, manifest, pairs, sentences, examples, short)
    if manifest_problem:
        warnings.append(manifest_problem)
    for split, count in bad_rows.items():
        warnings.append(
            f"{count} {split} row(s) left out of this report (first: data/{split} "
            f"{first_bad[split]}): the folder was changed or damaged after the build"
        )
    return InspectReport(
        folder=folder,
        manifest=manifest,
        counts=counts,
        scores_by_kind={k: tuple(v) for k, v in scores.items()},
        stats=stats,
        histogram=histogram,
        edits=edits.most_common(TOP),
        swaps=swaps.most_common(TOP),
        samples=picked,
        warnings=warnings,
    )


def _range(b: int) -> str:
    return f"{b / BINS:.1f}–{(b + 1) / BINS:.1f}"


def _warnings(
    histogram: dict[str, tuple[int, ...]],
    manifest: dict[str, Any] | None,
    pairs: int,
    sentences: dict[str, set[tuple[str, ...]]],
    examples: dict[tuple[str, ...], str],
    short: dict[str, int],
) -> list[str]:
    out = []
    total = [sum(h[b] for h in histogram.values()) for b in range(BINS)]
    empty = [b for b in range(BINS) if total[b] == 0]
    if empty:
        out.append(
            f"no pairs with labels in {', '.join(_range(b) for b in empty)}: a model trained on "
            "this never sees that degree of similarity (change --mix or --synonym-rate, or use "
            "another --label)"
        )
    sparse = [b for b in range(BINS) if 0 < total[b] < SPARSE * pairs]
    if sparse:
        ranges = ", ".join(f"{_range(b)} ({total[b]})" for b in sparse)
        out.append(f"few pairs (under {SPARSE:.0%} each) with labels in {ranges}")
    if short:
        first = min(short, key=lambda t: (short[t], t))
        out.append(
            f"{len(short)} sentence(s) have fewer than {SHORT_WORDS} words, e.g. {first!r} "
            "(raise --min-words to drop them)"
        )
    if "train" in sentences:
        for split, keys in sentences.items():
            if split == "train":
                continue
            shared = keys & sentences["train"]
            if shared:
                example = examples[min(shared)]
                out.append(
                    f"{len(shared)} {split} sentence(s) also occur in train once case, punctuation "
                    f"and spacing are ignored, e.g. {example!r}: those {split} pairs are not "
                    "unseen (rebuild with --dedup near, the default)"
                )
    claimed = manifest_value(manifest, "counts", "pairs")
    if claimed is not None and claimed != pairs:
        out.append(
            f"pairgen.json says {claimed} pairs but data/ holds {pairs}: "
            "the folder was changed after the build"
        )
    return out


def _bar(value: int, top: int, width: int) -> str:
    """A horizontal bar in eighths of a character cell, `width` cells for `top`."""
    eighths = round(8 * width * value / top) if top else 0
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]


def render(report: InspectReport, *, width: int = 40) -> str:
    """The `pairgen inspect` screen as plain text; `width` is the longest histogram bar."""
    lines: list[str] = []
    m = report.manifest
    head = f"{report.folder}: {report.pairs} pairs"
    if m:
        head += f" (pairgen {m.get('pairgen_version', '?')}, seed {m.get('seed', '?')})"
    lines.append(head)
    if m and m.get("command"):
        lines.append(f"built with: {m['command']}")
    kinds = [k for k in (*KINDS, *report.scores_by_kind) if k in report.scores_by_kind]
    kinds = list(dict.fromkeys(kinds))

    lines += [
        "",
        "pairs per split and kind",
        f"  {'':8}" + "".join(f"{k:>12}" for k in kinds) + f"{'total':>12}",
    ]
    for split, row in report.counts.items():
        cells = "".join(f"{row.get(k, 0):>12}" for k in kinds)
        lines.append(f"  {split:<8}{cells}{sum(row.values()):>12}")

    measure = str(manifest_value(m, "label", "measure") or "score")
    lines += ["", f"label ({measure}) per kind: mean, quartiles, range"]
    for k in kinds:
        s = report.stats.get(k)
        if s is None:
            lines.append(f"  {k:<11} no pairs")
            continue
        q = " / ".join(f"{x:.3f}" for x in s.quartiles)
        lines.append(
            f"  {k:<11} mean {s.mean:.3f}   quartiles {q}   range {s.low:.3f}–{s.high:.3f}"
        )

    total = [sum(h[b] for h in report.histogram.values()) for b in range(BINS)]
    top = max(total, default=0)
    lines += ["", "label histogram (all kinds; per-kind counts on the right)"]
    for b in range(BINS):
        per_kind = "  ".join(f"{k[0]} {report.histogram[k][b]:>5}" for k in kinds)
        bar = _bar(total[b], top, width)
        lines.append(f"  {_range(b)} {bar:<{width + 1}}{total[b]:>6}   {per_kind}")
    lines.append("  (" + ", ".join(f"{k[0]} = {k}" for k in kinds) + ")")

    lines += ["", "edits by family"]
    lines += [f"  {op:<12}{n:>8}" for op, n in report.edits] or ["  none"]
    if report.swaps:
        lines += ["", "most frequent synonym swaps"]
        lines += [f"  {n:>5}  {swap}" for swap, n in report.swaps]

    for k in kinds:
        if report.samples.get(k):
            lines += ["", f"sample {k} pairs"]
            for sample in report.samples[k]:
                lines.append(f"  {sample.score:.3f}  [{sample.split} {sample.row}]")
                lines.append(f"         1: {sample.sentence1}")
                lines.append(f"         2: {sample.sentence2}")

    lines += ["", "warnings" if report.warnings else "warnings: none"]
    lines += [f"  - {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"
