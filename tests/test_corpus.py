"""Corpus reading: files found, encodings detected, paragraphs rebuilt, bad files skipped loudly."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairgen.errors import CorpusError
from pairgen.ingest import read as corpus
from pairgen.ingest.read import (
    CHUNK,
    MAX_PARAGRAPH,
    SAMPLE,
    corpus_files,
    read_document,
    sha256_file,
)
from pairgen.text import clean

PROSE = (
    "Надворі весна вповні. Куди не глянь — скрізь розвернулося, розпустилося.\n"
    "— Ти ж знаєш, що я їхатиму, — сказав він. Її очі сяяли, а ґанок був порожній.\n"
    "Пам'ять про те літо лишилася надовго; з'їли все до крихти, і зосталося тільки є.\n"
)
PARAGRAPHS = tuple(PROSE.splitlines())


class Warnings(list[str]):
    """Collects warnings; `about(text)` finds the ones that mention `text`."""

    def about(self, text: str) -> list[str]:
        return [w for w in self if text in w]


@pytest.fixture
def warns() -> Warnings:
    return Warnings()


def read(path: Path, warns: Warnings):
    return read_document(path, path.parent, warns.append)


# --- finding files ------------------------------------------------------------------------------
def test_folder_is_searched_recursively_and_sorted_by_relative_path(tmp_path: Path) -> None:
    names = ["b.txt", "a/z.txt", "a/b.txt.gz", "c.TXT", "notes.md", "d.pdf", ".hidden/x.txt"]
    for rel in [*names, ".y.txt", "README.md", "a/SOURCES.md", "LICENSE.html"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)]
    assert found == ["a/b.txt.gz", "a/z.txt", "b.txt", "c.TXT", "notes.md"]


def test_single_file_is_its_own_corpus(tmp_path: Path) -> None:
    f = tmp_path / "one.txt"
    f.write_text(PROSE)
    assert corpus_files(f) == [f]


def test_missing_path_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"corpus path .*nope does not exist"):
        corpus_files(tmp_path / "nope")


@pytest.mark.parametrize("extra", [None, "readme.md", "notes.pdf"])
def test_folder_without_text_files_is_an_error_naming_it(tmp_path: Path, extra: str | None) -> None:
    if extra:
        (tmp_path / extra).write_text("# hi")
    with pytest.raises(CorpusError, match=f"corpus folder {re.escape(str(tmp_path))} has no "):
        corpus_files(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_rather_than_read_forever(tmp_path: Path, warns: Warnings) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="neither a regular file nor a folder"):
        corpus_files(fifo)
    (tmp_path / "a.txt").write_text(PROSE)
    assert corpus_files(tmp_path, warn=warns.append) == [tmp_path / "a.txt"]
    assert warns.about("pipe.txt")


def test_single_file_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "book.pdf"
    f.write_bytes(b"%PDF")
    with pytest.raises(CorpusError, match=r"book\.pdf is not read: a PDF"):
        corpus_files(f)


def test_symlink_loop_is_skipped_with_a_warning(tmp_path: Path, warns: Warnings) -> None:
    (tmp_path / "a.txt").write_text(PROSE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(PROSE)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "again").symlink_to(tmp_path / "sub", target_is_directory=True)
    found = corpus_files(tmp_path, warn=warns.append)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.txt", "sub/b.txt"]
    assert warns.about("symlink loop") and warns.about("read already")


def test_broken_link_is_reported(tmp_path: Path, warns: Warnings) -> None:
    (tmp_path / "a.txt").write_text(PROSE)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert corpus_files(tmp_path, warn=warns.append) == [tmp_path / "a.txt"]
    assert warns.about("gone.txt")


def test_sha256_is_of_the_stored_bytes(tmp_path: Path) -> None:
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(PROSE.encode()))
    assert sha256_file(f) == hashlib.sha256(f.read_bytes()).hexdigest()


# --- encodings ----------------------------------------------------------------------------------
LEGACY_PROSE = PROSE.replace("—", "-")  # koi8-u has no dash


@pytest.mark.parametrize(
    ("codec", "text", "reported"),
    [
        ("utf-8", PROSE, "utf-8"),
        ("utf-8-sig", PROSE, "utf-8-sig"),
        ("utf-16", PROSE, "utf-16"),  # Python writes a BOM
        ("utf-16-be", "\ufeff" + PROSE, "utf-16"),
        ("cp1251", PROSE.replace("'", "’"), "cp1251"),
        ("koi8-u", LEGACY_PROSE, "koi8-u"),
    ],
)
def test_each_encoding_is_detected_and_reported(
    tmp_path: Path, warns: Warnings, codec: str, text: str, reported: str
) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(text.encode(codec))
    doc = read(f, warns)
    assert doc is not None
    assert doc.encoding == reported
    assert doc.paragraphs == tuple(text.lstrip("\ufeff").splitlines())
    assert doc.replaced == 0 and not warns


@pytest.mark.parametrize("codec", ["cp1251", "koi8-u"])
def test_short_upper_case_legacy_text_is_still_told_apart(tmp_path: Path, codec: str) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes("РОЗДІЛ ПЕРШИЙ\nОсінь прийшла рано того року.\n".encode(codec))
    doc = read(f, Warnings())
    assert doc is not None and doc.encoding == codec
    assert doc.paragraphs[0] == "РОЗДІЛ ПЕРШИЙ"


def test_gzip_files_are_read_and_source_is_relative_posix(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    f = tmp_path / "sub" / "a.txt.gz"
    f.write_bytes(gzip.compress(PROSE.encode("cp1251")))
    doc = read_document(f, tmp_path, print)
    assert doc is not None
    assert (doc.source, doc.encoding, doc.paragraphs) == ("sub/a.txt.gz", "cp1251", PARAGRAPHS)


def test_corrupt_gzip_is_skipped_with_a_warning(tmp_path: Path, warns: Warnings) -> None:
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(PROSE.encode())[:-12])
    assert read(f, warns) is None
    assert warns.about(str(f))


def test_invalid_utf8_is_replaced_counted_and_located(tmp_path: Path, warns: Warnings) -> None:
    head = ("Перший абзац тексту, довгий і рівний.\n" * 40_000).encode()  # > one read chunk
    assert len(head) > CHUNK
    f = tmp_path / "a.txt"
    f.write_bytes(head + "Погане ".encode() + b"\xff\xfe" + " слово тут.\n".encode())
    doc = read(f, warns)
    assert doc is not None and doc.encoding == "utf-8"
    assert doc.replaced == 2
    assert doc.paragraphs[-1] == "Погане \ufffd\ufffd слово тут."
    offset = len(head) + len("Погане ".encode())
    assert warns.about(f"first at byte {offset}") and warns.about(str(f))


def test_utf8_sequences_cut_by_read_boundaries_are_not_damaged(tmp_path: Path) -> None:
    # reads end at SAMPLE and SAMPLE + CHUNK bytes: put a two-byte "є" across both
    text = "a" + "я" * ((SAMPLE - 2) // 2) + "є" + "я" * ((CHUNK - 2) // 2) + "є" + "кінець"
    raw = text.encode()
    assert (
        raw[SAMPLE - 1 : SAMPLE + 1] == raw[SAMPLE + CHUNK - 1 : SAMPLE + CHUNK + 1] == "є".encode()
    )
    f = tmp_path / "a.txt"
    f.write_bytes(raw)
    doc = read(f, Warnings())
    assert doc is not None and doc.replaced == 0
    assert "".join(doc.paragraphs) == text


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "NUL bytes"),
        (bytes([7, 8, 1, 2, 3, 0x1F, 0x14, 0x41]) * 200, "control bytes"),
        ("Café crème, déjà vu, voilà là-bas, naïve façade.\n".encode("latin-1") * 20, "not UTF-8"),
        (b"", "empty"),
        (b"  \n\t\n\r\n   ", "whitespace"),
        ("\ufeff\u200b\n".encode(), "whitespace"),
    ],
    ids=["png", "controls", "latin-1", "empty", "blank", "bom-and-zero-width"],
)
def test_binary_undecodable_and_blank_files_are_skipped_with_a_warning(
    tmp_path: Path, warns: Warnings, payload: bytes, why: str
) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(payload)
    assert read(f, warns) is None
    assert len(warns) == 1 and str(f) in warns[0] and why in warns[0]


def test_nul_bytes_after_the_first_chunk_skip_the_file(tmp_path: Path, warns: Warnings) -> None:
    head = ("Абзац.\n" * 200_000).encode()
    f = tmp_path / "a.txt"
    f.write_bytes(head + b"\x00\x00\x00")
    assert read(f, warns) is None
    assert warns.about(f"NUL bytes (first at byte {len(head)})")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_skipped_with_a_warning(tmp_path: Path, warns: Warnings) -> None:
    f = tmp_path / "a.txt"
    f.write_text(PROSE)
    f.chmod(0)
    try:
        assert read(f, warns) is None
    finally:
        f.chmod(0o644)
    assert warns.about(str(f)) and warns.about("ermission")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_fails_while_being_read_is_skipped(tmp_path: Path, warns: Warnings) -> None:
    f = tmp_path / "mem.txt"
    f.symlink_to("/proc/self/mem")  # opens fine, then every read at offset 0 fails (EIO)
    assert read(f, warns) is None
    assert warns.about(f"skipping {f}: cannot read it")


def test_a_folder_named_like_a_text_file_is_reported_not_raised(tmp_path: Path) -> None:
    d = tmp_path / "odd.txt"
    d.mkdir()
    warns = Warnings()
    assert read(d, warns) is None and warns.about("cannot read")


# --- lines and paragraphs -----------------------------------------------------------------------
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_do_not_matter(tmp_path: Path, newline: str) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(PROSE.replace("\n", newline).encode())
    doc = read(f, Warnings())
    assert doc is not None and doc.paragraphs == PARAGRAPHS


def test_crlf_split_between_two_decoded_chunks_gives_one_line_break() -> None:
    assert list(corpus._lines(iter(["один\r", "\nдва\r", "\r\nтри"]), [0])) == [
        "один",
        "два",
        "",
        "три",
    ]


def test_cleaning_keeps_the_authors_punctuation(tmp_path: Path) -> None:
    raw = "Пам’ять\u00a0— се\u00adрце, «зам'ява» і\u200b краи\u0306 сам.  Кінець\t\tтут.\n"
    f = tmp_path / "a.txt"
    f.write_text(raw)
    doc = read(f, Warnings())
    assert doc is not None
    assert doc.paragraphs == ("Пам’ять — серце, «зам'ява» і край сам. Кінець тут.",)
    assert doc.paragraphs[0] == " ".join(clean(raw).split())


def test_one_paragraph_per_line_keeps_headings_apart(tmp_path: Path) -> None:
    text = "ЧАСТИНА ПЕРША\nI\nПОЛЬОВА ЦАРІВНА\nНадворі весна вповні.\nДійові особи:\nМоя утома.\n"
    f = tmp_path / "a.txt"
    f.write_text(text)
    doc = read(f, Warnings())
    assert doc is not None and doc.paragraphs == tuple(text.splitlines())


WRAPPED = """\
РОЗДІЛ ПЕРШИЙ
Надворі була весна. Він довго сидів біля вікна і напи-
сав листа своїй матері, бо давно вже не писав. Це був
будь-
який лист, звичайний, але щирий. Далі він пішов до
Івано-
Франківська пішки, а черво-
но-чорний прапор мав над головою.

I

Другий розділ починається тут, і речення тягнеться
далі на наступний рядок без жодної перерви, аж поки
не скінчиться.
Коротко.
Нова думка з великої літери йде далі, бо рядок
продовжується.
"""


def test_hard_wrapped_lines_are_joined_and_hyphenation_undone(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(WRAPPED)
    doc = read(f, Warnings())
    assert doc is not None
    assert doc.paragraphs == (
        "РОЗДІЛ ПЕРШИЙ",
        "Надворі була весна. Він довго сидів біля вікна і написав листа своїй матері, бо давно "
        "вже не писав. Це був будь-який лист, звичайний, але щирий. Далі він пішов до "
        "Івано-Франківська пішки, а червоно-чорний прапор мав над головою.",
        "I",
        "Другий розділ починається тут, і речення тягнеться далі на наступний рядок без жодної "
        "перерви, аж поки не скінчиться.",
        "Коротко.",
        "Нова думка з великої літери йде далі, бо рядок продовжується.",
    )


def test_indented_paragraphs_in_wrapped_text_are_kept_apart(tmp_path: Path) -> None:
    text = (
        "    Перший абзац починається тут, і він тягнеться\n"
        "далі на другий рядок, аж поки не скінчиться\n"
        "на третьому рядку, як і годиться.\n"
        "    Другий абзац теж починається з відступу\n"
        "і теж займає кілька рядків тексту.\n"
    )
    f = tmp_path / "a.txt"
    f.write_text(text)
    doc = read(f, Warnings())
    assert doc is not None and len(doc.paragraphs) == 2
    assert doc.paragraphs[1].startswith("Другий абзац")


def test_a_line_with_no_breaks_is_cut_at_sentence_ends(tmp_path: Path, warns: Warnings) -> None:
    sentence = "Це речення про весну і поле, яке тягнеться без кінця. "
    text = sentence * (3 * MAX_PARAGRAPH // len(sentence))
    f = tmp_path / "a.txt"
    f.write_text(text)
    doc = read(f, warns)
    assert doc is not None
    assert all(len(p) <= MAX_PARAGRAPH for p in doc.paragraphs)
    assert all(p.endswith(".") for p in doc.paragraphs)
    assert " ".join(doc.paragraphs) == text.strip()
    assert warns.about("longer than") and warns.about(str(f))


def test_a_line_with_no_spaces_at_all_is_still_cut(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("я" * (MAX_PARAGRAPH * 2 + 5))
    doc = read(f, Warnings())
    assert doc is not None
    assert [len(p) for p in doc.paragraphs] == [MAX_PARAGRAPH, MAX_PARAGRAPH, 5]


@pytest.mark.slow
def test_fifty_megabytes_without_line_breaks_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    sentence = "Надворі весна вповні, і скрізь розвернулося та зацвіло пишним цвітом. "
    f = tmp_path / "big.txt"
    block = (sentence * (CHUNK // len(sentence.encode()))).encode()
    with open(f, "wb") as out:
        while out.tell() < 50_000_000:
            out.write(block)
    tracemalloc.start()
    doc = read(f, Warnings())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert doc is not None
    chars = sum(map(len, doc.paragraphs))
    assert chars > 25_000_000
    assert max(map(len, doc.paragraphs)) <= MAX_PARAGRAPH
    assert peak < 3 * 2 * chars  # the document itself is 2 bytes a character


def test_a_utf8_letter_cut_by_the_detection_sample_is_not_taken_for_cp1251(tmp_path: Path) -> None:
    lines = "Latin text only here.\n" * (SAMPLE // 22)
    head = lines + "x" * (SAMPLE - 1 - len(lines))
    f = tmp_path / "a.txt"
    f.write_bytes(head.encode() + "єдина українська літера.\n".encode())
    doc = read(f, Warnings())
    assert doc is not None and doc.encoding == "utf-8"
    assert doc.paragraphs[-1].endswith("єдина українська літера.")


TEXTISH = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=1000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(
        st.sampled_from(
            [
                "Слово".encode(),
                "напи-".encode(),
                b"\n",
                b"\r\n",
                b"\n\n",
                b"\xff",
                b"\xd0",
                b"\x00",
                "ґанок".encode("cp1251"),
                "РОЗДІЛ".encode("koi8-u"),
                codecs.BOM_UTF8,
                codecs.BOM_UTF16_LE,
                "\u200b\u00ad\u00a0".encode(),
                "я".encode() * 500,
            ]
        ),
        max_size=60,
    ).map(b"".join),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXTISH, st.booleans())
def test_reader_never_raises_on_arbitrary_bytes(data: bytes, gz: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / ("a.txt.gz" if gz else "a.txt")
        f.write_bytes(gzip.compress(data, mtime=0) if gz else data)
        warns = Warnings()
        doc = read(f, warns)
    if doc is None:
        assert len(warns) >= 1 and all(str(f) in w for w in warns)
    else:
        assert doc.paragraphs and all(p and p == p.strip() for p in doc.paragraphs)
        assert all(clean(p) == p and "\x00" not in p for p in doc.paragraphs)
        assert doc.replaced <= sum(p.count("\ufffd") for p in doc.paragraphs)
