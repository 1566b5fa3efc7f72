"""Write a folder all at once: build it beside the target, then swap it in with renames.

A build that fails or is interrupted removes its temporary folder and leaves the previous output
byte-identical; `--overwrite` is needed to replace a non-empty folder.

Interruption is cooperative with the CLI's signal handler (`pairgen.cli._Interrupts`), through
three class attributes of `AtomicFolder`: the handler sets `stopping` (then nothing commits, even
if its KeyboardInterrupt got lost), and never raises while `critical` (a swap or clean-up runs)
or once `committed` (the new output is in place).
"""

from __future__ import annotations

import errno
import glob
import os
import re
import shutil
from pathlib import Path
from types import TracebackType

from pairgen.errors import CorpusError, OutputError, PairgenError

KEEP = frozenset({".gitkeep"})
"""Files that do not make a folder "non-empty" (a checkout keeps output/ with a .gitkeep)."""


_HINTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "a file-size limit (ulimit -f) was reached",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
}
_ARROW_ERRNO = re.compile(r"\[errno (\d+)\]")
"""pyarrow's OSErrors carry the errno only in their text: `... Detail: [errno 28] No space ...`."""


_ACTIVE: set[Path] = set()
"""Temporary folders being written now, for `remove_temporaries`."""


def remove_temporaries() -> None:
    """Delete every temporary folder this process is writing: the last step of a hard stop."""
    for tmp in list(_ACTIVE):
        shutil.rmtree(tmp, ignore_errors=True)
        _ACTIVE.discard(tmp)


def is_empty(folder: Path) -> bool:
    return all(p.name in KEEP for p in folder.iterdir())


def os_error(exc: OSError, output: Path, corpus: Path | None = None) -> PairgenError:
    """A one-line error for an OSError met during a build, naming what failed and why.

    A file under `corpus` that could not be read is a CorpusError; anything else is a write
    that failed (a full disk, a file-size limit, a read-only folder), reported as an OutputError
    that says the previous output is untouched.

        >>> os_error(OSError(28, "No space left on device"), Path("out"))
        OutputError('could not write out: No space left on device (the disk is full); nothing was written, out is as it was')
    """  # noqa: E501
    code = exc.errno
    if code is None:
        found = _ARROW_ERRNO.search(str(exc))
        code = int(found.group(1)) if found else None
    reason = os.strerror(code) if code is not None else (exc.strerror or str(exc) or "I/O error")
    reason = reason.splitlines()[0] if reason else "I/O error"
    hint = _HINTS.get(code) if code is not None else None
    if hint and hint.lower() != reason.lower():
        reason = f"{reason} ({hint})"
    name = exc.filename
    if corpus is not None and name is not None and _inside(Path(os.fsdecode(name)), corpus):
        return CorpusError(f"cannot read {os.fsdecode(name)}: {reason}")
    return OutputError(
        f"could not write {output}: {reason}; nothing was written, {output} is as it was"
    )


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is someone else's
    return True


def _remove_stale_temps(target: Path) -> None:
    """Delete the temporary folders of builds that were killed outright (SIGKILL, power loss).

    Only `-tmp-PID` folders whose process is gone: they never hold the only copy of anything.
    """
    for path in target.parent.glob(f".{glob.escape(target.name)}.pairgen-tmp-*"):
        pid = path.name.rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


class AtomicFolder:
    """`with AtomicFolder(out) as tmp:` write into tmp; on success tmp becomes `out`."""

    stopping = False
    """Set by the CLI's signal handler once SIGINT/SIGTERM came: nothing commits after that."""
    critical = 0
    """Above 0 while a swap or a clean-up runs, which an interrupt must not cut in half."""
    committed = False
    """The new folder is in place: an interrupt can no longer mean "nothing was written"."""

    def __init__(self, target: Path, overwrite: bool = False) -> None:
        self.target = target
        self.overwrite = overwrite
        self.tmp = target.parent / f".{target.name}.pairgen-tmp-{os.getpid()}"

    def check(self) -> None:
        """Fail before any work if the target cannot be (over)written."""
        t = self.target
        if t.exists() and not t.is_dir():
            raise OutputError(f"output {t} is a file, not a folder: choose another path with -o")
        if t.is_dir() and not is_empty(t) and not self.overwrite:
            raise OutputError(
                f"output folder {t} is not empty: pass --overwrite to replace it, or choose -o"
            )
        parent = t.parent if str(t.parent) else Path(".")
        if not parent.exists():
            raise OutputError(f"cannot create {t}: its parent folder {parent} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write to {parent}: permission denied; choose another -o")

    def __enter__(self) -> Path:
        self.check()
        _remove_stale_temps(self.target)
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        try:
            self.tmp.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot create {self.tmp}: {exc.strerror}") from None
        _ACTIVE.add(self.tmp)
        AtomicFolder.committed = False
        return self.tmp

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        AtomicFolder.critical += 1
        try:
            if exc_type is None and not AtomicFolder.stopping:
                self._swap()
                AtomicFolder.committed = True
                return
            shutil.rmtree(self.tmp, ignore_errors=True)
            if exc_type is None:
                raise KeyboardInterrupt  # the interrupt's own exception was lost on the way
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        finally:
            _ACTIVE.discard(self.tmp)
            AtomicFolder.critical -= 1

    def _swap(self) -> None:
        t = self.target
        old = t.parent / f".{t.name}.pairgen-old-{os.getpid()}"
        if t.is_dir():
            for name in KEEP:
                if (t / name).exists() and not (self.tmp / name).exists():
                    shutil.copy2(t / name, self.tmp / name)
            os.rename(t, old)
        try:
            os.rename(self.tmp, t)
        except BaseException:
            if old.exists():
                os.rename(old, t)
            raise
        shutil.rmtree(old, ignore_errors=True)
