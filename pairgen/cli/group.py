"""The `pairgen` click group: subcommands are imported on first use.

A command whose module fails to import is a bug, so the import error surfaces (with its traceback)
instead of the command silently vanishing from `--help`.
"""

from __future__ import annotations

import importlib

import click

from pairgen import __version__

COMMANDS = {
    "build": ("pairgen.cli.build", "build_cmd"),
    "preview": ("pairgen.cli.view", "preview_cmd"),
    "inspect": ("pairgen.cli.view", "inspect_cmd"),
    "label": ("pairgen.cli.label", "label_cmd"),
    "train": ("pairgen.cli.train", "train_cmd"),
    "push": ("pairgen.cli.hub", "push_cmd"),
    "lexicon": ("pairgen.cli.lexicon", "lexicon"),
    "models": ("pairgen.cli.build", "models"),
}
"""Command name -> (module, attribute); the order is the order of `pairgen --help`."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command), f"{module}.{attr} is not a click command"
        return command


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
