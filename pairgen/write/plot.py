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

import importlib
import importlib.util
import multiprocessing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pairgen.errors import OutputError
from pairgen.forks import child_signals, signals_held

BINS = 20
COLOURS = {"paraphrase": "#2a9d8f", "hard": "#e9c46a", "random": "#e76f51"}


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


class BackgroundHistogram:
    """The build's label histogram, drawn by a forked process while the build goes on.

    Importing matplotlib and drawing take ~0.7 s, a quarter of the 2,000-pair demo build. The child
    is forked when the build starts and imports matplotlib on the core the parent leaves idle while
    it loads dictionaries and reads the corpus; it then draws while the parent writes the parquet
    files. Same code, same bytes as drawing in-process, which is the fallback without `fork`.

        >>> with BackgroundHistogram() as hist:            # doctest: +SKIP
        ...     hist.draw(scores, Path("out/label_hist.png"), "label (overlap)")
        ...     drawn = hist.result()
    """

    def __init__(self) -> None:
        self._job: tuple[Mapping[str, Sequence[float]], Path, str] | None = None
        self._process: Any = None
        if available() and "fork" in multiprocessing.get_all_start_methods():
            mp = multiprocessing.get_context("fork")
            self._conn, child_end = mp.Pipe()
            self._process = mp.Process(target=_serve, args=(child_end, self._conn), daemon=True)
            with signals_held():
                self._process.start()
            child_end.close()

    def __enter__(self) -> BackgroundHistogram:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def draw(self, scores_by_kind: Mapping[str, Sequence[float]], path: Path, title: str) -> None:
        """Start drawing (`write_label_histogram`'s arguments); `result` waits for it."""
        self._job = (dict(scores_by_kind), path, title)
        if self._process is not None:
            try:
                self._conn.send(self._job)
            except OSError:  # the child is gone: `result` draws in-process
                self.close()

    def result(self) -> bool:
        """`write_label_histogram`'s answer, once the file is written.

        Raises:
            OutputError: the file cannot be written.
        """
        if self._job is None:
            raise RuntimeError("result() before draw()")
        if self._process is None:
            return write_label_histogram(*self._job)
        try:
            drawn, error = self._conn.recv()
        except EOFError:  # the child was killed: draw here rather than lose the figure
            return write_label_histogram(*self._job)
        finally:
            self.close()
        if error is not None:
            raise error
        return bool(drawn)

    def close(self) -> None:
        """Stop the child if it still runs (an interrupted or failed build)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._conn.close()
            self._process = None


def _serve(conn: Any, parent_end: Any) -> None:
    """The child: import matplotlib, wait for one job, draw it, report back."""
    child_signals()  # the parent handles interruption and kills us
    parent_end.close()  # so that a parent that dies leaves us an EOF, not a hang
    try:  # the slow part, done while the parent is busy elsewhere
        importlib.import_module("matplotlib.backends.backend_agg")
        importlib.import_module("matplotlib.figure")
    except ImportError:
        pass
    try:
        job = conn.recv()
    except (EOFError, OSError):
        return
    try:
        conn.send((write_label_histogram(*job), None))
    except Exception as exc:  # re-raised in the parent, where it would have come from anyway
        conn.send((False, exc))
