"""`pairgen lexicon import`: convert a MyThes thesaurus into the lexicon the synonym swap reads.

pairgen lexicon import /usr/share/mythes/th_uk_UA_v2.dat -o lexicons/uk_synonyms.tsv
"""

from __future__ import annotations

from pathlib import Path

import click

from pairgen.cli.errors import reports_errors


@click.group("lexicon")
def lexicon() -> None:
    """Build synonym lexicons for the `synonym` augmentation.

    \b
    Example:
      pairgen lexicon import /usr/share/mythes/th_uk_UA_v2.dat -o my_synonyms.tsv
    """


@lexicon.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lexicon TSV to write (gzipped if it ends in .gz).",
)
@click.option(
    "--keep-tagged/--drop-tagged",
    default=True,
    show_default=True,
    help="Keep synonyms with register or sense labels (розм., заст., ...) as tagged items; the "
    "swap skips tagged ones unless their registers are allowed.",
)
@click.option(
    "--license",
    default="",
    help="The source thesaurus's license, written into the file's header.",
)
@reports_errors
def import_cmd(path: Path, output: Path, keep_tagged: bool, license: str) -> None:
    """Convert the MyThes thesaurus PATH (th_*.dat) into a pairgen lexicon.

    Resolves (див.) cross-references, drops (пор.) comparisons, keeps labels as tags and keeps
    only synonyms that share the headword's part of speech (pymorphy3).

    \b
    Example:
      pairgen lexicon import /usr/share/mythes/th_uk_UA_v2.dat -o my_synonyms.tsv
    """
    from pairgen.augment.mythes import import_mythes

    report = import_mythes(path, output, keep_tagged=keep_tagged, licence=license)
    click.echo(f"Wrote {output}: {report.summary()}")
