"""Where the corpus text comes from: text files, tables, `datasets` folders, Hub datasets, stdin.

Ukrainian corpora on the Hub are mostly parquet or JSONL with a text column, so besides `.txt`
files `pairgen build` reads one column (`--text-column`, default `text`) of each row of a
`.jsonl`/`.csv`/`.tsv`/`.parquet` file, of a folder `datasets` loads (`save_to_disk` output, or a
Hub-layout folder whose card declares its configs), of a Hub dataset (`hf://datasets/OWNER/NAME`
at `--revision`), and the text on standard input (`-`). A row is a small document: its text is
cleaned and split into paragraphs as a file's is.

Everything streams, so memory does not grow with the source: a parquet file is read a record
batch at a time and only the text column is decoded; JSONL and CSV a line at a time; a
`save_to_disk` folder is memory-mapped; a Hub dataset goes through `datasets`' streaming mode
(HTTP range requests, nothing downloaded whole). Rows come in the source's order (splits in the
card's order), so reading is deterministic. A Hub revision is resolved to its commit first and
that commit is read, so the manifest names exactly what was read.

`iter_texts` is the reusable part (an exclusion list can be read with it too):

    >>> facts: dict = {}
    >>> texts = list(iter_texts("news.parquet", "text", facts=facts))   # doctest: +SKIP
    >>> facts                                                           # doctest: +SKIP
    {'text_column': 'text', 'rows': 1200, 'empty_rows': 3, 'format': 'parquet'}
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pairgen.errors import CorpusError
from pairgen.ingest.read import (
    CHUNK,
    SAMPLE,
    TABLE_SUFFIXES,
    Warn,
    corpus_files,
    detect_encoding,
    read_document,
    sha256_file,
    text_paragraphs,
)
from pairgen.text import safe_text

HUB_PREFIX = "hf://datasets/"
STDIN = "-"
STDIN_NAME = "<stdin>"
"""What provenance and the manifest call text read from standard input."""
BATCH_ROWS = 1024
"""Rows decoded at a time from a parquet file or a `save_to_disk` dataset."""
MAX_FIELD = 100_000_000
"""Characters in one CSV field at most (the csv module's own limit is 131,072)."""
HUB_TIMEOUT_S = 10.0


class Unreadable(CorpusError):
    """A table or dataset that cannot be read; the message names it and says why."""


# --- what the corpus argument names --------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """One thing the build reads: `kind` is text, table, dataset or stdin; `name` is what
    provenance and the manifest call it (a path relative to the corpus folder, a Hub URL)."""

    kind: str
    location: str
    name: str
    root: str = "."


def table_format(name: str) -> str | None:
    """`jsonl`, `csv`, `tsv` or `parquet` for a file name with a table suffix, else None."""
    lower = name.lower()
    for suffix in TABLE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix.split(".")[1]
    return None


def is_remote(corpus: str) -> bool:
    """Whether the corpus argument names stdin or the Hub rather than a local path."""
    return corpus == STDIN or corpus.startswith(HUB_PREFIX)


def hub_repo_id(corpus: str) -> str | None:
    """`OWNER/NAME` for `hf://datasets/OWNER/NAME`; None for anything else."""
    if not corpus.startswith(HUB_PREFIX):
        return None
    repo = corpus[len(HUB_PREFIX) :].strip("/")
    if "@" in repo:
        raise CorpusError(f"{corpus}: give the revision with --revision, not after '@'")
    parts = repo.split("/")
    if len(parts) > 2 or not all(parts):
        raise CorpusError(f"{corpus} is not a Hub dataset: use hf://datasets/OWNER/NAME")
    return repo


def is_datasets_folder(path: Path) -> bool:
    """A folder `datasets` loads as a whole: `save_to_disk` output, or a Hub-layout folder whose
    card declares `configs:` or `dataset_info:` (then its splits count, not every file in it)."""
    if (path / "dataset_dict.json").is_file() or (path / "state.json").is_file():
        return True
    try:
        with open(path / "README.md", encoding="utf-8", errors="replace") as card:
            head = card.read(SAMPLE)
    except OSError:
        return False
    if not head.startswith("---"):
        return False
    front = head.split("\n---", 1)[0]
    return any(line.startswith(("configs:", "dataset_info:")) for line in front.splitlines())


def find_sources(corpus: str, warn: Warn) -> list[Source]:
    """The sources the corpus argument names, in reading order.

    `-` is standard input; `hf://datasets/OWNER/NAME` a Hub dataset; a folder `datasets` can
    load is one dataset; any other folder is walked for text and table files
    (`pairgen.ingest.read.corpus_files`, which also lists the files it will not read).
    """
    if corpus == STDIN:
        return [Source("stdin", STDIN, STDIN_NAME)]
    if hub_repo_id(corpus) is not None:
        return [Source("dataset", corpus, corpus.rstrip("/"))]
    path = Path(corpus)
    if path.is_dir() and is_datasets_folder(path):
        return [Source("dataset", corpus, path.resolve().name or corpus)]
    root = path if path.is_dir() else path.parent
    return [
        Source(
            "table" if table_format(p.name) else "text",
            str(p),
            safe_text(p.relative_to(root).as_posix()),  # a name that is not UTF-8: \xNN
            str(root),
        )
        for p in corpus_files(path, warn=warn)
    ]


# --- reading a source ----------------------------------------------------------------------
def read_source(
    source: Source,
    entry: dict[str, Any],
    warn: Warn,
    *,
    text_column: str = "text",
    revision: str | None = None,
    only: bool = False,
) -> Iterator[str]:
    """The paragraphs of one source; `entry` receives its manifest record (sha256 or revision).

    An unusable source is skipped with a warning (`entry["skipped"]`), unless it is the `only`
    source of the corpus (the error ends the build then), or it failed part-way (a build from
    half a dataset would look complete, so that ends the build too).
    """
    if source.kind in ("text", "stdin"):
        yield from _read_text(source, entry, warn)
        return
    facts: dict[str, Any] = {}
    entry["format"] = table_format(source.name) or "dataset"
    try:
        for text in iter_texts(source.location, text_column, revision=revision, facts=facts):
            yield from text_paragraphs(text)
    except Unreadable as e:
        if only or facts.get("rows"):
            raise
        warn(f"skipping {e}")
        entry.update(skipped=True, reason=str(e))
        return
    entry.update(facts)
    if facts.get("bad_lines"):
        warn(
            f"{source.name}: {facts['bad_lines']} line(s) that are not JSON objects were skipped "
            f"(first: line {facts['first_bad_line']})"
        )
    if facts["empty_rows"]:
        warn(
            f"{source.name}: {facts['empty_rows']} of {facts['rows']} rows have no text in "
            f"column {text_column!r}"
        )
    if facts["rows"] == facts["empty_rows"]:
        reason = f"{source.name}: no row has text in column {text_column!r}"
        if only:
            raise Unreadable(reason)
        warn(f"skipping {reason}")
        entry.update(skipped=True, reason=reason)
    elif source.kind == "table":
        path = Path(source.location)
        entry.update(bytes=path.stat().st_size, sha256=sha256_file(path))
    elif "revision" not in facts:
        entry["sha256"] = sha256_tree(Path(source.location))


def _read_text(source: Source, entry: dict[str, Any], warn: Warn) -> Iterator[str]:
    if source.kind == "stdin":
        stream = _Hashing(_stdin())
        doc = read_document(Path(STDIN_NAME), Path("."), warn, stream=stream)  # type: ignore[arg-type]
        facts = {"bytes": stream.size, "sha256": stream.sha256.hexdigest()}
    else:
        path = Path(source.location)
        doc = read_document(path, Path(source.root), warn)
        facts = {"bytes": path.stat().st_size, "sha256": sha256_file(path)} if doc else {}
    if doc is None:
        entry["skipped"] = True  # read_document warned why
        return
    entry.update(facts, encoding=doc.encoding)
    if doc.replaced:
        entry["replaced_bytes"] = doc.replaced
    if doc.format != "text":  # Markdown or HTML, read without markup
        entry["format"] = doc.format
    if doc.markup:
        entry["markup_lines"] = dict(doc.markup)
    yield from doc.paragraphs


def _stdin() -> BinaryIO:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text-only stream put in place of stdin
        return io.BytesIO(sys.stdin.read().encode("utf-8"))
    return buffer  # type: ignore[no-any-return]


class _Hashing(io.RawIOBase):
    """Passes a stream's bytes through, hashing and counting them (stdin cannot be read twice)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._stream.read(-1 if size is None else size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def sha256_tree(folder: Path) -> str:
    """One SHA-256 for a folder's files (relative path and content of each, in name order)."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if not any(part.startswith(".") for part in rel.split("/")):
            h.update(f"{rel}\0{sha256_file(path)}\n".encode())
    return h.hexdigest()


# --- rows ----------------------------------------------------------------------------------
def iter_texts(
    location: str | os.PathLike[str],
    text_column: str = "text",
    *,
    revision: str | None = None,
    facts: dict[str, Any] | None = None,
) -> Iterator[str]:
    """The text column of every row of a table file, `datasets` folder or Hub dataset, in order.

    `location` is a `.jsonl`/`.csv`/`.tsv` file (also gzipped) or a `.parquet` file, a folder
    `datasets` loads (see `is_datasets_folder`), or `hf://datasets/OWNER/NAME` at `revision`
    (default: the main branch). Rows whose text is missing, null or blank are counted in
    `facts["empty_rows"]`, not yielded. `facts` also receives the format, the row count and, for
    the Hub, the commit read. Raises `Unreadable` (naming the source and the reason) when the
    source cannot be read; nothing is downloaded whole or loaded into memory at once.
    """
    facts = facts if facts is not None else {}
    facts.update(text_column=text_column, rows=0, empty_rows=0)
    repo = hub_repo_id(str(location))
    if repo is not None:
        rows = _hub_rows(repo, text_column, revision, facts)
    else:
        path = Path(location)
        if revision is not None:
            raise CorpusError(f"--revision is for a Hub dataset (hf://datasets/...), not {path}")
        fmt = table_format(path.name)
        if path.is_dir():
            rows = _folder_rows(path, text_column, facts)
        elif fmt == "parquet":
            rows = _parquet_rows(path, text_column)
        elif fmt == "jsonl":
            rows = _jsonl_rows(path, text_column, facts)
        elif fmt in ("csv", "tsv"):
            rows = _csv_rows(path, text_column, "\t" if fmt == "tsv" else None, facts)
        else:
            raise Unreadable(f"{path}: not a table file ({', '.join(TABLE_SUFFIXES)})")
        facts.setdefault("format", fmt)
    for value in rows:
        facts["rows"] += 1
        if isinstance(value, str) and value.strip():
            yield value
        else:
            facts["empty_rows"] += 1


def _open(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _no_column(where: object, column: str, columns: list[str]) -> Unreadable:
    have = ", ".join(map(str, columns[:12])) + (", ..." if len(columns) > 12 else "")
    return Unreadable(
        f"{where}: no column {column!r} (columns: {have or 'none'}); pass --text-column"
    )


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def _jsonl_rows(path: Path, column: str, facts: dict[str, Any]) -> Iterator[Any]:
    """One JSON object a line. A line that is not one is counted and warned about (like a bad
    byte in a text file), unless no line before it was: then the file is not JSON Lines."""
    bad = 0
    good = False
    try:
        with _open(path) as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as e:
                    row, error = None, str(e)
                else:
                    error = "" if isinstance(row, dict) else "not a JSON object"
                if error:
                    if not good:
                        raise Unreadable(f"{path}: line {number} is not JSON Lines ({error})")
                    bad += 1
                    facts.setdefault("first_bad_line", number)
                    continue
                if not good and column not in row:
                    raise _no_column(f"{path} (line {number})", column, list(row))
                good = True
                yield row.get(column)
    except (OSError, EOFError) as e:
        raise Unreadable(f"{path}: cannot read it ({_reason(e)})") from None
    if bad:
        facts["bad_lines"] = bad


def _csv_rows(
    path: Path, column: str, delimiter: str | None, facts: dict[str, Any]
) -> Iterator[Any]:
    """A header line, then rows; UTF-8 (a BOM is fine), or cp1251/koi8-u as text files are
    detected. The delimiter is `,` unless the header has more `;` or tabs (spreadsheets saved
    in a Ukrainian locale use `;`)."""
    limit = csv.field_size_limit()
    try:
        with _open(path) as stream:
            sample = stream.read(SAMPLE)
            try:
                encoding = detect_encoding(sample, complete=len(sample) < SAMPLE)
            except ValueError as e:
                raise Unreadable(f"{path}: {e}") from None
            facts["encoding"] = encoding
            raw = io.BufferedReader(_Prefixed(sample, stream), CHUNK)
            text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
            head = sample.decode(encoding, "replace").split("\n", 1)[0]
            if delimiter is None:
                delimiter = max(",;\t", key=lambda d: (head.count(d), d == ","))
            csv.field_size_limit(MAX_FIELD)
            reader = csv.reader(text, delimiter=delimiter)
            try:
                header = next(reader, None)
                if header is None:
                    return
                header = [h.strip() for h in header]
                if column not in header:
                    raise _no_column(path, column, header)
                at = header.index(column)
                for row in reader:
                    yield row[at] if at < len(row) else None
            except csv.Error as e:
                raise Unreadable(f"{path}: line {reader.line_num} is not CSV ({e})") from None
    except (OSError, EOFError) as e:
        raise Unreadable(f"{path}: cannot read it ({_reason(e)})") from None
    finally:
        csv.field_size_limit(limit)


class _Prefixed(io.RawIOBase):
    """A binary stream that first gives back the bytes already read from it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _parquet_rows(path: Path, column: str) -> Iterator[Any]:
    """Record batches of the text column alone. `pre_buffer=False` with a read buffer streams
    each column chunk instead of reading a whole row group first."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path, buffer_size=CHUNK, pre_buffer=False)
    except (OSError, pa.ArrowException) as e:
        raise Unreadable(f"{path}: not a readable parquet file ({_reason(e)})") from None
    with parquet:
        names = parquet.schema_arrow.names
        if column not in names:
            raise _no_column(path, column, names)
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=[column]):
                yield from batch.column(0).to_pylist()
        except (OSError, pa.ArrowException) as e:
            raise Unreadable(f"{path}: cannot read it ({_reason(e)})") from None


# --- datasets ------------------------------------------------------------------------------
def _folder_rows(path: Path, column: str, facts: dict[str, Any]) -> Iterator[Any]:
    """A `save_to_disk` folder (memory-mapped Arrow) or a Hub-layout folder (streamed)."""
    if not is_datasets_folder(path):
        raise Unreadable(f"{path}: a folder of files, not a dataset `datasets` can load")
    if not ((path / "dataset_dict.json").is_file() or (path / "state.json").is_file()):
        facts["format"] = "datasets folder (Hub layout)"
        yield from _streamed(str(path), None, column, facts, str(path))
        return
    from datasets import load_from_disk

    facts["format"] = "datasets folder (save_to_disk)"
    try:
        loaded: Any = load_from_disk(str(path))
    except Exception as e:  # FileNotFoundError, ValueError, JSON errors: datasets has no base
        raise Unreadable(f"{path}: not a readable save_to_disk folder ({_reason(e)})") from None
    splits = dict(loaded) if hasattr(loaded, "keys") else {"train": loaded}
    facts["splits"] = list(splits)
    for name, split in splits.items():
        if column not in split.column_names:
            raise _no_column(f"{path} (split {name})", column, split.column_names)
        for batch in split.select_columns([column]).iter(batch_size=BATCH_ROWS):
            yield from batch[column]


def _hub_rows(repo: str, column: str, revision: str | None, facts: dict[str, Any]) -> Iterator[Any]:
    """Resolve `revision` to a commit, then stream that commit (see `_streamed`)."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    where = HUB_PREFIX + repo
    facts["format"] = "Hub dataset"
    facts["requested_revision"] = revision or "main"
    try:
        info = HfApi().dataset_info(repo, revision=revision, timeout=HUB_TIMEOUT_S)
    except RevisionNotFoundError:
        raise Unreadable(f"{where}: no revision {revision!r} (a branch, tag or commit)") from None
    except GatedRepoError:
        raise Unreadable(
            f"{where}: a gated dataset; accept its terms on the Hub, then `hf auth login`"
        ) from None
    except RepositoryNotFoundError:
        raise Unreadable(
            f"{where}: not found on the Hub (if it is private, log in: `hf auth login`)"
        ) from None
    except OfflineModeIsEnabled:
        raise Unreadable(f"{where}: HF_HUB_OFFLINE is set, so the Hub is not read") from None
    except (HfHubHTTPError, OSError) as e:
        raise Unreadable(f"{where}: cannot reach the Hub ({_reason(e)})") from None
    except Exception as e:  # httpx's connection errors share no base with the ones above
        raise Unreadable(f"{where}: cannot reach the Hub ({type(e).__name__}: {e})") from None
    facts["revision"] = info.sha
    yield from _streamed(repo, info.sha, column, facts, where)


def _streamed(
    path: str, revision: str | None, column: str, facts: dict[str, Any], where: str
) -> Iterator[Any]:
    """Every split of the default config, in the card's order, in streaming mode."""
    from datasets import load_dataset

    try:
        loaded = load_dataset(path, revision=revision, streaming=True)
    except Exception as e:  # datasets' loading errors share no base class
        raise Unreadable(f"{where}: datasets cannot load it ({_reason(e)})") from None
    facts["splits"] = list(loaded)
    for name, split in loaded.items():
        names = split.column_names
        if names is not None and column not in names:
            raise _no_column(f"{where} (split {name})", column, list(names))
        rows = iter(split)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception as e:  # a network or decoding error part-way
                raise Unreadable(f"{where}: reading split {name} failed ({_reason(e)})") from None
            if column not in row:
                raise _no_column(f"{where} (split {name})", column, list(row))
            yield row[column]
