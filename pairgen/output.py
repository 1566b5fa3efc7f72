"""Write a folder all at once: build it beside the target, then swap it in with renames.

A build that fails or is interrupted removes its temporary folder and leaves the previous output
byte-identical; `--overwrite` is needed to replace a non-empty folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from pairgen.errors import OutputError

KEEP = frozenset({".gitkeep"})
"""Files that do not make a folder "non-empty" (a checkout keeps output/ with a .gitkeep)."""


def is_empty(folder: Path) -> bool:
    return all(p.name in KEEP for p in folder.iterdir())


class AtomicFolder:
    """`with AtomicFolder(out) as tmp:` write into tmp; on success tmp becomes `out`."""

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
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        try:
            self.tmp.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot create {self.tmp}: {exc.strerror}") from None
        return self.tmp

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        try:
            self._swap()
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

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
