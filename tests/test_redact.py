"""`--redact`: contact data replaced with placeholders; `push` warns when a folder has some."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pairgen.cli import main
from pairgen.ingest.redact import find, redact

NOTES = (
    "Протокол зборів мешканців будинку на вулиці Садовій відбувся у вівторок увечері.\n"
    "Головувала Олена Петренко, її адреса для листів olena.petrenko@ukr.net відома всім.\n"
    "Секретар зборів попросив надсилати пропозиції на info@sadova-12.org.ua до п'ятниці.\n"
    "Телефон голови правління +380 67 123 45 67, а чергового сантехніка (044) 234-56-78.\n"
    "Оголошення про ремонт дахів будуть у телеграм-каналі @sadova_12 щотижня.\n"
    "Новини будинку також публікують на сайті https://sadova12.example.org/news щодня.\n"
    "Мешканці домовилися зібрати кошти на новий ліфт до кінця 2025 року.\n"
    "Наступні збори призначили на 14 листопада о 18:30 у дворі будинку.\n"
    "Діти з третього під'їзду обіцяли намалювати великий плакат для зборів.\n"
    "Старий двірник розповів, як у 1986 році тут садили перші каштани.\n"
)


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("Пишіть на ivan.k@example.com щодня.", "Пишіть на [email] щодня.", {"email": 1}),
        ("Дзвоніть: 067-123-45-67 або 0671234567.", "Дзвоніть: [phone] або [phone].", {"phone": 2}),
        ("Номер (044) 234-56-78 працює.", "Номер [phone] працює.", {"phone": 1}),
        ("Канал @kyiv_news і t.me/kyiv_news.", "Канал [handle] і [url].", {"handle": 1, "url": 1}),
        ("Сайт www.example.org, там усе.", "Сайт [url], там усе.", {"url": 1}),
        ("Див. https://x.ua/a?b=1.", "Див. [url].", {"url": 1}),
    ],
)
def test_contact_data_becomes_placeholders(text: str, expected: str, kinds: dict) -> None:
    assert redact(text) == (expected, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "У 1991 році в місті жило 250 тисяч людей.",
        "Зустріч 12.05.2024 о 10:30 у кімнаті 204.",
        "Рахунок на 1 234 567 гривень сплатили вчасно.",
        "Він написав @ замість «at», і всі засміялися.",
        "Сторінки 120-135 прочитали за вечір.",
    ],
)
def test_numbers_dates_and_prose_stay(text: str) -> None:
    assert redact(text) == (text, {})


def _build(corpus: Path, out: Path, *extra: str) -> str:
    args = ["build", str(corpus), "-o", str(out), "-n", "30", "--seed", "1", "--test-size", "0"]
    args += ["-q", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


def _texts(folder: Path) -> list[str]:
    return [
        text
        for shard in sorted((folder / "data").glob("*.parquet"))
        for column in pq.read_table(shard).select(["sentence1", "sentence2"]).columns
        for text in column.to_pylist()
    ]


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "protokol.txt").write_text(NOTES, encoding="utf-8")
    return folder


def test_redacted_build_has_no_contact_data_and_says_so(tmp_path: Path, notes: Path) -> None:
    plain, redacted = tmp_path / "plain", tmp_path / "redacted"
    _build(notes, plain)
    assert any(find(t) for t in _texts(plain))  # the data is there without --redact
    output = _build(notes, redacted, "--redact")
    texts = _texts(redacted)
    assert not any(find(t) for t in texts)
    assert any("[email]" in t for t in texts) and any("[phone]" in t for t in texts)
    manifest = json.loads((redacted / "pairgen.json").read_text(encoding="utf-8"))
    replaced = manifest["redaction"]["replaced"]
    assert manifest["redaction"]["enabled"] and replaced["email"] == 2 and replaced["phone"] == 2
    assert replaced["handle"] == 1 and replaced["url"] == 1
    assert "redacted: email 2, handle 1, phone 2, url 1" in output
    card = (redacted / "README.md").read_text(encoding="utf-8")
    assert "Personal data redacted (`--redact`)" in card
    assert "Not redacted" in (plain / "README.md").read_text(encoding="utf-8")


def test_push_warns_about_a_folder_built_without_redact(tmp_path: Path, notes: Path) -> None:
    plain, redacted = tmp_path / "plain", tmp_path / "redacted"
    _build(notes, plain)
    _build(notes, redacted, "--redact")
    runner = CliRunner()
    warned = runner.invoke(main, ["push", str(plain), "alice/notes", "--dry-run"])
    assert warned.exit_code == 0, warned.output
    assert "warning: " in warned.stderr and "built without --redact" in warned.stderr
    assert "email" in warned.stderr and "Rebuild with --redact" in warned.stderr
    quiet = runner.invoke(main, ["push", str(redacted), "alice/notes", "--dry-run"])
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr
