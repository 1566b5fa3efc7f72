"""Markup out of the text: `.md` and `.html` read through real parsers, markup lines of `.txt`.

Users save web pages and notes as they come. Without this, `<!DOCTYPE html><html lang="uk">…`,
`Це **нотатки**`, `> Цитата` and fenced code end up as "sentences".

- ``.md``/``.markdown``: rendered to HTML by markdown-it-py (CommonMark), then read as HTML;
  line breaks inside a paragraph are kept, so hard-wrapped Markdown is re-joined (and hyphenation
  undone) by the paragraph builder exactly as a wrapped ``.txt`` is.
- ``.html``/``.htm`` (and a ``.txt`` whose first line is ``<!DOCTYPE html>`` or ``<html``): parsed
  by Beautiful Soup (the standard library's parser); ``script``, ``style``, ``pre`` and other
  non-prose elements are dropped, every block element (`p`, `li`, `h1`, `td`, ...) becomes a
  paragraph, ``<br>`` a line break, and whitespace collapses as a browser shows it.
- ``.txt``: lines inside a fenced code block (```` ``` ```` or ``~~~``) are dropped as "code";
  lines that look like program code (`print(...)`, `var x = 1;`) too; lines where markup (tags,
  entities, link targets, Markdown marks) outweighs the text are dropped as "markup"; in the rest
  tags and Markdown emphasis/heading/quote marks are removed ("markup stripped"). Counted per
  file (`Markup`) and in the build summary.

    >>> markdown_lines("# Нотатки\\n\\nЦе **нотатки** про\\nте, що було.\\n\\n```\\nx = 1\\n```\\n")
    ['Нотатки', '', 'Це нотатки про', 'те, що було.', '']
    >>> txt_lines(["Звичайний рядок.", "```", "print('Привіт')", "```", "> Цитата з листа."])
    (['Звичайний рядок.', '', '', '', 'Цитата з листа.'], {'code': 3, 'markup stripped': 1})
"""

from __future__ import annotations

import re
from collections import Counter

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")

_BLOCKS = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
]
_DROP = ("script", "style", "pre", "noscript", "template", "head", "svg", "math", "iframe")
_BLOCK_MARK = "\x00"
_BREAK_MARK = "\x01"
_SPACE = re.compile(r"\s+")

_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->|<!doctype[^>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LEAD = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)+")
_CODE = re.compile(
    r"^\s*(?:(?:def|class|import|from|return|function|var|let|const|public|private|static|"
    r"print|echo|console\.log|SELECT|INSERT|#include)\b.*[(){}:;=\"']|[{}]\s*$)"
)


def html_lines(html: str, *, keep_breaks: bool = False) -> list[str]:
    """The text of an HTML document as lines, a blank line after each block element's text.

    `keep_breaks`: keep the source's line breaks inside a block (Markdown's soft breaks) instead
    of collapsing them as a browser does.
    """
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROP):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for br in soup("br"):
        br.replace_with(_BREAK_MARK)
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(_BLOCK_MARK)
        tag.insert_after(_BLOCK_MARK)
    out: list[str] = []
    for block in soup.get_text().split(_BLOCK_MARK):
        if not keep_breaks:
            block = _SPACE.sub(" ", block)
        lines = [
            _SPACE.sub(" ", line).strip() for line in block.replace(_BREAK_MARK, "\n").splitlines()
        ]
        if any(lines):
            out += [line for line in lines if line]
            out.append("")
    return out


def markdown_lines(text: str) -> list[str]:
    """The text of a Markdown document as lines (see the module docstring)."""
    from markdown_it import MarkdownIt

    return html_lines(MarkdownIt("commonmark").render(text), keep_breaks=True)


def is_html(lines: list[str]) -> bool:
    """A `.txt` that is really an HTML page: its first non-blank line opens the document."""
    first = next((line for line in lines[:20] if line.strip()), "")
    return bool(_HTML_START.match(first))


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _visible(text: str) -> int:
    return len(text) - sum(c.isspace() for c in text)


def txt_lines(lines: list[str]) -> tuple[list[str], dict[str, int]]:
    """Lines of a `.txt` with code and markup lines blanked, and marks stripped from the rest.

    A dropped line becomes a blank line (a paragraph break), so the lines around it are not
    joined across it. Returns the lines and how many were dropped or changed, per reason.
    """
    counts: Counter[str] = Counter()
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None or opening:
            if opening and (fence is None or opening.group(1) == fence):
                fence = None if fence is not None else opening.group(1)
            out.append("")
            counts["code"] += 1
            continue
        if not line.strip() or not any(c in line for c in "<>&*_#`[{}=\\"):
            out.append(line)
            continue
        if _CODE.match(line):
            out.append("")
            counts["code"] += 1
            continue
        linked = _MD_LINK.sub(r"\1", line)  # a link's address is not weighed as markup
        text = _MD_EMPHASIS.sub(r"\2", _MD_LEAD.sub("", _ENTITY.sub(" ", _TAG.sub(" ", linked))))
        if text == line or not _letters(line):
            out.append(line)  # no markup; or no letters (`* * *`), which the filters judge
            continue
        kept = _visible(text)
        if not _letters(text) or _visible(linked) - kept > kept:  # more markup than text
            out.append("")
            counts["markup"] += 1
        elif text != line:
            out.append(_SPACE.sub(" ", text).strip())
            counts["markup stripped"] += 1
        else:
            out.append(line)
    return out, dict(counts)
