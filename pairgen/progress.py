"""A one-line progress display on stderr for the long stages of a build (read, augment, write).

It draws only when asked to and when stderr is a terminal, so logs, pipes and CI output never fill
up with carriage returns; when it is off, `update` costs one attribute check. Redraws are throttled
(ten a second at most), so calling `update` once per item is fine.

    >>> with progress("augmenting", total=2000, enabled=True) as bar:   # doctest: +SKIP
    ...     for batch in batches:
    ...         bar.update(len(batch))
    augmenting  1200/2000  60%  3.1 s, ETA 2.1 s
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

REDRAW_S = 0.1
"""Least time between two redraws."""


def _seconds(s: float) -> str:
    if s < 60:
        return f"{s:.1f} s"
    minutes, seconds = divmod(int(s), 60)
    if minutes < 60:
        return f"{minutes}:{seconds:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


class Progress:
    """Counts items and redraws `label  done/total  pct  elapsed, ETA` in place; see `progress`."""

    def __init__(
        self,
        label: str,
        total: int | None,
        enabled: bool,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self.active = enabled and _is_terminal(self._stream)
        self._started = 0.0
        self._drawn_at = float("-inf")

    def __enter__(self) -> Progress:
        self._started = self._clock()
        if self.active:
            self._draw(self._started)
        return self

    def update(self, n: int = 1) -> None:
        """Count `n` more items done; redraws at most every REDRAW_S seconds."""
        self.done += n
        if not self.active:
            return
        now = self._clock()
        if now - self._drawn_at >= REDRAW_S:
            self._draw(now)

    def line(self, now: float) -> str:
        """The text of the display at time `now` (what `update` draws)."""
        elapsed = max(0.0, now - self._started)
        if self.total:
            pct = min(100, 100 * self.done // self.total)
            text = f"{self.label}  {self.done}/{self.total}  {pct}%  {_seconds(elapsed)}"
            if 0 < self.done < self.total and elapsed > 0:
                eta = elapsed * (self.total - self.done) / self.done
                text += f", ETA {_seconds(eta)}"
            return text
        rate = f", {self.done / elapsed:.0f}/s" if elapsed > 0 and self.done else ""
        return f"{self.label}  {self.done}  {_seconds(elapsed)}{rate}"

    def _draw(self, now: float) -> None:
        self._drawn_at = now
        # \x1b[K clears what a longer previous line left behind.
        self._stream.write("\r" + self.line(now) + "\x1b[K")
        self._stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.active:
            # Leave the final count on screen and end the line, also when interrupted, so the
            # next message does not start in the middle of it.
            self._draw(self._clock())
            self._stream.write("\n")
            self._stream.flush()


def _is_terminal(stream: TextIO) -> bool:
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
    stream: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """A context manager counting items of one stage; draws only if `enabled` and on a terminal.

    `total=None` shows a running count and rate instead of a percentage and ETA. `stream` and
    `clock` exist for tests.

        >>> with progress("writing", total=3, enabled=False) as bar:
        ...     bar.update(3)
        >>> bar.done
        3
    """
    return Progress(label, total, enabled, stream=stream, clock=clock)
