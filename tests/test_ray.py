"""`--engine ray` gives the local engine's dataset, byte for byte: on a 2-CPU local Ray runtime,
and on a two-node cluster started with `ray start` on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pairgen import build
from pairgen.cli import main
from pairgen.errors import CorpusError, install_hint
from pairgen.ingest.segment import RulesSegmenter
from pairgen.pairing.engine import LocalEngine
from pairgen.pipeline import SegmentState, segment_task

REPO = Path(__file__).resolve().parent.parent
HAS_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAS_RAY, reason="the `ray` extra is not installed")
FILES = [
    "README.md",
    "data/train-00000-of-00001.parquet",
    "data/test-00000-of-00001.parquet",
    "provenance/train-00000-of-00001.parquet",
    "provenance/test-00000-of-00001.parquet",
]
TIMINGS = {"duration_s", "stage_seconds"}


@pytest.fixture(scope="module")
def ray_runtime() -> Iterator[Any]:
    """A local Ray runtime with 2 CPUs, shared by this module's tests.

    `ray.init` installs a SIGTERM handler that `ray.shutdown` leaves in place; it is put back, so
    the modules after this one run with the signal handling they would have alone.
    """
    from pairgen.pairing.engine_ray import connect

    sigterm = signal.getsignal(signal.SIGTERM)
    ray = connect(num_cpus=2)
    yield ray
    ray.shutdown()
    signal.signal(signal.SIGTERM, sigterm)


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _same_dataset(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    ma, mb = (json.loads((p / "pairgen.json").read_text("utf-8")) for p in (a, b))
    assert {k: v for k, v in ma.items() if k not in TIMINGS} == {
        k: v for k, v in mb.items() if k not in TIMINGS
    }


def _paragraph_tasks(corpus: Path) -> list[tuple[str, list[str]]]:
    tasks = []
    for path in sorted(corpus.glob("*.txt")):
        lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        tasks += [(path.name, lines[i : i + 3]) for i in range(0, len(lines), 3)]
    return tasks


class _BrokenSegmenter:
    """Raises the kind of error a stage raises for a bad input file."""

    name = "broken"

    def sentences(self, paragraph: str) -> list[str]:
        raise CorpusError(f"cannot segment {paragraph[:12]!r}")


# --- without a Ray runtime --------------------------------------------------------------------
def test_missing_ray_is_a_one_line_error(
    shipped_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` does when it is absent
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(shipped_corpus), "-o", str(out), "--engine", "ray"]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: Ray is not installed: {install_hint('ray')}"
    )
    assert not out.exists()


@needs_ray
def test_unreachable_ray_address_fails_in_seconds(shipped_corpus: Path, tmp_path: Path) -> None:
    address = f"127.0.0.1:{_free_port()}"  # nothing listens there
    started = time.monotonic()
    args = ["build", str(shipped_corpus), "-o", str(tmp_path / "o"), "--engine", "ray"]
    proc = subprocess.run(
        [sys.executable, "-m", "pairgen", *args],
        env=_env(RAY_ADDRESS=address),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert (
        proc.stderr.strip()
        .splitlines()[-1]
        .startswith(f"Error: cannot reach the Ray cluster at {address} (")
    )
    assert "ray start --head" in proc.stderr
    assert time.monotonic() - started < 60  # Ray's own retry loop takes two minutes
    assert not (tmp_path / "o").exists()


# --- on a local Ray runtime (2 CPUs) ----------------------------------------------------------
@needs_ray
@pytest.mark.slow
def test_ray_build_is_byte_identical_to_local(
    shipped_corpus: Path, tmp_path: Path, ray_runtime: Any
) -> None:
    """Same corpus, options and seed: the same parquet bytes, card and manifest (bar timings)."""
    out = tmp_path / "out"
    options = {"n": 1500, "seed": 11, "test_size": 0.2, "workers": 2}
    build(shipped_corpus, out, engine="local", **options)
    out.rename(tmp_path / "local")
    report = build(shipped_corpus, out, engine="ray", **options)
    assert report.counts["pairs"] == 1500
    assert report.manifest["label"]["measure"] == "lemma"  # its IDF table travels to the workers
    _same_dataset(tmp_path / "local", out)


@needs_ray
def test_results_keep_task_order_across_windows_and_early_stop(
    shipped_corpus: Path, ray_runtime: Any
) -> None:
    from pairgen.pairing.engine_ray import RayEngine

    tasks = _paragraph_tasks(shipped_corpus)
    state = SegmentState(RulesSegmenter(), min_words=4, max_tokens=128)
    engine = RayEngine(rows=3, tasks_per_row=2)  # many small windows of grouped tasks
    assert list(engine.map(segment_task, tasks, state)) == list(
        LocalEngine(1).map(segment_task, tasks, state)
    )
    first = list(islice(engine.map(segment_task, tasks, state), 4))  # the driver stops early
    assert first == list(LocalEngine(1).map(segment_task, tasks[:4], state))
    assert next(iter(engine.map(segment_task, tasks[:1], state))) == first[0]  # still usable


@pytest.fixture
def by_value(ray_runtime: Any) -> Iterator[None]:
    """Ship this module's functions to workers by value: workers cannot import tests/."""
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def _dies_once(state: dict[str, str], task: int) -> int:
    """Kills its worker process the first time it meets task 3, as a crashed node would."""
    marker = Path(state["marker"])
    if task == 3 and not marker.exists():
        marker.write_text("died", encoding="utf-8")
        os._exit(1)
    return task * 2


@needs_ray
def test_a_workers_error_is_raised_in_the_driver_as_itself(by_value: None) -> None:
    from pairgen.pairing.engine_ray import RayEngine

    state = SegmentState(_BrokenSegmenter(), min_words=4, max_tokens=128)
    with pytest.raises(CorpusError, match=r"^cannot segment 'Старий рибал'$"):
        list(RayEngine().map(segment_task, [("a.txt", ["Старий рибалка вийшов."])], state))


@needs_ray
def test_a_task_whose_worker_dies_is_retried(by_value: None, tmp_path: Path) -> None:
    from pairgen.pairing.engine_ray import RayEngine

    marker = tmp_path / "died"
    results = list(RayEngine(rows=4).map(_dies_once, range(10), {"marker": str(marker)}))
    assert marker.exists()  # a worker really died ...
    assert results == [2 * i for i in range(10)]  # ... and the build did not notice


# --- a two-node cluster on 127.0.0.1 ----------------------------------------------------------
def _ray_status(address: str, env: dict[str, str]) -> str:
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or "ray"
    proc = subprocess.run(
        [ray, "status", "--address", address], env=env, capture_output=True, text=True
    )
    return proc.stdout if proc.returncode == 0 else ""


def _wait_for_nodes(address: str, env: dict[str, str], nodes: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ray_status(address, env).count(" node_") >= nodes:
            return
        time.sleep(1)
    raise AssertionError(f"the Ray cluster at {address} did not reach {nodes} node(s)")


@needs_ray
@pytest.mark.slow
def test_two_node_loopback_cluster_builds_the_same_dataset(
    shipped_corpus: Path, tmp_path: Path
) -> None:
    """`ray start --head` + `ray start --address`, a build through --ray-address, then stop.

    The nodes run with `--block` so the test stops exactly the processes it started.
    """
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or "ray"
    port = _free_port()
    address = f"127.0.0.1:{port}"
    env = _env(
        RAY_AUTH_MODE="token",
        RAY_AUTH_TOKEN=secrets.token_hex(32),
        RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S="5",
    )
    env.pop("RAY_ADDRESS", None)
    common = ["--num-cpus=1", "--disable-usage-stats", "--block"]
    out = tmp_path / "out"
    build(shipped_corpus, out, n=1500, seed=11, workers=2)  # the local engine's dataset
    out.rename(tmp_path / "local")
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        head = [ray, "start", "--head", f"--port={port}", "--include-dashboard=false", *common]
        nodes.append(subprocess.Popen(head, env=env, stdout=subprocess.DEVNULL))
        _wait_for_nodes(address, env, 1, timeout=120)
        worker = [ray, "start", f"--address={address}", *common]
        nodes.append(subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL))
        _wait_for_nodes(address, env, 2, timeout=120)

        args = ["build", str(shipped_corpus), "-o", str(out), "-n", "1500", "--seed", "11"]
        proc = subprocess.run(
            [sys.executable, "-m", "pairgen", *args, "--engine", "ray", "--ray-address", address],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        assert "wrote 1500 pairs" in proc.stderr + proc.stdout
        where = (
            "import ray, sys\n"
            "from pairgen.pairing.engine_ray import RayEngine\n"
            "def node(state, task):\n"
            "    import time; time.sleep(0.5)\n"
            "    return ray.get_runtime_context().get_node_id()\n"
            "print(len(set(RayEngine(address=sys.argv[1]).map(node, range(8), {}))))\n"
        )
        used = subprocess.run(
            [sys.executable, "-c", where, address], env=env, capture_output=True, text=True
        )
        assert used.stdout.strip().splitlines()[-1] == "2", used.stderr  # both nodes did work
    finally:
        for node in reversed(nodes):
            node.terminate()
        for node in reversed(nodes):
            try:
                node.wait(timeout=90)
            except subprocess.TimeoutExpired:
                node.kill()
        current = Path(tempfile.gettempdir()) / "ray" / "ray_current_cluster"
        if current.exists() and current.read_text().strip().endswith(f":{port}"):
            current.unlink()  # what `ray stop` does: `ray.init()` must not try our dead cluster
    _same_dataset(tmp_path / "local", out)
