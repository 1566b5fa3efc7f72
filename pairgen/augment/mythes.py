"""Import a MyThes thesaurus (LibreOffice's format) into the lexicon the synonym swap reads.

The thesaurus is written for people: cross-references (`(див.) X`), comparisons (`(пор.) X`),
register labels (`(розм.)`) and no parts of speech. The importer turns it once into a small TSV
with every reference resolved, every label kept as a tag and every synonym checked against
pymorphy3 for a shared part of speech; `pairgen.augment.lexicon` then only splits lines.
The format is documented in lexicons/README.md.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from pairgen import __version__
from pairgen.augment.lexicon import _LEMMA_RE, FORMAT
from pairgen.augment.morph import analyzer
from pairgen.errors import LexiconError
from pairgen.text import for_analysis


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `import_mythes` read, kept and dropped (the CLI prints it)."""

    headwords: int
    """Headwords in the thesaurus."""
    entries: int
    """(headword, POS) rows written."""
    synonyms: int
    """Synonyms written, over all rows."""
    tagged: int
    """Written synonyms with at least one tag."""
    multiword: int
    """Written synonyms that are phrases."""
    references: int
    """`(див.) X` cross-references resolved to X's entry."""
    unresolved_references: int
    """`(див.) X` where X has no entry: X itself is kept as the synonym."""
    comparisons: int
    """`(пор.) X` comparisons dropped."""
    unknown_headwords: int
    """Headwords pymorphy3 does not know: no row."""
    unknown_synonyms: int
    """Synonyms dropped because pymorphy3 does not know them (or their head word)."""
    other_pos: int
    """Synonyms dropped because they share no part of speech with the headword."""
    malformed: int
    """Items that are not a word or phrase after removing labels (stray digits, dots)."""
    tagged_dropped: int
    """Tagged synonyms left out because keep_tagged was False."""

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.entries} entries from {self.headwords} headwords, {self.synonyms} synonyms "
            f"({self.tagged} tagged, {self.multiword} multi-word); resolved {self.references} "
            f"cross-references ({self.unresolved_references} to words without an entry); dropped "
            f"{self.comparisons} comparisons, {self.other_pos} other-POS, {self.unknown_synonyms} "
            f"unknown to pymorphy3, {self.malformed} malformed, {self.tagged_dropped} tagged; "
            f"{self.unknown_headwords} headwords unknown to pymorphy3"
        )


_LABEL_RE = re.compile(r"\(([^()]*)\)")
_COMPARISON_RE = re.compile(r"\((?:пор|порівн)\.?\s*\)")
_ABBREVIATION_RE = re.compile(r"[^\W\d_]+\.")
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})

_Item = tuple[str, str, frozenset[str]]
"""(kind, lemma, tags); kind is "syn", "ref" (див.) or "also" (див. ще)."""


@lru_cache(maxsize=100_000)
def _word_pos(word: str) -> tuple[frozenset[str], bool]:
    """(POS set, is a dictionary form): the POS of parses whose lemma is `word` itself, else of
    every known parse (`балачки` -> NOUN), else nothing. Proper-name readings do not count
    (`швидкий` is also a surname, which must not make `прудкий` a noun synonym). pymorphy3 writes
    infinitives as VERB."""
    parses = [
        p
        for p in analyzer().parse(word)
        if p.is_known and p.tag.POS and not (p.tag.grammemes & _PROPER)
    ]
    as_lemma = frozenset(p.tag.POS for p in parses if p.normal_form == word.lower())
    if as_lemma:
        return as_lemma, True
    return frozenset(p.tag.POS for p in parses), False


def _phrase_pos(lemma: str) -> frozenset[str]:
    """A word's POS; a phrase's: that of any word in it that is a dictionary form of a content POS
    (the head is the first word with the POS in question: `здатний абсорбувати` -> ADJF, VERB)."""
    if " " not in lemma:
        return _word_pos(lemma)[0]
    out: set[str] = set()
    for word in lemma.split(" "):
        found, is_lemma = _word_pos(word)
        if is_lemma:
            out |= found - _FUNCTION_POS
    return frozenset(out)


def _labels(raw: Iterable[str]) -> frozenset[str]:
    """Normalised tags: `знев., фам.` -> {знев., фам.}; `на кого, на що` -> {на кого; на що}."""
    out = set()
    for label in raw:
        label = " ".join(label.split()).strip(" ,;–-")
        if not label:
            continue
        pieces = [p for p in re.split(r"[,\s]+", label) if p]
        if all(_ABBREVIATION_RE.fullmatch(p) for p in pieces):
            out.update(pieces)
        else:
            out.add(label.replace(",", ";").replace("|", "/").replace("{", "(").replace("}", ")"))
    return frozenset(out)


def _parse_sense_item(text: str, counts: Counter[str]) -> _Item | None:
    cut = _COMPARISON_RE.search(text)
    if cut:
        counts["comparisons"] += 1
        text = text[: cut.start()]
    labels = _LABEL_RE.findall(text)
    rest = " ".join(_LABEL_RE.sub(" ", text).split()).strip(" ,;:–—-")
    if not rest:
        if not cut and text.strip():
            counts["malformed"] += 1
        return None
    lemma = for_analysis(rest)
    if not _LEMMA_RE.fullmatch(lemma):
        counts["malformed"] += 1
        return None
    kind = "syn"
    kept = []
    for label in labels:
        flat = " ".join(label.split())
        if flat == "див.":
            kind = "ref"
        elif flat == "див. ще":
            kind = "also"
        else:
            kept.append(label)
    tags = _labels(kept)
    if kind == "also":
        tags |= {"див. ще"}
    return kind, lemma, tags


def _read_mythes(src: Path, counts: Counter[str]) -> dict[str, list[_Item]]:
    """Headword -> its items over all senses, sense-line labels already merged into the tags."""
    from pairgen.config import input_file_error

    if error := input_file_error(src, "PATH"):
        raise error
    try:
        data = src.read_bytes()
    except FileNotFoundError:
        raise LexiconError(f"{src}: no such thesaurus file; check the path") from None
    except OSError as exc:
        raise LexiconError(f"{src}: cannot read it ({exc})") from None
    if b"\x00" in data:
        raise LexiconError(
            f"{src}: not a MyThes thesaurus (it has NUL bytes at byte {data.index(0)}: a binary "
            "file); give a th_*.dat file"
        )
    first, _, body = data.partition(b"\n")
    encoding = first.decode("ascii", "replace").strip() or "utf-8"
    try:
        lines = body.decode(encoding).splitlines()
    except LookupError:
        raise LexiconError(
            f"{src}, line 1: unknown encoding {encoding!r}; is it a MyThes .dat file?"
        ) from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{src}: not valid {encoding} (byte {exc.start})") from None
    entries: dict[str, list[_Item]] = {}
    i = 0
    while i < len(lines):
        number = i + 2
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        head, sep, count = line.rpartition("|")
        if not sep or not count.isdigit():
            raise LexiconError(f"{src}, line {number}: expected `headword|N`, found {line[:60]!r}")
        head = for_analysis(" ".join(head.split()).strip(" ,;")).lower()
        items = entries.setdefault(head, [])
        for _ in range(int(count)):
            if i >= len(lines) or "|" not in lines[i] or lines[i][:1] not in "|(":
                raise LexiconError(
                    f"{src}, line {i + 2}: {head!r} promises {count} sense lines, found fewer"
                )
            prefix, *parts = lines[i].split("|")
            i += 1
            sense_tags = _labels(_LABEL_RE.findall(prefix))
            for part in parts:
                item = _parse_sense_item(part, counts)
                if item:
                    items.append((item[0], item[1], item[2] | sense_tags))
    return entries


def _resolve(head: str, entries: dict[str, list[_Item]], counts: Counter[str]) -> list[_Item]:
    """The headword's synonyms with every `(див.) X` replaced by X and X's synonyms (whose tags
    gain the reference's tags), transitively; an entry already being expanded is not re-entered."""
    seen = {head}
    out: list[_Item] = []

    def walk(word: str, extra: frozenset[str], top: bool) -> None:
        for kind, lemma, tags in entries.get(word, ()):
            tags = tags | extra
            out.append(("syn", lemma, tags))
            if kind != "ref":
                continue
            if lemma not in entries:
                if top:
                    counts["unresolved_references"] += 1
                continue
            if top:
                counts["references"] += 1
            if lemma not in seen:
                seen.add(lemma)
                walk(lemma, tags, False)

    walk(head, frozenset(), True)
    return out


def _dedupe(items: list[tuple[str, frozenset[str]]]) -> list[tuple[str, frozenset[str]]]:
    """One item per lemma, at its first position, with the fewest tags it was seen with."""
    best: dict[str, frozenset[str]] = {}
    for lemma, tags in items:
        if lemma not in best or len(tags) < len(best[lemma]):
            best[lemma] = tags
    return list(best.items())


def format_item(lemma: str, tags: Iterable[str]) -> str:
    """`lemma` or `lemma{tag1,tag2}` with tags sorted, as rows store them."""
    tags = sorted(tags)
    return f"{lemma}{{{','.join(tags)}}}" if tags else lemma


def import_mythes(
    src: Path, dst: Path, *, keep_tagged: bool = True, licence: str = ""
) -> ImportReport:
    """Convert a MyThes thesaurus (`th_*.dat`) into a pairgen lexicon TSV at `dst`.

    `licence` goes into the file's header (the source thesaurus's terms); `keep_tagged=False`
    leaves out every synonym that carries a register or sense label.

        report = import_mythes(Path("/usr/share/mythes/th_uk_UA_v2.dat"), Path("mine.tsv"))
        print(report.summary())
    """
    src, dst = Path(src), Path(dst)
    check_destination(src, dst)
    counts: Counter[str] = Counter()
    entries = _read_mythes(src, counts)
    rows: list[str] = []
    for head in entries:
        head_pos, _ = _word_pos(head) if " " not in head else (_phrase_pos(head), True)
        if not head_pos:
            counts["unknown_headwords"] += 1
            continue
        resolved = [(lemma, tags) for _, lemma, tags in _resolve(head, entries, counts)]
        candidates = [(lemma, tags) for lemma, tags in _dedupe(resolved) if lemma != head]
        kept_any: set[str] = set()
        for pos in sorted(head_pos):
            items = []
            for lemma, tags in candidates:
                if pos not in _phrase_pos(lemma):
                    continue
                kept_any.add(lemma)
                if tags and not keep_tagged:
                    counts["tagged_dropped"] += 1
                    continue
                items.append((lemma, tags))
            if not items:
                continue
            rows.append(f"{head}\t{pos}\t{'|'.join(format_item(*it) for it in items)}")
            counts["synonyms"] += len(items)
            counts["tagged"] += sum(1 for _, tags in items if tags)
            counts["multiword"] += sum(1 for lemma, _ in items if " " in lemma)
        for lemma, _ in candidates:
            if lemma not in kept_any:
                counts["unknown_synonyms" if not _phrase_pos(lemma) else "other_pos"] += 1
    if not entries:
        raise LexiconError(
            f"{src}: no thesaurus entries (headword|N lines) in it; is it a MyThes .dat file?"
        )
    counted = {f.name: counts[f.name] for f in fields(ImportReport)}
    report = ImportReport(**{**counted, "headwords": len(entries), "entries": len(rows)})
    _write(dst, rows, _header(src, report, keep_tagged, licence))
    return report


def _header(src: Path, report: ImportReport, keep_tagged: bool, licence: str) -> list[str]:
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    return [
        f"# {FORMAT}: headword<TAB>POS<TAB>synonyms; synonyms are |-separated lemma or "
        "lemma{tag,...} items (see lexicons/README.md)",
        f"# source: {src.name} (MyThes thesaurus, sha256 {digest}...)",
        f"# licence: {licence or 'that of the source thesaurus'}",
        f"# made by: pairgen {__version__} `pairgen lexicon import"
        f"{'' if keep_tagged else ' --drop-tagged'}`",
        f"# counts: {report.entries} entries, {report.synonyms} synonyms, {report.tagged} tagged, "
        f"{report.multiword} multi-word",
    ]


def check_destination(src: Path, dst: Path) -> None:
    """Refuse, before any work, to write over the thesaurus itself or over a file that is not a
    pairgen lexicon (pairgen only ever replaces what it wrote)."""
    if dst.exists() and src.exists() and dst.resolve() == src.resolve():
        raise LexiconError(f"-o {dst} is the thesaurus being imported: choose another -o")
    if dst.is_symlink() or (dst.exists() and not dst.is_file()):
        raise LexiconError(f"-o {dst} is not a regular file: choose another -o")
    if dst.exists() and not _is_lexicon(dst):
        raise LexiconError(
            f"-o {dst} exists and is not a pairgen lexicon: pairgen only replaces a lexicon it "
            "wrote; choose another -o"
        )


def _is_lexicon(path: Path) -> bool:
    try:
        with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as f:
            head = f.read(len(FORMAT) + 2)
    except (OSError, EOFError):
        return False
    return head == f"# {FORMAT}".encode()


def _write(dst: Path, rows: list[str], header: list[str]) -> None:
    """Write beside `dst`, then rename: an interrupted import leaves the old file whole."""
    text = "\n".join([*header, *rows]) + "\n"
    data = text.encode("utf-8")
    part = dst.with_name(f".{dst.name}.pairgen-tmp-{os.getpid()}")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(gzip.compress(data, mtime=0) if dst.suffix == ".gz" else data)
        os.replace(part, dst)
    except OSError as exc:
        raise LexiconError(f"{dst}: cannot write the lexicon ({exc.strerror or exc})") from None
    finally:
        part.unlink(missing_ok=True)
