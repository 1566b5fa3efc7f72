"""`pairgen train`: the thin command around `pairgen.training.train`.

Only click is imported at module top, so `pairgen --help` does not pay for torch or datasets. The
defaults below repeat `pairgen.training.train`'s (tests/test_train.py checks that they agree).
"""

import click


@click.command(
    "train",
    epilog="""\b
Examples:
  pairgen train output/ --model path/to/local-model -o models/uk-mini
  pairgen train alice/uk-pairs --epochs 1 --device cpu
  pairgen train output/ --device cuda --bf16 --push-to-hub alice/uk-mini
""",
)
@click.argument("dataset")
@click.option(
    "-o",
    "--output",
    default="models/pairgen-model",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the trained model, eval.json and README.md.",
)
@click.option(
    "--model",
    default="sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
    show_default=True,
    metavar="NAME|PATH",
    help="Hub model name (used from the local cache if there) or a local model folder.",
)
@click.option("--epochs", default=3, show_default=True, type=click.IntRange(min=1))
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(min=1))
@click.option("--lr", default=5e-5, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option(
    "--warmup-ratio",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1, max_open=True),
    help="Share of steps for linear warm-up.",
)
@click.option("--max-seq-length", default=128, show_default=True, type=click.IntRange(min=2))
@click.option("--seed", default=42, show_default=True, type=int)
@click.option(
    "--device", default="auto", show_default=True, type=click.Choice(["auto", "cpu", "cuda"])
)
@click.option("--fp16", is_flag=True, default=False, help="Mixed precision (float16); GPU only.")
@click.option("--bf16", is_flag=True, default=False, help="Mixed precision (bfloat16); GPU only.")
@click.option(
    "--push-to-hub",
    default=None,
    metavar="REPO_ID",
    help="Then push the model folder to this repo.",
)
@click.option(
    "--token",
    default=None,
    metavar="TOKEN",
    help="Hub token; default HF_TOKEN, then `hf auth login`.",
)
def train_cmd(dataset: str, output: str, **options: object) -> None:
    """Fine-tune a sentence-similarity model on DATASET (a pairgen output folder or a Hub id).

    Trains with CosineSimilarityLoss on sentence1/sentence2/score, prints Pearson and Spearman on
    the test split before training and after each epoch, and writes the model, eval.json and a
    model card naming the dataset to OUTPUT.
    """
    from pairgen.errors import PairgenError, UsageError
    from pairgen.training import train

    try:
        train(dataset, output, log=click.echo, **options)  # type: ignore[arg-type]
    except UsageError as err:
        raise click.UsageError(str(err)) from None
    except PairgenError as err:  # every other pairgen error exits 1, as ClickException does
        raise click.ClickException(str(err)) from None
