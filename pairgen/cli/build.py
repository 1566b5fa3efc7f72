"""`pairgen build` and `pairgen models`: the build command over `pairgen.pipeline.run`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pairgen.cli.errors import reports_errors
from pairgen.cli.interrupts import Interrupts
from pairgen.errors import Interrupted


def _split_list(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(p.strip() for p in value.split(",") if p.strip())


@click.command("build")
@click.argument("corpus", required=False)
@click.option("-o", "--output", help="Output folder (Hub dataset layout).  [default: output]")
@click.option("-n", "n", type=int, help="Number of pairs across all splits.  [default: 2000]")
@click.option("--seed", type=int, help="Random seed; same seed, same bytes.  [default: 42]")
@click.option(
    "--test-size",
    type=float,
    help="Share of sentences in the test split, in [0, 1).  [default: 0.1]",
)
@click.option("--label", help="Label measure: overlap, jaccard or char.  [default: overlap]")
@click.option(
    "--mix", help="Pair kinds and weights.  [default: paraphrase=0.5,hard=0.25,random=0.25]"
)
@click.option(
    "--augment", help="Augmentations to use, comma-separated.  [default: synonym,case,spacing]"
)
@click.option("--segmenter", help="auto, rules (tokenize-uk) or stanza.  [default: auto]")
@click.option("--min-words", type=int, help="Drop sentences with fewer words.  [default: 4]")
@click.option("--max-tokens", type=int, help="Drop sentences with more tokens.  [default: 128]")
@click.option("--synonym-rate", type=float, help="Share of eligible words swapped.  [default: 0.3]")
@click.option("--min-swaps", type=int, help="Synonym swaps per paraphrase, at least.  [default: 1]")
@click.option("--max-swaps", type=int, help="Synonym swaps per paraphrase, at most.  [default: 3]")
@click.option("--registers", help="Thesaurus labels to allow, e.g. 'розм.,заст.'.  [default: none]")
@click.option(
    "--multiword/--no-multiword", default=None, help="Allow multi-word synonyms.  [default: no]"
)
@click.option(
    "--lexicon", type=click.Path(), help="Synonym lexicon file (TSV; see lexicons/README.md)."
)
@click.option("--protect", type=click.Path(), help="File of words never to swap, one per line.")
@click.option("--license", "license_", help="Licence id for the dataset card.  [default: unknown]")
@click.option("--workers", type=int, help="Worker processes; 0 = one per core.  [default: 0]")
@click.option(
    "--config",
    "config_file",
    type=click.Path(),
    help="TOML config or a previous pairgen.json; flags override it.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    help="Run the parallel stages here or on a Ray cluster (extra `ray`).  [default: local]",
)
@click.option("--ray-address", envvar="RAY_ADDRESS", help="Ray cluster address (or RAY_ADDRESS).")
@click.option("--push-to-hub", help="After building, push the folder to this Hub dataset repo.")
@click.option("--token", help="Hub token for --push-to-hub (else HF_TOKEN or the saved login).")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty output folder.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Also log what was read from each file.")
@reports_errors
def build_cmd(corpus: str | None, config_file: str | None, token: str | None, **flags: Any) -> None:
    """Build a pair dataset from CORPUS (a folder of .txt/.txt.gz files, or one file).

    \b
    Example:
      pairgen build corpus/ -n 2000 --seed 42
      pairgen build ../library -n 200000 -o big/ --workers 2 --overwrite
      pairgen build --config output/pairgen.json -o replay/   # repeat a build
    """
    from pairgen.config import BuildOptions, parse_mix

    flags["license"] = flags.pop("license_")
    if flags["mix"] is not None:
        flags["mix"] = parse_mix(flags["mix"])
    for key in ("augment", "registers"):
        flags[key] = _split_list(flags[key])
    flags["overwrite"] = flags["overwrite"] or None
    flags["quiet"] = flags["quiet"] or None
    flags["verbose"] = flags["verbose"] or None
    base: dict[str, Any] = {}
    if config_file:
        from pairgen.config import load_config

        base = load_config(Path(config_file))
    if corpus is not None:
        base["corpus"] = corpus
    options = BuildOptions.from_mapping(base, **flags)

    from pairgen.pipeline import run

    quiet = options.quiet

    def log(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    def warn(message: str) -> None:
        click.echo(f"warning: {message}", err=True)

    with Interrupts(options.output) as interrupts:
        report = run(options, log=log, warn=warn)
    from pairgen.cli.summary import summary

    click.echo(summary(report))
    if interrupts.since is not None:  # it came while the new output was being put in place
        raise Interrupted(f"interrupted as the build finished: {report.output} is complete")
    if options.push_to_hub:
        from pairgen.hub import describe, push_folder

        click.echo(describe(push_folder(report.output, options.push_to_hub, token=token)))


@click.group("models")
def models() -> None:
    """Manage optional models (the stanza Ukrainian tokenizer).

    \b
    Example:
      pairgen models download
    """


@models.command("download")
@click.option("--dir", "dir_", type=click.Path(), help="Where stanza keeps its models.")
@reports_errors
def models_download(dir_: str | None) -> None:
    """Download stanza's Ukrainian model (needs `pip install 'pairgen[stanza]'` and network).

    \b
    Example:
      pairgen models download
    """
    from pairgen.ingest.stanza_model import download_stanza_model

    path = download_stanza_model(Path(dir_) if dir_ else None)
    click.echo(f"stanza Ukrainian model is in {path}")
