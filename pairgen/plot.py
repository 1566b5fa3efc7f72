"""Label-histogram figure (PNG), one panel per kind of pair; needs the optional `plot` extra.

matplotlib is imported inside the function and drawn through the Agg canvas of a standalone
`Figure` (not pyplot), so it neither slows `import pairgen` nor changes the backend of a notebook
that calls it. The PNG carries no software-version metadata, so the same scores give the same
bytes on the same matplotlib version (a replayed build stays byte-identical).

    >>> scores = {"paraphrase": [0.9, 1.0], "random": [0.0]}
    >>> write_label_histogram(scores, Path("hist.png"))  # doctest: +SKIP
    True
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from pathlib import Path

from pairgen.errors import OutputError

BINS = 20
COLOURS = {"paraphrase": "#2a9d8f", "hard": "#e9c46a", "random": "#e76f51"}
INSTALL_HINT = "pip install 'pairgen[plot]'"


def available() -> bool:
    """Whether matplotlib is installed (checked without importing it)."""
    return importlib.util.find_spec("matplotlib") is not None


def write_label_histogram(
    scores_by_kind: Mapping[str, Sequence[float]], path: Path, title: str = "label"
) -> bool:
    """Write a PNG with one label histogram per kind (kinds without pairs are left out).

    Returns False, writing nothing, when matplotlib is not installed; the caller decides whether
    that is an error (`pairgen inspect --plot`) or a note (the build).

    Raises:
        OutputError: the file cannot be written.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return False

    kinds = [k for k, v in scores_by_kind.items() if len(v)] or ["(no pairs)"]
    fig = Figure(figsize=(7, 1.2 + 1.5 * len(kinds)), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(kinds), 1, sharex=True, squeeze=False)[:, 0]
    edges = [i / BINS for i in range(BINS + 1)]
    for ax, kind in zip(axes, kinds, strict=True):
        scores = [float(s) for s in scores_by_kind.get(kind, ())]
        if scores:
            ax.hist(scores, bins=edges, color=COLOURS.get(kind, "#264653"), edgecolor="white")
            mean = sum(scores) / len(scores)
            ax.axvline(mean, color="#264653", linestyle="--", linewidth=1)
            ax.set_title(f"{kind}: {len(scores)} pairs, mean {mean:.3f}", fontsize=10, loc="left")
        else:
            ax.set_title(kind, fontsize=10, loc="left")
        ax.set_ylabel("pairs")
        ax.set_xlim(0, 1)
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1].set_xlabel(title)
    try:
        fig.savefig(path, format="png", metadata={"Software": None})
    except OSError as exc:
        raise OutputError(f"could not write {path}: {exc.strerror or exc}") from None
    return True
