"""Reading build folders back in tests: what "the same dataset" means, byte for byte."""

from __future__ import annotations

from pathlib import Path


def parquet_bytes(folder: Path) -> dict[str, bytes]:
    """Every parquet file under `folder`, by its path inside the folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.parquet")}
