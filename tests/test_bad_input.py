"""The bad-input matrix: one row per thing users feed `pairgen build`, each ending in a clear line.

Every row asserts the exit code, the exact `Error: ...` line (or, for inputs pairgen reads despite
the damage, the exact warning), that stderr holds no traceback, that the corpus is byte-identical
afterwards, and that a previous output folder (written before the run, replaced only by a build
that succeeds) is byte-identical with no temporary folder left beside it.
docs/RELIABILITY.md lists the rows; keep the two in step.

Rows run in-process through click's CliRunner (click >= 8.2 keeps `result.stderr` apart from
stdout), except where a real process is needed: permission rows (root ignores file modes, so the
child runs without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH) and the 50 MB row (peak memory).
"""

from __future__ import annotations

import ctypes
import gzip
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairgen.cli import main
from pairgen.errors import install_hint

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "golden"
UK_TEXT = "".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURE.glob("*.txt")))
"""37 Ukrainian sentences, one per line, that cp1251 and koi8-u can both encode."""
UK_SENTENCES = frozenset(UK_TEXT.splitlines())

FAST = ("-n", "20", "--seed", "1", "--workers", "1", "--segmenter", "rules", "-q")
FAST += ("--augment", "case,spacing")
"""Flags every row passes unless it is about them; synonyms are left out (rows are about input,
and the swap has its own tests), except in the lexicon row."""


# --- what a row is -------------------------------------------------------------------------------
class _Closing:
    """Closes a descriptor when the row is done with it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)


@dataclass
class Case:
    """One row, set up under a test's tmp_path."""

    args: list[str]
    code: int
    message: str | re.Pattern[str] | None
    """The last line of stderr, exactly (or a pattern it must match); None: a build that succeeds
    prints no `Error:` line."""
    warnings: tuple[str, ...] = ()
    """Lines that must appear on stderr as they are."""
    corpus: Path | None = None
    previous: Path | None = None
    """A previous output folder that must come out byte-identical."""
    output: Path | None = None
    """Where a successful build writes; `check` gets it."""
    check: Callable[[Path, str], None] | None = None
    runner: str = "cli"
    """cli (in-process), process (a `python -m pairgen` process in the row's folder),
    unprivileged (a process that file modes bind, even as root) or measured (a process that
    reports its peak memory)."""
    env: dict[str, str] = field(default_factory=dict)
    command: str = "build"
    stdin: bytes | None = None
    hold: _Closing | None = None
    """Kept open while the row runs (a lock another process holds), closed after."""
    cwd: Path | None = None
    """Where a process row runs (default: the row's tmp folder)."""
    leftovers_allowed: tuple[str, ...] = ()
    """Names beside the output that the row itself made (another run's lock file)."""
    secret: str | None = None
    """A token that must not appear on stderr in any form."""
    stdout_has: tuple[str, ...] = ()
    """Lines that must appear on stdout as they are (what inspect or preview reports)."""


def write(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return folder


def previous_output(folder: Path) -> Path:
    """A stand-in for an earlier build's output: the files a user would not want to lose."""
    write(
        folder,
        {
            "README.md": "---\nlanguage:\n- uk\n---\n# an earlier build\n",
            "pairgen.json": '{"seed": 1}\n',
            "data/train-00000-of-00001.parquet": bytes(range(256)) * 4,
            "provenance/train-00000-of-00001.parquet": b"PAR1" * 100,
            ".gitkeep": b"",
        },
    )
    return folder


def build_args(corpus: Path | str, out: Path, *extra: str, overwrite: bool = True) -> list[str]:
    args = [str(corpus), "-o", str(out), *FAST, *extra]
    return [*args, "--overwrite"] if overwrite else args


def failing(tmp: Path, corpus: Path | str, *extra: str, code: int, message: str | re.Pattern[str],
            warnings: tuple[str, ...] = (), **kw: object) -> Case:  # fmt: skip
    """A row that must fail and leave the previous output (written over with --overwrite) alone."""
    out = previous_output(tmp / "out")
    return Case(
        build_args(corpus, out, *extra),
        code,
        message,
        warnings,
        corpus=Path(corpus) if Path(corpus).exists() else None,
        previous=out,
        **kw,  # type: ignore[arg-type]
    )


def succeeding(tmp: Path, corpus: Path, *extra: str, warnings: tuple[str, ...] = (),
               check: Callable[[Path, str], None] | None = None, **kw: object) -> Case:  # fmt: skip
    out = tmp / "new"
    return Case(
        build_args(corpus, out, *extra),
        0,
        None,
        warnings,
        corpus=corpus,
        output=out,
        check=check,
        **kw,  # type: ignore[arg-type]
    )


# --- output checks -------------------------------------------------------------------------------
def manifest(out: Path) -> dict:
    return json.loads((out / "pairgen.json").read_text(encoding="utf-8"))


def rows(out: Path) -> list[dict]:
    return [
        r for p in sorted((out / "data").glob("*.parquet")) for r in pq.read_table(p).to_pylist()
    ]


def decoded_as(encoding: str, name: str = "a.txt") -> Callable[[Path, str], None]:
    """The file's encoding is in the manifest, and every sentence came out as the author wrote it
    (mojibake would not be among the fixture's sentences)."""

    def check(out: Path, stderr: str) -> None:
        files = {f["path"]: f for f in manifest(out)["corpus"]["files"]}
        assert files[name]["encoding"] == encoding
        for row in rows(out):
            assert row["sentence1"] in UK_SENTENCES, row

    return check


# --- the rows ------------------------------------------------------------------------------------
def missing_path(tmp: Path) -> Case:
    gone = tmp / "no-such-folder"
    return failing(
        tmp,
        gone,
        code=1,
        message=f"Error: corpus path {gone} does not exist: give a folder or a .txt file",
    )


def empty_folder(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {})
    message = f"Error: corpus folder {corpus} has no .txt, .txt.gz or table files"
    return failing(tmp, corpus, code=1, message=message)


def only_binary_files(tmp: Path) -> Case:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    elf = b"\x7fELF\x02\x01\x01" + bytes(4000)
    corpus = write(tmp / "corpus", {"scan.txt": png, "tool.txt": elf})
    return failing(
        tmp,
        corpus,
        code=1,
        message=f"Error: no readable text files in {corpus}: nothing to build from",
        warnings=(
            f"warning: skipping {corpus}/scan.txt: it has NUL bytes (first at byte 8): binary, "
            "or UTF-16 without a BOM",
            f"warning: skipping {corpus}/tool.txt: it has NUL bytes (first at byte 7): binary, "
            "or UTF-16 without a BOM",
        ),
    )


def zero_byte_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"a.txt": b""})
    return failing(
        tmp,
        corpus,
        code=1,
        message=f"Error: no readable text files in {corpus}: nothing to build from",
        warnings=(f"warning: skipping {corpus}/a.txt: it is empty",),
    )


def whitespace_only_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"a.txt": " \n\t\n\u00a0\u200b \r\n\n"})
    return failing(
        tmp,
        corpus,
        code=1,
        message=f"Error: no readable text files in {corpus}: nothing to build from",
        warnings=(
            f"warning: skipping {corpus}/a.txt: it holds only whitespace or invisible characters",
        ),
    )


def cp1251_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT.encode("cp1251")})
    return succeeding(tmp, corpus, check=decoded_as("cp1251"))


def koi8u_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT.encode("koi8-u")})
    return succeeding(tmp, corpus, check=decoded_as("koi8-u"))


def utf16_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT.encode("utf-16")})  # with a BOM
    return succeeding(tmp, corpus, check=decoded_as("utf-16"))


def nul_bytes_file(tmp: Path) -> Case:
    """A text file with NUL bytes past the first 64 KiB (a dump with a binary tail) is skipped
    whole, beside a good file that is used."""
    head = (UK_TEXT * 60).encode("utf-8")
    corpus = write(tmp / "corpus", {"good.txt": UK_TEXT, "dump.txt": head + b"\x00\x00\x01" + head})

    def check(out: Path, stderr: str) -> None:
        files = {f["path"]: f for f in manifest(out)["corpus"]["files"]}
        assert files["dump.txt"].get("skipped") is True
        assert files["good.txt"]["encoding"] == "utf-8"

    return succeeding(
        tmp,
        corpus,
        warnings=(
            f"warning: skipping {corpus}/dump.txt: it has NUL bytes (first at byte {len(head)}): "
            "not a text file",
        ),
        check=check,
    )


def invalid_utf8_mid_file(tmp: Path) -> Case:
    """Two bad bytes after the first 64 KiB: the rest is read, the bytes become U+FFFD, the file
    and byte offset are reported, the count is in the manifest and the sentence is dropped."""
    head = (UK_TEXT * 50).encode("utf-8")
    bad = "Цей рядок зіпсовано: ".encode() + b"\xff\xfe" + " далі все гаразд.\n".encode()
    offset = len(head) + len("Цей рядок зіпсовано: ".encode())
    corpus = write(tmp / "corpus", {"a.txt": head + bad + UK_TEXT.encode()})

    def check(out: Path, stderr: str) -> None:
        m = manifest(out)
        assert m["corpus"]["files"][0]["replaced_bytes"] == 2
        assert m["counts"]["sentences_dropped"]["garbled"] == 1
        assert all("\ufffd" not in r["sentence1"] + r["sentence2"] for r in rows(out))

    return succeeding(
        tmp,
        corpus,
        warnings=(
            f"warning: {corpus}/a.txt: 2 bytes that are not valid utf-8 were replaced with "
            f"U+FFFD (first at byte {offset})",
        ),
        check=check,
    )


ONE_LINE_BYTES = 50_000_000


def one_line_50mb(tmp: Path) -> Case:
    """50 MB without a line break: Ukrainian prose, then padding (a fixed-width dump's blanks).

    The reader cuts the line into pieces, so memory stays near a small build's (checked against
    a baseline run in `test_bad_input`); the prose is small so segmenting stays fast.
    """
    prose = UK_TEXT.replace("\n", " ").encode("utf-8")
    folder = tmp / "corpus"
    folder.mkdir()
    with open(folder / "one-line.txt", "wb") as f:
        f.write(prose)
        block = b" " * (1 << 20)
        left = ONE_LINE_BYTES - len(prose)
        while left > 0:
            f.write(block[:left])
            left -= len(block)
    cuts = re.compile(
        rf"warning: {re.escape(str(folder))}/one-line\.txt: \d+ cut\(s\) made in lines longer "
        r"than 20,000 characters \(no line breaks\?\); cut at sentence ends"
    )

    def check(out: Path, stderr: str) -> None:
        assert cuts.search(stderr), stderr
        assert manifest(out)["corpus"]["files"][0]["bytes"] == ONE_LINE_BYTES
        assert {r["sentence1"] for r in rows(out)} <= UK_SENTENCES

    return succeeding(tmp, folder, check=check, runner="measured")


def russian_only(tmp: Path) -> Case:
    corpus = write(
        tmp / "corpus",
        {
            "ru.txt": "Старый рыбак вышел на рассвете к реке с удочкой.\n"
            "Над рекой ещё стоял густой белый туман, и вода казалась седой.\n"
            "Это была очень длинная и скучная история о нём.\n"
        },
    )
    return failing(
        tmp,
        corpus,
        code=1,
        message=f"Error: no Ukrainian sentences found in {corpus} (3 sentences dropped: "
        "not Ukrainian: 3)",
    )


def english_only(tmp: Path) -> Case:
    corpus = write(
        tmp / "corpus",
        {
            "en.txt": "The old fisherman went down to the river at dawn.\n"
            "A thick white mist still hung over the water.\n"
        },
    )
    return failing(
        tmp,
        corpus,
        code=1,
        message=f"Error: no Ukrainian sentences found in {corpus} (2 sentences dropped: "
        "not Ukrainian: 2)",
    )


def symlink_loop(tmp: Path) -> Case:
    """A link back to the folder itself and a link to itself: both skipped, the text is read."""
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT})
    (corpus / "again").symlink_to(corpus, target_is_directory=True)
    (corpus / "self.txt").symlink_to(corpus / "self.txt")

    def check(out: Path, stderr: str) -> None:
        assert [f["path"] for f in manifest(out)["corpus"]["files"]] == ["a.txt"]

    return succeeding(
        tmp,
        corpus,
        warnings=(
            f"warning: {corpus}/again links back to a folder that contains it (a symlink loop); "
            "skipped",
            f"warning: {corpus}/self.txt is a broken link or not a regular file; skipped",
        ),
        check=check,
    )


def _unreadable(path: Path) -> Path:
    path.chmod(0)
    return path


def unreadable_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT, "secret.txt": UK_TEXT[:200]})
    _unreadable(corpus / "secret.txt")

    def check(out: Path, stderr: str) -> None:
        files = {f["path"]: f for f in manifest(out)["corpus"]["files"]}
        assert files["secret.txt"].get("skipped") is True

    return succeeding(
        tmp,
        corpus,
        warnings=(f"warning: skipping {corpus}/secret.txt: cannot read it (Permission denied)",),
        check=check,
        runner="unprivileged",
    )


def unreadable_only_file(tmp: Path) -> Case:
    corpus = write(tmp / "corpus", {"secret.txt": UK_TEXT})
    _unreadable(corpus / "secret.txt")
    return failing(
        tmp,
        corpus,
        code=1,
        message=f"Error: no readable text files in {corpus}: nothing to build from",
        warnings=(f"warning: skipping {corpus}/secret.txt: cannot read it (Permission denied)",),
        runner="unprivileged",
    )


def _corpus(tmp: Path) -> Path:
    return write(tmp / "corpus", {"a.txt": UK_TEXT})


def n_zero(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "-n",
        "0",
        code=2,
        message="Error: -n must be a positive number of pairs, got 0",
    )


def n_negative(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "-n",
        "-5",
        code=2,
        message="Error: -n must be a positive number of pairs, got -5",
    )


def n_too_large(tmp: Path) -> Case:
    """Fails after pairs were written into the temporary folder: the previous output survives."""
    return failing(
        tmp,
        _corpus(tmp),
        "-n",
        "100000",
        code=1,
        message=re.compile(
            r"Error: the corpus gives only about \d+ distinct pairs, not 100000: 37 usable "
            r"sentences ran out of new paraphrases and negatives; lower -n or add text to the "
            r"corpus"
        ),
    )


def split_size_one(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--test-size",
        "1",
        code=2,
        message="Error: --test-size must be in [0, 1), got 1.0",
    )


def split_size_negative(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--test-size",
        "-0.1",
        code=2,
        message="Error: --test-size must be in [0, 1), got -0.1",
    )


def output_is_a_file(tmp: Path) -> Case:
    target = tmp / "results"
    target.write_text("my notes\n", encoding="utf-8")
    corpus = _corpus(tmp)
    return Case(
        build_args(corpus, target),
        1,
        f"Error: output {target} is a file, not a folder: choose another path with -o",
        corpus=corpus,
        previous=target,
    )


def output_not_empty(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    return Case(
        build_args(corpus, out, overwrite=False),
        1,
        f"Error: output folder {out} is not empty: pass --overwrite to replace it, or choose -o",
        corpus=corpus,
        previous=out,
    )


def output_parent_missing(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = tmp / "no" / "such" / "out"
    return Case(
        build_args(corpus, out),
        1,
        f"Error: cannot create {out}: its parent folder {out.parent} does not exist",
        corpus=corpus,
    )


def output_read_only(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    shelf = tmp / "shelf"
    out = previous_output(shelf / "out")
    shelf.chmod(0o555)
    return Case(
        build_args(corpus, out),
        1,
        f"Error: cannot write to {shelf}: permission denied; choose another -o",
        corpus=corpus,
        previous=out,
        runner="unprivileged",
    )


def malformed_lexicon(tmp: Path) -> Case:
    lexicon = tmp / "my-lexicon.tsv"
    lexicon.write_text(
        "# pairgen-lexicon 1\nхата\tNOUN\tдім|оселя\nшвидко\tADVB\n", encoding="utf-8"
    )
    return failing(
        tmp,
        _corpus(tmp),
        "--lexicon",
        str(lexicon),
        "--augment",
        "synonym,case,spacing",
        code=1,
        message=f"Error: {lexicon.resolve()}, line 3: expected 3 tab-separated columns, found 2",
    )


def stanza_without_model(tmp: Path) -> Case:
    """stanza is installed here but has no model in the (empty) folder; where stanza is not
    installed the message says to install it. Both start the same way."""
    empty = tmp / "stanza-resources"
    empty.mkdir()
    return failing(
        tmp,
        _corpus(tmp),
        "--segmenter",
        "stanza",
        code=1,
        message=re.compile(
            r"Error: --segmenter stanza needs stanza(?:'s Ukrainian model, which is not in "
            + re.escape(str(empty))
            + r": run `pairgen models download` \(or use --segmenter rules\)"
            + r"|, which is not installed: "
            + re.escape(install_hint("stanza"))
            + ")"
        ),
        env={"STANZA_RESOURCES_DIR": str(empty)},
    )


def unknown_label(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--label",
        "bleu",
        code=2,
        message="Error: --label must be one of lemma, overlap, jaccard, char, got 'bleu'",
    )


def corrupt_gzip(tmp: Path) -> Case:
    """A cut-off .txt.gz export beside a good file: skipped with the reason, the rest is used."""
    whole = gzip.compress((UK_TEXT * 20).encode("utf-8"))
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT, "export.txt.gz": whole[: len(whole) // 2]})
    return succeeding(
        tmp,
        corpus,
        warnings=(
            f"warning: skipping {corpus}/export.txt.gz: cannot read it (Compressed file ended "
            "before the end-of-stream marker was reached)",
        ),
    )


def not_a_text_file(tmp: Path) -> Case:
    book = tmp / "book.pdf"
    book.write_bytes(b"%PDF-1.4\n")
    reason = "a PDF or scan; extract its text to .txt first (e.g. pdftotext)"
    return failing(tmp, book, code=1, message=f"Error: corpus file {book} is not read: {reason}")


def config_not_toml(tmp: Path) -> Case:
    config = tmp / "pairgen.toml"
    config.write_text("n = \n", encoding="utf-8")
    return failing(
        tmp,
        _corpus(tmp),
        "--config",
        str(config),
        code=2,
        message=re.compile(rf"Error: --config: {re.escape(str(config))} is not valid toml: .+"),
    )


def config_wrong_type(tmp: Path) -> Case:
    config = tmp / "pairgen.toml"
    config.write_text('[build]\nn = "ten"\n', encoding="utf-8")
    case = failing(
        tmp,
        _corpus(tmp),
        "--config",
        str(config),
        code=2,
        message="Error: -n must be a whole number, got 'ten' (str)",
    )
    case.args.remove("-n")
    case.args.remove("20")  # the flag would override the file
    return case


def unknown_augmenter(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--augment",
        "synonym,shuffle",
        code=2,
        message="Error: --augment takes a subset of synonym, case, spacing, got ['shuffle']",
    )


# --- only ever replace what pairgen wrote (issue 14) ---------------------------------------------
def _project(tmp: Path) -> tuple[Path, Path]:
    """A user's project: the corpus beside a thesis and a .docx that must survive anything."""
    proj = write(tmp / "proj", {"thesis.txt": "моя дисертація\n", "notes.docx": b"PK\x03\x04"})
    return proj, write(proj / "corpus", {"a.txt": UK_TEXT})


def output_is_the_corpus(tmp: Path) -> Case:
    proj, corpus = _project(tmp)
    return Case(
        build_args(corpus, corpus),
        1,
        f"Error: output {corpus} is the corpus {corpus}: choose another -o",
        corpus=proj,
    )


def output_contains_the_corpus(tmp: Path) -> Case:
    proj, corpus = _project(tmp)
    return Case(
        build_args(corpus, proj),
        1,
        f"Error: output {proj} contains the corpus {corpus}, which pairgen would replace: "
        "choose another -o",
        corpus=proj,
    )


def output_inside_the_corpus(tmp: Path) -> Case:
    proj, corpus = _project(tmp)
    out = corpus / "out"
    return Case(
        build_args(corpus, out),
        1,
        f"Error: output {out} lies inside the corpus {corpus}: choose an -o outside it",
        corpus=proj,
    )


def output_is_an_unrelated_folder(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    mine = write(tmp / "mine", {"thesis.txt": "текст\n", "notes.docx": b"PK\x03\x04"})
    return Case(
        build_args(corpus, mine),
        1,
        f"Error: output folder {mine} is not a pairgen output (no pairgen.json; it holds "
        "notes.docx, thesis.txt): pairgen only replaces an empty folder or its own "
        "output; choose another -o",
        corpus=corpus,
        previous=mine,
    )


def output_with_a_users_file(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    write(out, {"notes.txt": "мої нотатки\n"})
    return Case(
        build_args(corpus, out),
        1,
        f"Error: output folder {out} holds files pairgen did not write (notes.txt): "
        "pairgen only replaces its own output; move them away or choose another -o",
        corpus=corpus,
        previous=out,
    )


def output_with_a_users_subfolder(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    write(out, {"data/extra/keep.csv": "a,b\n", "data/notes.md": "x\n"})
    return Case(
        build_args(corpus, out),
        1,
        f"Error: output folder {out} holds files pairgen did not write (data/extra/, "
        "data/notes.md): pairgen only replaces its own output; move them away or choose "
        "another -o",
        corpus=corpus,
        previous=out,
    )


def output_holds_a_link(tmp: Path) -> Case:
    """A symlink inside an old output is not something a build writes: it could point anywhere."""
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    (out / "data" / "elsewhere.parquet").symlink_to(tmp / "precious.parquet")
    return Case(
        build_args(corpus, out),
        1,
        f"Error: output folder {out} holds files pairgen did not write "
        "(data/elsewhere.parquet): pairgen only replaces its own output; move them away "
        "or choose another -o",
        corpus=corpus,
        previous=out,
    )


def output_contains_the_lexicon(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    lexicon = out / "my-lexicon.tsv"
    lexicon.write_text("# pairgen-lexicon 1\nхата\tNOUN\tдім\n", encoding="utf-8")
    return Case(
        build_args(corpus, out, "--augment", "synonym", "--lexicon", str(lexicon)),
        1,
        f"Error: output {out} contains --lexicon {lexicon}, which pairgen would replace: "
        "choose another -o",
        corpus=corpus,
        previous=out,
    )


def output_contains_the_protect_file(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    protect = out / "names.txt"
    protect.write_text("Ганна\n", encoding="utf-8")
    return Case(
        build_args(corpus, out, "--augment", "synonym", "--protect", str(protect)),
        1,
        f"Error: output {out} contains --protect {protect}, which pairgen would replace: "
        "choose another -o",
        corpus=corpus,
        previous=out,
    )


def output_contains_the_config(tmp: Path) -> Case:
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    config = out / "pairgen.toml"
    config.write_text("[build]\nn = 20\n", encoding="utf-8")
    return Case(
        build_args(corpus, out, "--config", str(config)),
        1,
        f"Error: output {out} contains --config {config}, which pairgen would replace: "
        "choose another -o",
        corpus=corpus,
        previous=out,
    )


def output_is_the_current_folder(tmp: Path) -> Case:
    """`-o .` in an old output folder: refused before any work (the process's own folder)."""
    corpus = _corpus(tmp)
    here = previous_output(tmp / "here")
    case = Case(
        build_args(corpus, Path(".")),
        1,
        "Error: output . is (or contains) the current folder, which pairgen would "
        "replace: choose a new folder with -o",
        corpus=corpus,
        previous=here,
        runner="process",
    )
    case.cwd = here
    return case


def output_path_with_dotdot(tmp: Path) -> Case:
    """`-o out/sub/..` is `out`: built there (replacing the earlier build), nothing beside it."""
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    (out / "data" / "sub").mkdir()
    case = succeeding(tmp, corpus)
    case.args = build_args(corpus, out / "data" / "sub" / ".." / "..")
    (out / "data" / "sub").rmdir()
    case.output = out
    return case


def output_is_a_link_to_an_old_output(tmp: Path) -> Case:
    """The link stays a link; its target gets the new output; nothing is left beside either."""
    corpus = _corpus(tmp)
    real = previous_output(tmp / "real")
    link = tmp / "link"
    link.symlink_to(real, target_is_directory=True)

    def check(out: Path, stderr: str) -> None:
        assert link.is_symlink() and link.resolve() == real
        assert leftovers(link) == [] and leftovers(real) == []
        assert manifest(real)["counts"]["pairs"] == 20

    return Case(build_args(corpus, link), 0, None, corpus=corpus, output=link, check=check)


def output_is_a_link_to_the_corpus(tmp: Path) -> Case:
    proj, corpus = _project(tmp)
    link = tmp / "out"
    link.symlink_to(corpus, target_is_directory=True)
    return Case(
        build_args(corpus, link),
        1,
        f"Error: output {link} is the corpus {corpus}: choose another -o",
        corpus=proj,
        previous=link,
    )


def output_locked_by_another_build(tmp: Path) -> Case:
    """Another run holds the output's lock: refused at once, its files untouched."""
    import fcntl

    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    fd = os.open(tmp / ".out.pairgen-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"4242\n")
    case = Case(
        build_args(corpus, out),
        1,
        f"Error: another pairgen run is writing {out} (process 4242): wait for it to "
        "finish, or choose another -o",
        corpus=corpus,
        previous=out,
        hold=_Closing(fd),
    )
    case.leftovers_allowed = (".out.pairgen-lock",)
    return case


def bad_repo_id_before_any_work(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--push-to-hub",
        "not a repo id",
        code=2,
        message="Error: malformed repo id 'not a repo id': expected NAMESPACE/NAME, "
        "e.g. alice/uk-pairs",
    )


TOKEN = "hf_TestTokenAbcdefghijklmnopqrstuvw"


def _token_row(tmp: Path, token: str, what: str, position: int) -> Case:
    case = failing(
        tmp,
        _corpus(tmp),
        "--push-to-hub",
        "alice/pairs",
        "--token",
        token,
        code=1,
        message=f"Error: --token is not a valid Hugging Face token: it has {what} at "
        f"position {position} (a token is printable ASCII); copy it again from your "
        "Hub settings",
    )
    case.secret = token
    return case


def token_with_a_line_break(tmp: Path) -> Case:
    return _token_row(
        tmp, TOKEN[:10] + "\n" + TOKEN[10:], "a control character (a line break?)", 11
    )


def token_with_non_ascii(tmp: Path) -> Case:
    return _token_row(tmp, TOKEN[:5] + "ї" + TOKEN[5:], "a non-ASCII character", 6)


def token_with_an_escape(tmp: Path) -> Case:
    return _token_row(tmp, TOKEN + "\x1b[2J", "a control character (a line break?)", len(TOKEN) + 1)


# --- options that make no sense ----------------------------------------------------------------
def mix_nan(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--mix",
        "paraphrase=nan,hard=0.5,random=0.5",
        code=2,
        message="Error: --mix: the weight of paraphrase must be a finite number >= 0, got nan",
    )


def mix_inf(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--mix",
        "paraphrase=1,hard=inf",
        code=2,
        message="Error: --mix: the weight of hard must be a finite number >= 0, got inf",
    )


def mix_kind_twice(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--mix",
        "paraphrase=1,hard=1,paraphrase=3",
        code=2,
        message="Error: --mix names paraphrase twice: give each kind once",
    )


def _config(tmp: Path, text: str, *extra: str, message: str, drop: tuple[str, ...] = ()) -> Case:
    config = tmp / "pairgen.toml"
    config.write_text(text, encoding="utf-8")
    case = failing(tmp, _corpus(tmp), "--config", str(config), *extra, code=2, message=message)
    for flag in drop:  # a flag would override the file
        i = case.args.index(flag)
        del case.args[i : i + 2]
    return case


def config_mix_nan(tmp: Path) -> Case:
    return _config(
        tmp,
        "[build.mix]\nparaphrase = nan\nhard = 1\nrandom = 1\n",
        message="Error: --mix: the weight of paraphrase must be a finite number >= 0, got nan",
    )


def config_test_size_inf(tmp: Path) -> Case:
    return _config(
        tmp,
        "[build]\ntest_size = inf\n",
        message="Error: --test-size must be a finite number, got inf",
    )


def config_registers_not_text(tmp: Path) -> Case:
    return _config(
        tmp,
        "[build]\nregisters = [1, 2]\n",
        message="Error: --registers must be a list of text or comma-separated text, got [1, 2]",
    )


def config_mix_weight_not_a_number(tmp: Path) -> Case:
    return _config(
        tmp,
        '[build.mix]\nparaphrase = "lots"\n',
        message="Error: --mix: the weight of paraphrase must be a number, got 'lots'",
    )


def config_is_a_fifo(tmp: Path) -> Case:
    fifo = tmp / "pairgen.toml"
    os.mkfifo(fifo)
    return failing(
        tmp,
        _corpus(tmp),
        "--config",
        str(fifo),
        code=2,
        message=f"Error: --config: {fifo} is a named pipe (FIFO), not a regular file: "
        "give a text file",
    )


def config_is_a_folder(tmp: Path) -> Case:
    folder = tmp / "configs"
    folder.mkdir()
    return failing(
        tmp,
        _corpus(tmp),
        "--config",
        str(folder),
        code=2,
        message=f"Error: --config: {folder} is a folder, not a regular file: give a text file",
    )


def config_manifest_with_nan(tmp: Path) -> Case:
    """A pairgen.json holding NaN is not JSON: refused as such."""
    config = tmp / "old.json"
    config.write_text('{"options": {"test_size": NaN}}\n', encoding="utf-8")
    return failing(
        tmp,
        _corpus(tmp),
        "--config",
        str(config),
        code=2,
        message=f"Error: --config: {config} is not valid json: NaN is not valid JSON",
    )


def config_from_a_newer_pairgen(tmp: Path) -> Case:
    from pairgen import __version__

    config = tmp / "pairgen.json"
    config.write_text(
        json.dumps({"pairgen_version": "99.1.0", "options": {"n": 20}}), encoding="utf-8"
    )
    note = (
        f"warning: --config {config} was written by pairgen 99.1.0, newer than this "
        f"{__version__}: options it added are refused and defaults may differ; upgrade pairgen "
        "to replay it exactly"
    )
    return succeeding(tmp, _corpus(tmp), "--config", str(config), warnings=(note,))


def protect_is_a_fifo(tmp: Path) -> Case:
    """A FIFO would block the build for ever: refused without opening it."""
    fifo = tmp / "names.txt"
    os.mkfifo(fifo)
    return failing(
        tmp,
        _corpus(tmp),
        "--augment",
        "synonym",
        "--protect",
        str(fifo),
        code=2,
        message=f"Error: --protect {fifo} is a named pipe (FIFO), not a regular file: "
        "give a text file",
    )


def lexicon_is_a_fifo(tmp: Path) -> Case:
    fifo = tmp / "lexicon.tsv"
    os.mkfifo(fifo)
    return failing(
        tmp,
        _corpus(tmp),
        "--augment",
        "synonym",
        "--lexicon",
        str(fifo),
        code=2,
        message=f"Error: --lexicon {fifo} is a named pipe (FIFO), not a regular file: "
        "give a text file",
    )


def lexicon_is_a_device(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--augment",
        "synonym",
        "--lexicon",
        "/dev/zero",
        code=2,
        message="Error: --lexicon /dev/zero is a device, not a regular file: give a text file",
    )


def license_with_a_line_break(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--license",
        "mit\nconfigs: []",
        code=2,
        message="Error: --license must be an SPDX id (e.g. cc-by-4.0) or a short plain "
        "name on one line, at most 100 characters, got 'mit\\nconfigs: []'",
    )


def license_ends_the_yaml(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--license",
        "---",
        code=2,
        message="Error: --license must be an SPDX id (e.g. cc-by-4.0) or a short plain "
        "name on one line, at most 100 characters, got '---'",
    )


def min_swaps_huge(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--min-swaps",
        "1000",
        "--max-swaps",
        "1000",
        code=2,
        message="Error: --max-swaps 1000 is above --max-tokens 128: a kept sentence "
        "has no more words to swap",
    )


def workers_thousand(tmp: Path) -> Case:
    """--workers 1000 on a small machine: capped with a warning, not 1,000 processes."""
    from pairgen.config import MAX_WORKERS_PER_CORE, default_workers

    cores = default_workers()
    note = (
        f"warning: --workers 1000 is more than {MAX_WORKERS_PER_CORE} per core ({cores} cores "
        f"here): using {MAX_WORKERS_PER_CORE * cores}"
    )
    case = succeeding(tmp, _corpus(tmp), warnings=(note,))
    i = case.args.index("--workers")
    case.args[i + 1] = "1000"
    return case


def split_size_nan(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--test-size",
        "nan",
        code=2,
        message="Error: --test-size must be a finite number, got nan",
    )


def synonym_rate_inf(tmp: Path) -> Case:
    return failing(
        tmp,
        _corpus(tmp),
        "--synonym-rate",
        "inf",
        code=2,
        message="Error: --synonym-rate must be a finite number, got inf",
    )


def n_not_a_number(tmp: Path) -> Case:
    message = "Error: Invalid value for '-n': 'ten' is not a valid integer."
    return failing(tmp, _corpus(tmp), "-n", "ten", code=2, message=message)


# --- every input opened safely -----------------------------------------------------------------
def file_name_not_utf8(tmp: Path) -> Case:
    """A name in Latin-1 from an old archive: read, and recorded with the byte escaped."""
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT[:400]})
    (corpus / os.fsdecode(b"caf\xe9.txt")).write_text(UK_TEXT[400:], encoding="utf-8")

    def check(out: Path, stderr: str) -> None:
        paths = [f["path"] for f in manifest(out)["corpus"]["files"]]
        assert paths == ["a.txt", "caf\\xe9.txt"], paths

    return succeeding(tmp, corpus, check=check)


def tree_600_levels_deep(tmp: Path) -> Case:
    corpus = tmp / "corpus"
    deep = corpus.joinpath(*["d"] * 600)
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text(UK_TEXT, encoding="utf-8")

    def check(out: Path, stderr: str) -> None:
        [entry] = manifest(out)["corpus"]["files"]
        assert entry["path"] == "d/" * 600 + "a.txt"

    return succeeding(tmp, corpus, check=check)


def fifo_in_the_corpus(tmp: Path) -> Case:
    """A named pipe among the files would block a reader for ever: skipped unopened."""
    corpus = _corpus(tmp)
    os.mkfifo(corpus / "pipe.txt")
    return succeeding(
        tmp,
        corpus,
        warnings=(f"warning: {corpus}/pipe.txt is a broken link or not a regular file; skipped",),
    )


BIDI = "\u202e\u2067\u200f\u2066\u202a\u061c\u2069\u202c"


def bidi_controls(tmp: Path) -> Case:
    """Direction overrides and isolates are removed like zero-width characters: the sentence
    is what a reader sees, and it matches its paraphrases."""
    marked = "".join(
        line[:5] + BIDI[i % len(BIDI)] + line[5:] + "\n"
        for i, line in enumerate(UK_TEXT.splitlines())
    )
    corpus = write(tmp / "corpus", {"a.txt": marked})

    def check(out: Path, stderr: str) -> None:
        for row in rows(out):
            assert row["sentence1"] in UK_SENTENCES, row
            assert not set(row["sentence2"]) & set(BIDI), row

    return succeeding(tmp, corpus, check=check)


def megabyte_word(tmp: Path) -> Case:
    """A 1 MB run of letters beside good text: cut, said to be cut inside a word (not at sentence
    ends), and its pieces dropped as too long (not as 53 "headings")."""
    corpus = write(tmp / "corpus", {"a.txt": UK_TEXT, "blob.txt": "абв" * 350_000})

    def check(out: Path, stderr: str) -> None:
        assert manifest(out)["counts"]["sentences_dropped"] == {"too long": 53}

    cut = (
        f"warning: {corpus}/blob.txt: 52 cut(s) made in lines longer than 20,000 characters "
        "(no line breaks?); 52 of them inside a word, with no sentence end or space to cut at "
        "(not prose?)"
    )
    return succeeding(tmp, corpus, warnings=(cut,), check=check)


# --- inspect, preview, train, lexicon import, push ------------------------------------------------
_BUILT: list[Path] = []


def _built(tmp: Path, name: str = "out") -> Path:
    """A copy of a real 20-pair build (made once per session)."""
    import shutil
    import tempfile

    from pairgen.pipeline import build

    if not _BUILT:
        root = Path(tempfile.mkdtemp(prefix="pairgen-rows-"))
        build(
            FIXTURE,
            root / "out",
            n=20,
            seed=1,
            workers=1,
            segmenter="rules",
            augment=("case", "spacing"),
        )
        _BUILT.append(root / "out")
    shutil.copytree(_BUILT[0], tmp / name)
    return tmp / name


def _inspect(
    tmp: Path,
    out: Path,
    code: int = 0,
    message: str | None = None,
    stdout_has: tuple[str, ...] = (),
) -> Case:
    return Case([str(out)], code, message, previous=out, command="inspect", stdout_has=stdout_has)


def _rewrite(path: Path, change: Callable[[object], object]) -> None:
    import pyarrow as pa

    table = pq.read_table(path)
    pq.write_table(change(table), path)  # type: ignore[arg-type]
    assert isinstance(table, pa.Table)


def inspect_wrong_columns(tmp: Path) -> Case:
    import pyarrow as pa

    out = _built(tmp)
    shard = out / "data" / "train-00000-of-00001.parquet"
    pq.write_table(pa.table({"a": [1], "b": [2]}), shard)
    return _inspect(
        tmp,
        out,
        2,
        f"Error: {shard} lacks the column(s) sentence1, sentence2, score "
        "that pairgen build writes (it has a, b): rebuild the output folder",
    )


def inspect_scores_as_text(tmp: Path) -> Case:
    import pyarrow as pa

    out = _built(tmp)
    shard = out / "data" / "train-00000-of-00001.parquet"
    table = pq.read_table(shard)
    as_text = table.set_column(
        table.column_names.index("score"),
        "score",
        pa.array([str(v) for v in table["score"].to_pylist()]),
    )
    pq.write_table(as_text, shard)
    first = table["score"][0].as_py()
    return _inspect(
        tmp,
        out,
        stdout_has=(
            f"  - {len(table)} train row(s) left out of this report (first: data/train row 0: "
            f"a score that is not a number ({str(first)!r})): the folder was changed or damaged "
            "after the build",
        ),
    )


def inspect_nan_scores(tmp: Path) -> Case:
    import pyarrow as pa

    out = _built(tmp)
    shard = out / "data" / "train-00000-of-00001.parquet"
    table = pq.read_table(shard)
    scores = table["score"].to_pylist()
    scores[2] = scores[5] = float("nan")
    pq.write_table(
        table.set_column(
            table.column_names.index("score"), "score", pa.array(scores, pa.float32())
        ),
        shard,
    )
    return _inspect(
        tmp,
        out,
        stdout_has=(
            "  - 2 train row(s) left out of this report (first: data/train row 2: a score outside "
            "[0, 1] (nan)): the folder was changed or damaged after the build",
        ),
    )


def inspect_manifest_not_json(tmp: Path) -> Case:
    out = _built(tmp)
    (out / "pairgen.json").write_text("{not json", encoding="utf-8")
    return _inspect(
        tmp,
        out,
        stdout_has=(
            f"  - {out}/pairgen.json is not valid JSON (Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1)): ignored",
        ),
    )


def inspect_manifest_with_nan(tmp: Path) -> Case:
    out = _built(tmp)
    (out / "pairgen.json").write_text('{"seed": NaN}', encoding="utf-8")
    return _inspect(
        tmp,
        out,
        stdout_has=(f"  - {out}/pairgen.json is not valid JSON (NaN is not JSON): ignored",),
    )


def inspect_manifest_ill_typed(tmp: Path) -> Case:
    out = _built(tmp)
    (out / "pairgen.json").write_text(
        '{"counts": [], "label": "overlap", "pairgen_version": 5, "command": 7, "seed": null}',
        encoding="utf-8",
    )
    return _inspect(tmp, out, stdout_has=("label (score) per kind: mean, quartiles, range",))


def inspect_manifest_a_list(tmp: Path) -> Case:
    out = _built(tmp)
    (out / "pairgen.json").write_text("[1, 2]", encoding="utf-8")
    return _inspect(
        tmp, out, stdout_has=(f"  - {out}/pairgen.json holds list, not a JSON object: ignored",)
    )


def inspect_plot_over_a_users_file(tmp: Path) -> Case:
    """--plot never replaces a file that is not a PNG (here the user's notes)."""
    out = _built(tmp)
    notes = tmp / "notes.txt"
    notes.write_text("мої нотатки\n", encoding="utf-8")
    case = _inspect(
        tmp,
        out,
        1,
        f"Error: --plot {notes} exists and is not a PNG: pairgen only replaces a "
        "picture; choose another path",
    )
    case.args += ["--plot", str(notes)]
    case.corpus = notes  # must come out byte-identical too
    return case


SENTENCE = "Старий рибалка вийшов на світанку до річки."


def preview_binary_stdin(tmp: Path) -> Case:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    return Case(
        ["-n", "1"],
        2,
        "Error: stdin is not text: it has NUL bytes (first at byte 8): "
        "binary, or UTF-16 without a BOM; pipe a text file",
        command="preview",
        stdin=png,
    )


def preview_cp1251_stdin(tmp: Path) -> Case:
    """The build reads cp1251, so preview does too."""
    return Case(
        ["-n", "1", "--augment", "case,spacing"],
        0,
        None,
        command="preview",
        stdin=SENTENCE.encode("cp1251"),
        stdout_has=(f"[1] {SENTENCE}",),
    )


def preview_a_billion_paraphrases(tmp: Path) -> Case:
    return Case(
        ["-n", "1000000000", SENTENCE],
        2,
        "Error: -n must be between 1 and 1000 paraphrases per sentence, got 1000000000",
        command="preview",
    )


def preview_protect_fifo(tmp: Path) -> Case:
    fifo = tmp / "names.txt"
    os.mkfifo(fifo)
    return Case(
        ["--protect", str(fifo), SENTENCE],
        2,
        f"Error: --protect {fifo} is a named pipe (FIFO), not a regular file: give a text file",
        command="preview",
    )


def _train(
    tmp: Path,
    dataset: Path,
    out: Path,
    *extra: str,
    code: int = 1,
    message: str | None = None,
    previous: Path | None = None,
) -> Case:
    args = [str(dataset), "-o", str(out), "--device", "cpu", "--epochs", "1", *extra]
    return Case(args, code, message, previous=previous or dataset, command="train")


def train_into_the_dataset(tmp: Path) -> Case:
    ds = previous_output(tmp / "ds")
    return _train(tmp, ds, ds, message=f"Error: output {ds} is the dataset {ds}: choose another -o")


def train_inside_the_dataset(tmp: Path) -> Case:
    ds = previous_output(tmp / "ds")
    return _train(
        tmp,
        ds,
        ds / "model",
        message=f"Error: output {ds / 'model'} lies inside the "
        f"dataset {ds}: choose an -o outside it",
    )


def train_into_another_dataset(tmp: Path) -> Case:
    ds = previous_output(tmp / "ds")
    other = previous_output(tmp / "other")
    case = _train(
        tmp,
        ds,
        other,
        message=f"Error: output folder {other} is a pairgen dataset "
        "(.gitkeep, README.md, data, ...): pairgen train only replaces a model folder it "
        "wrote; choose another -o",
    )
    case.previous = other
    return case


def train_into_a_users_folder(tmp: Path) -> Case:
    ds = previous_output(tmp / "ds")
    mine = write(tmp / "mine", {"thesis.txt": "текст\n"})
    case = _train(
        tmp,
        ds,
        mine,
        message=f"Error: output folder {mine} is not a model folder "
        "(thesis.txt): pairgen train only replaces a model folder it wrote; choose "
        "another -o",
    )
    case.previous = mine
    return case


@cache
def _tiny() -> tuple[Path, Path, Path]:
    """A tiny BERT (64 positions) and two 60-pair datasets, with and without a test split."""
    import tempfile

    from pairgen.pipeline import build
    from tests.tiny_bert import make_tiny_bert, ukrainian_sentences, write_corpus

    root = Path(tempfile.mkdtemp(prefix="pairgen-tiny-"))
    sentences = ukrainian_sentences(120)
    model = make_tiny_bert(root / "model", sentences)
    corpus = write_corpus(root / "corpus", sentences)
    common = dict(n=60, seed=1, workers=1, segmenter="rules", augment=("case", "spacing"))
    build(corpus, root / "ds", test_size=0.2, **common)  # type: ignore[arg-type]
    build(corpus, root / "ds0", test_size=0.0, **common)  # type: ignore[arg-type]
    return model, root / "ds", root / "ds0"


def train_max_seq_length_above_the_model(tmp: Path) -> Case:
    model, ds, _ = _tiny()
    return _train(
        tmp,
        ds,
        tmp / "m",
        "--model",
        str(model),
        "--max-seq-length",
        "100",
        code=2,
        message=f"Error: --max-seq-length 100 is above what --model {model} can take "
        "(64 tokens): give at most 64",
    )


def train_without_a_test_split(tmp: Path) -> Case:
    """Trains, says evaluation was skipped, and no library prints a traceback on the way."""
    model, _, ds0 = _tiny()
    case = _train(tmp, ds0, tmp / "m", "--model", str(model), code=0)

    def check(out: Path, stderr: str) -> None:
        assert (tmp / "m" / "model.safetensors").is_file()
        assert "Error while generating model card" not in stderr

    case.check = check
    return case


def lexicon_import_binary(tmp: Path) -> Case:
    blob = tmp / "th_uk.dat"
    blob.write_bytes(b"UTF-8\n\x7fELF\x02\x01\x01" + bytes(200))
    return Case(
        [str(blob), "-o", str(tmp / "mine.tsv")],
        1,
        f"Error: {blob}: not a MyThes "
        "thesaurus (it has NUL bytes at byte 13: a binary file); give a th_*.dat file",
        previous=blob,
        command="lexicon import",
    )


def lexicon_import_empty(tmp: Path) -> Case:
    empty = tmp / "th_uk.dat"
    empty.write_bytes(b"")
    return Case(
        [str(empty), "-o", str(tmp / "mine.tsv")],
        1,
        f"Error: {empty}: no thesaurus entries (headword|N lines) in it; is it a MyThes .dat file?",
        command="lexicon import",
    )


MYTHES = Path(__file__).parent / "data" / "mythes_small.dat"


def lexicon_import_onto_itself(tmp: Path) -> Case:
    import shutil

    dat = tmp / "th_uk.dat"
    shutil.copy(MYTHES, dat)
    return Case(
        [str(dat), "-o", str(dat)],
        1,
        f"Error: -o {dat} is the thesaurus being imported: choose another -o",
        previous=dat,
        command="lexicon import",
    )


def lexicon_import_over_a_users_file(tmp: Path) -> Case:
    notes = tmp / "notes.tsv"
    notes.write_text("мої\tнотатки\n", encoding="utf-8")
    return Case(
        [str(MYTHES), "-o", str(notes)],
        1,
        f"Error: -o {notes} exists and is not a "
        "pairgen lexicon: pairgen only replaces a lexicon it wrote; choose another -o",
        previous=notes,
        command="lexicon import",
    )


def push_token_with_a_line_break(tmp: Path) -> Case:
    out = _built(tmp)
    token = TOKEN[:12] + "\r\n" + TOKEN[12:]
    case = Case(
        [str(out), "alice/pairs", "--token", token],
        1,
        "Error: --token is not a valid "
        "Hugging Face token: it has a control character (a line break?) at position 13 "
        "(a token is printable ASCII); copy it again from your Hub settings",
        previous=out,
        command="push",
    )
    case.secret = token
    return case


def push_env_token_non_ascii(tmp: Path) -> Case:
    out = _built(tmp)
    token = TOKEN.replace("Abc", "Абв")
    case = Case(
        [str(out), "alice/pairs"],
        1,
        "Error: HF_TOKEN is not a valid Hugging Face "
        "token: it has a non-ASCII character at position 13 (a token is printable "
        "ASCII); copy it again from your Hub settings",
        previous=out,
        command="push",
        env={"HF_TOKEN": token},
    )
    case.secret = token
    return case


ROWS = [
    missing_path,
    empty_folder,
    only_binary_files,
    zero_byte_file,
    whitespace_only_file,
    cp1251_file,
    koi8u_file,
    utf16_file,
    nul_bytes_file,
    invalid_utf8_mid_file,
    pytest.param(one_line_50mb, marks=pytest.mark.slow),  # 50 MB written, two processes
    russian_only,
    english_only,
    symlink_loop,
    unreadable_file,
    unreadable_only_file,
    n_zero,
    n_negative,
    n_too_large,
    split_size_one,
    split_size_negative,
    output_is_a_file,
    output_not_empty,
    output_parent_missing,
    output_read_only,
    malformed_lexicon,
    stanza_without_model,
    unknown_label,
    corrupt_gzip,
    not_a_text_file,
    config_not_toml,
    config_wrong_type,
    unknown_augmenter,
    output_is_the_corpus,
    output_contains_the_corpus,
    output_inside_the_corpus,
    output_is_an_unrelated_folder,
    output_with_a_users_file,
    output_with_a_users_subfolder,
    output_holds_a_link,
    output_contains_the_lexicon,
    output_contains_the_protect_file,
    output_contains_the_config,
    output_is_the_current_folder,
    output_path_with_dotdot,
    output_is_a_link_to_an_old_output,
    output_is_a_link_to_the_corpus,
    output_locked_by_another_build,
    bad_repo_id_before_any_work,
    token_with_a_line_break,
    token_with_non_ascii,
    token_with_an_escape,
    mix_nan,
    mix_inf,
    mix_kind_twice,
    config_mix_nan,
    config_test_size_inf,
    config_registers_not_text,
    config_mix_weight_not_a_number,
    config_is_a_fifo,
    config_is_a_folder,
    config_manifest_with_nan,
    config_from_a_newer_pairgen,
    protect_is_a_fifo,
    lexicon_is_a_fifo,
    lexicon_is_a_device,
    license_with_a_line_break,
    license_ends_the_yaml,
    min_swaps_huge,
    workers_thousand,
    split_size_nan,
    synonym_rate_inf,
    n_not_a_number,
    file_name_not_utf8,
    tree_600_levels_deep,
    fifo_in_the_corpus,
    bidi_controls,
    megabyte_word,
    inspect_wrong_columns,
    inspect_scores_as_text,
    inspect_nan_scores,
    inspect_manifest_not_json,
    inspect_manifest_with_nan,
    inspect_manifest_ill_typed,
    inspect_manifest_a_list,
    inspect_plot_over_a_users_file,
    preview_binary_stdin,
    preview_cp1251_stdin,
    preview_a_billion_paraphrases,
    preview_protect_fifo,
    train_into_the_dataset,
    train_inside_the_dataset,
    train_into_another_dataset,
    train_into_a_users_folder,
    pytest.param(train_max_seq_length_above_the_model, marks=pytest.mark.slow),
    pytest.param(train_without_a_test_split, marks=pytest.mark.slow),
    lexicon_import_binary,
    lexicon_import_empty,
    lexicon_import_onto_itself,
    lexicon_import_over_a_users_file,
    push_token_with_a_line_break,
    push_env_token_non_ascii,
]


# --- running a row -------------------------------------------------------------------------------
def snapshot(path: Path | None) -> dict[str, tuple[int, bytes | str]] | None:
    """Every entry under `path` with its mode and bytes (a link: its target), to compare."""
    if path is None or not (path.exists() or path.is_symlink()):
        return None
    if path.is_file():
        return {".": (path.stat().st_mode, path.read_bytes())}
    out: dict[str, tuple[int, bytes | str]] = {}
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            p = Path(root, name)
            rel = p.relative_to(path).as_posix()
            info = p.lstat()
            if stat.S_ISLNK(info.st_mode):
                out[rel] = (info.st_mode, os.readlink(p))
            elif stat.S_ISREG(info.st_mode):
                p.chmod(info.st_mode | stat.S_IRUSR)  # a mode-000 row file, for a non-root owner
                out[rel] = (info.st_mode, p.read_bytes())
                p.chmod(info.st_mode)
            else:
                out[rel] = (info.st_mode, b"")
    return out


def leaks(secret: str, text: str, run: int = 8) -> list[str]:
    """Every `run` characters of `secret` in a row that `text` holds, as is or escaped."""
    forms = {text, text.encode("unicode_escape").decode("ascii"), repr(text)}
    return [
        secret[i : i + run]
        for i in range(len(secret) - run + 1)
        for form in forms
        if secret[i : i + run] in form
    ]


def leftovers(target: Path) -> list[str]:
    """Temporary or displaced folders a build left beside `target`."""
    return sorted(p.name for p in target.parent.glob(f".{target.name}.pairgen-*"))


_PR_CAPBSET_DROP = 24
_DAC_CAPS = (1, 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


def _drop_dac_caps() -> None:
    """In the child, before exec: root without these two capabilities obeys file modes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@cache
def _unprivileged_reason() -> str | None:
    """None if a child process here is bound by file modes; else why permission rows skip."""
    if os.name != "posix":
        return "file modes are POSIX-only"
    if os.geteuid() != 0:
        return None
    probe = (
        "import os, tempfile\n"
        "fd, p = tempfile.mkstemp(); os.close(fd); os.chmod(p, 0)\n"
        "try:\n    open(p).close(); print('readable')\n"
        "except PermissionError:\n    print('denied')\n"
        "finally:\n    os.unlink(p)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            preexec_fn=_drop_dac_caps,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"running as root and cannot drop CAP_DAC_OVERRIDE for a child ({exc})"
    if done.stdout.strip() != "denied":
        return "running as root and a child without CAP_DAC_OVERRIDE still reads a mode-000 file"
    return None


MEASURE = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print('peak-rss-kb', "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
    "from pairgen.cli import main\n"
    "main(['build', *sys.argv[1:]], prog_name='pairgen')\n"
)
PEAK = re.compile(r"^peak-rss-kb (\d+)\n?", re.MULTILINE)


@dataclass
class Outcome:
    code: int
    stderr: str
    peak_kb: int = 0
    stdout: str = ""


def run_case(case: Case, tmp: Path) -> Outcome:
    if case.runner == "cli":
        result = CliRunner().invoke(main, [*case.command.split(), *case.args], env=case.env,
                                    input=case.stdin)  # fmt: skip
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{type(result.exception).__name__} escaped: {result.exception!r}"
        )
        return Outcome(result.exit_code, result.stderr, stdout=result.stdout)
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, **case.env, "PYTHONPATH": path}
    if case.runner == "measured":
        cmd = [sys.executable, "-c", MEASURE, *case.args]
    else:
        cmd = [sys.executable, "-m", "pairgen", *case.command.split(), *case.args]
    preexec = None
    if case.runner == "unprivileged" and os.geteuid() == 0:
        preexec = _drop_dac_caps
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=env,
        cwd=case.cwd or tmp,
        preexec_fn=preexec,
        timeout=300,
        input=None if case.stdin is None else case.stdin.decode("utf-8", "surrogateescape"),
    )
    peak = PEAK.search(done.stderr)
    stderr = PEAK.sub("", done.stderr)
    return Outcome(done.returncode, stderr, int(peak.group(1)) if peak else 0, done.stdout)


def _baseline_peak_kb(tmp: Path) -> int:
    """Peak memory of the same build on the prose alone, in a fresh process."""
    corpus = write(tmp / "baseline-corpus", {"a.txt": UK_TEXT})
    case = Case(build_args(corpus, tmp / "baseline-out"), 0, None, runner="measured")
    outcome = run_case(case, tmp)
    assert outcome.code == 0, outcome.stderr
    return outcome.peak_kb


@pytest.fixture
def tmp(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, with the rows' mode-000 files and read-only folders made removable again."""
    yield tmp_path
    for root, dirs, files in os.walk(tmp_path):
        for name in dirs:
            Path(root, name).chmod(0o755)
        for name in files:
            if not Path(root, name).is_symlink():
                Path(root, name).chmod(0o644)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: getattr(r, "__name__", str(r)))
def test_bad_input(row: Callable[[Path], Case], tmp: Path) -> None:
    case = row(tmp)
    if case.runner == "unprivileged" and (reason := _unprivileged_reason()):
        pytest.skip(reason)
    corpus_before = snapshot(case.corpus)
    previous_before = snapshot(case.previous)

    try:
        outcome = run_case(case, tmp)
    finally:
        if case.hold is not None:
            case.hold.close()

    stderr_lines = outcome.stderr.splitlines()
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.code == case.code, outcome.stderr
    errors = [line for line in stderr_lines if line.startswith("Error:")]
    if case.message is None:
        assert errors == [], outcome.stderr
    else:
        assert len(errors) == 1 and stderr_lines[-1] == errors[0], outcome.stderr
        if isinstance(case.message, re.Pattern):
            assert case.message.fullmatch(errors[0]), errors[0]
        else:
            assert errors[0] == case.message
    for warning in case.warnings:
        assert warning in stderr_lines, outcome.stderr
    for line in case.stdout_has:
        assert line in outcome.stdout.splitlines(), outcome.stdout

    assert snapshot(case.corpus) == corpus_before, "the corpus was changed"
    if case.previous is not None:
        assert snapshot(case.previous) == previous_before, "the previous output was changed"
        assert leftovers(case.previous) == sorted(case.leftovers_allowed)
    if case.output is not None:
        assert (case.output / "pairgen.json").is_file(), outcome.stderr
        assert leftovers(case.output) == []
    if case.secret is not None:
        assert not leaks(case.secret, outcome.stderr), outcome.stderr
    if case.check is not None:
        case.check(case.output or tmp, outcome.stderr)
    if case.runner == "measured":
        baseline = _baseline_peak_kb(tmp)
        grown_mb = (outcome.peak_kb - baseline) / 1024
        assert grown_mb < ONE_LINE_BYTES / 2**20, (
            f"peak memory grew by {grown_mb:.0f} MB over a small build ({baseline // 1024} MB): "
            "the file was held whole"
        )


# --- random option values -------------------------------------------------------------------
FLAGS = (
    "-n", "--seed", "--test-size", "--label", "--mix", "--augment", "--segmenter", "--min-words",
    "--max-tokens", "--synonym-rate", "--min-swaps", "--max-swaps", "--registers", "--lexicon",
    "--protect", "--license", "--workers", "--push-to-hub", "--token", "--config", "--private",
)  # fmt: skip
"""Every build flag but those that choose where to write (-o, --overwrite) or start a Ray
cluster (--engine, --ray-address). Values hold no NUL: a command line cannot (click's own path
check would raise on one; the API refuses it in `BuildOptions`)."""
VALUES = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(str),
    st.sampled_from(["nan", "inf", "-inf", "", " ", "0", "-1", "1e999", "paraphrase=nan",
                     "paraphrase=1,paraphrase=2", "hard=-1", "synonym,,case", "\n", "---",
                     "a/b", "розм.,заст.", "/dev/zero", ".", "..", "hf_\x1b[2J"]),
    st.text(st.characters(blacklist_characters="\x00"), max_size=24),
)  # fmt: skip


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(options=st.lists(st.tuples(st.sampled_from(FLAGS), VALUES), min_size=1, max_size=3))
def test_random_option_values_never_trace_back_or_touch_the_output(
    options: list[tuple[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever values the flags get, `pairgen build` ends in one `Error:` line (exit 1 or 2)
    without a traceback, and an earlier output (not passed --overwrite) is byte-identical."""
    tmp = tmp_path_factory.mktemp("fuzz")
    corpus = _corpus(tmp)
    out = previous_output(tmp / "out")
    before = snapshot(out)
    args = [str(corpus), "-o", str(out), "-q"]
    for flag, value in options:
        args += [flag] if flag == "--private" else [flag, value]
    result = CliRunner().invoke(main, ["build", *args], env={"HF_TOKEN": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__} escaped: {result.exception!r}"
    )
    assert "Traceback" not in result.stderr
    assert result.exit_code in (1, 2), result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and result.stderr.splitlines()[-1] == errors[0], result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


# --- the Python API ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: _api_build(None), TypeError,
         "output must be a path (str or os.PathLike), got NoneType"),
        (lambda: _api_build("out", n="ten"), TypeError,
         "-n must be a whole number, got 'ten' (str)"),
        (lambda: _api_build("out", workers=True), TypeError,
         "--workers must be a whole number, got True (bool)"),
        (lambda: _api_build("out", test_size=float("nan")), ValueError,
         "--test-size must be a finite number, got nan"),
        (lambda: _api_build("out", mix={"paraphrase": "1"}), TypeError,
         "--mix: the weight of paraphrase must be a number, got '1'"),
        (lambda: _api_build("out", mix={"paraphrase": 1, "cat": 1}), ValueError,
         "--mix: unknown kind 'cat'; use paraphrase, hard, random"),
        (lambda: _api_build("out", registers=[1, 2]), TypeError,
         "--registers must be a list of text or comma-separated text, got [1, 2]"),
        (lambda: _api_build("out", lexicon="a\x00b"), ValueError,
         "--lexicon 'a\\x00b' has a NUL character, which no file name can"),
        (lambda: _api_paraphrase(n="3"), TypeError, "-n must be a whole number, got '3' (str)"),
        (lambda: _api_paraphrase(text=b"bytes"), TypeError, "text must be a str, got bytes"),
    ],
    ids=["output-none", "n-text", "workers-bool", "test-size-nan", "mix-weight-text",
         "mix-unknown-kind", "registers-numbers", "lexicon-nul", "paraphrase-n-text",
         "paraphrase-bytes"],
)  # fmt: skip
def test_api_argument_errors_are_type_and_value_errors(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """The Python API says what is wrong with an argument, as a TypeError or ValueError, before
    any work (and nothing named `None` is ever built)."""
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message
    assert not Path("None").exists()


def _api_build(output: object, **options: object) -> object:
    from pairgen.pipeline import build

    return build(FIXTURE, output, augment=("synonym",), **options)  # type: ignore[arg-type]


def _api_paraphrase(text: object = "Старий рибалка вийшов.", **options: object) -> object:
    from pairgen.preview import paraphrase

    return paraphrase(text, **options)  # type: ignore[arg-type]


def test_mix_as_a_table_is_accepted_by_the_api() -> None:
    from pairgen.config import BuildOptions

    assert BuildOptions(corpus="c", mix={"paraphrase": 1}).weights == {
        "paraphrase": 1.0,
        "hard": 0.0,
        "random": 0.0,
    }


@pytest.mark.slow
def test_training_interrupted_leaves_no_model_folder(tmp_path: Path) -> None:
    """Ctrl-C during `pairgen train`: exit 130 with one line, no model folder, nothing beside."""
    import signal
    import time

    model, ds, _ = _tiny()
    out = tmp_path / "model"
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "pairgen", "train", str(ds), "-o", str(out), "--model",
           str(model), "--device", "cpu", "--epochs", "200"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": path}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if "step" in line:  # training has begun
            break
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == (
        f"Error: training interrupted: nothing was written, {out} is as it was"
    )
    assert not out.exists() and leftovers(out) == []
