"""How well each label measure agrees with people, and what the default label costs a build.

`sts`: Spearman and Pearson of every measure (`pairgen label`'s measures, shipped IDF table and
thesaurus) against the human scores of STS files (`sentence1,sentence2,score`; default
`../shared/sts/sts17-uk-dev.csv`), with ablations of the `lemma` measure: each of its parts taken
away in turn, and its IDF counted over other sources.

`speed`: a `pairgen build` of `../shared/corpus` with `--label overlap` (the old default) and with
the default `lemma`, interleaved `--runs` times in one run of this script (the machine is shared:
compare only figures taken together), median wall and CPU time and the ratio new / old.

    python benchmarks/bench_labels.py                              # both sections
    python benchmarks/bench_labels.py --skip speed path/to/other-sts.csv
    python benchmarks/bench_labels.py --skip sts --n 20000 --runs 3
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_STS = SHARED / "sts" / "sts17-uk-dev.csv"
DEFAULT_CORPUS = SHARED / "corpus"

Scorer = Callable[[Sequence[str], Sequence[str]], float]


def read_sts(path: Path) -> list[tuple[str, str, float]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["sentence1"], r["sentence2"], float(r["score"])) for r in csv.DictReader(f)]


def correlations(scorer: Scorer, rows: list[tuple[str, str, float]]) -> tuple[float, float]:
    from scipy.stats import pearsonr, spearmanr

    from pairgen.text import words

    pred = [scorer(words(a), words(b)) for a, b, _ in rows]
    gold = [s for _, _, s in rows]
    return float(spearmanr(pred, gold).statistic), float(pearsonr(pred, gold).statistic)


def variants(rows: list[tuple[str, str, float]], corpus: Path | None) -> dict[str, Scorer]:
    """Every measure as `pairgen label` runs it, then the `lemma` ablations."""
    from pairgen.augment.lexicon import load_lexicon
    from pairgen.pairing.idf import Idf, idf_from_words, load_idf
    from pairgen.pairing.labels import MEASURES, make_measure
    from pairgen.pairing.lemmas import LemmaOverlap
    from pairgen.text import words

    shipped, lexicon = load_idf(), load_lexicon()
    out: dict[str, Scorer] = {name: make_measure(name) for name in MEASURES}
    out["lemma without synonym credit"] = LemmaOverlap(shipped, None)
    out["lemma without word-family credit"] = LemmaOverlap(shipped, lexicon, related=None)
    out["lemma, lemmas only (no synonyms, no families)"] = LemmaOverlap(shipped, None, None)
    out["lemma without IDF (every word weighs 1)"] = LemmaOverlap(Idf(0, {}), lexicon)
    own = idf_from_words(words(s) for a, b, _ in rows for s in (a, b))
    out["lemma, IDF over the file's own sentences"] = LemmaOverlap(own, lexicon)
    if corpus is not None and corpus.is_dir():
        from pairgen.labelling import corpus_idf

        out[f"lemma, IDF over {corpus.name}/ read now"] = LemmaOverlap(corpus_idf(corpus), lexicon)
    return out


def sts_section(paths: list[Path], corpus: Path | None) -> str:
    lines = []
    for path in paths:
        rows = read_sts(path)
        lines += [
            f"{path.name}: {len(rows)} pairs",
            "",
            "| measure | Spearman | Pearson |",
            "|:--|--:|--:|",
        ]
        for name, scorer in variants(rows, corpus).items():
            rho, r = correlations(scorer, rows)
            lines.append(f"| {name} | {rho:.3f} | {r:.3f} |")
        lines.append("")
    return "\n".join(lines)


def speed_section(corpus: Path, n: int, runs: int, workers: int) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_build import run_tree

    timings: dict[str, list[tuple[float, float, float, float]]] = {"overlap": [], "lemma": []}
    with tempfile.TemporaryDirectory(prefix="bench-labels-") as tmp:
        for _ in range(runs):
            for label in timings:
                out = Path(tmp) / label
                cmd = [sys.executable, "-m", "pairgen", "build", str(corpus), "-n", str(n)]
                cmd += ["-o", str(out), "--overwrite", "--workers", str(workers), "-q"]
                run = run_tree([*cmd, "--label", label])
                if run.returncode != 0:
                    sys.exit(f"build --label {label} failed:\n{run.stdout[-2000:]}")
                manifest = json.loads((out / "pairgen.json").read_text(encoding="utf-8"))
                stage = manifest["stage_seconds"]
                timings[label].append(
                    (run.wall_s, run.cpu_s, stage["mine_label_cpu"], run.background_cores)
                )
    med = {k: [statistics.median(col) for col in zip(*v)] for k, v in timings.items()}
    lines = [
        f"`pairgen build {corpus.name} -n {n:,} --workers {workers}`, "
        f"{runs} interleaved runs each, medians",
        "",
        "| label | wall s | CPU s | mine + label CPU s | others' cores |",
        "|:--|--:|--:|--:|--:|",
    ]
    for label, (wall, cpu, mine, busy) in med.items():
        lines.append(f"| {label} | {wall:.1f} | {cpu:.1f} | {mine:.1f} | {busy:.2f} |")
    old, new = med["overlap"], med["lemma"]
    lines += [
        "",
        f"ratio lemma / overlap: wall {new[0] / old[0]:.3f}, CPU {new[1] / old[1]:.3f}",
        "per run (wall s, overlap -> lemma): "
        + ", ".join(
            f"{a[0]:.1f} -> {b[0]:.1f}"
            for a, b in zip(timings["overlap"], timings["lemma"], strict=True)
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sts", nargs="*", type=Path, help=f"STS files (default {DEFAULT_STS})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--n", type=int, default=20_000, help="pairs per timed build")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip", default="", help="comma-separated: sts, speed")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    if "sts" not in skip:
        print(sts_section(args.sts or [DEFAULT_STS], args.corpus))
    if "speed" not in skip:
        print(speed_section(args.corpus, args.n, args.runs, args.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
