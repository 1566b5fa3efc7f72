"""`pairgen label`: the thin command around `pairgen.labelling.label`.

Only click is imported at module top, so `pairgen --help` does not pay for pymorphy3.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from pairgen.cli.errors import reports_errors
from pairgen.pairing.labels import DEFAULT_MEASURE, MEASURES


@click.command(
    "label",
    epilog="""\b
Examples:
  pairgen label ../shared/sts/sts17-uk-dev.csv            # Spearman/Pearson against its score
  pairgen label my_pairs.jsonl -o labelled.parquet --label overlap
  pairgen label my_pairs.csv --idf corpus/ -o labelled.csv  # exactly a build of corpus/'s labels
""",
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the labelled pairs here (.csv, .jsonl or .parquet; the label is `score`, an "
    "input `score` becomes `input_score`). Without it and without a score column, CSV goes to "
    "stdout.",
)
@click.option(
    "--label",
    "measure",
    type=click.Choice(MEASURES),
    default=DEFAULT_MEASURE,
    show_default=True,
    help="Label measure (the build's --label).",
)
@click.option(
    "--idf",
    default="shipped",
    show_default=True,
    metavar="SOURCE",
    help="Word weights for lemma: shipped (lexicons/uk_word_df.tsv), self (this file's "
    "sentences), a pairgen-idf table, or a corpus folder or file (counted as a build would).",
)
@click.option(
    "--lexicon",
    type=click.Path(path_type=Path),
    help="Synonym lexicon TSV for lemma's synonym credit (default: the shipped thesaurus).",
)
@click.option(
    "--save-idf",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Also write the IDF table used, to give back with --idf later.",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing -o file.")
@reports_errors
def label_cmd(
    file: Path,
    output: Path | None,
    measure: str,
    idf: str,
    lexicon: Path | None,
    save_idf: Path | None,
    overwrite: bool,
) -> None:
    """Label the sentence pairs in FILE (CSV, JSONL or parquet: sentence1, sentence2).

    With a `score` column (human judgments, any scale) it prints how the labels agree with it;
    the last line is `spearman=<x> pearson=<y> pairs=<n>`.
    """
    from pairgen.labelling import label

    report = label(
        file,
        output,
        measure=measure,
        idf=idf,
        lexicon=lexicon,
        save_idf=save_idf,
        overwrite=overwrite,
    )
    if output is None and report.spearman is None:
        from pairgen.labelling import read_pairs

        pairs = read_pairs(file)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["sentence1", "sentence2", "score"])
        writer.writerows(zip(pairs.sentence1, pairs.sentence2, report.labels))
        return
    where = f"; wrote {output}" if output is not None else ""
    weights = (
        f", IDF {report.idf['source']} ({report.idf['sentences']} sentences)" if report.idf else ""
    )
    click.echo(f"{report.pairs} pairs labelled with {measure}{weights}{where}", err=True)
    click.echo(report.summary())
