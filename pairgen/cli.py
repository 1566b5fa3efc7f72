"""The `pairgen` command line: thin commands over the library.

Each command parses its flags, calls one library function, and turns a `PairgenError` into a
one-line `Error: ...` with the error's exit code. Subcommands live in their own modules and are
imported only when used, so `pairgen --help` does not load datasets, pyarrow or torch.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pairgen import __version__
from pairgen.errors import Interrupted, PairgenError

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
        except OSError as exc:  # the environment, not a bug: a file the library did not expect
            if _interrupted(exc):
                click.echo("Error: interrupted; nothing was written", err=True)
                sys.exit(130)
            where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except Exception as exc:
            if not _interrupted(exc):
                raise  # a bug: the traceback is what a report needs
            click.echo("Error: interrupted; nothing was written", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


class _Interrupts:
    """SIGINT and SIGTERM during a build: a KeyboardInterrupt, and a hard stop if it is lost.

    A KeyboardInterrupt raised from a signal handler can vanish: Python drops one raised in a
    `__del__` or an at-fork callback ("Exception ignored in ..."), and the build then ran to the
    end and replaced the output. One raised in `exec("...")` makes `python -m` kill itself with
    SIGINT after a clean exit (bpo-41602); one raised in `__set_name__` becomes a RuntimeError.
    So the raise waits (10 ms ticks of SIGALRM) while such code, or the output folder's swap or
    clean-up (`AtomicFolder.critical`), runs; once a signal came nothing commits
    (`AtomicFolder.stopping`); and if the build still runs `GRACE_S` after the signal, or a
    second signal comes, the temporary folder is removed, the workers are killed and the process
    exits 130 at once, with the same message.

        >>> with _Interrupts("output") as interrupts:      # doctest: +SKIP
        ...     run(options)
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)
    TICKS = hasattr(signal, "setitimer")
    GRACE_S = 3.0

    def __init__(self, output: str) -> None:
        self.output = output
        self.since: float | None = None
        self.count = 0
        self.raised = False
        self.closed = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        import multiprocessing

        from pairgen.output import AtomicFolder, remove_temporaries

        # imported now: a signal handler should not import
        self.folders, self.remove = AtomicFolder, remove_temporaries
        self.children = multiprocessing.active_children
        AtomicFolder.stopping = AtomicFolder.committed = False
        for sig in (*self.SIGNALS, signal.SIGALRM) if self.TICKS else self.SIGNALS:
            self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True
        if self.TICKS:
            signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in self.previous.items():
            # Once interrupted, the process is on its way out: a second Ctrl-C, or a last tick
            # already on its way, must not turn the clean exit into a traceback or a kill.
            signal.signal(sig, handler if self.since is None else signal.SIG_IGN)
        self.folders.stopping = False

    def _handle(self, signum: int, frame: Any) -> None:
        if self.closed:
            return
        if signum in self.SIGNALS:
            self.folders.stopping = True
            self.count += 1
            self.since = self.since or time.monotonic()
        if self.since is None or self.folders.committed:
            return
        if self.TICKS:
            signal.setitimer(signal.ITIMER_REAL, 0.01)
        if self.folders.critical:
            return
        if self.count > 1 or time.monotonic() - self.since > self.GRACE_S:
            self._stop_now()
        if self.TICKS and _unsafe(frame):
            return
        if not self.raised:
            self.raised = True
            raise KeyboardInterrupt

    def _stop_now(self) -> None:
        self.remove()
        for child in self.children():
            child.kill()
        message = f"Error: build interrupted: nothing was written, {self.output} is as it was\n"
        os.write(2, message.encode())
        os._exit(130)


_UNSAFE_NAMES = frozenset({"__del__", "__set_name__", "__init_subclass__"})


def _unsafe(frame: Any) -> bool:
    """Whether the code running is (called from) a finaliser, an import, `exec` of a string, or
    a fork (whose at-fork callbacks, like logging's, drop exceptions too)."""
    while frame is not None:
        code = frame.f_code
        if (
            code.co_name in _UNSAFE_NAMES
            or code.co_filename == "<string>"
            or code.co_filename.startswith("<frozen importlib")
            or code.co_filename.endswith("popen_fork.py")
        ):
            return True
        frame = frame.f_back
    return False


def _interrupted(exc: BaseException) -> bool:
    """Whether `exc` is, or was caused by, a KeyboardInterrupt that a library re-raised."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


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
@click.option("-v", "--verbose", is_flag=True, help="Also log what was read from each file.")
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
    flags["verbose"] = flags["verbose"] or None
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

    with _Interrupts(options.output) as interrupts:
        report = run(options, log=log, warn=warn)
    from pairgen.summary import summary

    click.echo(summary(report))
    if interrupts.since is not None:  # it came while the new output was being put in place
        raise Interrupted(f"interrupted as the build finished: {report.output} is complete")
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
