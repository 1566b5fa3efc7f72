"""Every command explains itself with an example, and `--help` stays light."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pairgen.cli.group import COMMANDS, main
from pairgen.cli.options import render_default
from pairgen.config import BuildOptions, TrainOptions

REPO = Path(__file__).resolve().parent.parent
HEAVY = (
    "datasets",
    "pyarrow",
    "torch",
    "sentence_transformers",
    "transformers",
    "stanza",
    "matplotlib",
    "pymorphy3",
)
"""Modules that take a second or more to import, or that only some commands need."""


def _walk(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    out = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{' '.join((*path, name))} is listed but does not load"
        out.append((*path, name))
        if isinstance(command, click.Group):
            out += _walk(command, (*path, name))
    return out


COMMAND_PATHS = _walk(main)


def test_every_registered_command_loads() -> None:
    """The lazy group hides a command whose module fails to import; none may be hidden."""
    assert {path[0] for path in COMMAND_PATHS} == set(COMMANDS)


@pytest.mark.parametrize("path", [(), *COMMAND_PATHS], ids=lambda p: " ".join(p) or "pairgen")
def test_help_has_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`pairgen {' '.join(path)} --help` shows no example"


def test_help_does_not_import_heavy_modules() -> None:
    """`pairgen --help` (and each command's) must not pay for datasets, pyarrow, torch, ..."""
    script = f"""
import json, sys
from pairgen.cli import main
for args in {[[*p, "--help"] for p in [(), *COMMAND_PATHS]]!r}:
    try:
        main(args, prog_name="pairgen")
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {list(HEAVY)!r})))
"""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == []


@pytest.mark.parametrize(
    ("command", "options"),
    [("build", BuildOptions), ("preview", BuildOptions), ("train", TrainOptions)],
)
def test_help_shows_the_real_defaults(command: str, options: type) -> None:
    """Every flag made from an options field shows that field's default, the one the code uses."""
    cmd = main.get_command(click.Context(main), command)
    assert cmd is not None
    text = cmd.get_help(
        click.Context(cmd, info_name=command, max_content_width=10_000, terminal_width=10_000)
    )
    lines = {
        line.split()[0].rstrip(","): line
        for line in text.splitlines()
        if line.strip().startswith("-")
    }
    by_name = {f.name: f for f in dataclasses.fields(options)}
    shown = 0
    for param in cmd.params:
        f = by_name.get(param.name or "")
        if f is None or "help" not in f.metadata or (param.name == "n" and command == "preview"):
            continue
        line = lines[param.opts[0]]
        assert f.metadata["help"] in line, param.name
        if f.default is None or f.default == () or f.metadata.get("flag_only"):
            assert "[default:" not in line, param.name
            continue
        if isinstance(f.default, bool):
            expected = ("" if f.default else "no-") + param.name.replace("_", "-")
        elif isinstance(f.default, tuple):
            expected = render_default(f.default)
        else:
            expected = str(f.default)
        assert f"[default: {expected}]" in line, (param.name, line)
        shown += 1
    assert shown >= 5


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_reports_errors_the_same_way(path: tuple[str, ...]) -> None:
    """One decorator turns library errors into one `Error: ...` line for every command."""
    command: click.Command | None = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.get_command(click.Context(command), name)
    assert command is not None
    if not isinstance(command, click.Group):
        assert getattr(command.callback, "reports_errors", False), " ".join(path)
