"""`pairgen train`: the thin command around `pairgen.training.train`.

Only click (and the options dataclass) is imported at module top, so `pairgen --help` does not pay
for torch or datasets. The flags are generated from `pairgen.config.TrainOptions`.
"""

from typing import Any

import click

from pairgen.cli.errors import reports_errors
from pairgen.cli.options import options_from
from pairgen.config import TrainOptions


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
@options_from(TrainOptions)
@reports_errors
def train_cmd(dataset: str, **options: Any) -> None:
    """Fine-tune a sentence-similarity model on DATASET (a pairgen output folder or a Hub id).

    Trains with CosineSimilarityLoss on sentence1/sentence2/score, prints Pearson and Spearman on
    the test split before training and after each epoch, and writes the model, eval.json and a
    model card naming the dataset to OUTPUT.
    """
    from pairgen.cli.interrupts import Interrupts
    from pairgen.training import train

    output = options.get("output") or TrainOptions().output
    with Interrupts(output, action="training"):
        train(dataset, log=click.echo, **options)
