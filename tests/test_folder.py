"""The output folder's guarantees (`pairgen.write.folder`): a kill at any step of the swap is
recovered whole, a second run into the same place is refused at once, a file that appears in the
output during a build stops the swap, and leftovers of older pairgen versions are put right.

The swap-kill test runs a real child process that writes a small "new output" into an
`AtomicFolder` and SIGKILLs itself at the k-th file-system call of the swap (before or after the
call), for every k until a child gets through; once with the atomic exchange (`renameat2`) and
once with the two renames and journal used where the file system cannot exchange. The parent then
checks what a reader sees at once, runs the next run's recovery, and checks again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MODULE = "pairgen.write.folder"

CHILD = r"""
import os, shutil, signal, sys
from pathlib import Path
import importlib
folder = importlib.import_module(sys.argv[1])
target, kill_at, when, exchange = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
state = {"active": False, "ops": 0}

def counted(fn):
    def call(*args, **kwargs):
        if not state["active"]:
            return fn(*args, **kwargs)
        here = state["ops"]
        state["ops"] += 1
        if here == kill_at and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = fn(*args, **kwargs)
        if here == kill_at and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return call

for name in ("rename", "replace", "unlink", "rmdir", "mkdir", "open"):
    setattr(os, name, counted(getattr(os, name)))
if exchange == "no":
    folder._exchange = lambda a, b: False
else:
    folder._exchange = counted(folder._exchange)
swap = folder.AtomicFolder._swap

def traced_swap(self):
    state["active"] = True
    swap(self)
    state["active"] = False

folder.AtomicFolder._swap = traced_swap
with folder.AtomicFolder(target, overwrite=True) as tmp:
    (tmp / "data").mkdir()
    (tmp / "data" / "train-00000-of-00001.parquet").write_bytes(b"new rows" * 100)
    (tmp / "README.md").write_text("new card\n")
    (tmp / "pairgen.json").write_text('{"generation": "new"}\n')
print("ops", state["ops"])
"""


def snapshot(path: Path) -> dict[str, bytes] | None:
    if not path.exists():
        return None
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def old_output(target: Path) -> dict[str, bytes]:
    (target / "data").mkdir(parents=True)
    (target / "provenance").mkdir()
    (target / "data" / "train-00000-of-00001.parquet").write_bytes(b"old rows" * 100)
    (target / "data" / "test-00000-of-00001.parquet").write_bytes(b"old test" * 10)
    (target / "provenance" / "train-00000-of-00001.parquet").write_bytes(b"old prov")
    (target / "README.md").write_text("old card\n")
    (target / "pairgen.json").write_text('{"generation": "old"}\n')
    (target / ".gitkeep").write_text("")
    return snapshot(target)  # type: ignore[return-value]


NEW = {
    ".gitkeep": b"",
    "README.md": b"new card\n",
    "data/train-00000-of-00001.parquet": b"new rows" * 100,
    "pairgen.json": b'{"generation": "new"}\n',
}


def leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.glob(f".{target.name}.pairgen-*"))


def recover(target: Path) -> None:
    """What the next run does first: take the lock, finish or roll back, then let go."""
    code = (
        "import importlib, sys; from pathlib import Path\n"
        f"f = importlib.import_module({MODULE!r})\n"
        "a = f.AtomicFolder(Path(sys.argv[1]), overwrite=True); a.check(); a.release()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, env=_env())


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


@pytest.mark.parametrize("exchange", ["yes", "no"], ids=["exchange", "two-renames"])
def test_a_kill_at_any_step_of_the_swap_is_recovered(exchange: str, tmp_path: Path) -> None:
    outcomes: list[str] = []
    for when in ("before", "after"):
        for kill_at in range(100):
            case = tmp_path / f"{when}-{kill_at}"
            case.mkdir()
            target = case / "out"
            old = old_output(target)
            child = subprocess.run(
                [sys.executable, "-c", CHILD, MODULE, str(target), str(kill_at), when, exchange],
                capture_output=True,
                text=True,
                env=_env(),
            )
            if child.returncode == 0:
                break
            assert child.returncode == -signal.SIGKILL, child.stderr
            seen = snapshot(target)
            if exchange == "yes":
                assert seen in (old, NEW), f"{when} op {kill_at}: the target is half-swapped"
            else:
                assert seen in (old, NEW, None), f"{when} op {kill_at}: the target is half-swapped"
            recover(target)
            after = snapshot(target)
            assert after in (old, NEW), f"{when} op {kill_at}: not recovered whole"
            if seen is not None:
                assert after == seen, f"{when} op {kill_at}: recovery changed a whole output"
            assert leftovers(target) == [], f"{when} op {kill_at}: {leftovers(target)}"
            outcomes.append("new" if after == NEW else "old")
        else:
            pytest.fail("the swap never finished")
    assert "old" in outcomes and "new" in outcomes  # the kills landed on both sides of the swap


# --- the lock -------------------------------------------------------------------------------------
FIXTURE = Path(__file__).parent / "data" / "golden"
FAST = ["-n", "20", "--seed", "1", "--workers", "1", "--segmenter", "rules", "-q"]
FAST += ["--augment", "case,spacing"]


def test_a_second_build_into_the_same_folder_fails_at_once(tmp_path: Path) -> None:
    """Two builds into one new folder: the second is refused while the first runs, and the
    first's output is what stays."""
    from pairgen.pipeline import build

    out = tmp_path / "out"
    seen: list[subprocess.CompletedProcess[str]] = []

    def second_build(message: str) -> None:
        if "sentences kept" in message and not seen:
            args = [str(FIXTURE), "-o", str(out), *FAST]
            cmd = [sys.executable, "-m", "pairgen", "build", *args]
            seen.append(subprocess.run(cmd, capture_output=True, text=True, env=_env()))

    build(FIXTURE, out, n=20, seed=1, workers=1, segmenter="rules", augment=("case", "spacing"),
          log=second_build)  # fmt: skip
    [second] = seen
    assert second.returncode == 1, second.stderr
    assert second.stderr.splitlines()[-1] == (
        f"Error: another pairgen run is writing {out} (process {os.getpid()}): wait for it to "
        "finish, or choose another -o"
    )
    assert "Traceback" not in second.stderr
    assert json.loads((out / "pairgen.json").read_text())["seed"] == 1
    assert leftovers(out) == []


def test_a_file_put_into_the_output_during_the_build_stops_the_swap(tmp_path: Path) -> None:
    from pairgen.errors import OutputError
    from pairgen.pipeline import build

    out = tmp_path / "out"
    old = old_output(out)

    def meddle(message: str) -> None:
        if "sentences kept" in message:
            (out / "draft.txt").write_text("written while the build ran\n")

    with pytest.raises(OutputError) as caught:
        build(FIXTURE, out, n=20, seed=1, workers=1, segmenter="rules",
              augment=("case", "spacing"), overwrite=True, log=meddle)  # fmt: skip
    assert str(caught.value) == (
        f"output folder {out} holds files pairgen did not write (draft.txt): pairgen only "
        "replaces its own output; move them away or choose another -o (it changed during the "
        "run; nothing was replaced)"
    )
    assert snapshot(out) == {**old, "draft.txt": b"written while the build ran\n"}
    assert leftovers(out) == []


def test_a_forked_child_does_not_keep_the_lock(tmp_path: Path) -> None:
    """Workers fork while the lock is held; one that outlives its killed parent must not keep
    every later build out."""
    import pairgen.write.folder as folder_module
    from pairgen.write.folder import AtomicFolder

    out = tmp_path / "out"
    folder = AtomicFolder(out)
    folder.check()
    ready, started = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker that lives on (its at-fork callbacks have run once fork returns)
        os.write(started, b"x")
        time.sleep(5)
        os._exit(0)
    os.read(ready, 1)
    try:
        # the parent dies outright: its descriptor closes, the lock file stays
        os.close(folder_module._LOCKS.pop(folder.lock_path))
        again = AtomicFolder(out)
        again.check()  # refused if the child still held the lock
        again.release()
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert leftovers(out) == []


# --- leftovers of older versions -----------------------------------------------------------------
DEAD_PID = "999999999"


def test_an_old_versions_displaced_output_is_put_back(tmp_path: Path) -> None:
    """pairgen before the journal died between its two renames: nothing at the target, the old
    output under `-old-PID`. The next run puts it back before deciding anything."""
    from pairgen.errors import OutputError
    from pairgen.write.folder import AtomicFolder

    out = tmp_path / "out"
    old = old_output(tmp_path / f".out.pairgen-old-{DEAD_PID}")
    (tmp_path / f".out.pairgen-tmp-{DEAD_PID}").mkdir()
    with pytest.raises(OutputError, match="is not empty: pass --overwrite"):
        AtomicFolder(out).check()
    assert snapshot(out) == old
    assert leftovers(out) == []


def test_a_displaced_folder_that_is_not_pairgens_is_left_alone(tmp_path: Path) -> None:
    """An `-old-` folder from an old version that once replaced a user's folder: not deleted."""
    from pairgen.write.folder import AtomicFolder

    out = tmp_path / "out"
    old_output(out)
    mine = tmp_path / f".out.pairgen-old-{DEAD_PID}"
    mine.mkdir()
    (mine / "thesis.txt").write_text("my thesis\n")
    warnings: list[str] = []
    folder = AtomicFolder(out, overwrite=True, warn=warnings.append)
    folder.check()
    folder.release()
    assert (mine / "thesis.txt").read_text() == "my thesis\n"
    assert warnings == [f"left {mine} alone: it holds files pairgen did not write"]
