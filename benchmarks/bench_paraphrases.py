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

With `--time PYTHONPATH`, it first builds `-n` pairs of `--corpus` with the code on that path
(e.g. a `git worktree` of an older commit) and with this checkout, alternating, `--runs` times
each, and prints the median wall and CPU times and their ratio (one run, one machine).

    python benchmarks/bench_paraphrases.py out/                          # figures of a build
    python benchmarks/bench_paraphrases.py --time /tmp/old -n 20000 --keep /tmp/cmp
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from pairgen.augment.base import undo_edits
from pairgen.augment.protect import is_function_word
from pairgen.records import KINDS, Edit
from pairgen.text import WORD_RE, for_analysis, words

REPO = Path(__file__).resolve().parents[1]
NOISE = ("case", "spacing")


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


def _build(pythonpath: str, corpus: Path, n: int, out: Path, workers: int) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": pythonpath}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # Run from an empty folder: `python -m` puts the working directory first on sys.path.
    with tempfile.TemporaryDirectory() as cwd:
        subprocess.run(
            [
                *(sys.executable, "-m", "pairgen", "build", str(corpus.resolve()), "-n", str(n)),
                *("-o", str(out.resolve()), "--seed", "42", "--workers", str(workers), "-q"),
                "--overwrite",
            ],
            env=env,
            cwd=cwd,
            check=True,
            capture_output=True,
        )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="*", type=Path, help="built dataset folders")
    ap.add_argument("--time", metavar="PYTHONPATH", help="old code to time against this one")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("-n", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="build into this folder (old/, new/) and keep it")
    args = ap.parse_args(argv)

    if args.time:
        root = args.keep or Path(tempfile.mkdtemp(prefix="bench-paraphrases-"))
        root.mkdir(parents=True, exist_ok=True)
        times: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
        for _ in range(args.runs):
            for name, path in (("old", args.time), ("new", str(REPO))):
                times[name].append(_build(path, args.corpus, args.n, root / name, args.workers))
        med = {
            k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
            for k, v in times.items()
        }
        print(
            f"{args.n} pairs of {args.corpus}, {args.workers} workers, {args.runs} runs each "
            f"(alternating old/new), medians:"
        )
        for k, (wall, cpu) in med.items():
            print(f"  {k}: wall {wall:.1f} s, cpu {cpu:.1f} s")
        print(
            f"  new/old: wall {med['new'][0] / med['old'][0]:.3f}, "
            f"cpu {med['new'][1] / med['old'][1]:.3f}"
        )
        args.folders = [*args.folders, root / "new"]
    for folder in args.folders:
        print(report(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
