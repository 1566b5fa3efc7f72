"""Text sources: JSONL, CSV, parquet, `datasets` folders, a Hub dataset (the fake Hub), stdin.

Each source is read with the real reader it uses for users (pyarrow, the csv and json modules,
`datasets.load_from_disk`, `datasets.load_dataset(..., streaming=True)` against
`tests/hub_server.py`), and each one is built from once, end to end.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import huggingface_hub.constants as hf_constants
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hub_server import CORPUS, FakeHub, point_readers_at

from pairgen import build
from pairgen.cli import main as cli
from pairgen.errors import CorpusError, UsageError
from pairgen.ingest.sources import Unreadable, find_sources, iter_texts, read_source

ROOT = Path(__file__).resolve().parents[1]
ROWS = [p for paragraphs in CORPUS.values() for p in paragraphs]
"""Seven paragraphs of Ukrainian prose (about 28 sentences): one row each."""

# The client's LFS code passes a file as `data=`, which httpx2 deprecates; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")


def parquet_file(table: pa.Table, **kwargs: object) -> bytes:
    """The bytes of `table` written as a parquet file."""
    buf = io.BytesIO()
    pq.write_table(table, buf, **kwargs)
    return buf.getvalue()


def texts(location: object, column: str = "text", **kwargs: object) -> tuple[list[str], dict]:
    facts: dict = {}
    return list(iter_texts(location, column, facts=facts, **kwargs)), facts  # type: ignore[arg-type]


# --- JSONL -----------------------------------------------------------------------------------
def test_jsonl_rows_in_order_blank_and_null_texts_counted(tmp_path: Path) -> None:
    f = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(ROWS[:3])]
    lines[1:1] = ["", json.dumps({"id": 9, "text": None}), json.dumps({"id": 8, "text": "  "})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")

    got, facts = texts(f)

    assert got == ROWS[:3]
    assert facts == {"text_column": "text", "rows": 5, "empty_rows": 2, "format": "jsonl"}


def test_jsonl_gz_and_another_column(tmp_path: Path) -> None:
    f = tmp_path / "news.jsonl.gz"
    body = "".join(json.dumps({"body": t}, ensure_ascii=False) + "\n" for t in ROWS)
    f.write_bytes(gzip.compress(body.encode()))
    assert texts(f, "body")[0] == ROWS


def test_jsonl_bad_lines_after_good_ones_are_counted_not_fatal(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"text": "Перше речення."}\n{"text": \n[1, 2]\n{"text": "Друге."}\n')
    got, facts = texts(f)
    assert got == ["Перше речення.", "Друге."]
    assert (facts["bad_lines"], facts["first_bad_line"]) == (2, 2)
    warnings: list[str] = []
    (source,) = find_sources(str(f), warnings.append)
    assert len(list(read_source(source, {}, warnings.append))) == 2
    assert warnings == ["a.jsonl: 2 line(s) that are not JSON objects were skipped (first: line 2)"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json at all\n", r"a\.jsonl: line 1 is not JSON Lines"),
        (
            '{"body": "x", "id": 1}\n',
            r"a\.jsonl \(line 1\): no column 'text' \(columns: body, id\)",
        ),
    ],
)
def test_jsonl_that_cannot_be_read_says_why(tmp_path: Path, body: str, message: str) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(body)
    with pytest.raises(Unreadable, match=message):
        texts(f)


# --- CSV / TSV -------------------------------------------------------------------------------
def test_csv_from_a_spreadsheet_cp1251_semicolons_and_quoted_line_breaks(tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    rows = ["id;text"] + [f'{i};"{t}"' for i, t in enumerate(ROWS[:2])] + ['3;"Рядок,\nдругий."']
    f.write_bytes("\r\n".join(rows).encode("cp1251"))

    got, facts = texts(f)

    assert got == [*ROWS[:2], "Рядок,\nдругий."]
    assert (facts["encoding"], facts["format"]) == ("cp1251", "csv")


def test_csv_utf8_bom_commas_and_tsv(tmp_path: Path) -> None:
    csv_file = tmp_path / "a.csv"
    csv_file.write_text('\ufefftext,n\n"Одне, з комою.",1\nДруге.,2\n', encoding="utf-8")
    tsv = tmp_path / "a.tsv"
    tsv.write_text("n\ttext\n1\tТретє; з крапкою з комою.\n", encoding="utf-8")
    assert texts(csv_file)[0] == ["Одне, з комою.", "Друге."]
    assert texts(tsv)[0] == ["Третє; з крапкою з комою."]


def test_csv_without_the_column_names_the_columns(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("title,body\nA,B\n")
    with pytest.raises(Unreadable, match=r"no column 'text' \(columns: title, body\); pass --text"):
        texts(f)


def test_csv_fields_longer_than_the_csv_modules_default_limit(tmp_path: Path) -> None:
    long = " ".join([ROWS[0]] * 1000)  # ~200,000 characters, over csv's 131,072
    f = tmp_path / "a.csv"
    f.write_text(f'text\n"{long}"\n', encoding="utf-8")
    assert texts(f)[0] == [long]


# --- parquet ---------------------------------------------------------------------------------
def test_parquet_reads_the_text_column_across_row_groups(tmp_path: Path) -> None:
    f = tmp_path / "a.parquet"
    values = [*ROWS, None]
    pq.write_table(pa.table({"n": range(len(values)), "text": values}), f, row_group_size=3)
    got, facts = texts(f)
    assert got == ROWS
    assert (facts["rows"], facts["empty_rows"], facts["format"]) == (8, 1, "parquet")


def test_parquet_reads_only_the_text_column_a_batch_at_a_time(tmp_path: Path) -> None:
    """A 64 MB column beside the text never reaches memory: Arrow's allocations stay small."""
    f = tmp_path / "wide.parquet"
    n = 4096
    blob = pa.array([os.urandom(16 * 1024) for _ in range(n)], pa.binary())
    pq.write_table(pa.table({"blob": blob, "text": [ROWS[i % 7] for i in range(n)]}), f)
    del blob
    start = pa.total_allocated_bytes()
    peak = 0
    count = 0
    for _ in iter_texts(f):
        count += 1
        peak = max(peak, pa.total_allocated_bytes() - start)
    assert count == n
    assert f.stat().st_size > 60_000_000
    assert peak < 8_000_000, peak


def test_a_corrupt_parquet_file_says_so(tmp_path: Path) -> None:
    f = tmp_path / "a.parquet"
    f.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(Unreadable, match=r"a\.parquet: not a readable parquet file"):
        texts(f)


# --- datasets folders ------------------------------------------------------------------------
def test_save_to_disk_folder_reads_every_split_in_order(tmp_path: Path) -> None:
    from datasets import Dataset, DatasetDict

    folder = tmp_path / "saved"
    DatasetDict(
        {
            "train": Dataset.from_dict({"text": ROWS[:5], "n": list(range(5))}),
            "test": Dataset.from_dict({"text": ROWS[5:], "n": [5, 6]}),
        }
    ).save_to_disk(str(folder))

    got, facts = texts(folder)

    assert got == ROWS
    assert facts["splits"] == ["train", "test"]
    assert facts["format"] == "datasets folder (save_to_disk)"


def test_hub_layout_folder_reads_its_configured_splits_not_every_file(tmp_path: Path) -> None:
    """A pairgen output folder is one: its `provenance` parquet (no text) is not read."""
    from hub_server import write_layout_folder

    folder = write_layout_folder(tmp_path / "pairs")
    assert [s.kind for s in find_sources(str(folder), print)] == ["dataset"]
    got, facts = texts(folder, "sentence2")
    assert got[:2] == ["Сонце  сходило над рікою.", "діти бігли до школи."]
    assert facts["splits"] == ["train", "test"] and facts["rows"] == 5
    with pytest.raises(Unreadable, match=r"pairs \(split train\): no column 'text'"):
        texts(folder)


# --- finding sources and skipped files -------------------------------------------------------
def test_a_folder_mixes_text_and_table_files_and_lists_what_it_skips(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ROWS[0], encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": ROWS[1]}) + "\n")
    (tmp_path / "c.csv").write_text("text\nx\n")
    (tmp_path / "d.parquet").write_bytes(parquet_file(pa.table({"text": ["x"]})))
    for name in ("README.md", "page.xhtml", "book.docx", "scan.pdf", "data.json", "photo.png"):
        (tmp_path / name).write_bytes(b"x")
    warnings: list[str] = []

    sources = find_sources(str(tmp_path), warnings.append)

    assert [(s.kind, s.name) for s in sources] == [
        ("text", "a.txt"),
        ("table", "b.jsonl"),
        ("table", "c.csv"),
        ("table", "d.parquet"),
    ]
    assert warnings == [
        f"skipping {tmp_path / 'README.md'}: it describes the folder (README, SOURCES, "
        "LICENSE...); it is not corpus text",
        f"skipping {tmp_path / 'book.docx'}: a word-processor document; save it as .txt",
        f"skipping {tmp_path / 'data.json'}: JSON is read only as JSON Lines: name it .jsonl, "
        "one object a line",
        f"skipping {tmp_path / 'page.xhtml'}: XHTML is not read; save the page as .html or .txt",
        f"skipping {tmp_path / 'photo.png'}: not a corpus file (.txt, .txt.gz, .md, .markdown, "
        ".html, .htm, .jsonl, .jsonl.gz, .csv, .csv.gz, .tsv, .tsv.gz, .parquet)",
        f"skipping {tmp_path / 'scan.pdf'}: a PDF or scan; extract its text to .txt first "
        "(e.g. pdftotext)",
    ]


def test_many_skipped_files_are_named_then_counted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ROWS[0], encoding="utf-8")
    for i in range(25):
        (tmp_path / f"img{i:02d}.png").write_bytes(b"x")
    (tmp_path / "z.xhtml").write_text("<p>x</p>")
    warnings: list[str] = []
    find_sources(str(tmp_path), warnings.append)
    assert len(warnings) == 21
    assert warnings[-1] == "skipping 6 more files that are not corpus files (5 .png, 1 .xhtml)"


def test_a_table_in_a_folder_that_cannot_be_read_is_skipped_a_lone_one_is_an_error(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"nope")
    source = find_sources(str(bad), print)[0]
    entry: dict = {}
    warnings: list[str] = []
    assert list(read_source(source, entry, warnings.append)) == []
    assert entry["skipped"] and warnings == [f"skipping {entry['reason']}"]
    with pytest.raises(Unreadable, match="not a readable parquet file"):
        list(read_source(source, {}, print, only=True))


def test_revision_belongs_to_a_hub_corpus(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--revision applies to a Hub dataset corpus"):
        build(tmp_path, tmp_path / "out", revision="main")
    with pytest.raises(CorpusError, match="not a Hub dataset: use hf://datasets/OWNER/NAME"):
        find_sources("hf://datasets/a/b/c", print)


# --- builds from each source -----------------------------------------------------------------
def test_build_from_a_folder_of_tables_records_each_source(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in ROWS[:3])
    )
    (corpus / "b.csv").write_bytes(
        ("text\n" + "".join(f'"{t}"\n' for t in ROWS[3:5])).encode("cp1251")
    )
    (corpus / "c.parquet").write_bytes(parquet_file(pa.table({"text": ROWS[5:]})))

    report = build(corpus, tmp_path / "out", n=30, seed=1, workers=1, test_size=0)

    files = {f["path"]: f for f in report.manifest["corpus"]["files"]}
    assert list(files) == ["a.jsonl", "b.csv", "c.parquet"]
    for name, f in files.items():
        assert f["sha256"] == hashlib.sha256((corpus / name).read_bytes()).hexdigest()
        assert f["text_column"] == "text" and f["empty_rows"] == 0
    assert [f["rows"] for f in files.values()] == [3, 2, 2]
    assert files["b.csv"]["encoding"] == "cp1251"
    sources = set(pq.read_table(tmp_path / "out" / "provenance").column("source").to_pylist())
    assert sources == {"a.jsonl", "b.csv", "c.parquet"}
    assert report.counts["sentences_kept"] >= 25


def test_build_from_a_save_to_disk_folder(tmp_path: Path) -> None:
    from datasets import Dataset

    folder = tmp_path / "saved"
    Dataset.from_dict({"content": ROWS}).save_to_disk(str(folder))

    report = build(
        folder, tmp_path / "out", n=30, seed=1, workers=1, test_size=0, text_column="content"
    )

    (entry,) = report.manifest["corpus"]["files"]
    assert entry["path"] == "saved" and entry["rows"] == 7 and len(entry["sha256"]) == 64
    assert report.manifest["options"]["text_column"] == "content"
    assert "--text-column content" in report.manifest["command"]


def test_build_from_stdin(tmp_path: Path) -> None:
    text = "\n".join(ROWS) + "\n"
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", "-", "-o", str(out), "-n", "30", "--workers", "1", "-q", "--test-size", "0"],
        input=text,
    )
    assert result.exit_code == 0, result.output
    (entry,) = json.loads((out / "pairgen.json").read_text())["corpus"]["files"]
    assert entry == {
        "path": "<stdin>",
        "bytes": len(text.encode()),
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "encoding": "utf-8",
    }


def test_build_lists_the_files_it_skips_without_verbose(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("\n".join(ROWS), encoding="utf-8")
    (corpus / "b.docx").write_bytes(b"PK")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(corpus),
            "-o",
            str(tmp_path / "out"),
            "-n",
            "20",
            "--workers",
            "1",
            "--test-size",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"warning: skipping {corpus / 'b.docx'}: a word-processor document" in result.output


# --- the Hub ---------------------------------------------------------------------------------
@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The fake Hub with `bob/uk-news` (two commits) and the client's caches in tmp_path."""
    from huggingface_hub import HfFileSystem

    with FakeHub() as fake:
        point_readers_at(fake, monkeypatch, tmp_path)
        fake.old = fake.publish(  # type: ignore[attr-defined]
            "bob/uk-news",
            {"data/train-00000-of-00001.parquet": parquet_file(pa.table({"text": ROWS[:2]}))},
        )
        fake.new = fake.publish(  # type: ignore[attr-defined]
            "bob/uk-news",
            {
                "data/train-00000-of-00001.parquet": parquet_file(pa.table({"text": ROWS[:5]})),
                "data/test-00000-of-00001.parquet": parquet_file(pa.table({"text": ROWS[5:]})),
            },
        )
        yield fake
    HfFileSystem.clear_instance_cache()


def test_hub_dataset_streams_the_resolved_commit(hub: FakeHub) -> None:
    got, facts = texts("hf://datasets/bob/uk-news")
    assert got == ROWS
    assert facts["revision"] == hub.new and facts["requested_revision"] == "main"  # type: ignore[attr-defined]
    assert facts["splits"] == ["train", "test"]
    old, facts = texts("hf://datasets/bob/uk-news", revision=hub.old)  # type: ignore[attr-defined]
    assert old == ROWS[:2] and facts["revision"] == hub.old  # type: ignore[attr-defined]
    assert hub.unknown == []
    reads = [r for r in hub.requests if r.path.endswith(".parquet") and r.method == "GET"]
    assert reads and all("range" in r.headers for r in reads)  # streamed, never fetched whole


@pytest.mark.parametrize(
    ("corpus", "revision", "message"),
    [
        ("hf://datasets/bob/none", None, "not found on the Hub"),
        ("hf://datasets/bob/uk-news", "v9", "no revision 'v9'"),
    ],
)
def test_hub_errors_name_the_dataset(
    hub: FakeHub, corpus: str, revision: str | None, message: str
) -> None:
    with pytest.raises(Unreadable, match=f"{corpus}: {message}"):
        texts(corpus, revision=revision)


def test_hub_offline_fails_at_once(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(Unreadable, match="HF_HUB_OFFLINE is set"):
        texts("hf://datasets/bob/uk-news")
    assert hub.requests == []


def test_a_hub_build_records_the_commit_it_read_for_a_replay(hub: FakeHub, tmp_path: Path) -> None:
    report = build("hf://datasets/bob/uk-news", tmp_path / "out", n=20, workers=1, test_size=0)
    new = hub.new  # type: ignore[attr-defined]
    assert report.manifest["options"]["revision"] == new
    assert f"--revision {new}" in report.manifest["command"]


def test_build_from_a_hub_id_in_a_fresh_process(hub: FakeHub, tmp_path: Path) -> None:
    """As a user runs it: HF_ENDPOINT in the environment, `pairgen build hf://...`."""
    out = tmp_path / "out"
    env = {
        **os.environ,
        "HF_ENDPOINT": hub.url,
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_HUB_DISABLE_XET": "1",
    }
    env.pop("HF_TOKEN", None)
    old = hub.old  # type: ignore[attr-defined]
    command = [sys.executable, "-m", "pairgen", "build", "hf://datasets/bob/uk-news"]
    command += ["--revision", old, "-o", str(out), "-n", "5", "--workers", "1", "--test-size", "0"]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "pairgen.json").read_text())
    (entry,) = manifest["corpus"]["files"]
    assert entry["path"] == "hf://datasets/bob/uk-news"
    assert (entry["revision"], entry["requested_revision"]) == (old, old)
    assert entry["rows"] == 2
    assert "--revision " + old in manifest["command"]


def test_a_table_corpus_gives_the_same_bytes_whatever_the_workers(tmp_path: Path) -> None:
    from outputs import parquet_bytes

    corpus = tmp_path / "news.parquet"
    corpus.write_bytes(parquet_file(pa.table({"text": ROWS}), row_group_size=2))
    for workers in (1, 2):
        build(corpus, tmp_path / f"w{workers}", n=30, seed=5, workers=workers, test_size=0)
    assert parquet_bytes(tmp_path / "w1") == parquet_bytes(tmp_path / "w2")
