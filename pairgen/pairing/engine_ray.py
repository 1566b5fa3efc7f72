"""The Ray engine (extra `ray`): the local engine's pure task functions, run as Ray Data operations.

Why Ray Data, and why it still gives the local engine's bytes: each window of tasks becomes a
dataset with one row per group of consecutive tasks (`from_items`), `map_batches` runs the stage
function over each row on the cluster, and `preserve_order` makes Ray Data hand the rows back in
order. Tasks and results travel as pickled bytes in a binary column, so Arrow never has to
understand a `Candidates` or a `Job`, and nothing about them is converted on the way. The driver
keeps every order-dependent choice (kind schedule, duplicate removal, stopping at exactly `-n`),
so the same results in the same order give the same dataset as `--engine local`. Ray Data rather
than hand-made `ray.remote` plumbing: its streaming executor already brings the backpressure,
order keeping, scheduling across nodes and re-running of tasks whose worker died.

The stage's read-only state (segmenter, or the pairing context with its lexicon) is pickled once,
`ray.put` once per stage, and unpickled once per worker process (`_Installed`).

Work in flight is bounded: the driver holds at most two windows of tasks and results (the next
window runs while the current one is read), and leaving the loop early (`-n` reached) closes the
running datasets, which cancels their remaining tasks. A Ray task costs the driver ~10-20 ms, so
consecutive tasks are grouped into rows of about a second of work or more (`ROW_SECONDS`,
`ROW_SECONDS_PER_CPU`), measured as the build runs.

    >>> engine = RayEngine(address="127.0.0.1:6379")                       # doctest: +SKIP
    >>> list(engine.map(pipeline.segment_task, tasks, state))              # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import queue
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from pairgen.errors import MissingDependencyError, PairgenError, install_hint

T = TypeVar("T")
R = TypeVar("R")

ROWS_PER_CPU = 4
"""Rows per Ray Data dataset (window), per cluster CPU. Two windows run at once, the next one
filling the CPUs that the current one's last rows leave idle, so this only has to keep every CPU
busy; it also bounds the driver's memory and the work thrown away when `-n` is reached."""
MIN_ROWS = 16
ROW_SECONDS = 1.0
ROW_SECONDS_PER_CPU = 0.05
"""Target work per row (one Ray task): max(ROW_SECONDS, ROW_SECONDS_PER_CPU x cluster CPUs).
Ray Data costs the driver ~15 ms per row, so rows must grow with the cluster for that cost to stay
under a third of one driver core; rows start at one task each until the first timings return."""
MAX_TASKS_PER_ROW = 256
CONNECT_TIMEOUT_S = 5.0


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # Ray without its `data` extra cannot run the stages
    except ImportError:
        raise MissingDependencyError(f"Ray is not installed: {install_hint('ray')}") from None
    return ray


def _check_reachable(address: str) -> None:
    """Fail in seconds, not after Ray's two-minute retry loop, when nothing listens there."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise PairgenError(
            f"--ray-address {address!r} is not HOST:PORT (e.g. 127.0.0.1:6379) or 'auto'"
        )
    try:
        with socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise PairgenError(
            f"cannot reach the Ray cluster at {address} ({exc.strerror or exc}): start it with "
            "`ray start --head` or fix --ray-address / RAY_ADDRESS"
        ) from None


def connect(address: str | None = None, num_cpus: int | None = None) -> Any:
    """The `ray` module, connected to the cluster at `address` or to a new local runtime.

    `address` None reads RAY_ADDRESS, else starts a local runtime with `num_cpus` CPUs (all
    cores when None); "auto" is the cluster `ray start`ed on this machine. A process that has
    already called `ray.init` keeps that connection.

        >>> ray = connect(num_cpus=2)                                     # doctest: +SKIP
    """
    ray = _import_ray()
    if ray.is_initialized():
        return ray
    address = address or os.environ.get("RAY_ADDRESS") or "local"
    kwargs: dict[str, Any] = {"logging_level": logging.ERROR}
    if address == "local":  # never Ray's silent fallback to a cluster `ray start`ed here earlier
        kwargs.update(num_cpus=num_cpus, include_dashboard=False)
    elif address != "auto":
        _check_reachable(address)
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError, SystemExit) as exc:
        raise PairgenError(
            f"cannot connect to the Ray cluster at {address}: {str(exc).splitlines()[0]}"
        ) from None
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # no progress bars or plan dumps
    return ray


def dumps_state(state: Any) -> bytes:
    """`state` pickled for another machine: lexicons by value, since their file is on this one.

    `Lexicon` pickles as its path for forked local workers (cheap, same disk); a Ray node may not
    have that file (`--lexicon ./mine.tsv`) or may have another version of it.
    """
    from ray import cloudpickle

    from pairgen.augment.lexicon import Lexicon

    class _Pickler(cloudpickle.Pickler):  # type: ignore[misc, name-defined]
        def reducer_override(self, obj: Any) -> Any:
            if type(obj) is Lexicon:
                return Lexicon, (obj._rows, obj.source)
            return super().reducer_override(obj)

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    return buffer.getvalue()


# --- on the workers ----------------------------------------------------------------------------
class _Installed:
    """The stage state this worker process unpickled last, and the object id it came from."""

    key: str | None = None
    state: Any = None


def _install(state_ref: Any, version: str) -> Any:
    """The state behind `state_ref`, unpickled once per worker process (workers run many rows)."""
    import ray
    from ray import cloudpickle

    from pairgen import __version__

    if version != __version__:
        raise PairgenError(
            f"a Ray worker runs pairgen {__version__} but the driver runs {version}: "
            f"install pairgen {version} on every node"
        )
    key = state_ref.hex()
    if _Installed.key != key:
        _Installed.state = cloudpickle.loads(ray.get(state_ref))
        _Installed.key = key
    return _Installed.state


def _carried(exc: Exception) -> Exception:
    """`exc` as the driver will raise it: the same error, noting the worker's traceback."""
    if not isinstance(exc, PairgenError):
        exc.add_note("raised on a Ray worker:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _run_rows(
    batch: Any, fn: Callable[[Any, Any], Any], state: Any, version: str
) -> dict[str, list[bytes]]:
    """The Ray Data UDF: for each row, run `fn` on its tasks; pickle `(seconds, outcomes)`.

    An outcome is `(True, result)` or `(False, error)`: an error travels back as a value so the
    driver raises the task's own exception (a `LexiconError` stays a one-line `LexiconError`) at
    the task's place in the order, as the local engine does. Ray retries a row whose worker
    crashed, never one whose `fn` raised.
    """
    installed = None
    try:
        installed = _install(state, version)
        failed = None
    except Exception as exc:
        failed = _carried(exc)
    out = []
    for blob in batch["tasks"]:
        started = time.perf_counter()
        outcomes: list[tuple[bool, Any]] = []
        for task in pickle.loads(blob):
            if failed is not None:
                outcomes.append((False, failed))
                continue
            try:
                outcomes.append((True, fn(installed, task)))
            except Exception as exc:
                outcomes.append((False, _carried(exc)))
        seconds = time.perf_counter() - started
        out.append(pickle.dumps((seconds, outcomes), pickle.HIGHEST_PROTOCOL))
    return {"result": out}


# --- on the driver -----------------------------------------------------------------------------
class _Pace:
    """Mean seconds per task so far, and so how many tasks make a row of `row_seconds`."""

    def __init__(self, row_seconds: float) -> None:
        self.row_seconds = row_seconds
        self.seconds = 0.0
        self.tasks = 0

    def add(self, seconds: float, tasks: int) -> None:
        self.seconds += seconds
        self.tasks += tasks

    def tasks_per_row(self) -> int:
        if not self.tasks:
            return 1
        mean = self.seconds / self.tasks
        return max(1, min(MAX_TASKS_PER_ROW, round(self.row_seconds / max(mean, 1e-6))))


@dataclass(frozen=True)
class RayEngine:
    """Run the stages on the Ray cluster at `address` (None: RAY_ADDRESS or a local runtime).

    `num_cpus` sizes a local runtime this engine starts; `rows` overrides the rows per Ray Data
    dataset (default `ROWS_PER_CPU` per cluster CPU, at least `MIN_ROWS`); `tasks_per_row` fixes
    the grouping instead of measuring it.
    """

    address: str | None = None
    num_cpus: int | None = None
    rows: int | None = None
    tasks_per_row: int | None = None
    name: str = "ray"

    def keep(self, state: Any) -> contextlib.AbstractContextManager[None]:
        """Ray keeps its workers, and what they installed, between `map` calls anyway."""
        return contextlib.nullcontext()

    def map(self, fn: Callable[[Any, T], R], tasks: Iterable[T], state: Any) -> Iterator[R]:
        from pairgen import __version__

        ray = connect(self.address, self.num_cpus)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        rows = self.rows or max(MIN_ROWS, ROWS_PER_CPU * cpus)
        args = {"fn": fn, "state": ray.put(dumps_state(state)), "version": __version__}
        pace = _Pace(max(ROW_SECONDS, ROW_SECONDS_PER_CPU * cpus))
        pending = iter(tasks)
        live: deque[_Window] = deque()
        try:
            while True:
                group = self.tasks_per_row or pace.tasks_per_row()
                chunk = list(islice(pending, rows * group))
                if not chunk:
                    break
                batches = [chunk[i : i + group] for i in range(0, len(chunk), group)]
                live.append(_Window(ray, batches, args))
                if len(live) > 1:  # the next window runs while this one is read
                    yield from live[0].results(pace)
                    live.popleft()
            while live:
                yield from live[0].results(pace)
                live.popleft()
        finally:
            for w in live:
                w.stop()


_END = object()


class _Window:
    """One window of rows as one Ray Data dataset, read by a thread into a queue.

    The thread lets the next window's dataset start while this one's last rows finish, so the
    cluster does not idle at each window's tail. The queue holds at most the window's results.
    """

    def __init__(self, ray: Any, rows: list[list[Any]], args: dict[str, Any]) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ray, rows, args), name="pairgen-ray-window", daemon=True
        )
        self._thread.start()

    def _run(self, ray: Any, rows: list[list[Any]], args: dict[str, Any]) -> None:
        try:
            for item in _ordered(ray, rows, args):
                if self._stopped.is_set():
                    break
                self._queue.put(item)
        except BaseException as exc:  # handed to the reading thread, which raises it
            self._queue.put((0.0, [(False, exc)]))
        finally:
            self._queue.put(_END)

    def results(self, pace: _Pace) -> Iterator[Any]:
        while (item := self._queue.get()) is not _END:
            seconds, outcomes = item
            pace.add(seconds, len(outcomes))
            for ok, value in outcomes:
                if not ok:
                    raise value
                yield value

    def stop(self) -> None:
        """Stop at the next row: the thread closes the dataset, which cancels its tasks."""
        self._stopped.set()


def _ordered(ray: Any, rows: list[list[Any]], args: dict[str, Any]) -> Iterator[Any]:
    """One dataset, a Ray task per row; yields each row's `(seconds, outcomes)` in row order."""
    items = [{"tasks": pickle.dumps(row, pickle.HIGHEST_PROTOCOL)} for row in rows]
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    ds = ds.map_batches(_run_rows, batch_size=1, batch_format="numpy", fn_kwargs=args)
    ctx = ds.context
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.enable_auto_log_stats = False
    batches = iter(ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=2))
    try:
        for batch in batches:
            for blob in batch["result"]:
                yield pickle.loads(blob)
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()
