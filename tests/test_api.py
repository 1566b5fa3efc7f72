"""The Python API mirrors the CLI: one function per command, stable however often it is used."""

from __future__ import annotations

import importlib
import pkgutil

import pairgen

COMMAND_FUNCTIONS = {"build": "build", "train": "train", "push": "push", "paraphrase": "preview"}


def test_api_functions_stay_functions_after_their_modules_are_imported() -> None:
    # every module (a subpackage named like an API function would replace it on import)
    for info in pkgutil.walk_packages(pairgen.__path__, "pairgen."):
        if not info.name.endswith(("engine_ray", "__main__")):  # ray extra; runs the CLI
            importlib.import_module(info.name)
    for name in COMMAND_FUNCTIONS:
        first, second = getattr(pairgen, name), getattr(pairgen, name)
        assert callable(first) and first is second, name
        assert first.__doc__, f"pairgen.{name} needs a docstring"


def test_all_lists_the_public_api() -> None:
    assert set(COMMAND_FUNCTIONS) <= set(pairgen.__all__)
    for name in pairgen.__all__:
        assert getattr(pairgen, name) is not None
