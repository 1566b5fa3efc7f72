"""Markup stripping (`pairgen.ingest.markup`) and line-break hyphenation in files of any shape."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pairgen.cli import main
from pairgen.ingest.markup import html_lines, markdown_lines, txt_lines
from pairgen.ingest.read import read_document

MARKDOWN = """# Нотатки зустрічі

Це **нотатки** про те, як ми працювали над _проєктом_ усю осінь і
переносили рядки вручну, бо так було зручно.

> Цитата з листа: «Усе буде добре», — написала вона.

```python
print("Привіт, світе")  # рядок коду
```

- Перший пункт списку про [нашу школу](https://example.com/school) і дітей.
- Другий пункт: `код` усередині речення залишається словом.
"""

HTML = """<!DOCTYPE html>
<html lang="uk"><head><title>Новини</title><style>p { color: red }</style></head>
<body><h1>Зустріч мешканців</h1>
<p>У суботу, 5 жовтня, відбулася зустріч
мешканців міста.<br>Вони говорили&nbsp;довго й <b>дуже</b> палко.</p>
<script>var x = "Привіт";</script>
<ul><li>Перший пункт порядку денного був про дахи.</li><li>Другий стосувався ліфтів.</li></ul>
</body></html>
"""


def _read(path: Path):
    warns: list[str] = []
    doc = read_document(path, path.parent, warns.append)
    assert doc is not None and not warns
    return doc


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = _read(path)
    assert doc.format == "markdown"
    assert doc.paragraphs == (
        "Нотатки зустрічі",
        "Це нотатки про те, як ми працювали над проєктом усю осінь і переносили рядки вручну, "
        "бо так було зручно.",
        "Цитата з листа: «Усе буде добре», — написала вона.",
        "Перший пункт списку про нашу школу і дітей.",
        "Другий пункт: код усередині речення залишається словом.",
    )


def test_html_is_read_as_text(tmp_path: Path) -> None:
    for name in ("page.html", "saved-page.txt"):  # a web page saved as .txt is HTML too
        path = tmp_path / name
        path.write_text(HTML, encoding="utf-8")
        doc = _read(path)
        assert doc.format == "html"
        assert doc.paragraphs == (
            "Зустріч мешканців",
            "У суботу, 5 жовтня, відбулася зустріч мешканців міста.",
            "Вони говорили довго й дуже палко.",
            "Перший пункт порядку денного був про дахи.",
            "Другий стосувався ліфтів.",
        )


def test_html_keeps_no_script_style_or_comments() -> None:
    lines = html_lines("<p>Текст<!-- прихований коментар --></p><pre>код</pre><style>x</style>")
    assert lines == ["Текст", ""]
    assert markdown_lines("Рядок один\nрядок два\n\nНовий абзац.") == [
        "Рядок один",
        "рядок два",
        "",
        "Новий абзац.",
        "",
    ]


def test_txt_lines_drop_code_and_markup_and_strip_marks() -> None:
    lines = [
        "Звичайний рядок тексту без жодної розмітки.",
        "Це **нотатки** про те, як ми жили.",
        '<div class="note"><span>Текст</span></div>',
        "<p>У суботу відбулася зустріч мешканців міста.</p>",
        "~~~",
        "Рядок у блоці коду, хоч і українською.",
        "~~~",
        'var greeting = "Привіт";',
        "Ціна 5 * 3 = 15 гривень, сказала вона.",
        "Див. [сайт](https://example.com/a) для деталей.",
    ]
    out, counts = txt_lines(lines)
    assert out == [
        "Звичайний рядок тексту без жодної розмітки.",
        "Це нотатки про те, як ми жили.",
        "",
        "У суботу відбулася зустріч мешканців міста.",
        "",
        "",
        "",
        "",
        "Ціна 5 * 3 = 15 гривень, сказала вона.",
        "Див. сайт для деталей.",
    ]
    assert counts == {"code": 4, "markup": 1, "markup stripped": 3}


def test_build_reads_markup_and_counts_it(tmp_path: Path, tiny_corpus: Path) -> None:
    (tiny_corpus / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    (tiny_corpus / "page.html").write_text(HTML, encoding="utf-8")
    (tiny_corpus / "mixed.txt").write_text(
        "Учора ми ходили до лісу по гриби всією родиною.\n```\nprint('Привіт')\n```\n"
        "Це **нотатки** про прогулянку до старого лісу.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["build", str(tiny_corpus), "-o", str(out), "-n", "40", "--seed", "1", "-q"]
    result = CliRunner().invoke(main, [*args, "--test-size", "0"])
    assert result.exit_code == 0, result.output
    assert "markup: read without markup: 1 html, 1 markdown file(s); .txt lines code 3" in (
        result.output
    )
    manifest = json.loads((out / "pairgen.json").read_text(encoding="utf-8"))
    files = {f["path"]: f for f in manifest["corpus"]["files"]}
    assert files["notes.md"]["format"] == "markdown" and files["page.html"]["format"] == "html"
    assert files["mixed.txt"]["markup_lines"] == {"code": 3, "markup stripped": 1}
    import pyarrow.parquet as pq

    texts = [
        t
        for p in (out / "data").glob("*.parquet")
        for col in pq.read_table(p).select(["sentence1", "sentence2"]).columns
        for t in col.to_pylist()
    ]
    assert not any(c in t for t in texts for c in ("<", ">", "**", "```", "print("))


# --- hyphenation ---------------------------------------------------------------------------------
ONE_PER_LINE = [
    "Надворі весна вповні, скрізь розвернулося, зазеленіло, розцвіло.",
    "Сонце гріє ласкаво, і в садках за хатами біліють черешні та вишні.",
    "Діти бігають по вулиці босоніж і гукають одне до одного.",
    "На вигоні пасуться корови, а пастух дрімає під вербою над ставом.",
    "Увечері все село збирається біля криниці послухати новини.",
    "Старий коваль розповідає, як колись ходив на ярмарок до міста.",
    "Молодиці слухають і хитають головами, бо чули це вже не раз.",
    "Хлопці тим часом лаштують човен, щоб удосвіта рушити на риболовлю.",
    "Місяць викочується з-за лісу, і над ставом стелиться туман.",
    "Собаки перегавкуються через тини, поки не стихне все село.",
]


def test_hyphenated_word_is_rejoined_in_a_file_that_is_not_wrapped(tmp_path: Path) -> None:
    """One hand-wrapped paragraph among one-paragraph lines: `ру-` + `чно` is one word again,
    a real hyphenated word keeps its hyphen, and the other lines stay paragraphs of their own."""
    lines = [
        *ONE_PER_LINE[:3],
        "Писар довго виводив літери, а потім ще й переніс ру-",
        "чно останнє слово, бо рядок був задовгий.",
        "Він відповів, що прийде будь-",
        "якого дня, коли покличуть.",
        *ONE_PER_LINE[3:],
        "Останній рядок закінчується дефісом Івано-",
        "Франківськ тут не приклеюється до нового абзацу.",
    ]
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = _read(path)
    assert doc.paragraphs == (
        *ONE_PER_LINE[:3],
        "Писар довго виводив літери, а потім ще й переніс ручно останнє слово, бо рядок був "
        "задовгий.",
        "Він відповів, що прийде будь-якого дня, коли покличуть.",
        *ONE_PER_LINE[3:],
        "Останній рядок закінчується дефісом Івано-",
        "Франківськ тут не приклеюється до нового абзацу.",
    )


def test_blank_line_after_a_hyphen_is_a_paragraph_break(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "\n".join([*ONE_PER_LINE, "Рядок, що обривається на пів-", "", "слові, лишається."]),
        encoding="utf-8",
    )
    assert _read(path).paragraphs[-2:] == ("Рядок, що обривається на пів-", "слові, лишається.")
