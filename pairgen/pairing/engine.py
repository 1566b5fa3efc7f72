"""Where the parallel stages run: forked local processes, or (extra `ray`) a Ray cluster.

A stage hands the engine a pure function `fn(state, task)`, its tasks and the read-only state the
function needs (a typed object: the segmenter and options, or the pairing `Context`); the engine
calls `fn(state, task)` for every task and returns the results in task order. Because order is kept
and the functions are pure, the output does not depend on the engine or the worker count.

    >>> list(LocalEngine(1).map(lambda state, task: state * task, [1, 2, 3], 10))
    [10, 20, 30]
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pairgen.forks import child_signals, signals_held

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
Task = Callable[[S, T], R]
"""A stage function: `fn(state, task) -> result`, pure in its arguments."""


class Engine(Protocol):
    @property
    def name(self) -> str: ...

    def map(self, fn: Callable[[S, T], R], tasks: Iterable[T], state: S) -> Iterator[R]: ...

    def keep(self, state: Any) -> AbstractContextManager[None]:
        """Inside the block, every `map` with this `state` runs on the same workers."""
        ...


class _Worker:
    """The state a forked worker was started with; set once per worker process by `_worker_init`.

    The state reaches the workers through the fork itself (the pool's `initargs` are not pickled
    under fork), so the corpus, lexicon and dictionaries are shared copy-on-write, never sent.
    """

    state: Any = None


def _worker_init(state: Any) -> None:
    """Workers leave interruption to the parent, which stops the pool and cleans up."""
    child_signals()
    _Worker.state = state


def _call(fn: Callable[[Any, T], R], task: T) -> R:
    return fn(_Worker.state, task)


KILL_AFTER_S = 10.0
"""How long stopping the pool waits for its workers before SIGKILL."""
IN_FLIGHT_PER_WORKER = 3
"""Tasks handed out ahead of the one the parent waits for. `Pool.imap` would pull every task at
once and queue every result the parent has not taken yet; a small window keeps memory set by the
task size (a 1,000,000-pair build streams through a few MB) and stops a build that reached `-n`
from computing a whole pass nobody reads."""


def _in_order(pool: Any, fn: Callable[[Any, T], R], tasks: Iterable[T], window: int) -> Iterator[R]:
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(pool.apply_async(_call, (fn, task)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


@dataclass
class LocalEngine:
    """A pool of forked processes; workers inherit `state` (and loaded dictionaries) for free.

    Each `map` forks its own pool, unless it runs inside `keep(state)`: then the passes of the
    pairing stage share one pool, and with it the workers' warm caches (pymorphy3 parses,
    synonym analyses), as a single in-process worker does. A new pool per pass made the
    1,000,000-pair build (3 passes) 9 % slower and its process tree 440 MB larger.
    """

    workers: int = 1
    name: str = "local"
    _kept: tuple[Any, Any] | None = field(default=None, init=False, repr=False)

    def map(self, fn: Callable[[S, T], R], tasks: Iterable[T], state: S) -> Iterator[R]:
        if not self._forks():
            yield from (fn(state, task) for task in tasks)
            return
        if self._kept is not None and self._kept[0] is state:
            yield from _in_order(self._kept[1], fn, tasks, self._window())
            return
        with self._pool(state) as pool:
            yield from _in_order(pool, fn, tasks, self._window())

    @contextlib.contextmanager
    def keep(self, state: Any) -> Iterator[None]:
        if not self._forks():
            yield
            return
        try:
            with self._pool(state) as pool:
                self._kept = (state, pool)
                yield
        finally:
            self._kept = None

    def _forks(self) -> bool:
        return self.workers > 1 and "fork" in multiprocessing.get_all_start_methods()

    def _window(self) -> int:
        return IN_FLIGHT_PER_WORKER * self.workers

    @contextlib.contextmanager
    def _pool(self, state: Any) -> Iterator[Any]:
        # Objects that exist at the fork (the corpus, the lexicon, pymorphy3's dictionaries) stay
        # out of every collection until the pool is gone: the workers' collector neither scans
        # them again and again nor writes to their headers, which copied their pages one by one.
        gc.freeze()
        try:
            with signals_held():
                pool = multiprocessing.get_context("fork").Pool(
                    self.workers, _worker_init, (state,)
                )
            try:
                yield pool
            finally:
                # also after an early stop (-n reached, a failed task, an interrupt): tasks
                # still running are of no use. A worker that ignores Pool.terminate's SIGTERM
                # (one forked while the parent ignored it, once interrupted) would make join
                # wait for ever, as seen in the test suite on a loaded machine: such a worker is
                # killed after a grace period.
                workers = list(getattr(pool, "_pool", ()))
                reaper = threading.Timer(KILL_AFTER_S, lambda: [w.kill() for w in workers])
                reaper.daemon = True
                reaper.start()
                try:
                    pool.terminate()
                    pool.join()
                finally:
                    reaper.cancel()
        finally:
            gc.unfreeze()


def get_engine(name: str, workers: int, address: str | None = None) -> Engine:
    """The engine called `name` ("local" or "ray")."""
    if name == "ray":
        from pairgen.pairing.engine_ray import RayEngine

        return RayEngine(address=address, num_cpus=workers)
    return LocalEngine(workers)
