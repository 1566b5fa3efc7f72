"""Corpus files -> Documents: find the files, detect the encoding, rebuild paragraphs, clean.

Users bring whatever they have (scanned-book dumps, old cp1251 archives, gzipped exports), so a
file that cannot be read as text is skipped with a warning naming it and saying why, and never
stops the build; only a corpus path that yields no files at all is an error.

Encodings: a BOM decides UTF-8 or UTF-16; otherwise UTF-8 when at most 10% of the non-ASCII
bytes in the first 64 KiB are invalid UTF-8 (those, anywhere in the file, become U+FFFD: counted
in `Document.replaced` and warned with the byte offset of the first); otherwise cp1251 or koi8-u,
whichever decodes to more frequent Ukrainian letters. NUL bytes, control characters or 8-bit text
that is not Cyrillic mean "not a text file": skipped.

Paragraphs: a file is *hard-wrapped* when lines run on into the next one (a line without final
punctuation followed by one that starts in lower case, for at least 30% of adjacent line pairs);
then lines are joined into paragraphs at blank lines, indented first lines, short lines that end
a sentence and headings, and a word hyphenated across a line break is rejoined (`напи-\\nсав` ->
`написав`; `будь-\\nякий` keeps its hyphen when the dictionary knows the hyphenated form).
Otherwise every line is a paragraph, but a word hyphenated across a line break is rejoined there
too (a hand-wrapped paragraph in a one-paragraph-per-line file: `ру-\\nчно` -> `ручно`). A
heading line is always a paragraph of its own.

Bounded memory: files are decoded in 1 MiB chunks; a line longer than `MAX_PARAGRAPH` characters
(a 50 MB file with no line breaks) is cut into pieces at sentence ends (else at a space), with one
warning per file, so no stage ever sees a giant string. A file is read up to `MAX_DOCUMENT`
characters; the rest is left out with a warning.

    >>> doc = read_document(Path("corpus/story.txt"), Path("corpus"), print)   # doctest: +SKIP
    >>> doc.source, doc.encoding, doc.paragraphs[0][:20]                        # doctest: +SKIP
    ('story.txt', 'utf-8', 'Надворі весна вповні')
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import itertools
import os
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

from pairgen.errors import CorpusError
from pairgen.ingest.markup import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    html_lines,
    is_html,
    markdown_lines,
    txt_lines,
)
from pairgen.records import Document
from pairgen.text import WORD_RE, clean, safe_text

SUFFIXES = (".txt", ".txt.gz", *MARKDOWN_SUFFIXES, *HTML_SUFFIXES)
_DOC_NAMES = frozenset(
    [
        "README",
        "SOURCES",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "AUTHORS",
        "CHANGELOG",
        "CHANGES",
        "CONTRIBUTING",
        "CITATION",
    ]
)
TABLE_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".tsv", ".tsv.gz", ".parquet")
"""Files read as tables, one text column per row (`pairgen.ingest.sources`)."""
NOT_READ = {
    (".xhtml",): "XHTML is not read; save the page as .html or .txt",
    (".docx", ".doc", ".odt", ".rtf"): "a word-processor document; save it as .txt",
    (".pdf", ".djvu"): "a PDF or scan; extract its text to .txt first (e.g. pdftotext)",
    (".epub", ".fb2", ".mobi"): "an e-book; convert it to .txt first",
    (".json",): "JSON is read only as JSON Lines: name it .jsonl, one object a line",
    (".xls", ".xlsx", ".ods"): "a spreadsheet; save the sheet as .csv",
    (".zip", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".rar"): "an archive; unpack it first",
}
"""Why a file with these suffixes is not read, for the list of skipped files."""
NOT_READ_SHOWN = 20
"""Skipped files named one by one; the rest are counted by suffix."""
CHUNK = 1 << 20
SAMPLE = 1 << 16
MAX_PARAGRAPH = 20_000
"""Characters: longer lines are cut at sentence ends. The longest line in ../shared/corpus is
9,341 characters."""
MAX_DOCUMENT = 100_000_000
"""Characters read from one file at most (about 200 MB of Cyrillic UTF-8)."""

Warn = Callable[[str], None]

# Ukrainian letter frequencies (per mille, rounded), used only to tell cp1251 from koi8-u.
_FREQ = dict(
    zip(
        "оанівиетрсклудмпязьгбчхцйжїшюєщфґ",
        (94, 72, 65, 58, 54, 61, 47, 50, 47, 41, 35, 34, 33, 31, 30, 28, 22, 21, 17, 16, 15, 13, 12,
         10, 10, 9, 8, 8, 7, 4, 4, 3, 1),
        strict=True,
    )
)  # fmt: skip
_LEGACY = ("cp1251", "koi8-u")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1B)) + bytes(range(0x1C, 0x20))
_SPACES = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"[^\S ]")
_ESCAPED = re.compile("[\udc80-\udcff]")
"""Bytes that are not valid UTF-8, as `surrogateescape` decodes them."""
_SENTENCE_END = re.compile(r"[.!?…][\"'»”“’)\]]*\s+(?=\S)")
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'»”“’)\]]*$")
_OPEN_END = re.compile(r"[^\W\d_][-\u2010]$")
_HEADING_END = re.compile(r"[.!?…,;\-\u2010–—]$")
_WORD_HEAD = re.compile(r"[^\W\d_]+")
_WORD_TAIL = re.compile(r"([^\W\d_]+)[-\u2010]$")
_KEEP_HYPHEN_LEFT = frozenset(
    {"будь", "казна", "хтозна", "бозна", "де", "аби", "екс", "віце", "обер", "унтер", "штабс"}
    | {"лейб", "пів", "напів", "північно", "південно", "західно", "східно"}
)
"""Word parts before a line-break hyphen that keep it: `будь-`, `казна-`, `віце-`."""
_KEEP_HYPHEN_RIGHT = frozenset({"то", "таки", "небудь", "от", "бо", "но", "ось", "же", "ж"})
"""Particles after a line-break hyphen that keep it: `-то`, `-таки`, `-небудь`."""


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


# --- finding files ------------------------------------------------------------------------------
def _accepted(name: str) -> bool:
    return name.lower().endswith(SUFFIXES + TABLE_SUFFIXES)


def _folder_document(name: str) -> bool:
    """`README.md`, `SOURCES.md`, `LICENSE.html`...: a Markdown or HTML file that describes the
    folder it is in (a Hub dataset folder's card is its README.md), not corpus text. Skipped when
    a folder is searched; read when given as the corpus file itself."""
    stem, _, suffix = name.upper().partition(".")
    return f".{suffix.lower()}" in (*MARKDOWN_SUFFIXES, *HTML_SUFFIXES) and stem in _DOC_NAMES


def not_read_reason(name: str) -> str:
    """Why a file named `name` is not part of the corpus, in words."""
    if _folder_document(name):
        return "it describes the folder (README, SOURCES, LICENSE...); it is not corpus text"
    lower = name.lower()
    for suffixes, reason in NOT_READ.items():
        if lower.endswith(suffixes):
            return reason
    kinds = ", ".join(SUFFIXES + TABLE_SUFFIXES)
    return f"not a corpus file ({kinds})"


def _warn_not_read(paths: list[Path], warn: Warn) -> None:
    """Name each skipped file with the reason (the first NOT_READ_SHOWN), then count the rest."""
    for path in paths[:NOT_READ_SHOWN]:
        warn(f"skipping {path}: {not_read_reason(path.name)}")
    rest = paths[NOT_READ_SHOWN:]
    if rest:
        by_suffix = Counter(p.suffix.lower() or "(no suffix)" for p in rest)
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(by_suffix.items()))
        warn(f"skipping {len(rest)} more files that are not corpus files ({kinds})")


def corpus_files(path: Path, *, warn: Warn | None = None) -> list[Path]:
    """The corpus files under `path` (a folder, searched recursively, or one file), sorted.

    `.txt`, `.txt.gz`, `.md`/`.markdown` and `.html`/`.htm` files count (Markdown and HTML read
    through `pairgen.ingest.markup`, except a folder's own README.md, SOURCES.md, LICENSE.md and
    the like), and tables (`.jsonl`, `.csv`, `.tsv`, `.parquet`, read by
    `pairgen.ingest.sources`); every other file is named in a warning with the reason it is not
    read. Hidden files and folders (`.git`) are ignored. Symlinks are followed, but a link back
    into a folder being read (a loop) or to a folder already read is skipped with a warning.

        >>> [p.name for p in corpus_files(Path("corpus"))]       # doctest: +SKIP
        ['diary.txt', 'essay.txt', 'story.txt']
    """
    warn = warn or _stderr
    root = Path(path)
    if not root.exists():
        what = "is a broken link" if root.is_symlink() else "does not exist"
        raise CorpusError(
            f"corpus path {root} {what}: give a folder of .txt/.txt.gz files or one such file"
        )
    if root.is_file():
        if not _accepted(root.name):
            raise CorpusError(f"corpus file {root} is not read: {not_read_reason(root.name)}")
        return [root]
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is neither a regular file nor a folder")
    walk = _Walk(root, warn)
    _warn_not_read([walk.not_read[key] for key in sorted(walk.not_read)], warn)
    if not walk.found:
        raise CorpusError(f"corpus folder {root} has no .txt, .txt.gz or table files")
    return [walk.found[key] for key in sorted(walk.found)]


def _key(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def _real_folders(root: Path) -> dict[tuple[int, int], str]:
    """Every folder under `root` reached without following a link, by (device, inode).

    A stack, not `os.walk` (recursive before Python 3.12): a tree 500+ levels deep is fine.
    """
    real = {_key(root): "."}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # reported when the walk that follows links gets there
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    path = Path(entry.path)
                    real[_key(path)] = path.relative_to(root).as_posix()
                    stack.append(path)
            except OSError:
                continue
    return real


class _Walk:
    """Depth-first search that follows links, but never into a loop or a folder read twice.

    The folders being read are a stack of open listings, not recursive calls, so depth is
    bounded by memory, not by Python's recursion limit.
    """

    def __init__(self, root: Path, warn: Warn) -> None:
        self.warn = warn
        self.real = _real_folders(root)
        self.linked: dict[tuple[int, int], str] = {}
        self.found: dict[str, Path] = {}
        self.not_read: dict[str, Path] = {}
        self.stack: list[tuple[Path, tuple[str, ...], frozenset, Iterator[os.DirEntry[str]]]] = []
        self.open(root, (), frozenset({_key(root)}))
        while self.stack:
            folder, rel, ancestors, entries = self.stack[-1]
            entry = next(entries, None)
            if entry is None:
                self.stack.pop()
            else:
                self.visit(entry, folder, rel, ancestors)

    def open(self, folder: Path, rel: tuple[str, ...], ancestors: frozenset) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            self.warn(f"cannot list folder {folder} ({e.strerror or e}); skipped")
            return
        self.stack.append((folder, rel, ancestors, iter(entries)))

    def visit(self, entry: os.DirEntry[str], folder: Path, rel: tuple[str, ...],
              ancestors: frozenset) -> None:  # fmt: skip
        if entry.name.startswith("."):
            return
        child, child_rel = folder / entry.name, (*rel, entry.name)
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            self.enter(child, child_rel, ancestors, entry.is_symlink())
        elif _accepted(entry.name) and not _folder_document(entry.name):
            if is_file:
                self.found["/".join(child_rel)] = child
            else:
                self.warn(f"{child} is a broken link or not a regular file; skipped")
        elif is_file:
            self.not_read["/".join(child_rel)] = child

    def enter(self, folder: Path, rel: tuple[str, ...], ancestors: frozenset, link: bool) -> None:
        try:
            key = _key(folder)
        except OSError as e:
            self.warn(f"cannot open folder {folder} ({e.strerror or e}); skipped")
            return
        if key in ancestors:
            self.warn(f"{folder} links back to a folder that contains it (a symlink loop); skipped")
            return
        if link:
            seen = self.real.get(key) or self.linked.get(key)
            if seen is not None:
                self.warn(f"{folder} links to folder {seen}, which is read already; skipped")
                return
            self.linked[key] = "/".join(rel)
        self.open(folder, rel, ancestors | {key})


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file's bytes as stored (a .gz is hashed compressed)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


# --- decoding -----------------------------------------------------------------------------------
class _Skip(Exception):
    """Internal: the file is not usable text; the message says why."""


def _open(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _legacy_score(text: str) -> float:
    letters = [c.lower() for c in text if c.isalpha() and not c.isascii()]
    return sum(_FREQ.get(c, 0) for c in letters) / max(1, len(letters))


def _detect_encoding(sample: bytes, complete: bool = True) -> str:
    """The encoding of a file that starts with `sample`; raises _Skip for non-text.

    `complete` says the sample is the whole file (else a cut UTF-8 sequence at its end is
    ignored).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    nul = sample.find(b"\x00")
    if nul >= 0:
        raise _Skip(f"it has NUL bytes (first at byte {nul}): binary, or UTF-16 without a BOM")
    controls = sum(sample.count(b) for b in _CONTROL_BYTES)
    if controls > max(8, len(sample) // 200):
        raise _Skip(f"it has {controls} control bytes in its first {len(sample)}: binary")
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high == 0:
        return "utf-8"
    usable = sample if complete else sample[: _utf8_cut(sample)]
    invalid = len(_ESCAPED.findall(usable.decode("utf-8", "surrogateescape")))
    if invalid <= high // 10:
        return "utf-8"
    scored = []
    for encoding in _LEGACY:
        text = sample.decode(encoding, "replace")
        non_ascii = [c for c in text if not c.isascii()]
        cyrillic = sum(1 for c in non_ascii if "\u0400" <= c <= "\u04ff")
        letters = sum(1 for c in text if c.isalpha())
        if cyrillic >= 0.6 * len(non_ascii) and cyrillic >= 0.3 * letters:
            scored.append((_legacy_score(text), encoding))
    if not scored:
        raise _Skip("it is not UTF-8, UTF-16 (with BOM), cp1251 or koi8-u Cyrillic text")
    return max(scored)[1]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text that came as bytes from a pipe (preview's stdin): (text, encoding), detected as for a
    corpus file; undecodable bytes become U+FFFD. Raises ValueError, saying why, for binary data.

        >>> decode_bytes("Добрий день.".encode("cp1251"))
        ('Добрий день.', 'cp1251')
    """
    encoding = detect_encoding(data[:SAMPLE], complete=len(data) <= SAMPLE)
    return data.decode(encoding, "replace"), encoding


def detect_encoding(sample: bytes, complete: bool = True) -> str:
    """The encoding of text that starts with `sample` (as for a corpus file); `ValueError`
    saying why when it is not text. Tables (`pairgen.ingest.sources`) use it for CSV files."""
    try:
        return _detect_encoding(sample, complete)
    except _Skip as e:
        raise ValueError(str(e)) from None


def _utf8_cut(data: bytes) -> int:
    """Length of `data` without a UTF-8 sequence cut off at its end."""
    for back in range(1, min(4, len(data)) + 1):
        b = data[-back]
        if b < 0x80:
            return len(data)
        if b >= 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return len(data) if back >= need else len(data) - back
    return len(data)


class _Decoder:
    """Streams text out of a binary file; counts and locates replaced bytes."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self.stream = stream
        self.encoding = encoding
        self.replaced = 0
        self.first_bad: int | None = None
        self.fed = 0
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        errors = "surrogateescape" if name == "utf-8" else "replace"
        self.decoder = codecs.getincrementaldecoder(name)(errors=errors)

    def chunks(self, sample: bytes) -> Iterator[str]:
        """The decoded text, chunk by chunk, starting with the already-read `sample`."""
        self.fed = len(codecs.BOM_UTF8) if self.encoding == "utf-8-sig" else 0
        data = sample[self.fed :]
        while True:
            final = not data
            if data and self.encoding != "utf-16" and b"\x00" in data:
                offset = self.fed + data.index(b"\x00")
                raise _Skip(f"it has NUL bytes (first at byte {offset}): not a text file")
            base = self.fed - len(self.decoder.getstate()[0])
            self.fed += len(data)
            text = self.decoder.decode(data, final=final)
            if text:
                yield self._repair(text, base)
            if final:
                return
            data = self.stream.read(CHUNK)

    def _repair(self, text: str, base: int) -> str:
        if self.encoding.startswith("utf-8"):
            first = _ESCAPED.search(text)
            if first:
                if self.first_bad is None:
                    head = text[: first.start()].encode("utf-8", "surrogateescape")
                    self.first_bad = base + len(head)
                text, n = _ESCAPED.subn("\ufffd", text)
                self.replaced += n
        else:
            if "\x00" in text:
                raise _Skip("it decodes to NUL characters: not a text file")
            self.replaced += text.count("\ufffd")
        return text


def _lines(chunks: Iterator[str], cut: list[int]) -> Iterator[str]:
    """Lines (without their breaks) from text chunks; over-long lines come out in pieces."""
    pending = ""
    for text in chunks:
        pending += text
        parts = pending.splitlines(keepends=True)
        pending = ""
        if parts and (parts[-1][-1] == "\r" or parts[-1].splitlines()[0] == parts[-1]):
            pending = parts.pop()  # unfinished (or a "\r" whose "\n" may follow)
        for part in parts:
            yield from _pieces(part.splitlines()[0], cut)
        if len(pending) > MAX_PARAGRAPH:
            *done, pending = _pieces(pending, cut)
            yield from done
    if pending:
        yield from _pieces(pending.rstrip("\r"), cut)


def _pieces(line: str, cut: list[int]) -> Iterator[str]:
    """`line` in pieces of at most MAX_PARAGRAPH characters, with a blank line between pieces
    so that the paragraph builder never joins them back."""
    start = 0
    while len(line) - start > MAX_PARAGRAPH:
        end = _cut_point(line, start)
        cut[0] += 1
        if line[end - 1].isalnum() and line[end].isalnum():
            cut[1] += 1  # no sentence end or space to cut at: a "word" of 10,000+ characters
        yield line[start:end]
        yield ""
        start = end
    yield line[start:] if start else line


def _cut_point(text: str, start: int = 0) -> int:
    """Where to cut an over-long line: the last sentence end, else space, before MAX_PARAGRAPH."""
    limit = start + MAX_PARAGRAPH
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start + MAX_PARAGRAPH // 2, limit)]
    if ends:
        return ends[-1]
    space = text.rfind(" ", start + MAX_PARAGRAPH // 2, limit)
    return space + 1 if space > 0 else limit


@cache
def _fast_clean() -> re.Pattern[str] | None:
    """The characters `pairgen.text.clean` removes or replaces, to skip it on text without them.

    `clean` translates every character through a dict (~0.2 µs each: 12 s for a 50 MB file);
    most lines hold none of those characters and need only NFC.
    """
    try:
        from pairgen.text import _INVISIBLE
        from pairgen.text import _SPACES as _ODD
    except ImportError:  # text.py changed: always call clean()
        return None
    return re.compile("[" + re.escape("".join(map(chr, {**_INVISIBLE, **_ODD}))) + "]")


def _clean(text: str) -> str:
    """`pairgen.text.clean(text)`, faster on text that has nothing but NFC to fix."""
    special = _fast_clean()
    if special is None or special.search(text):
        return clean(text)
    return unicodedata.normalize("NFC", text)


# --- paragraphs ---------------------------------------------------------------------------------
def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped: adjacent lines that continue one sentence are common (>= 30%)."""
    inner = runs_on = 0
    for a, b in itertools.pairwise(lines):
        a, b = a.strip(), b.strip()
        if a and b:
            inner += 1
            if not _ends_sentence(a) and (_starts_lower(b) or _OPEN_END.search(a[-2:])):
                runs_on += 1
    return inner > 0 and runs_on >= 0.3 * inner


def _ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text[-8:]))


def _starts_lower(text: str) -> bool:
    m = _WORD_HEAD.search(text[:20])
    return m is not None and m.start() <= 3 and m.group()[0].islower()


def _looks_heading(line: str, width: int) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 10
        and len(line) <= min(80, 0.75 * width)
        and not _HEADING_END.search(line[-1:])
        and not _starts_lower(line)
    )


def _known(word: str) -> bool:
    from pairgen.augment.morph import analyzer
    from pairgen.text import for_analysis

    return bool(analyzer().word_is_known(for_analysis(word).casefold()))


def _glue(left: str, right: str) -> tuple[str, str]:
    """How wrapped line `left` joins `right`: (left, maybe without its hyphen; separator).

    A word hyphenated across the break is rejoined unless the hyphen belongs to it.
    """
    tail = _WORD_TAIL.search(left[-64:])
    if not tail:
        return left, " "
    head = WORD_RE.match(right)
    if not head or not right[0].islower():
        return left, ""  # `Івано-` + `Франківськ`
    a, b = tail.group(1), head.group()
    if _known(a + b) and not _known(f"{a}-{b}"):  # `напи-сав`, `черво-но-чорний`
        keep = False
    else:
        first = b.split("-")[0]
        keep = (
            a.casefold() in _KEEP_HYPHEN_LEFT
            or first.casefold() in _KEEP_HYPHEN_RIGHT
            or _known(f"{a}-{b}")
        )
    return (left, "") if keep else (left[:-1], "")


def _wrapped_paragraphs(raw: list[str]) -> list[str]:
    lines = [line.rstrip() for line in raw]
    widths = sorted(len(s) for s in lines if s.strip())
    width = widths[int(0.9 * (len(widths) - 1))] if widths else 80
    indents = [s[:1] in (" ", "\t") for s in lines if s.strip()]
    indent_marks = 0 < sum(indents) < 0.5 * len(indents)
    out: list[str] = []
    parts: list[str] = []  # the paragraph being built: lines and separators

    def close() -> None:
        if parts:
            out.append("".join(parts))
            parts.clear()

    for i, line in enumerate(lines):
        text = line.strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not text:
            close()
            continue
        starts_new = (not parts or _ends_sentence(parts[-1])) and not _starts_lower(text)
        if indent_marks and line[:1] in (" ", "\t"):
            close()
        if starts_new and _looks_heading(text, width) and (not nxt or not _starts_lower(nxt)):
            close()
            out.append(text)
            continue
        if parts:
            parts[-1], separator = _glue(parts[-1], text)
            parts.append(separator)
        parts.append(text)
        if _ends_sentence(text) and len(text) < 0.6 * width and not _starts_lower(nxt):
            close()
    close()
    return out


def _rejoin_hyphenated(lines: list[str]) -> list[str]:
    """Lines of a file that is not hard-wrapped, with words hyphenated across a break rejoined.

    A file of one paragraph per line can still hold a hand-wrapped paragraph (`переніс ру-` /
    `чно, бо`): a line that ends in a letter and a hyphen, followed directly by a line that starts
    in lower case, is joined to it as `_glue` joins wrapped lines (`будь-` / `який` keeps its
    hyphen). Nothing else is joined: other lines are paragraphs, as before.
    """
    out: list[str] = []
    for line in lines:
        text = line.strip()
        if out and text and _OPEN_END.search(out[-1][-2:]) and _starts_lower(text):
            left, separator = _glue(out[-1], text)
            out[-1] = left + separator + text
        else:
            out.append(line.rstrip() if text else line)
    return out


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from cleaned lines (`pairgen.text.clean` is per character, so cleaning lines
    cleans the paragraphs made of them)."""
    raw = _wrapped_paragraphs(lines) if _is_wrapped(lines) else _rejoin_hyphenated(lines)
    out: list[str] = []
    for paragraph in raw:
        text = paragraph
        if _CONTROL.search(text):
            text = _CONTROL.sub("", text)
        if "  " in text or _ODD_SPACE.search(text):
            text = _SPACES.sub(" ", text)
        text = text.strip()
        if len(text) > MAX_PARAGRAPH:  # joined wrapped lines can grow long too
            out.extend(p.strip() for p in _pieces(text, [0, 0]) if p.strip())
        elif text:
            out.append(text)
    return out


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text already in memory (a table row), made as a file's are: cleaned,
    hard wrapping undone, over-long lines cut."""
    return _paragraphs([_clean(line) for line in _lines(iter((text,)), [0])])


# --- reading ------------------------------------------------------------------------------------
def read_document(
    path: Path, root: Path, warn: Warn, stream: BinaryIO | None = None
) -> Document | None:
    """Decode, re-paragraph and clean one corpus file; None (after a warning) if it is unusable.

    `root` is the corpus folder: `Document.source` is the path relative to it, posix style.
    Empty, whitespace-only, binary, undecodable, unreadable and corrupt .gz files are skipped
    with a warning naming the file and the reason. `stream` is read instead of opening `path`
    (standard input, named by `path`).
    """
    path = Path(path)
    try:
        source = safe_text(path.relative_to(root).as_posix())
    except ValueError:
        source = safe_text(path.name)
    try:
        opened = _open(path) if stream is None else contextlib.nullcontext(stream)
        with opened as stream:
            sample = stream.read(SAMPLE)
            if not sample:
                warn(f"skipping {path}: it is empty")
                return None
            encoding = _detect_encoding(sample, complete=len(sample) < SAMPLE)
            decoder = _Decoder(stream, encoding)
            cut = [0, 0]  # cuts made, and those made inside a word
            lines: list[str] = []
            size = 0
            for line in _lines(decoder.chunks(sample), cut):
                lines.append(_clean(line))
                size += len(line)
                if size > MAX_DOCUMENT:
                    warn(f"{path}: read only the first {MAX_DOCUMENT:,} characters (the limit)")
                    break
    except _Skip as e:
        warn(f"skipping {path}: {e}")
        return None
    except (OSError, EOFError, zlib.error) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e) or type(e).__name__
        warn(f"skipping {path}: cannot read it ({reason})")
        return None
    if decoder.replaced:
        warn(
            f"{path}: {decoder.replaced} bytes that are not valid {encoding} were replaced with "
            f"U+FFFD (first at byte {decoder.first_bad})"
            if decoder.first_bad is not None
            else f"{path}: {decoder.replaced} undecodable characters were replaced with U+FFFD"
        )
    if cut[0]:
        where = (
            "cut at sentence ends"
            if not cut[1]
            else f"{cut[1]} of them inside a word, with no sentence end or space to cut at "
            "(not prose?)"
        )
        warn(
            f"{path}: {cut[0]} cut(s) made in lines longer than {MAX_PARAGRAPH:,} characters "
            f"(no line breaks?); {where}"
        )
    kind, lines, markup = _strip_markup(path.name.lower(), lines)
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        warn(f"skipping {path}: it holds only whitespace or invisible characters")
        return None
    return Document(
        source, tuple(paragraphs), encoding, decoder.replaced, kind, tuple(sorted(markup.items()))
    )


def _strip_markup(name: str, lines: list[str]) -> tuple[str, list[str], dict[str, int]]:
    """(format read as, lines without markup, lines dropped or changed per reason)."""
    if name.endswith(MARKDOWN_SUFFIXES):
        return "markdown", [_clean(line) for line in markdown_lines("\n".join(lines))], {}
    if name.endswith(HTML_SUFFIXES) or is_html(lines):
        return "html", [_clean(line) for line in html_lines("\n".join(lines))], {}
    kept, counts = txt_lines(lines)
    return "text", kept, counts
