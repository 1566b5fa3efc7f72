"""Where the parallel stages run: forked local processes, or (extra `ray`) a Ray cluster.

A stage hands the engine a pure function, its tasks and the read-only state the function needs;
the engine returns the results in task order. Because order is kept and the functions are pure,
the output does not depend on the engine or the worker count.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class LocalEngine:
    """A pool of forked processes; workers inherit `state` (and loaded dictionaries) for free."""

    workers: int = 1
    name: str = "local"

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], state: dict[str, Any]) -> Iterator[R]:
        STATE.clear()
        STATE.update(state)
        try:
            if self.workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
                yield from map(fn, tasks)
                return
            pool = multiprocessing.get_context("fork").Pool(self.workers, _worker_init)
            try:
                yield from _in_order(pool, fn, tasks, IN_FLIGHT_PER_WORKER * self.workers)
                pool.close()
            finally:
                pool.terminate()
                pool.join()
        finally:
            STATE.clear()


def get_engine(name: str, workers: int, address: str | None = None) -> Engine:
    """The engine called `name` ("local" or "ray")."""
    if name == "ray":
        from pairgen.engine_ray import RayEngine

        return RayEngine(address=address, num_cpus=workers)
    return LocalEngine(workers)
