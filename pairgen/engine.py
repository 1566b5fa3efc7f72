"""Where the parallel stages run: forked local processes, or (extra `ray`) a Ray cluster.

A stage hands the engine a pure function, its tasks and the read-only state the function needs;
the engine returns the results in task order. Because order is kept and the functions are pure,
the output does not depend on the engine or the worker count.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

STATE: dict[str, Any] = {}
"""The running stage's shared state, as the task functions see it (in workers and in-process)."""


class Engine(Protocol):
    @property
    def name(self) -> str: ...

    def map(
        self, fn: Callable[[T], R], tasks: Iterable[T], state: dict[str, Any]
    ) -> Iterator[R]: ...

    def keep(self, state: dict[str, Any]) -> AbstractContextManager[None]:
        """Inside the block, every `map` with this `state` runs on the same workers."""
        ...


def _worker_init() -> None:
    """Workers leave interruption to the parent, which stops the pool and cleans up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


IN_FLIGHT_PER_WORKER = 3
"""Tasks handed out ahead of the one the parent waits for. `Pool.imap` would pull every task at
once and queue every result the parent has not taken yet; a small window keeps memory set by the
task size (a 1,000,000-pair build streams through a few MB) and stops a build that reached `-n`
from computing a whole pass nobody reads."""


def _in_order(pool: Any, fn: Callable[[T], R], tasks: Iterable[T], window: int) -> Iterator[R]:
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(pool.apply_async(fn, (task,)))
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
    _kept: tuple[dict[str, Any], Any] | None = field(default=None, init=False, repr=False)

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], state: dict[str, Any]) -> Iterator[R]:
        STATE.clear()
        STATE.update(state)
        try:
            if not self._forks():
                yield from map(fn, tasks)
                return
            if self._kept is not None and self._kept[0] is state:
                yield from _in_order(self._kept[1], fn, tasks, self._window())
                return
            with self._pool() as pool:
                yield from _in_order(pool, fn, tasks, self._window())
        finally:
            if self._kept is None:
                STATE.clear()

    @contextlib.contextmanager
    def keep(self, state: dict[str, Any]) -> Iterator[None]:
        if not self._forks():
            yield
            return
        STATE.clear()
        STATE.update(state)  # what the pool's workers are forked with
        try:
            with self._pool() as pool:
                self._kept = (state, pool)
                yield
        finally:
            self._kept = None
            STATE.clear()

    def _forks(self) -> bool:
        return self.workers > 1 and "fork" in multiprocessing.get_all_start_methods()

    def _window(self) -> int:
        return IN_FLIGHT_PER_WORKER * self.workers

    @contextlib.contextmanager
    def _pool(self) -> Iterator[Any]:
        # Objects that exist at the fork (the corpus, the lexicon, pymorphy3's dictionaries) stay
        # out of every collection until the pool is gone: the workers' collector neither scans
        # them again and again nor writes to their headers, which copied their pages one by one.
        gc.freeze()
        try:
            pool = multiprocessing.get_context("fork").Pool(self.workers, _worker_init)
            try:
                yield pool
            finally:
                # also after an early stop (-n reached, a failed task, an interrupt): tasks
                # still running are of no use
                pool.terminate()
                pool.join()
        finally:
            gc.unfreeze()


def get_engine(name: str, workers: int, address: str | None = None) -> Engine:
    """The engine called `name` ("local" or "ray")."""
    if name == "ray":
        from pairgen.engine_ray import RayEngine

        return RayEngine(address=address, num_cpus=workers)
    return LocalEngine(workers)
