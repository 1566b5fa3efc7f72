"""Write a folder all at once, and only ever replace a folder pairgen wrote.

A build writes into a temporary folder beside the target (`.NAME.pairgen-tmp-PID`) and swaps it
in at the end. Three rules keep anything a user cares about safe:

1. **Ownership.** The target may be missing, empty, or what pairgen itself wrote earlier (for a
   dataset: its manifest `pairgen.json` and nothing but files a build writes, `BUILD_FILES`; for
   a model: a sentence-transformers folder that is not a dataset). Anything else is refused
   with a line naming what is in the way, with or without `--overwrite`. The target may not
   equal, contain or lie inside an input (the corpus, a lexicon, a config file), nor be or
   contain the current folder. A symlinked target is resolved: pairgen writes to the link's
   target and never replaces the link.
2. **A lock.** `.NAME.pairgen-lock` beside the target is `flock`ed from the check before any
   work until the swap is done, so a second build into the same place fails at once. The
   ownership check runs again under the lock just before the swap: a file put into the target
   during the build stops the swap.
3. **A swap that survives a kill.** Where the file system can (Linux `renameat2`), the new and
   the old folder trade places in one atomic exchange: at every instant the target is the old or
   the new output whole, and the old one is then removed from the temporary name. Elsewhere the
   swap is two renames, with a journal (`.NAME.pairgen-swap`) written first. A build that was
   killed at any point leaves leftovers that the next one into the same place recovers under
   the lock before anything else: it finishes a journalled swap (or rolls it back when the
   target still holds the old output) and removes temporary folders whose process is gone.

Interruption is cooperative with the CLI's signal handler (`pairgen.cli.interrupts`), through
three class attributes of `AtomicFolder`: the handler sets `stopping` (then nothing commits, even
if its KeyboardInterrupt got lost), and never raises while `critical` (a swap or clean-up runs)
or once `committed` (the new output is in place).

    >>> with AtomicFolder(Path("output"), overwrite=True) as tmp:     # doctest: +SKIP
    ...     (tmp / "pairgen.json").write_text("{}")
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import fnmatch
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

from pairgen.errors import CorpusError, OutputError, PairgenError

KEEP = frozenset({".gitkeep"})
"""Files that do not make a folder "non-empty" (a checkout keeps output/ with a .gitkeep)."""

BUILD_FILES = (
    "README.md",
    "pairgen.json",
    "label_hist.png",
    ".gitkeep",
    "data/*.parquet",
    "provenance/*.parquet",
)
"""Every file `pairgen build` writes (posix patterns relative to the output folder): a folder with
a manifest and nothing else is an earlier build that `--overwrite` may replace."""

MANIFEST = "pairgen.json"
MODEL_MARKERS = ("modules.json", "config_sentence_transformers.json")
"""Files every sentence-transformers model folder has: what `pairgen train -o` may replace."""

DATASET = "dataset"
MODEL = "model"

_HINTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "a file-size limit (ulimit -f) was reached",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
}
_ARROW_ERRNO = re.compile(r"\[errno (\d+)\]")
"""pyarrow's OSErrors carry the errno only in their text: `... Detail: [errno 28] No space ...`."""
_SHOWN = 3
"""Foreign entries named in an error, at most."""

_ACTIVE: set[Path] = set()
"""Temporary folders being written now, for `remove_temporaries`."""
_LOCKS: dict[Path, int] = {}
"""Lock files this process holds, with their descriptors."""


def remove_temporaries() -> None:
    """Delete every temporary folder this process writes and drop its locks: a hard stop's end."""
    for tmp in list(_ACTIVE):
        shutil.rmtree(tmp, ignore_errors=True)
        _ACTIVE.discard(tmp)
    for path in list(_LOCKS):
        _unlock(path)


def _close_locks_in_child() -> None:
    """A forked worker must not keep the lock alive after its parent is killed."""
    for fd in _LOCKS.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_locks_in_child)


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


# --- what a folder holds ------------------------------------------------------------------------
def _build_file(rel: str) -> bool:
    parts = rel.split("/")
    return any(
        len(parts) == len(p := pattern.split("/")) and all(map(fnmatch.fnmatchcase, parts, p))
        for pattern in BUILD_FILES
    )


_BUILD_FOLDERS = frozenset(p.rsplit("/", 1)[0] for p in BUILD_FILES if "/" in p)


def foreign_entries(folder: Path, limit: int = _SHOWN) -> list[str]:
    """Up to `limit` entries under `folder` that no build writes (links and odd files count).

    Walked with a stack, not recursion, and stopped at the first `limit`: a corpus of 20,000
    files is refused after reading one folder listing.
    """
    found: list[str] = []
    stack = [("", folder)]
    while stack and len(found) < limit:
        rel_dir, path = stack.pop()
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            found.append(rel_dir or ".")
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if entry.is_dir(follow_symlinks=False) and rel in _BUILD_FOLDERS:
                stack.append((rel, Path(entry.path)))
            elif not (entry.is_file(follow_symlinks=False) and _build_file(rel)):
                found.append(rel + ("/" if entry.is_dir(follow_symlinks=False) else ""))
            if len(found) >= limit:
                break
    return found


def _model_folder(folder: Path) -> bool:
    return all((folder / m).is_file() for m in MODEL_MARKERS) and not (folder / MANIFEST).exists()


def _shown(items: list[str]) -> str:
    text = ", ".join(os.fsdecode(i).encode("utf-8", "backslashreplace").decode() for i in items)
    return text + (", ..." if len(items) >= _SHOWN else "")


def ownership_error(target: Path, real: Path, kind: str, overwrite: bool) -> OutputError | None:
    """Why `real` (the resolved `target`) may not be replaced, or None when it may."""
    if not real.exists():
        return None
    if not real.is_dir():
        return OutputError(f"output {target} is a file, not a folder: choose another path with -o")
    if is_empty(real):
        return None
    if kind == MODEL:
        if _model_folder(real):
            return None
        what = "a pairgen dataset" if (real / MANIFEST).exists() else "not a model folder"
        names = _shown(sorted(p.name for p in real.iterdir())[:_SHOWN])
        return OutputError(
            f"output folder {target} is {what} ({names}): pairgen train only replaces a model "
            "folder it wrote; choose another -o"
        )
    if not (real / MANIFEST).is_file():
        names = _shown(sorted(p.name for p in real.iterdir())[:_SHOWN])
        return OutputError(
            f"output folder {target} is not a pairgen output (no {MANIFEST}; it holds {names}): "
            "pairgen only replaces an empty folder or its own output; choose another -o"
        )
    foreign = foreign_entries(real)
    if foreign:
        return OutputError(
            f"output folder {target} holds files pairgen did not write ({_shown(foreign)}): "
            "pairgen only replaces its own output; move them away or choose another -o"
        )
    if not overwrite:
        return OutputError(
            f"output folder {target} is not empty: pass --overwrite to replace it, or choose -o"
        )
    return None


def apart_error(target: Path, real: Path, inputs: Mapping[str, str | os.PathLike[str] | None]) \
        -> OutputError | None:  # fmt: skip
    """Why writing to `real` would touch an input or the current folder, or None."""
    for what, given in inputs.items():
        if given is None or str(given) in ("", "-"):
            continue
        path = Path(os.path.realpath(given))
        if path == real:
            return OutputError(f"output {target} is {what} {given}: choose another -o")
        if real in path.parents:
            return OutputError(
                f"output {target} contains {what} {given}, which pairgen would replace: "
                "choose another -o"
            )
        if path in real.parents:
            return OutputError(
                f"output {target} lies inside {what} {given}: choose an -o outside it"
            )
    cwd = Path(os.getcwd())
    if real == cwd or real in cwd.parents:
        return OutputError(
            f"output {target} is (or contains) the current folder, which pairgen would "
            "replace: choose a new folder with -o"
        )
    return None


# --- the lock -----------------------------------------------------------------------------------
def _lock(path: Path, target: Path) -> None:
    """Take `path` with a non-blocking flock; fail at once when another build holds it.

    The holder deletes the file when done, so a waiter may lock a deleted file: it checks that
    the path still names the file it locked, and tries again if not.
    """
    if path in _LOCKS:
        return
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create {path}: {exc.strerror}; choose another -o") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"cannot lock {path}: {exc.strerror}") from None
            pid = f" (process {holder})" if holder.isdigit() else ""
            raise OutputError(
                f"another pairgen run is writing {target}{pid}: wait for it to finish, "
                "or choose another -o"
            ) from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    _LOCKS[path] = fd


def _unlock(path: Path) -> None:
    fd = _LOCKS.pop(path, None)
    if fd is None:
        return
    try:
        path.unlink(missing_ok=True)  # while still holding it: see _lock
    finally:
        os.close(fd)


# --- renames ------------------------------------------------------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders' names atomically (Linux renameat2); False where that is not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), os.fsdecode(a))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


class AtomicFolder:
    """`with AtomicFolder(out) as tmp:` write into tmp; on success tmp becomes `out`.

    `check()` (also run by `__enter__`) takes the lock, recovers what a killed run left, and
    refuses a target pairgen may not replace; call it before any work. The lock is held until the
    `with` block ends, or until `release()` (safe to call twice) for a run that fails before it.
    """

    stopping = False
    """Set by the CLI's signal handler once a signal came: nothing commits after that."""
    critical = 0
    """Above 0 while a swap or a clean-up runs, which an interrupt must not cut in half."""
    committed = False
    """The new folder is in place: an interrupt can no longer mean "nothing was written"."""

    def __init__(
        self,
        target: Path,
        overwrite: bool = False,
        *,
        kind: str = DATASET,
        inputs: Mapping[str, str | os.PathLike[str] | None] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.target = Path(target)
        self.overwrite = overwrite
        self.kind = kind
        self.inputs = dict(inputs or {})
        self.warn = warn or (lambda message: None)
        self.real = Path(os.path.realpath(self.target))
        name, parent = self.real.name, self.real.parent
        self.tmp = parent / f".{name}.pairgen-tmp-{os.getpid()}"
        self.lock_path = parent / f".{name}.pairgen-lock"
        self.journal = parent / f".{name}.pairgen-swap"

    # -- before any work --
    def check(self) -> None:
        """Fail before any work if the target cannot be (over)written; else hold its lock."""
        t, real = self.target, self.real
        if real.parent == real:
            raise OutputError(f"output {t} is the root folder: choose a new folder with -o")
        if real.is_symlink():
            raise OutputError(f"output {t} is a symlink loop: choose another path with -o")
        error = apart_error(t, real, self.inputs)
        if error:
            raise error
        parent = real.parent
        if not parent.exists():
            shown = t.parent if str(t.parent) else Path(".")
            raise OutputError(f"cannot create {t}: its parent folder {shown} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            shown = t.parent if str(t.parent) not in ("", ".") else parent
            raise OutputError(f"cannot write to {shown}: permission denied; choose another -o")
        if real.is_dir() and os.path.ismount(real):
            raise OutputError(
                f"output {t} is a mount point, which cannot be swapped: choose a folder inside it"
            )
        _lock(self.lock_path, t)
        try:
            self.recover()
            error = ownership_error(t, real, self.kind, self.overwrite)
            if error:
                raise error
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Give up the lock (nothing else): for a run that ends before or after the swap."""
        _unlock(self.lock_path)

    def recover(self) -> None:
        """Finish or roll back what a killed run left beside the target; needs the lock."""
        AtomicFolder.critical += 1
        try:
            self._finish_journal()
            self._remove_leftovers()
        finally:
            AtomicFolder.critical -= 1

    def _finish_journal(self) -> None:
        try:
            record = json.loads(self.journal.read_text(encoding="utf-8"))
            new, old = self.real.parent / record["new"], self.real.parent / record["old"]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError):
            self.journal.unlink(missing_ok=True)  # cut off while written: the swap never began
            return
        real = self.real
        if not real.exists() and new.is_dir():
            os.rename(new, real)  # killed between the renames: the new output is complete
        elif not real.exists() and old.is_dir():
            os.rename(old, real)
        if new.exists() and real.exists():
            _remove(new)  # killed before the target moved: it still holds the old output
        if old.exists():
            _remove(old)
        self.journal.unlink(missing_ok=True)

    def _remove_leftovers(self) -> None:
        parent, prefix = self.real.parent, f".{self.real.name}.pairgen-"
        try:
            names = [e.name for e in os.scandir(parent) if e.name.startswith(prefix)]
        except OSError:
            return
        for name in sorted(names):
            kind, _, pid = name[len(prefix) :].partition("-")
            path = parent / name
            if name.endswith(".part"):
                _remove(path)
            elif kind not in ("tmp", "old") or not pid.isdigit() or _alive(int(pid)):
                continue  # not a leftover, or its run is alive (this one included)
            elif kind == "tmp":
                _remove(path)  # a build's own folder: never the only copy of anything
            elif not self.real.exists() and not foreign_entries(path):
                os.rename(path, self.real)  # an older pairgen died between its renames
            elif not foreign_entries(path):
                _remove(path)
            else:
                self.warn(f"left {path} alone: it holds files pairgen did not write")

    # -- the build --
    def __enter__(self) -> Path:
        if self.lock_path not in _LOCKS:
            self.check()
        try:
            _remove(self.tmp)
            self.tmp.mkdir()
        except OSError as exc:
            self.release()
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
                return
            shutil.rmtree(self.tmp, ignore_errors=True)
            if exc_type is None:
                raise KeyboardInterrupt  # the interrupt's own exception was lost on the way
        except BaseException:
            if not AtomicFolder.committed:
                shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        finally:
            _ACTIVE.discard(self.tmp)
            AtomicFolder.critical -= 1
            self.release()

    def _swap(self) -> None:
        """Put tmp in place of the target; see the module docstring for why in these steps."""
        t, real, tmp = self.target, self.real, self.tmp
        error = ownership_error(t, real, self.kind, self.overwrite)
        if error:
            raise OutputError(f"{error} (it changed during the run; nothing was replaced)")
        if real.is_dir():
            for name in KEEP:
                if (real / name).exists() and not (tmp / name).exists():
                    shutil.copy2(real / name, tmp / name)
        if not real.exists():
            os.rename(tmp, real)
            AtomicFolder.committed = True
            return
        if _exchange(tmp, real):
            if self._changed(tmp):
                _exchange(tmp, real)  # a file landed in the old output at the last moment
                raise OutputError(f"{t} changed during the run; nothing was replaced")
            AtomicFolder.committed = True
            _remove(tmp)
            return
        old = real.parent / f".{real.name}.pairgen-old-{os.getpid()}"
        part = self.journal.with_name(self.journal.name + ".part")
        part.write_text(json.dumps({"new": tmp.name, "old": old.name}) + "\n", encoding="utf-8")
        os.replace(part, self.journal)
        os.rename(real, old)
        if self._changed(old):
            os.rename(old, real)
            self.journal.unlink()
            raise OutputError(f"{t} changed during the run; nothing was replaced")
        os.rename(tmp, real)
        AtomicFolder.committed = True
        _remove(old)
        self.journal.unlink()

    def _changed(self, old: Path) -> bool:
        return ownership_error(self.target, old, self.kind, True) is not None
