"""pairgen: raw Ukrainian prose in, a sentence-similarity pair dataset in Hub layout out.

The public API mirrors the CLI, one function per command; each is imported on first use so that
`import pairgen` (and `pairgen --help`) stays fast.

    >>> import pairgen
    >>> report = pairgen.build("corpus", "output", n=2000)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "BuildOptions",
    "BuildReport",
    "__version__",
    "build",
    "label",
    "paraphrase",
    "push",
    "train",
]

_LAZY = {
    "build": ("pairgen.pipeline", "build"),
    "BuildReport": ("pairgen.pipeline", "BuildReport"),
    "BuildOptions": ("pairgen.config", "BuildOptions"),
    "label": ("pairgen.labelling", "label"),
    "paraphrase": ("pairgen.preview", "paraphrase"),
    "push": ("pairgen.hub", "push_folder"),
    "train": ("pairgen.training", "train"),
}

if TYPE_CHECKING:
    from pairgen.config import BuildOptions
    from pairgen.hub import push_folder as push
    from pairgen.labelling import label
    from pairgen.pipeline import BuildReport, build
    from pairgen.preview import paraphrase
    from pairgen.training import train


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'pairgen' has no attribute {name!r}")
