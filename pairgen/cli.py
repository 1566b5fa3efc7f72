"""The `pairgen` command line: thin commands over the library.

Each command parses its flags, calls one library function, and turns a `PairgenError` into a
one-line `Error: ...` with the error's exit code. Subcommands live in their own modules and are
imported only when used, so `pairgen --help` does not load datasets, pyarrow or torch.
"""

from __future__ import annotations

import functools
import importlib
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pairgen import __version__
from pairgen.errors import PairgenError

F = TypeVar("F", bound=Callable[..., Any])

COMMANDS = {
    "build": ("pairgen.cli", "build_cmd"),
    "preview": ("pairgen.cli_view", "preview_cmd"),
    "inspect": ("pairgen.cli_view", "inspect_cmd"),
    "train": ("pairgen.cli_train", "train_cmd"),
    "push": ("pairgen.cli_hub", "push_cmd"),
    "lexicon": ("pairgen.cli_lexicon", "lexicon"),
    "models": ("pairgen.cli", "models"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._load(name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        try:
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            return None


def reports_errors(fn: F) -> F:
    """Turn library errors and interruptions into one line on stderr and the right exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PairgenError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted; nothing was written", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pairgen")
def main() -> None:
    """Turn raw Ukrainian prose into a sentence-similarity training set.

    \b
    Example:
      pairgen build corpus/ -n 2000          # writes output/ in Hugging Face Hub layout
      pairgen train output/ --model PATH     # fine-tune a sentence-transformers model
      pairgen push output/ USER/NAME         # publish the dataset on the Hub
    """


def _split_list(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(p.strip() for p in value.split(",") if p.strip())


@main.command("build")
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
    base: dict[str, Any] = {}
    if config_file:
        from pairgen.configfile import load_config

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

    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        report = run(options, log=log, warn=warn)
    finally:
        signal.signal(signal.SIGTERM, previous)
    from pairgen.summary import summary

    click.echo(summary(report))
    if options.push_to_hub:
        from pairgen.hub import describe, push_folder

        click.echo(describe(push_folder(report.output, options.push_to_hub, token=token)))


@main.group("models")
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
    from pairgen.models import download_stanza_model

    path = download_stanza_model(Path(dir_) if dir_ else None)
    click.echo(f"stanza Ukrainian model is in {path}")
