"""Progress of the long stages (reading, pairing, writing, training), the one place it is made.

Drawn by tqdm (a dependency of `datasets`, so always installed). On a terminal a stage gets a
live bar once it has run for `TERMINAL_DELAY_S`, so quick stages leave no trace. When stderr is
not a terminal (a log file, a pipe, CI), carriage-return redraws would fill the log with one huge
line, so a stage writes a plain line every `PIPED_EVERY_S` seconds instead, and a last one when it
ends, but only if it ran that long. `-q` turns both off. All output goes to stderr: stdout keeps
only the build's summary.

    >>> with progress("pairing", 2000, enabled=True, unit="pairs") as bar:   # doctest: +SKIP
    ...     for batch in batches:
    ...         bar.update(len(batch))

Piped, a long stage looks like this in the log:

    pairing: 1200/2000 pairs (60%), 00:20 elapsed, ETA 00:13
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from tqdm import tqdm

TERMINAL_DELAY_S = 1.0
"""A stage shows its bar on a terminal only after running this long."""
TERMINAL_REDRAW_S = 0.1
PIPED_EVERY_S = 10.0
"""Seconds between two plain progress lines when stderr is not a terminal."""
_PIPED_FORMAT = (
    "{desc}: {n_fmt}/{total_fmt}{unit} ({percentage:.0f}%), {elapsed} elapsed, ETA {remaining}"
)
_PIPED_FORMAT_NO_TOTAL = "{desc}: {n_fmt}{unit}, {elapsed} elapsed"


class Progress(tqdm):  # type: ignore[type-arg]
    """A tqdm bar that, when its stream is not a terminal, writes whole lines instead of redraws.

    `clock` replaces tqdm's clock (tests); the monitor thread is off, so nothing is drawn but
    from `update`, `set_postfix_str` and `close`, in the caller's thread.
    """

    monitor_interval = 0

    def __init__(
        self, *args: Any, piped: bool, clock: Callable[[], float] | None = None, **kwargs: Any
    ) -> None:
        self.piped = piped
        super().__init__(*args, **kwargs)
        if clock is not None:
            self._time = clock
            self.last_print_t = self.start_t = clock()
        self._lined_at = -1
        self.drawn = False

    def display(self, msg: str | None = None, pos: int | None = None) -> bool:
        if msg != "":
            self.drawn = True
        if not self.piped:
            return bool(super().display(msg, pos))
        if msg == "":  # tqdm clearing the line: nothing to clear in a log
            return False
        self.fp.write((str(self) if msg is None else msg) + "\n")
        self.fp.flush()
        self._lined_at = self.n
        return True

    def close(self) -> None:
        if self.piped and self.drawn and not self.disable and self._lined_at != self.n:
            self.display()  # the final count, unless the last line already said it
        super().close()


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def progress(
    label: str,
    total: int | None,
    enabled: bool,
    *,
    unit: str = "",
    stream: TextIO | None = None,
    clock: Callable[[], float] | None = None,
) -> Progress:
    """A context manager counting the items of one stage (`bar.update(n)`).

    `total=None` counts without a percentage or ETA. `enabled=False` (`-q`) draws nothing.
    `stream` (default stderr) and `clock` exist for tests.
    """
    stream = stream if stream is not None else sys.stderr
    piped = not is_terminal(stream)
    unit = f" {unit}" if unit else ""
    return Progress(
        total=total,
        desc=label,
        unit=unit,
        file=stream,
        disable=not enabled,
        delay=PIPED_EVERY_S if piped else TERMINAL_DELAY_S,
        mininterval=PIPED_EVERY_S if piped else TERMINAL_REDRAW_S,
        leave=not piped,  # piped, `close` writes the last line itself
        dynamic_ncols=not piped,
        smoothing=0 if piped else 0.3,  # a log line's ETA: from the average rate so far
        bar_format=(_PIPED_FORMAT if total else _PIPED_FORMAT_NO_TOTAL) if piped else None,
        piped=piped,
        clock=clock,
    )


def say(message: str) -> None:
    """Print a line on stderr; a bar drawn on the terminal is lifted out of the way and redrawn
    below it (a log line printed straight over a bar would be cut into it). Piped lines need no
    care, and a bar still within its delay stays hidden."""
    drawn = [
        bar
        for bar in list(Progress._instances)
        if isinstance(bar, Progress) and bar.drawn and not bar.piped and not bar.disable
    ]
    for bar in drawn:
        bar.clear()
    print(message, file=sys.stderr, flush=True)
    for bar in drawn:
        bar.refresh()


def eta(elapsed_s: float, done: int, total: int) -> str:
    """`ETA 1:23:45`-style text for a loop `done` of `total` steps in, after `elapsed_s`."""
    if done <= 0 or total <= done:
        return "ETA 00:00" if total <= done else "ETA ?"
    return "ETA " + tqdm.format_interval(elapsed_s * (total - done) / done)
