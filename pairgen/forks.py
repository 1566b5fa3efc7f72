"""Forking a child while signal handlers are installed, without the child running them.

A forked child starts as a copy of its parent: the same Python stack and the same Python signal
handlers (pairgen's interrupt handler during a build; Ray's SIGTERM handler in any process that
once called `ray.init`). Until the child reaches its own code, a signal for it runs the parent's
handler on the parent's stack: the SIGTERM of `Pool.terminate`, sent to a worker the scheduler had
not yet run, raised SystemExit in the worker, which then went on running the parent's code (in CI
the test suite ran on in the worker, twice over, until the run timed out). A Ctrl-C to the
process group can do the same in a build. So the stop signals are held (blocked) while the parent
forks, and the child takes them only after it has set its own handlers: one that came early then
ends the child as it should, and the parent takes its own once the fork is done.

    >>> with signals_held():
    ...     pass  # fork here; the child calls `child_signals()` first thing
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

STOP_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that stop a build (see `pairgen.cli.interrupts`)."""


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Block the stop signals in this thread for the block; children forked in it inherit that.

    Threads started inside the block (a pool's worker handler, which forks replacements for dead
    workers) inherit the blocked signals as well, so their children are covered too. The process
    still receives its signals: they wait until the block ends (a few milliseconds).
    """
    if not hasattr(signal, "pthread_sigmask"):  # no fork to protect on such a platform
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def child_signals() -> None:
    """In a forked child, first thing: interruption is left to the parent, which stops the child
    (SIGINT ignored, SIGTERM and SIGHUP kill it); then the signals held since the fork come in."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
