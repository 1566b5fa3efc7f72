"""Load synonym lexicons and the idiom list (`pairgen.augment.mythes` imports thesauri).

The synonym swap needs, for a lemma and a part of speech, the synonyms that can stand in its place.
The Ukrainian thesaurus (LibreOffice's MyThes file) is written for people: cross-references
(`(див.) X`), comparisons (`(пор.) X`), register labels (`(розм.)`) and no parts of speech. The
importer turns it once into a small TSV with every reference resolved, every label kept as a tag and
every synonym checked against pymorphy3 for a shared part of speech; the loader then only splits
lines. The format is documented in lexicons/README.md.

    >>> lex = load_lexicon()                       # the shipped lexicon
    >>> [s.lemma for s in lex.synonyms("азбука", "NOUN") if not s.tags]
    ['абетка', 'алфавіт']
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pairgen.errors import LexiconError
from pairgen.text import for_analysis, words

FORMAT = "pairgen-lexicon 1"
"""The first header line of a lexicon file; the version changes if the columns ever do."""

POS_TAGS = frozenset(
    "NOUN ADJF ADJS COMP VERB INFN PRTF PRTS GRND NUMR ADVB NPRO PRED PREP CONJ PRCL INTJ".split()  # noqa: SIM905
)
"""pymorphy3 part-of-speech names a lexicon row may use."""

SHIPPED_LEXICON = "uk_synonyms.tsv"
SHIPPED_IDIOMS = "uk_idioms.txt"

_WORD = r"[^\W\d_]+(?:['-][^\W\d_]+)*"
_LEMMA = rf"{_WORD}(?: {_WORD})*"
_TAG = r"[^,{}|\t\n]+"
_ITEM = rf"({_LEMMA})(?:\{{({_TAG}(?:,{_TAG})*)\}})?"
_ITEM_RE = re.compile(_ITEM)
_FIELD_RE = re.compile(rf"{_ITEM}(?:\|{_ITEM})*")
_LEMMA_RE = re.compile(_LEMMA)


@dataclass(frozen=True, slots=True)
class Synonym:
    """A word or phrase that can replace a headword of the same part of speech.

    `tags` are the thesaurus's register and sense labels (`розм.`, `заст.`, `про людину`); a tagged
    synonym fits only some registers or senses, so the swap leaves it out unless asked.
    """

    lemma: str
    """Dictionary form in analysis spelling (ASCII apostrophe), lower-case as in the thesaurus."""
    pos: str
    """pymorphy3 part of speech shared with the headword: NOUN, ADJF, VERB, ADVB, ..."""
    tags: frozenset[str] = frozenset()

    @property
    def multiword(self) -> bool:
        """A phrase (`теревені правити`): only its head word inflects."""
        return " " in self.lemma


class Lexicon:
    """Synonyms by (lemma, POS), parsed from the file's rows on first lookup.

    >>> lex = load_lexicon()
    >>> ("азбука", "NOUN") in lex
    True
    """

    __slots__ = ("_parsed", "_path", "_rows", "source")

    def __init__(
        self, rows: dict[tuple[str, str], str], source: str, path: str | None = None
    ) -> None:
        self._rows = rows
        self._parsed: dict[tuple[str, str], tuple[Synonym, ...]] = {}
        self._path = path
        self.source = source

    def synonyms(self, lemma: str, pos: str) -> tuple[Synonym, ...]:
        """The synonyms of `lemma` (analysis form) as a `pos`, thesaurus order; () if none."""
        key = (for_analysis(lemma), pos)
        found = self._parsed.get(key)
        if found is None:
            raw = self._rows.get(key)
            if raw is None:
                return ()
            found = tuple(_parse_item(m, pos) for m in _ITEM_RE.finditer(raw))
            self._parsed[key] = found
        return found

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __repr__(self) -> str:
        return f"Lexicon({self.source!r}, {len(self)} entries)"

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker process re-reads the file (once, cached) instead of receiving every row.
        if self._path is not None:
            return (_open, (self._path, self.source))
        return (Lexicon, (self._rows, self.source))


def _parse_item(m: re.Match[str], pos: str) -> Synonym:
    tags = frozenset(m.group(2).split(",")) if m.group(2) else frozenset()
    return Synonym(m.group(1), pos, tags)


# --- loading ---------------------------------------------------------------------------------


def _package_dir() -> Path:
    """The shipped lexicons: the installed `pairgen.lexicons` package, else the checkout's."""
    try:
        from importlib.resources import files

        folder = files("pairgen.lexicons")
        if (folder / SHIPPED_LEXICON).is_file() or (folder / SHIPPED_IDIOMS).is_file():
            return Path(str(folder))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "lexicons"


def shipped_lexicon_path() -> Path:
    """The shipped synonym file (plain or gzipped)."""
    folder = _package_dir()
    for name in (SHIPPED_LEXICON, SHIPPED_LEXICON + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise LexiconError(
        f"the shipped lexicon {SHIPPED_LEXICON} is missing from {folder}; reinstall pairgen "
        "or pass --lexicon PATH"
    )


def _read_text(path: Path) -> str:
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return raw.decode("utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{path}: no such lexicon file; check the path") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise LexiconError(f"{path}: cannot read it ({exc})") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load a lexicon TSV (see lexicons/README.md); `None` loads the shipped Ukrainian one.

    Cached per file, so every augmenter shares one copy. Each row is checked here, so a bad file
    fails at load with its line number, never halfway through a build.

        >>> load_lexicon("lexicons/uk_synonyms.tsv").synonyms("азбука", "NOUN")[0].lemma
        'абетка'
    """
    if path is None:
        return _open(str(shipped_lexicon_path()), "shipped")
    return _open(str(Path(path).expanduser().resolve()), str(path))


def _open(path: str, source: str) -> Lexicon:
    """The cached load, keyed by the file's modification time too, so a re-import is seen."""
    try:
        stat = Path(path).stat()
    except OSError:
        raise LexiconError(f"{path}: no such lexicon file; check the path") from None
    return _load(path, source, (stat.st_mtime_ns, stat.st_size))


@cache
def _load(path: str, source: str, stamp: tuple[int, int]) -> Lexicon:
    text = _read_text(Path(path))
    rows: dict[tuple[str, str], str] = {}
    first_line: dict[tuple[str, str], int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        if line.endswith("\r"):
            line = line[:-1]
        parts = line.split("\t")
        if len(parts) != 3:
            _bad(path, number, f"expected 3 tab-separated columns, found {len(parts)}")
        head, pos, field = parts
        head = for_analysis(head)
        if not _LEMMA_RE.fullmatch(head):
            _bad(path, number, f"headword {head!r} is not a word or phrase")
        if pos not in POS_TAGS:
            _bad(path, number, f"unknown part of speech {pos!r} (use a pymorphy3 POS such as NOUN)")
        field = for_analysis(field)
        if not _FIELD_RE.fullmatch(field):
            _bad(
                path,
                number,
                f"synonyms {field[:60]!r} are not `lemma` or `lemma{{tag,...}}` items "
                "separated by |",
            )
        key = (head, pos)
        if key in rows:
            _bad(path, number, f"duplicate entry {head} {pos} (first at line {first_line[key]})")
        rows[key] = field
        first_line[key] = number
    if not rows:
        raise LexiconError(f"{path}: no entries; is it a pairgen lexicon TSV?")
    return Lexicon(rows, source, path)


def _bad(path: str, number: int, what: str) -> None:
    raise LexiconError(f"{path}, line {number}: {what}")


# --- idioms ----------------------------------------------------------------------------------


def load_idioms(path: str | Path | None = None) -> tuple[tuple[str, ...], ...]:
    """Fixed expressions as tuples of case-folded words in analysis form, file order, no repeats.

    The swap leaves every word of a matched idiom alone. Lines are citation forms; `#` starts a
    comment. Cached per file.

        >>> ("час", "від", "часу") in load_idioms()
        True
    """
    found = _package_dir() / SHIPPED_IDIOMS if path is None else Path(path).expanduser().resolve()
    try:
        stat = found.stat()
    except OSError:
        raise LexiconError(f"{found}: no such idiom file; check the path") from None
    return _load_idioms(str(found), (stat.st_mtime_ns, stat.st_size))


@cache
def _load_idioms(path: str, stamp: tuple[int, int]) -> tuple[tuple[str, ...], ...]:
    text = _read_text(Path(path))
    out: dict[tuple[str, ...], None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        phrase = words(line)
        if len(phrase) < 2:
            _bad(path, number, f"{line!r} is not a phrase of two or more words")
        out[phrase] = None
    if not out:
        raise LexiconError(f"{path}: no idioms in it")
    return tuple(out)
