"""Interruptions and write failures of a real `python -m pairgen build` process.

Ctrl-C (SIGINT to the process group, as a terminal sends it) and SIGTERM (to the process, as
`kill` or a job scheduler sends it), while the corpus is read and while pairs are made: the build
exits promptly with one `Error:` line and exit code 130, its worker processes are gone, no
temporary folder is left and the previous output is byte-identical. A write that fails (a file-size
limit; a full disk on a tiny tmpfs where the machine allows mounting one) is reported as such, with
nothing half-written.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_bad_input import leftovers, previous_output, snapshot

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SHIPPED_CORPUS = REPO / "corpus"
PROMPT_S = 10.0
"""Longest wait from the signal to the exit of the whole process group (measured: ~0.1 s)."""
COMMON = ("--seed", "3", "--workers", "2", "--segmenter", "rules", "--augment", "case,spacing")


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """../shared/corpus (3.3 MB of prose: seconds to read) or, without it, the shipped corpus
    copied until it is about as big."""
    if SHARED_CORPUS.is_dir() and any(SHARED_CORPUS.glob("*.txt")):
        return SHARED_CORPUS
    folder = tmp_path_factory.mktemp("generated-corpus")
    for copy in range(16):
        for path in SHIPPED_CORPUS.glob("*.txt"):
            shutil.copy(path, folder / f"{copy:02d}-{path.name}")
    return folder


class Build:
    """A `pairgen build` child in its own process group, its stderr collected as it comes."""

    def __init__(self, corpus: Path, out: Path, *args: str, **popen: object) -> None:
        cmd = [sys.executable, "-m", "pairgen", "build", str(corpus), "-o", str(out), *args]
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            start_new_session=True,
            **popen,  # type: ignore[call-overload]
        )
        self.lines: list[str] = []
        self._seen = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()

    def wait_for_line(self, text: str, timeout: float = 120) -> None:
        with self._seen:
            ok = self._seen.wait_for(
                lambda: any(text in line for line in self.lines) or self.proc.poll() is not None,
                timeout,
            )
        assert ok and any(text in line for line in self.lines), self.stderr

    def finish(self, timeout: float = 300) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(10)
        return code

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def group_gone(self, timeout: float) -> bool:
        """Whether every process of the build's group (the workers too) has exited."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.05)
        return False


def _wait_for_temp(out: Path, build: Build, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not leftovers(out):
        assert build.proc.poll() is None and time.monotonic() < end, build.stderr
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("stage", "sig", "to_group", "times"),
    [
        ("reading", signal.SIGINT, True, 1),
        ("reading", signal.SIGTERM, False, 1),
        ("pairing", signal.SIGINT, True, 1),
        ("pairing", signal.SIGTERM, False, 1),
        ("reading", signal.SIGINT, True, 2),
        ("pairing", signal.SIGHUP, True, 1),
    ],
    ids=[
        "ctrl-c-reading",
        "sigterm-reading",
        "ctrl-c-pairing",
        "sigterm-pairing",
        "ctrl-c-twice",
        "sighup-pairing",
    ],
)
def test_interrupted_build_exits_promptly_and_leaves_previous_output(
    stage: str, sig: signal.Signals, to_group: bool, times: int, big_corpus: Path, tmp_path: Path
) -> None:
    """`times=2`: a second Ctrl-C while the first is being handled stops at once, just as clean."""
    out = previous_output(tmp_path / "out")
    before = snapshot(out)
    if stage == "reading":
        build = Build(big_corpus, out, "-n", "2000", "--overwrite", *COMMON)
        _wait_for_temp(out, build)
    else:
        build = Build(SHIPPED_CORPUS, out, "-n", "100000", "--overwrite", *COMMON)
        build.wait_for_line("sentences kept")
    time.sleep(0.5)
    assert build.proc.poll() is None, f"the build ended before the signal:\n{build.stderr}"

    sent = time.monotonic()
    for _ in range(times):
        if to_group:
            os.killpg(build.proc.pid, sig)
        else:
            os.kill(build.proc.pid, sig)
        time.sleep(0.05)
    code = build.finish(timeout=60)
    gone = build.group_gone(PROMPT_S)
    took = time.monotonic() - sent

    assert code == 130, build.stderr
    assert build.lines[-1] == f"Error: build interrupted: nothing was written, {out} is as it was"
    assert "Traceback" not in build.stderr, build.stderr
    assert gone and took < PROMPT_S, f"still running {took:.1f} s after the signal"
    assert leftovers(out) == []
    assert snapshot(out) == before


def _limit_file_size(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write then fails with EFBIG, not a kill


def test_file_size_limit_is_reported_and_nothing_is_half_written(tmp_path: Path) -> None:
    out = previous_output(tmp_path / "out")
    before = snapshot(out)
    build = Build(
        SHIPPED_CORPUS,
        out,
        "-n",
        "1500",
        "--overwrite",
        "-q",
        *COMMON,
        preexec_fn=lambda: _limit_file_size(32_000),
    )
    code = build.finish()
    assert code == 1, build.stderr
    assert build.lines[-1] == (
        f"Error: could not write {out}: File too large (a file-size limit (ulimit -f) was "
        f"reached); nothing was written, {out} is as it was"
    )
    assert "Traceback" not in build.stderr
    assert leftovers(out) == []
    assert snapshot(out) == before


FULL_DISK = r"""
import json, subprocess, sys
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from test_bad_input import leftovers, previous_output, snapshot
mount, corpus = Path(sys.argv[2]), sys.argv[3]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
out = previous_output(mount / "out")
before = snapshot(out)
done = subprocess.run(
    [sys.executable, "-m", "pairgen", "build", corpus, "-o", str(out), *sys.argv[4:]],
    capture_output=True, text=True,
)
print(json.dumps({
    "code": done.returncode, "stderr": done.stderr, "intact": snapshot(out) == before,
    "entries": sorted(p.name for p in mount.iterdir()), "leftovers": leftovers(out),
}))
"""


def _private_mounts_reason() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None:
        return "a full disk needs a tmpfs in a private mount namespace: Linux, root and unshare"
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "true"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return f"cannot make a private mount namespace here: {probe.stderr.strip()}"
    return None


def test_full_disk_is_reported_and_nothing_is_half_written(tmp_path: Path) -> None:
    reason = _private_mounts_reason()
    if reason:
        pytest.skip(reason)
    mount = tmp_path / "small-disk"
    mount.mkdir()
    args = [str(REPO), str(mount), str(SHIPPED_CORPUS), "-n", "1500", "--overwrite", "-q", *COMMON]
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, "-c", FULL_DISK, *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    out = mount / "out"
    assert result["code"] == 1, result["stderr"]
    assert result["stderr"].splitlines()[-1] == (
        f"Error: could not write {out}: No space left on device (the disk is full); nothing was "
        f"written, {out} is as it was"
    )
    assert "Traceback" not in result["stderr"]
    assert result["intact"] and result["leftovers"] == [] and result["entries"] == ["out"]


def test_build_killed_outright_leaves_a_temp_that_the_next_build_removes(tmp_path: Path) -> None:
    """SIGKILL cannot be handled: the previous output survives, and the stale temporary folder
    goes with the next build into the same place."""
    out = previous_output(tmp_path / "out")
    before = snapshot(out)
    build = Build(SHIPPED_CORPUS, out, "-n", "100000", "--overwrite", *COMMON)
    build.wait_for_line("sentences kept")
    os.killpg(build.proc.pid, signal.SIGKILL)
    assert build.finish(timeout=60) == -signal.SIGKILL
    assert build.group_gone(PROMPT_S)
    left = leftovers(out)  # its temporary folder, and the lock file it could not delete
    assert [n.rsplit("-", 1)[0] for n in left] == [".out.pairgen", ".out.pairgen-tmp"], left
    assert snapshot(out) == before

    again = Build(SHIPPED_CORPUS, out, "-n", "20", "--overwrite", "-q", *COMMON)
    assert again.finish() == 0, again.stderr
    assert leftovers(out) == []
    assert (out / "pairgen.json").is_file()


def test_a_lost_interrupt_still_stops_the_commit(tmp_path: Path) -> None:
    """If the KeyboardInterrupt for a signal was swallowed (a `__del__`, an at-fork callback),
    the signal handler's `AtomicFolder.stopping` still keeps the new folder from replacing the
    old one."""
    from pairgen.write.folder import AtomicFolder

    out = previous_output(tmp_path / "out")
    before = snapshot(out)
    AtomicFolder.stopping = True
    try:
        with pytest.raises(KeyboardInterrupt), AtomicFolder(out, overwrite=True) as tmp:
            (tmp / "README.md").write_text("new\n", encoding="utf-8")
    finally:
        AtomicFolder.stopping = False
    assert snapshot(out) == before and leftovers(out) == []
    assert not AtomicFolder.committed and AtomicFolder.critical == 0
