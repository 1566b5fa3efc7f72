"""`pairgen preview` and `pairgen inspect`: thin commands over pairgen.preview and pairgen.inspect.

Only click (and the light `pairgen.cli` helpers) are imported at module top, so `pairgen --help`
does not load pymorphy3, pyarrow or matplotlib.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from pairgen.cli.errors import reports_errors
from pairgen.cli.options import options_from
from pairgen.config import BuildOptions

PREVIEW_OPTIONS = (
    "seed",
    "augment",
    "label",
    "synonym_rate",
    "min_swaps",
    "max_swaps",
    "registers",
    "multiword",
    "lexicon",
    "protect",
    "min_words",
    "max_tokens",
)
"""The build options that change what a preview shows; their flags are the build's."""

_STYLES: dict[str, dict[str, object]] = {
    "synonym": {"fg": "green", "bold": True},
    "case": {"fg": "yellow"},
    "spacing": {"bg": "cyan"},
    "eligible": {"fg": "green"},
    "left alone": {"dim": True},
}


def _style(text: str, role: str) -> str:
    """Terminal colours for a changed span or a reason; click.echo drops them off a terminal."""
    return click.style(text, **_STYLES.get(role, {"fg": "magenta"}))  # type: ignore[arg-type]


def _read_stdin(stdin: Any) -> str:
    """Piped text in any encoding a build reads (UTF-8, UTF-16 with a BOM, cp1251, koi8-u)."""
    from pairgen.errors import UsageError
    from pairgen.ingest.read import decode_bytes

    raw = getattr(stdin, "buffer", None)
    if raw is None:  # already text (an embedding application's stream)
        return str(stdin.read())
    try:
        return decode_bytes(raw.read())[0]
    except ValueError as exc:
        raise UsageError(f"stdin is not text: {exc}; pipe a text file") from None


@click.command("preview")
@click.argument("text", nargs=-1)
@click.option("-n", "n", type=int, default=5, show_default=True, help="Paraphrases per sentence.")
@click.option("--explain", is_flag=True, help="Say why each word was or was not swapped.")
@options_from(BuildOptions, *PREVIEW_OPTIONS)
@reports_errors
def preview_cmd(text: tuple[str, ...], n: int, explain: bool, **flags: object) -> None:
    """Show what a build makes of TEXT: paraphrases of each sentence, their labels and edits.

    TEXT is one or more sentences; without it, the text is read from stdin. The first paraphrase
    of a sentence is the one `pairgen build` with the same options and seed would make.

    \b
    Example:
      pairgen preview "Козак швидко читав листа. Надворі смеркло." -n 3
      pairgen preview --explain "Старий рибалка вийшов на світанку до річки."
      head -n 2 corpus/povist-khutir.txt | pairgen preview -n 1
    """
    from pairgen.errors import UsageError
    from pairgen.preview import paraphrase, render

    options = BuildOptions.from_mapping({"corpus": "-"}, **flags)
    if explain and "synonym" not in options.augment:
        raise UsageError("--explain describes the synonym swap: add synonym to --augment")
    if text:
        source = " ".join(text)
    else:
        stdin = sys.stdin
        if stdin.isatty():
            raise UsageError('no text given: pass TEXT ("...") or pipe text on stdin')
        source = _read_stdin(stdin)
    if not source.strip():
        raise UsageError("the text is empty: nothing to preview")
    previews = paraphrase(source, n, **flags)
    if not previews:
        raise UsageError("no sentences found in the text")
    click.echo(render(previews, explain=explain, label=options.label, style=_style), nl=False)


def _check_plot_path(plot: Path) -> None:
    """--plot replaces only a PNG (a picture an earlier run drew), never any other file."""
    from pairgen.errors import OutputError

    if plot.is_symlink() or (plot.exists() and not plot.is_file()):
        raise OutputError(f"--plot {plot} is not a regular file: choose another path")
    if plot.exists():
        with open(plot, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                raise OutputError(
                    f"--plot {plot} exists and is not a PNG: pairgen only replaces a picture; "
                    "choose another path"
                )


@click.command("inspect")
@click.argument("output", type=click.Path(path_type=Path))
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a label histogram per kind to this PNG (needs the `plot` extra).",
)
@click.option("--samples", type=int, default=3, show_default=True, help="Sample rows per kind.")
@reports_errors
def inspect_cmd(output: Path, plot: Path | None, samples: int) -> None:
    """Summarise an OUTPUT folder of `pairgen build` and point out what looks wrong.

    Prints pairs per split and kind, label statistics and a histogram, the most frequent edits
    and synonym swaps, sample rows, and warnings (empty label ranges, very short sentences, test
    sentences that also occur in train).

    \b
    Example:
      pairgen inspect output/
      pairgen inspect output/ --plot docs/label_hist.png --samples 5
    """
    from pairgen.errors import MissingDependencyError, install_hint
    from pairgen.inspect import inspect_output, manifest_value, render

    if plot is not None:
        from pairgen.write.plot import available

        if not available():
            raise MissingDependencyError(f"--plot needs matplotlib: {install_hint('plot')}")
        _check_plot_path(plot)
    report = inspect_output(output, samples=samples)
    click.echo(render(report), nl=False)
    if plot is not None:
        from pairgen.write.plot import write_label_histogram

        measure = str(manifest_value(report.manifest, "label", "measure") or "score")
        if not write_label_histogram(report.scores_by_kind, plot, title=f"label ({measure})"):
            raise MissingDependencyError(
                f"--plot: matplotlib does not import; {install_hint('plot')}"
            )
        click.echo(f"wrote the label histogram to {plot}", err=True)
