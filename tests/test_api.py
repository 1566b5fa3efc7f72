"""The Python API mirrors the CLI: one function per command, stable however often it is used."""

from __future__ import annotations

import importlib

import pairgen

COMMAND_FUNCTIONS = {"build": "build", "train": "train", "push": "push", "paraphrase": "preview"}


def test_api_functions_stay_functions_after_their_modules_are_imported() -> None:
    for module in ("pipeline", "training", "hub", "preview", "cli", "cli_train", "cli_view"):
        importlib.import_module(f"pairgen.{module}")
    for name in COMMAND_FUNCTIONS:
        first, second = getattr(pairgen, name), getattr(pairgen, name)
        assert callable(first) and first is second, name
        assert first.__doc__, f"pairgen.{name} needs a docstring"


def test_all_lists_the_public_api() -> None:
    assert set(COMMAND_FUNCTIONS) <= set(pairgen.__all__)
    for name in pairgen.__all__:
        assert getattr(pairgen, name) is not None
