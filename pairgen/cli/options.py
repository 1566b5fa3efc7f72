"""Click options generated from the options dataclasses, so every flag is declared once.

A field of `BuildOptions` (or `TrainOptions`) made with `pairgen.config.option` carries its default,
help and flag names; `options_from` turns a chosen set of those fields into click options with the
real default shown in `--help`. `given` keeps only the flags typed on the command line (click's
parameter source), so for `build` a flag overrides a `--config` file only when it was given.

    >>> import click
    >>> from pairgen.config import BuildOptions
    >>> @click.command()
    ... @options_from(BuildOptions, "seed", "test_size")
    ... def cmd(seed, test_size): ...
    >>> [p.opts for p in cmd.params]
    [['--seed'], ['--test-size']]
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, Field, fields
from typing import Any, TypeVar

import click
from click.core import ParameterSource

F = TypeVar("F", bound=Callable[..., Any])

_CLICK_TYPES: dict[Any, click.ParamType] = {int: click.INT, float: click.FLOAT, str: click.STRING}


def _base_type(cls: type, f: Field[Any]) -> Any:
    """The field's type with `| None` removed (`str | None` -> str)."""
    hint = typing.get_type_hints(cls)[f.name]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else hint
    return hint


def render_default(value: tuple[Any, ...]) -> str:
    """A tuple default as the flag's text: comma-joined, the mix as KIND=WEIGHT."""
    if value and all(isinstance(v, tuple) for v in value):
        return ",".join(f"{k}={w:g}" for k, w in value)
    return ",".join(map(str, value))


def flags_of(f: Field[Any]) -> tuple[str, ...]:
    """The flag names of a field: its declared ones, else `--name-with-dashes`."""
    declared = f.metadata.get("flags")
    return tuple(declared) if declared else ("--" + f.name.replace("_", "-"),)


def click_option(cls: type, f: Field[Any]) -> Callable[[F], F]:
    """One click option for the dataclass field `f` of `cls`."""
    meta = f.metadata
    default = f.default if f.default is not MISSING else None
    if isinstance(default, tuple):  # given as text, parsed by the options class
        default = render_default(default) if default else None
    kwargs: dict[str, Any] = {
        "help": meta["help"],
        "default": default,
        "show_default": default is not None,
    }
    if meta.get("metavar"):
        kwargs["metavar"] = meta["metavar"]
    if meta.get("envvar"):
        kwargs["envvar"] = meta["envvar"]
    base = _base_type(cls, f)
    names = flags_of(f)
    if meta.get("multiple"):  # repeatable: a tuple of the values given
        kwargs.update(multiple=True, type=click.STRING, show_default=False)
    elif meta.get("choices"):
        kwargs["type"] = click.Choice(meta["choices"])
    elif base is bool:
        if meta.get("flag_only"):
            kwargs.update(is_flag=True, show_default=False)
        else:
            long = names[-1]
            names = (*names[:-1], f"{long}/--no-{long[2:]}")
    elif meta.get("path"):
        kwargs["type"] = click.Path()
    else:
        # tuples (the mix, family lists) are given as comma-separated text and parsed by the
        # options class, the same parser a config file goes through
        kwargs["type"] = _CLICK_TYPES.get(base, click.STRING)
    return click.option(*names, f.name, **kwargs)


def cli_fields(cls: type, names: tuple[str, ...] = ()) -> list[Field[Any]]:
    """The fields of `cls` that are flags (those with help), or just `names`, in declared order."""
    chosen = [f for f in fields(cls) if "help" in f.metadata]
    if names:
        unknown = set(names) - {f.name for f in chosen}
        assert not unknown, f"{cls.__name__} has no flag fields {sorted(unknown)}"
        chosen = [f for f in chosen if f.name in names]
    return chosen


def options_from(cls: type, *names: str, exclude: tuple[str, ...] = ()) -> Callable[[F], F]:
    """A decorator adding the click options of `cls`'s fields (`names`, or all but `exclude`)."""

    def decorate(fn: F) -> F:
        for f in reversed(cli_fields(cls, names)):
            if f.name not in exclude:
                fn = click_option(cls, f)(fn)
        return fn

    return decorate


def given(flags: dict[str, Any]) -> dict[str, Any]:
    """The flags the user gave (or set through their environment variable), not the defaults."""
    ctx = click.get_current_context()
    typed = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    return {k: v for k, v in flags.items() if ctx.get_parameter_source(k) in typed}
