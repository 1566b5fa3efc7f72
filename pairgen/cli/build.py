"""`pairgen build` and `pairgen models`: the build command over `pairgen.pipeline.run`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pairgen.cli.errors import reports_errors
from pairgen.cli.interrupts import Interrupts
from pairgen.cli.options import given, options_from
from pairgen.config import BuildOptions
from pairgen.errors import Interrupted
from pairgen.text import safe_text

_AFTER_CONFIG = (
    "engine",
    "ray_address",
    "push_to_hub",
    "private",
    "overwrite",
    "quiet",
    "verbose",
)
"""Flags listed after --config in `--help`: how and where to run, not what to build."""


@click.command("build")
@click.argument("corpus", required=False)
@options_from(BuildOptions, exclude=_AFTER_CONFIG)
@click.option(
    "--config",
    "config_file",
    type=click.Path(),
    help="TOML config or a previous pairgen.json; flags override it.",
)
@options_from(BuildOptions, *_AFTER_CONFIG)
@click.option("--token", help="Hub token for --push-to-hub (else HF_TOKEN or the saved login).")
@reports_errors
def build_cmd(corpus: str | None, config_file: str | None, token: str | None, **flags: Any) -> None:
    """Build a pair dataset from CORPUS: a folder or file of text (.txt, .txt.gz, .md, .html) or
    tables (.jsonl, .csv, .tsv, .parquet: --text-column), a `datasets` folder, a Hub dataset
    (hf://datasets/OWNER/NAME, --revision), or - for standard input.

    \b
    Example:
      pairgen build corpus/ -n 2000 --seed 42
      pairgen build ../library -n 200000 -o big/ --workers 2 --overwrite
      pairgen build notes/ --redact --exclude ../shared/sts/sts17-uk-dev.csv
      pairgen build --config output/pairgen.json -o replay/   # repeat a build
      pairgen build hf://datasets/OWNER/NAME --text-column content -n 5000
      zcat news.txt.gz | pairgen build - -o news/
    """

    def warn(message: str) -> None:
        from pairgen.progress import say  # a warning must not cut into a progress bar

        say(f"warning: {safe_text(message)}")

    base: dict[str, Any] = {}
    if config_file:
        from pairgen.config import load_config

        base = load_config(Path(config_file), warn)
    if corpus is not None:
        base["corpus"] = corpus
    options = BuildOptions.from_mapping(base, **given(flags))
    if config_file:
        from pairgen.write.folder import apart_error

        output = Path(options.output)
        if error := apart_error(output, output.resolve(), {"--config": config_file}):
            raise error

    from pairgen.pipeline import publish, run
    from pairgen.progress import say

    if options.push_to_hub:  # a missing token or a bad repo id must not cost a whole build
        from pairgen.hub import ready_to_push

        token = ready_to_push(options.push_to_hub, token)
    quiet = options.quiet

    def log(message: str) -> None:
        if not quiet:
            say(message)

    with Interrupts(options.output) as interrupts:
        report = run(options, log=log, warn=warn)
    from pairgen.cli.summary import summary

    click.echo(summary(report))
    if interrupts.since is not None:  # it came while the new output was being put in place
        raise Interrupted(f"interrupted as the build finished: {report.output} is complete")
    if options.push_to_hub:
        click.echo(publish(report, options.push_to_hub, token, private=options.private, warn=warn))


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
    """Download stanza's Ukrainian model (needs the `stanza` extra and network).

    \b
    Example:
      pairgen models download
    """
    from pairgen.ingest.stanza_model import download_stanza_model

    path = download_stanza_model(Path(dir_) if dir_ else None)
    click.echo(f"stanza Ukrainian model is in {path}")
