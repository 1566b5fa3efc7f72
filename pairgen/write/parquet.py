"""The Hub-layout output folder: parquet shards for the `default` and `provenance` configs.

Rows are written in row groups as they come, so memory is set by the row-group size, not by `-n`.
The schemas are explicit (not inferred), so an empty split or a different batch never changes types.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pairgen.records import Edit, Pair

EDIT_FIELDS = tuple(f.name for f in fields(Edit))
EDIT_TYPE = pa.struct(
    [(f.name, pa.int32() if f.type == "int" else pa.string()) for f in fields(Edit)]
)
"""One edit of the provenance `edits` list: the `Edit` record's fields, in its order."""


@dataclass(frozen=True)
class Column:
    """One output column: its name, its Arrow type and the config (folder) it belongs to."""

    name: str
    type: pa.DataType
    config: str


COLUMNS = (
    Column("sentence1", pa.string(), "default"),
    Column("sentence2", pa.string(), "default"),
    Column("score", pa.float32(), "default"),
    Column("split", pa.string(), "provenance"),
    Column("row", pa.int64(), "provenance"),
    Column("kind", pa.string(), "provenance"),
    Column("source", pa.string(), "provenance"),
    Column("sentence_index", pa.int64(), "provenance"),
    Column("edits", pa.list_(EDIT_TYPE), "provenance"),
)
"""Every column the build writes. A column named like a `Pair` field takes that field; `split`
and `row` are the pair's place in the output. The schemas, the card's configs and features and
the readers (inspect, train) all come from this list."""

CONFIGS = {"default": "data", "provenance": "provenance"}
"""Config name -> the folder its parquet shards are in."""
ROW_GROUP_ROWS = 50_000


def columns(config: str) -> tuple[str, ...]:
    """The column names of a config, in order."""
    return tuple(c.name for c in COLUMNS if c.config == config)


def schema(config: str) -> pa.Schema:
    """The explicit Arrow schema of a config (never inferred, so an empty split keeps types)."""
    return pa.schema([(c.name, c.type) for c in COLUMNS if c.config == config])


def features(config: str) -> Any:
    """The `datasets.Features` of a config, derived from its schema (datasets loads lazily)."""
    from datasets import Features

    return Features.from_arrow_schema(schema(config))


def shard_name(split: str) -> str:
    return f"{split}-00000-of-00001.parquet"


def _value(pair: Pair, name: str, split: str, row: int) -> Any:
    if name == "split":
        return split
    if name == "row":
        return row
    value = getattr(pair, name)
    if name == "edits":
        return [{f: getattr(e, f) for f in EDIT_FIELDS} for e in value]
    return value


class SplitWriter:
    """Buffers one split's rows and writes them to data/ and provenance/ in row groups."""

    def __init__(self, root: Path, split: str, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.split = split
        self.rows = 0
        self.row_group_rows = row_group_rows
        self._buffer: list[Pair] = []
        opts = {"compression": "zstd", "write_statistics": False}
        self._writers = {}
        for config, folder in CONFIGS.items():
            (root / folder).mkdir(parents=True, exist_ok=True)
            path = root / folder / shard_name(split)
            self._writers[config] = pq.ParquetWriter(path, schema(config), **opts)

    def add(self, pair: Pair) -> None:
        self._buffer.append(pair)
        if len(self._buffer) >= self.row_group_rows:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        rows = self._buffer
        self._buffer = []
        for config, writer in self._writers.items():
            table = pa.table(
                {
                    name: [_value(p, name, self.split, self.rows + i) for i, p in enumerate(rows)]
                    for name in columns(config)
                },
                schema=schema(config),
            )
            writer.write_table(table)
        self.rows += len(rows)

    def close(self) -> None:
        self.flush()
        for writer in self._writers.values():
            writer.close()


SPLIT_ORDER = ("train", "test")


def dataset_info(folder: Path, configs: tuple[str, ...] = tuple(CONFIGS)) -> list[Any]:
    """The card's `dataset_info` list for `folder`'s shards, written by `datasets` itself.

    Why it matters beyond the Hub page: `datasets` folds a local folder's `dataset_info` into its
    cache key, so with exact split sizes here a rebuilt folder does not load stale rows from the
    default cache. `num_bytes` is measured the way `datasets`' parquet builder does (the Arrow
    size of each row group as read back), `download_size` is the shards' size on disk.

        dataset_info(Path("output"))[0]["splits"]  # [{'name': 'train', 'num_bytes': ..., ...}]
    """
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCardData

    infos = DatasetInfosDict()
    for config in configs:
        splits, download, size = SplitDict(), 0, 0
        for split in SPLIT_ORDER:
            path = folder / CONFIGS[config] / shard_name(split)
            if path.is_file():
                examples, nbytes = _arrow_size(path)
                splits.add(SplitInfo(name=split, num_bytes=nbytes, num_examples=examples))
                download += path.stat().st_size
                size += nbytes
        infos[config] = DatasetInfo(
            config_name=config,
            features=features(config),
            splits=splits,
            download_size=download,
            dataset_size=size,
        )
    card_data = DatasetCardData()
    infos.to_dataset_card_data(card_data)
    info = card_data["dataset_info"]
    return info if isinstance(info, list) else [info]


def content_digests(folder: Path) -> dict[str, str]:
    """Per config, the sha256 of its shards' bytes (split order), as 16 hex digits.

    The card puts it in each config's `description`, which `datasets` also folds into the cache
    key: split sizes alone can coincide (a `--label` change keeps every Arrow size and, on a small
    build, even the parquet sizes), the digest cannot.
    """
    import hashlib

    digests = {}
    for config, sub in CONFIGS.items():
        digest = hashlib.sha256()
        for split in SPLIT_ORDER:
            path = folder / sub / shard_name(split)
            if path.is_file():
                digest.update(f"{split}\0".encode())
                digest.update(path.read_bytes())
        digests[config] = digest.hexdigest()[:16]
    return digests


def _arrow_size(path: Path) -> tuple[int, int]:
    """(rows, Arrow bytes) of one shard, read row group by row group as `datasets` reads it."""
    shard = pq.ParquetFile(path)
    nbytes = sum(shard.read_row_group(i).nbytes for i in range(shard.num_row_groups))
    return shard.metadata.num_rows, nbytes
