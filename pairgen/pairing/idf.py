"""How informative each word is: inverse document frequency over a set of sentences.

The `lemma` label weighs every word by its IDF, so that content words count for more than the
function words every sentence shares (`і`, `в`, `що`, `не`). A build counts document frequencies
over its own corpus (each sentence is a document); `pairgen label` uses the table shipped in
`lexicons/uk_word_df.tsv` unless told otherwise. The table is a plain TSV, so a build's table can
be saved, shipped, hashed and compared.

Words are the units the label compares (`pairgen.text.words`: case-folded, ASCII apostrophes); a
word found in fewer than `MIN_DF` sentences is left out of the table and weighs as an unseen word,
so a saved table gives exactly the weights of the one it was saved from.

    >>> idf = idf_from_words([("кіт", "і", "пес"), ("пес", "і", "кінь"), ("і", "все")])
    >>> idf.weight("і") < idf.weight("пес") < idf.weight("кіт") == idf.weight("ворона")
    True
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pairgen.errors import LexiconError

FORMAT = "pairgen-idf 1"
"""The first header line of a table file; the version changes if the columns ever do."""

SHIPPED_IDF = "uk_word_df.tsv"
MIN_DF = 2
"""Words in fewer sentences than this are not kept: one sighting says no more than none."""

_SENTENCES_RE = re.compile(r"^# sentences: (\d+)\s*$")


@dataclass(frozen=True)
class Idf:
    """Document frequencies of words over `sentences` sentences; `weight` is the smoothed IDF.

    weight(w) = ln((N + 1) / (df(w) + 1)) + 1, which is >= 1 for every word (so no word, however
    common, counts for nothing) and largest for words the table has never seen.
    """

    sentences: int
    df: Mapping[str, int] = field(repr=False)
    source: str = ""
    """Where the counts came from, for the manifest: `corpus`, `shipped`, a path, ..."""

    def weight(self, word: str) -> float:
        return math.log((self.sentences + 1) / (self.df.get(word, 0) + 1)) + 1.0

    def rows(self) -> list[str]:
        """`word<TAB>df` lines, most frequent first, then by word: the canonical form."""
        ordered = sorted(self.df.items(), key=lambda item: (-item[1], item[0]))
        return [f"{w}\t{n}" for w, n in ordered]

    def digest(self) -> str:
        """sha256 of the sentence count and the rows: equal digests, equal weights."""
        body = f"{self.sentences}\n" + "\n".join(self.rows()) + "\n"
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    def describe(self) -> dict[str, object]:
        """What the manifest records, so a replay can check it weighs words the same way."""
        return {
            "source": self.source,
            "sentences": self.sentences,
            "words": len(self.df),
            "min_df": MIN_DF,
            "sha256": self.digest(),
        }

    def save(self, path: str | Path, note: str = "") -> None:
        """Write the table as a `pairgen-idf` TSV (see lexicons/README.md)."""
        header = [
            f"# {FORMAT}: word<TAB>number of sentences containing it (words in fewer than "
            f"{MIN_DF} are left out)",
            f"# sentences: {self.sentences}",
        ]
        if note:
            header.append(f"# {note}")
        text = "\n".join([*header, *self.rows()]) + "\n"
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise LexiconError(f"{path}: cannot write the IDF table ({exc})") from None


def idf_from_words(sentences: Iterable[Sequence[str]], source: str = "corpus") -> Idf:
    """Count, for each word, the sentences it occurs in; keep words seen in MIN_DF or more.

    Cheap (one pass over word lists the build already has), so no lemmatisation here: the weight
    of a word form says how much that form tells, which separates content from function words as
    well as lemma counts do (checked in benchmarks/bench_labels.py).
    """
    df: Counter[str] = Counter()
    n = 0
    for ws in sentences:
        df.update(set(ws))
        n += 1
    return Idf(n, {w: c for w, c in df.items() if c >= MIN_DF}, source)


def shipped_idf_path() -> Path:
    """The table shipped with pairgen (counts over public-domain Ukrainian prose)."""
    from pairgen.augment.lexicon import _package_dir

    return _package_dir() / SHIPPED_IDF


def load_idf(path: str | Path | None = None) -> Idf:
    """A `pairgen-idf` table; `None` loads the shipped one. Cached per file and modification time.

    >>> load_idf().weight("і") < load_idf().weight("козак")
    True
    """
    found = shipped_idf_path() if path is None else Path(path).expanduser().resolve()
    try:
        stat = found.stat()
    except OSError:
        raise LexiconError(f"{found}: no such IDF table; check the path") from None
    source = "shipped" if path is None else str(path)
    return _load(str(found), source, (stat.st_mtime_ns, stat.st_size))


@cache
def _load(path: str, source: str, stamp: tuple[int, int]) -> Idf:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read it ({exc})") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    lines = text.split("\n")
    if not lines[0].startswith(f"# {FORMAT}"):
        raise LexiconError(f"{path}, line 1: not a {FORMAT} table (expected `# {FORMAT}: ...`)")
    sentences = None
    df: dict[str, int] = {}
    for number, line in enumerate(lines[1:], 2):
        if not line:
            continue
        if line.startswith("#"):
            m = _SENTENCES_RE.match(line)
            if m:
                sentences = int(m.group(1))
            continue
        word, sep, count = line.partition("\t")
        if not sep or not count.isdigit() or not word:
            raise LexiconError(f"{path}, line {number}: expected `word<TAB>count`")
        df[word] = int(count)
    if sentences is None or sentences < max(df.values(), default=0):
        raise LexiconError(
            f"{path}: needs a `# sentences: N` header line with N at least every count"
        )
    return Idf(sentences, df, source)
