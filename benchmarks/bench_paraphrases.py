"""What a build's pairs look like: word changes, noise per kind, case noise, hard pairs.

Reads built dataset folders (the parquet `data` and `provenance` configs and `pairgen.json`) and
prints, per folder:

* the kind mix, and the share of paraphrases with a word-level change (an edit other than noise);
* the noise table: per kind, the share of pairs whose `sentence2` carries each noise family (from
  the manifest's `noise_by_kind`), and the largest gap between kinds, in points;
* words put in ALL CAPS inside a sentence that is not all capitals (a word in capitals in
  `sentence2` but not in the sentence it was made from), and how many of them are function words
  (checked here from the text, not from the edits);
* hard pairs whose shared words are all function words (`pairgen.augment.protect.is_function_word`).

With `--time OLD` (a checkout of older code, e.g. a `git worktree` or `git archive` of a commit),
it first builds `-n` pairs of `--corpus` with the old code and with this checkout in turn (and, with
`--overlap`, this checkout with `--label overlap`; with `--also-python`, this checkout under another
interpreter), `--runs` rounds, and prints the median wall time and CPU time (user + system of the
build's whole process tree), their ratios, the CPU other processes used meanwhile and the load
average: one run, one machine, so the ratios hold even when the machine is busy. Give the old code
its own environment with `--old-python` (a venv where it is installed), so that it runs with its
own dependencies and its own shipped lexicons.

    python benchmarks/bench_paraphrases.py out/                          # figures of a build
    python benchmarks/bench_paraphrases.py --time /tmp/old -n 20000 --keep /tmp/cmp
    python benchmarks/bench_paraphrases.py --time /tmp/old --old-python /tmp/old/.venv/bin/python \
        --overlap --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from pairgen.augment.base import undo_edits
from pairgen.augment.protect import is_function_word
from pairgen.records import KINDS, Edit
from pairgen.text import WORD_RE, for_analysis, words

REPO = Path(__file__).resolve().parents[1]
NOISE = ("case", "spacing")
OVERLAP = ("--label", "overlap")


def _rows(folder: Path) -> list[tuple[dict, dict]]:
    out = []
    for path in sorted((folder / "data").glob("*.parquet")):
        data = pq.read_table(path).to_pylist()
        prov = pq.read_table(folder / "provenance" / path.name).to_pylist()
        out += list(zip(data, prov, strict=True))
    return out


def _caps(text: str) -> list[str]:
    return [
        m.group()
        for m in WORD_RE.finditer(text)
        if sum(c.isalpha() for c in m.group()) > 1 and m.group().isupper()
    ]


def figures(folder: Path) -> dict[str, object]:
    """Every figure for one built folder (see the module docstring)."""
    manifest = json.loads((folder / "pairgen.json").read_text(encoding="utf-8"))
    rows = _rows(folder)
    kinds = Counter(p["kind"] for _, p in rows)
    paraphrases = [(d, p) for d, p in rows if p["kind"] == "paraphrase"]
    word_change = sum(any(e["op"] not in NOISE for e in p["edits"]) for _, p in paraphrases)
    capped = capped_function = 0
    hard = hard_function_only = 0
    for d, p in rows:
        edits = [Edit(**e) for e in p["edits"]]
        origin = d["sentence1"] if p["kind"] == "paraphrase" else undo_edits(d["sentence2"], edits)
        text = d["sentence2"]
        letters = [c for c in text if c.isalpha()]
        if letters and not all(c.isupper() for c in letters):
            before = Counter(w.casefold() for w in _caps(origin))
            for w in _caps(text):
                key = w.casefold()
                if before[key]:
                    before[key] -= 1
                    continue
                capped += 1
                capped_function += is_function_word(for_analysis(w).casefold())
        if p["kind"] == "hard":
            hard += 1
            shared = set(words(d["sentence1"])) & set(words(origin))
            hard_function_only += all(is_function_word(w) for w in shared)
    table = {}
    noise = manifest["counts"].get("noise_by_kind", {})
    for kind in KINDS:
        n = kinds[kind]
        table[kind] = {f: 100 * noise.get(kind, {}).get(f, 0) / n if n else 0.0 for f in NOISE}
    gaps = {
        f: max(table[k][f] for k in KINDS if kinds[k]) - min(table[k][f] for k in KINDS if kinds[k])
        for f in NOISE
    }
    return {
        "pairs": len(rows),
        "kinds": dict(kinds),
        "paraphrases_with_word_change": 100 * word_change / max(1, len(paraphrases)),
        "noise_only_paraphrases": len(paraphrases) - word_change,
        "noise_table": table,
        "noise_gap_points": gaps,
        "all_caps_words_mid_sentence": capped,
        "all_caps_function_words_mid_sentence": capped_function,
        "hard_pairs": hard,
        "hard_pairs_sharing_only_function_words": hard_function_only,
    }


def report(folder: Path) -> str:
    f = figures(folder)
    kinds = f["kinds"]
    lines = [
        f"{folder}: {f['pairs']} pairs; kinds "
        + ", ".join(f"{k} {kinds.get(k, 0)}" for k in KINDS),
        f"  paraphrases with a word-level change: {f['paraphrases_with_word_change']:.1f} % "
        f"({f['noise_only_paraphrases']} noise-only)",
        "  noise (share of pairs whose sentence2 carries it):",
        "    kind        " + "".join(f"{n:>10}" for n in NOISE),
    ]
    for kind in KINDS:
        row = f["noise_table"][kind]
        lines.append(f"    {kind:<12}" + "".join(f"{row[n]:>9.1f}%" for n in NOISE))
    gaps = f["noise_gap_points"]
    lines.append("    largest gap " + "".join(f"{gaps[n]:>8.1f}pt" for n in NOISE))
    lines.append(
        f"  words put in ALL CAPS inside a sentence: {f['all_caps_words_mid_sentence']}, "
        f"function words among them: {f['all_caps_function_words_mid_sentence']}"
    )
    lines.append(
        f"  hard pairs sharing only function words: "
        f"{f['hard_pairs_sharing_only_function_words']} of {f['hard_pairs']}"
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class Variant:
    """One build to time: which interpreter, which code (first on PYTHONPATH), which options."""

    name: str
    python: str
    code: Path
    options: tuple[str, ...] = ()


def _build(v: Variant, corpus: Path, n: int, out: Path, workers: int) -> dict[str, float]:
    """One `pairgen build` subprocess: wall, CPU of its process tree, load around it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_build import run_tree

    load = os.getloadavg()[0]
    cmd = [v.python, "-m", "pairgen", "build", str(corpus.resolve()), "-n", str(n)]
    cmd += ["-o", str(out.resolve()), "--seed", "42", "--workers", str(workers), "-q"]
    # Run from an empty folder: `python -m` puts the working directory first on sys.path.
    with tempfile.TemporaryDirectory() as cwd:
        run = run_tree([*cmd, "--overwrite", *v.options], cwd=Path(cwd), code=v.code)
    if run.returncode != 0:
        sys.exit(f"{v.name}: build failed (exit {run.returncode}):\n{run.stdout[-2000:]}")
    return {
        "wall": run.wall_s,
        "cpu": run.cpu_s,
        "others": run.background_cores,
        "load": max(load, os.getloadavg()[0]),
    }


def time_builds(
    variants: list[Variant], corpus: Path, n: int, runs: int, workers: int, root: Path
) -> str:
    """Build with every variant in turn, `runs` rounds, and tabulate the medians and ratios to
    the first variant (and to `--label overlap` where one is timed)."""
    times: dict[str, list[dict[str, float]]] = {v.name: [] for v in variants}
    for _ in range(runs):
        for v in variants:
            out = root / re.sub(r"\W+", "-", v.name).strip("-")
            times[v.name].append(_build(v, corpus, n, out, workers))
            print(f"  {v.name}: " + ", ".join(f"{k} {x:.1f}" for k, x in times[v.name][-1].items()))
    med = {k: {f: statistics.median(r[f] for r in v) for f in v[0]} for k, v in times.items()}
    base = variants[0].name
    overlap = next((v.name for v in variants if "overlap" in v.options), None)
    lines = [
        f"{n:,} pairs of {corpus.name}, --workers {workers} --seed {42}, {runs} rounds of "
        f"{len(variants)} builds in turn, medians (CPU: user + sys of the build's process tree)",
        "",
        "| build | wall s | CPU s | wall / "
        + base
        + " | CPU / "
        + base
        + (f" | wall / {overlap} | CPU / {overlap}" if overlap else "")
        + " | others' cores | load avg |",
        "|:--|--:|--:|--:|--:|" + ("--:|--:|" if overlap else "") + "--:|--:|",
    ]
    for v in variants:
        m, b = med[v.name], med[base]
        row = f"| {v.name} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['wall'] / b['wall']:.3f} | "
        row += f"{m['cpu'] / b['cpu']:.3f} | "
        if overlap:
            o = med[overlap]
            row += f"{m['wall'] / o['wall']:.3f} | {m['cpu'] / o['cpu']:.3f} | "
        row += f"{m['others']:.2f} | {m['load']:.1f} |"
        lines.append(row)
    lines += ["", "per round (wall s / CPU s):"]
    for i in range(runs):
        lines.append(
            f"  {i + 1}: "
            + ", ".join(f"{k} {v[i]['wall']:.1f}/{v[i]['cpu']:.1f}" for k, v in times.items())
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="*", type=Path, help="built dataset folders")
    ap.add_argument("--time", metavar="OLD", help="a checkout of old code to time against")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("-n", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="build into this folder (old/, new/) and keep it")
    ap.add_argument(
        "--old-python",
        help="interpreter of an environment with the old checkout installed (its own "
        "dependencies); default: this one, with the old checkout first on PYTHONPATH",
    )
    ap.add_argument(
        "--overlap", action="store_true", help="also time this checkout with --label overlap"
    )
    ap.add_argument(
        "--also-python",
        help="also time this checkout with another interpreter (e.g. an environment without "
        "the DAWG2 extension, to see what the extension gives)",
    )
    args = ap.parse_args(argv)

    if args.time:
        root = args.keep or Path(tempfile.mkdtemp(prefix="bench-paraphrases-"))
        root.mkdir(parents=True, exist_ok=True)
        old = Path(args.time).resolve()
        variants = [
            Variant("old", args.old_python or sys.executable, old),
            Variant("new", sys.executable, REPO),
        ]
        if args.overlap:
            variants.append(Variant("new --label overlap", sys.executable, REPO, OVERLAP))
        if args.also_python:
            venv = Path(args.also_python).parent.parent.name
            variants.append(Variant(f"new ({venv})", args.also_python, REPO))
        print(time_builds(variants, args.corpus, args.n, args.runs, args.workers, root))
        args.folders = [*args.folders, root / "new"]
    for folder in args.folders:
        print(report(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
