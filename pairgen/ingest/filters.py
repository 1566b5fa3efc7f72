"""Which segmented sentences are Ukrainian prose worth pairing, and why the others are dropped.

`reject_reason` returns None to keep a sentence, else one short, stable reason string; the build
summary counts sentences per reason. Checks run in this order, and the first that applies wins:

==================  =====================================================================
reason              dropped when
==================  =====================================================================
"garbled"           it holds U+FFFD, i.e. bytes the reader could not decode
"heading"           a chapter/part label (`РОЗДІЛ 5`, `ЧАСТИНА ПЕРША`), a Roman or Arabic
                    numeral or section mark alone (`ІІІ`, `12.`, `* * *`), an ALL-CAPS line of
                    at most 8 words, or at most 6 words with no final punctuation and no
                    comma or dash inside (`Тіні забутих предків`)
"not Ukrainian"     fewer than half of its letters are Cyrillic (Latin-script lines), or it
                    has Russian-only letters (ы э ъ ё) and fewer Ukrainian-only ones (і ї є ґ)
"too short"         fewer than `min_words` words (digits and punctuation are not words)
"too long"          more than `max_tokens` tokens (words, numbers and punctuation marks)
==================  =====================================================================

The letter check is deliberately cheap. OCR homoglyphs, Latin letters inside Cyrillic words
(`Biн`, `нa`), count as Cyrillic, so such sentences stay; a word wholly in Latin look-alikes
(`ce`) counts as Latin but is outweighed by the rest of the sentence. A Russian sentence that
happens to use none of ы э ъ ё (`Да ано, брат, так...`) is not caught.

    >>> reject_reason("Надворі весна вповні, скрізь розвернулося.") is None
    True
    >>> reject_reason("ЧАСТИНА ПЕРША"), reject_reason("Вот это мы ещё посмотрим.")
    ('heading', 'not Ukrainian')
"""

from __future__ import annotations

import re

from pairgen.text import WORD_RE as _WORD

REASONS = ("garbled", "heading", "not Ukrainian", "too short", "too long")
CHARS_PER_TOKEN = 32
"""A sentence longer than --max-tokens times this many characters is too long whatever its
tokens (prose averages under 10 characters a token)."""
"""Every string `reject_reason` can return, in the order the checks run."""

UKRAINIAN_ONLY = "іїєґІЇЄҐ"
RUSSIAN_ONLY = "ыэъёЫЭЪЁ"
_UKRAINIAN = re.compile(f"[{UKRAINIAN_ONLY}]")
_RUSSIAN = re.compile(f"[{RUSSIAN_ONLY}]")
_CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\ua640-\ua69f]")

_TOKEN = re.compile(r"\w+(?:['’ʼ`‘-]\w+)*|[^\w\s]")
"""Roughly tokenize-uk's tokens: a word or number (inner apostrophes, hyphens) or one mark."""
_FINAL = re.compile(r"[.!?…:;,—–-][\s\"'»”“’)\]]*$")
_INNER_BREAK = re.compile(r"[,;—–]|\s-\s")
_ROMAN = r"(?:[IVXLCDMІХ]+|[ivxlcdmі]+)"
_ORDINAL = r"(?:перш|друг|трет|четверт|п['’ʼ]?ят|шост|сьом|восьм|дев['’ʼ]?ят|десят|останн)\w*"
_CHAPTER = re.compile(
    r"^\W*(?:розділ|частина|глава|книга|том|дія|ява|сцена|chapter|part)\s+"
    rf"(?:{_ROMAN}|\d+|{_ORDINAL})\b\W*$",
    re.IGNORECASE,
)
_NUMERAL = re.compile(rf"^\W*(?:{_ROMAN}|\d+)\W*$")
_SECTION_MARK = re.compile(r"^[\W\d_]*[\d*#§][\W\d_]*$")


def is_heading(sentence: str, words: list[str] | None = None) -> bool:
    """Chapter labels, numerals, section marks, short ALL-CAPS lines, short unpunctuated lines.

    `words` is `sentence`'s words when the caller has them already.
    """
    text = sentence.strip()
    if not text:
        return False
    words = _WORD.findall(text) if words is None else words
    if not words:
        return bool(_SECTION_MARK.match(text))
    if len(words) > 8:
        return False
    if _CHAPTER.match(text) or _NUMERAL.match(text):
        return True
    if text.isupper() and sum(map(len, words)) >= 2:
        return True
    return len(words) <= 6 and not _FINAL.search(text) and not _INNER_BREAK.search(text)


def is_ukrainian(sentence: str, words: list[str] | None = None) -> bool:
    """The cheap letter check described in the module docstring."""
    cyrillic = other = 0
    for word in _WORD.findall(sentence) if words is None else words:
        if _CYRILLIC.search(word):
            cyrillic += len(word)  # homoglyphs inside a Cyrillic word count as Cyrillic
        else:
            other += len(word)
    if cyrillic == 0 or cyrillic < other:
        return False
    russian = len(_RUSSIAN.findall(sentence))
    return russian == 0 or len(_UKRAINIAN.findall(sentence)) > russian


def reject_reason(sentence: str, min_words: int = 4, max_tokens: int = 128) -> str | None:
    """None to keep `sentence`, else why it is dropped (one of `REASONS`).

    >>> reject_reason("Ну, що ж.")
    'too short'
    """
    if "\ufffd" in sentence:
        return "garbled"
    if len(sentence) > max_tokens * CHARS_PER_TOKEN:
        return "too long"  # a run without spaces (a 1 MB "word") is no heading
    words = _WORD.findall(sentence)
    if is_heading(sentence, words):
        return "heading"
    if not words:
        return "too short"
    if not is_ukrainian(sentence, words):
        return "not Ukrainian"
    if len(words) < min_words:
        return "too short"
    if len(words) > max_tokens or len(_TOKEN.findall(sentence)) > max_tokens:
        return "too long"
    return None
