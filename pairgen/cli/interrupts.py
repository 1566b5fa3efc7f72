"""Interrupting a build: SIGINT, SIGTERM and SIGHUP leave the previous output as it was."""

from __future__ import annotations

import os
import signal
import time
from typing import Any


class Interrupts:
    """SIGINT, SIGTERM or SIGHUP during a build: a KeyboardInterrupt, and a hard stop if lost.

    A KeyboardInterrupt raised from a signal handler can vanish: Python drops one raised in a
    `__del__` or an at-fork callback ("Exception ignored in ..."), and the build then ran to the
    end and replaced the output. One raised in `exec("...")` makes `python -m` kill itself with
    SIGINT after a clean exit (bpo-41602); one raised in `__set_name__` becomes a RuntimeError.
    So the raise waits (10 ms ticks of SIGALRM) while such code, or the output folder's swap or
    clean-up (`AtomicFolder.critical`), runs; once a signal came nothing commits
    (`AtomicFolder.stopping`); and if the build still runs `GRACE_S` after the signal, or a
    second signal comes, the temporary folder is removed, the workers are killed and the process
    exits 130 at once, with the same message.

        >>> with Interrupts("output") as interrupts:      # doctest: +SKIP
        ...     run(options)
    """

    SIGNALS = tuple(
        getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
    )
    """Ctrl-C, `kill`, and a closed terminal (SIGHUP) all end the build the same way."""
    TICKS = hasattr(signal, "setitimer")
    GRACE_S = 3.0

    def __init__(self, output: str, action: str = "build") -> None:
        self.output = output
        self.action = action
        self.since: float | None = None
        self.count = 0
        self.raised = False
        self.closed = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        import multiprocessing

        from pairgen.write.folder import AtomicFolder, remove_temporaries

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
        message = (
            f"Error: {self.action} interrupted: nothing was written, {self.output} is as it was\n"
        )
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
