"""The Hub-layout output folder: parquet shards for the `default` and `provenance` configs.

Rows are written in row groups as they come, so memory is set by the row-group size, not by `-n`.
The schemas are explicit (not inferred), so an empty split or a different batch never changes types.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pairgen.records import Pair

DATA_SCHEMA = pa.schema(
    [("sentence1", pa.string()), ("sentence2", pa.string()), ("score", pa.float32())]
)
EDIT_TYPE = pa.struct(
    [
        ("op", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("before", pa.string()),
        ("after", pa.string()),
        ("lemma", pa.string()),
    ]
)
PROVENANCE_SCHEMA = pa.schema(
    [
        ("split", pa.string()),
        ("row", pa.int64()),
        ("kind", pa.string()),
        ("source", pa.string()),
        ("sentence_index", pa.int64()),
        ("edits", pa.list_(EDIT_TYPE)),
    ]
)
ROW_GROUP_ROWS = 50_000
SPLITS = ("train", "test")


def features() -> Any:
    """The `datasets.Features` of the default config (imported lazily: datasets is slow to load)."""
    from datasets import Features, Value

    return Features(
        {"sentence1": Value("string"), "sentence2": Value("string"), "score": Value("float32")}
    )


def shard_name(split: str) -> str:
    return f"{split}-00000-of-00001.parquet"


class SplitWriter:
    """Buffers one split's rows and writes them to data/ and provenance/ in row groups."""

    def __init__(self, root: Path, split: str, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.split = split
        self.rows = 0
        self.row_group_rows = row_group_rows
        self._buffer: list[Pair] = []
        (root / "data").mkdir(parents=True, exist_ok=True)
        (root / "provenance").mkdir(parents=True, exist_ok=True)
        opts = {"compression": "zstd", "write_statistics": False}
        self._data = pq.ParquetWriter(root / "data" / shard_name(split), DATA_SCHEMA, **opts)
        self._prov = pq.ParquetWriter(
            root / "provenance" / shard_name(split), PROVENANCE_SCHEMA, **opts
        )

    def add(self, pair: Pair) -> None:
        self._buffer.append(pair)
        if len(self._buffer) >= self.row_group_rows:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        rows = self._buffer
        self._buffer = []
        data = pa.table(
            {
                "sentence1": [p.sentence1 for p in rows],
                "sentence2": [p.sentence2 for p in rows],
                "score": pa.array([p.score for p in rows], pa.float32()),
            },
            schema=DATA_SCHEMA,
        )
        prov = pa.table(
            {
                "split": [self.split] * len(rows),
                "row": list(range(self.rows, self.rows + len(rows))),
                "kind": [p.kind for p in rows],
                "source": [p.source for p in rows],
                "sentence_index": [p.sentence_index for p in rows],
                "edits": [
                    [
                        {
                            "op": e.op,
                            "start": e.start,
                            "end": e.end,
                            "before": e.before,
                            "after": e.after,
                            "lemma": e.lemma,
                        }
                        for e in p.edits
                    ]
                    for p in rows
                ],
            },
            schema=PROVENANCE_SCHEMA,
        )
        self._data.write_table(data)
        self._prov.write_table(prov)
        self.rows += len(rows)

    def close(self) -> None:
        self.flush()
        self._data.close()
        self._prov.close()


CONFIGS = (("default", "data", DATA_SCHEMA), ("provenance", "provenance", PROVENANCE_SCHEMA))
"""The folder's configs: (config name, subfolder, schema); the card's `configs:` follow this."""


def dataset_info(folder: Path, configs: tuple[str, ...] = ("default", "provenance")) -> list[Any]:
    """The card's `dataset_info` list for `folder`'s shards, written by `datasets` itself.

    Why it matters beyond the Hub page: `datasets` folds a local folder's `dataset_info` into its
    cache key, so with exact split sizes here a rebuilt folder never loads stale rows from the
    default cache. `num_bytes` is measured the way `datasets`' parquet builder does (the Arrow
    size of each row group as read back), `download_size` is the shards' size on disk.

        dataset_info(Path("output"))[0]["splits"]  # [{'name': 'train', 'num_bytes': ..., ...}]
    """
    from datasets import DatasetInfo, Features, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCardData

    infos = DatasetInfosDict()
    for name, sub, schema in CONFIGS:
        if name not in configs:
            continue
        splits, download, size = SplitDict(), 0, 0
        for split in SPLITS:
            path = folder / sub / shard_name(split)
            if path.is_file():
                examples, nbytes = _arrow_size(path)
                splits.add(SplitInfo(name=split, num_bytes=nbytes, num_examples=examples))
                download += path.stat().st_size
                size += nbytes
        infos[name] = DatasetInfo(
            config_name=name,
            features=Features.from_arrow_schema(schema),
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
    for name, sub, _ in CONFIGS:
        digest = hashlib.sha256()
        for split in SPLITS:
            path = folder / sub / shard_name(split)
            if path.is_file():
                digest.update(f"{split}\0".encode())
                digest.update(path.read_bytes())
        digests[name] = digest.hexdigest()[:16]
    return digests


def _arrow_size(path: Path) -> tuple[int, int]:
    """(rows, Arrow bytes) of one shard, read row group by row group as `datasets` reads it."""
    shard = pq.ParquetFile(path)
    nbytes = sum(shard.read_row_group(i).nbytes for i in range(shard.num_row_groups))
    return shard.metadata.num_rows, nbytes
