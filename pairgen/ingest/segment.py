"""Paragraph -> sentences, with tokenize-uk rules or stanza's neural tokenizer.

Both backends return *substrings* of the paragraph (stripped), so a sentence is always text the
author wrote, and character offsets into it stay meaningful for later stages.

The `rules` backend is tokenize-uk 2.x (LanguageTool's SRX rules) plus a few merges for what it
gets wrong on 19th-century prose (found on ../shared/corpus; the merges change 232 of its
10,749 paragraphs):

* dialogue attribution after quoted speech is split off: `"Хто ти є?" — запитав.` gave two
  sentences, the second `— запитав.`; a sentence whose first letter is lower-case is glued back
  onto the one before;
* a quotation that holds several sentences, `кричать: «Юда! Юда! Батьківщину продав!»`, is
  split inside the quotes; pieces are merged until the quote closes (at most 4 pieces and 600
  characters, so an unclosed quote never swallows a paragraph);
* a piece with no letters (`Див. с. 5.` gave `5.`) is glued onto the sentence before;
* `в нім. Старий ...` (locative of `він`) is read as the abbreviation `нім.` (German) and not
  split; it is split when a preposition comes before it.

Abbreviations (`т. зв.`, `проф.`, `1914 р. почалася`), initials (`І. Франко`, `Т. Г. Шевченко`),
ellipses and `— dialogue — said he.` lines are handled by tokenize-uk itself. A sentence that ends
with an abbreviation followed by a capital (`сталося 1914 р. Тоді ...`) stays unsplit: the safer
error, since the text is still whole.

    >>> get_segmenter("rules").sentences("Книжку написав І. Франко. Її всі читали.")
    ['Книжку написав І. Франко.', 'Її всі читали.']
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from pairgen.errors import MissingDependencyError, PairgenError, UsageError, install_hint
from pairgen.ingest.stanza_model import (
    DOWNLOAD_HINT,
    default_model_dir,
    stanza_installed,
    stanza_model_available,
)

NAMES = ("auto", "rules", "stanza")

Span = tuple[int, int]


class Segmenter(Protocol):
    """Splits one paragraph into sentences: stripped substrings of it, in order."""

    name: str

    def sentences(self, paragraph: str) -> list[str]: ...


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


# --- rules --------------------------------------------------------------------------------------
_OPENERS = {"«": "»", "„": "“”"}
_STRAIGHT = '"'
_MAX_QUOTE_PIECES = 4
_MAX_QUOTE_CHARS = 600
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LOWER_START = re.compile(r"[\W\d_]*?([^\W\d_])")
_NIM = re.compile(
    r"(?:^|\s)(?:[ВвУу]|[Нн]а|[Пп]ри|[Оо]б?|[Пп]о)\s+нім\.(\s+)(?=[А-ЯІЇЄҐA-Z«\"„—–-])"
)


def _starts_lower(text: str) -> bool:
    """First letter is lower-case, after any punctuation: `— запитав.`, `...а восени`."""
    m = _LOWER_START.match(text)
    return m is not None and m.group(1).islower()


def _open_quotes(text: str) -> int:
    """How many quotes `text` leaves open: «» and „“ pairs, plus an odd count of `"`."""
    balance = 0
    for opener, closers in _OPENERS.items():
        balance += text.count(opener) - sum(text.count(c) for c in closers)
    return balance + text.count(_STRAIGHT) % 2


def _split_nim(paragraph: str, spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in spans:
        for m in _NIM.finditer(paragraph, start, end):
            out.append((start, m.start(1)))
            start = m.end(1)
        out.append((start, end))
    return out


def _merge_quotes(paragraph: str, spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        j = i
        if _open_quotes(paragraph[start:end]) > 0:
            for k in range(i + 1, min(len(spans), i + _MAX_QUOTE_PIECES)):
                if spans[k][1] - start > _MAX_QUOTE_CHARS:
                    break
                if _open_quotes(paragraph[start : spans[k][1]]) <= 0:
                    j = k
                    break
        out.append((start, spans[j][1]))
        i = j + 1
    return out


def _merge_lower(paragraph: str, spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in spans:
        text = paragraph[start:end]
        if out and (_starts_lower(text) or not _HAS_LETTER.search(text)):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


_DASH_START = re.compile(r"\s*[—–]")
_SPEECH_END = re.compile(r"[!?…]+\s*$")
_ATTRIBUTION = re.compile(r"[!?…,.]\s+[—–]\s*[^\W\d_]")


def _merge_dialogue(paragraph: str, spans: list[Span]) -> list[Span]:
    """Keep a dialogue line whole up to its dash attribution: `— Будемо слухати! Будемо слухати!
    — почулося з натовпу.` was split after the first `!`, leaving the attribution with only the
    last exclamation. A piece that opens with a dash and ends in `!`/`?`/`…` is merged with the
    following pieces (none opening with a dash) up to the first that holds an attribution
    (`! — почулося`), at most 4 pieces and 600 characters."""
    out: list[Span] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        j = i
        if _DASH_START.match(paragraph[start:end]) and _SPEECH_END.search(paragraph[start:end]):
            for k in range(i + 1, min(len(spans), i + _MAX_QUOTE_PIECES)):
                piece = paragraph[spans[k][0] : spans[k][1]]
                if _DASH_START.match(piece) or spans[k][1] - start > _MAX_QUOTE_CHARS:
                    break
                if _ATTRIBUTION.search(piece):
                    j = k
                    break
                if not _SPEECH_END.search(piece):
                    break
        out.append((start, spans[j][1]))
        i = j + 1
    return out


def fix_spans(paragraph: str, spans: list[Span]) -> list[Span]:
    """tokenize-uk's sentence spans, repaired as described in the module docstring."""
    spans = _merge_quotes(paragraph, _split_nim(paragraph, spans))
    return _merge_lower(paragraph, _merge_dialogue(paragraph, spans))


class RulesSegmenter:
    """tokenize-uk's sentence splitter plus `fix_spans`; pure Python, a few seconds per 3 MB."""

    name = "rules"

    def sentences(self, paragraph: str) -> list[str]:
        from tokenize_uk import tokenize_sents_with_spans

        spans = []
        cursor = 0
        for text, start, end in tokenize_sents_with_spans(paragraph):
            if paragraph[start:end] != text:  # never seen; keep the substring promise regardless
                found = paragraph.find(text, cursor)
                if found < 0:
                    continue
                start, end = found, found + len(text)
            spans.append((start, end))
            cursor = end
        return _texts(paragraph, fix_spans(paragraph, spans))


def _texts(paragraph: str, spans: list[Span]) -> list[str]:
    out = []
    for start, end in spans:
        text = paragraph[start:end].strip()
        if text:
            out.append(text)
    return out


# --- stanza -------------------------------------------------------------------------------------
class StanzaSegmenter:
    """stanza's Ukrainian tokenizer; sentences are cut from the paragraph by its offsets."""

    name = "stanza"

    def __init__(self, pipeline: Any) -> None:
        self._nlp = pipeline

    def sentences(self, paragraph: str) -> list[str]:
        if not paragraph.strip():
            return []
        doc = self._nlp(paragraph)
        spans = []
        for sentence in doc.sentences:
            if sentence.tokens:
                spans.append((sentence.tokens[0].start_char, sentence.tokens[-1].end_char))
        return _texts(paragraph, spans)


def load_stanza(model_dir: Path | None = None) -> StanzaSegmenter:
    """A StanzaSegmenter over the model in `model_dir` (default: stanza's folder); never downloads.

    Raises MissingDependencyError naming the command to run when stanza or its model is missing.
    """
    if not stanza_installed():
        raise MissingDependencyError(
            f"--segmenter stanza needs stanza, which is not installed: {install_hint('stanza')}"
        )
    folder = Path(model_dir) if model_dir is not None else default_model_dir()
    if not stanza_model_available(folder):
        raise MissingDependencyError(
            f"--segmenter stanza needs stanza's Ukrainian model, which is not in {folder}: "
            f"run `{DOWNLOAD_HINT}` (or use --segmenter rules)"
        )
    import stanza

    try:
        nlp = stanza.Pipeline(
            lang="uk",
            dir=str(folder),
            processors="tokenize",
            download_method=None,
            logging_level="WARN",
        )
    except FileNotFoundError as e:
        raise MissingDependencyError(
            f"stanza's Ukrainian model in {folder} is incomplete ({e.filename or e}): "
            f"run `{DOWNLOAD_HINT}`"
        ) from e
    except Exception as e:  # a corrupt or incompatible model file: many exception types
        raise PairgenError(
            f"could not load stanza's Ukrainian model from {folder} ({type(e).__name__}): "
            f"run `{DOWNLOAD_HINT}` again, or use --segmenter rules"
        ) from e
    return StanzaSegmenter(nlp)


def get_segmenter(
    name: str = "auto",
    warn: Callable[[str], None] = _stderr,
    *,
    model_dir: Path | None = None,
) -> Segmenter:
    """The segmenter for `--segmenter NAME`: "rules", "stanza", or "auto".

    "auto" picks stanza when it is installed and its Ukrainian model is present, else rules; the
    caller prints `.name`. If auto finds a model that then fails to load, it warns and uses rules.

        >>> get_segmenter("auto").name in {"rules", "stanza"}
        True
    """
    if name == "rules":
        return RulesSegmenter()
    if name == "stanza":
        return load_stanza(model_dir)
    if name != "auto":
        raise UsageError(f"unknown segmenter {name!r}: choose one of {', '.join(NAMES)}")
    if stanza_installed() and stanza_model_available(model_dir):
        try:
            return load_stanza(model_dir)
        except PairgenError as e:
            warn(f"{e}; using the rules segmenter")
    return RulesSegmenter()
