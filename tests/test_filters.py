"""Sentence filters: Ukrainian prose kept, everything else dropped with a stable reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairgen.ingest.filters import REASONS, is_heading, is_ukrainian, reject_reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Надворі весна вповні, скрізь розвернулося й зацвіло.",
        "— Хто там? — питає пан, виходячи на ґанок.",
        "Пам’ять про те літо лишилася надовго.",
        "Многі з тих, що summa cum laude видержали екзамени, бідували.",
        "Він сказав: «Вот это да», і всі засміялися з його мови.",
        "Гафійка була якась нова, прозора, старша",  # no final stop, but a clause
        "Він зустрів його на розпутті, коли вечоріло:",
    ],
)
def test_ukrainian_prose_is_kept(sentence: str) -> None:
    assert reject_reason(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Biн cе знав нa пaм'ять ще змалку.",  # Latin B, i, c, e, a inside Cyrillic words
        "Moя мати вже давно чекала на мене вдома.",
        "Тут cе було, нa cей рaз, зовсім інакше.",
    ],
)
def test_ocr_homoglyphs_count_as_ukrainian(sentence: str) -> None:
    assert is_ukrainian(sentence)
    assert reject_reason(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("ЧАСТИНА ПЕРША", "heading"),
        ("РОЗДІЛ ПЕРШИЙ", "heading"),
        ("Розділ 12", "heading"),
        ("Глава третя.", "heading"),
        ("ІІІ", "heading"),
        ("XIV.", "heading"),
        ("12.", "heading"),
        ("* * *", "heading"),
        ("ПОЛЬОВА ЦАРІВНА", "heading"),
        ("Тіні забутих предків", "heading"),
        ("Вот это мы ещё посмотрим, сказал он.", "not Ukrainian"),
        ("This line is written in plain English words.", "not Ukrainian"),
        ("Это был обычный день в городе Киеве.", "not Ukrainian"),
        ("Ну, що ж.", "too short"),
        ("— Еге ж!", "too short"),
        ("!..", "too short"),
        ("Жив собі \ufffd\ufffd дід над річкою.", "garbled"),
    ],
)
def test_each_reason(sentence: str, reason: str) -> None:
    assert reject_reason(sentence) == reason


def test_a_sentence_that_starts_like_a_chapter_is_not_a_heading() -> None:
    assert not is_heading("Частина населення виїхала з міста.")
    assert reject_reason("Частина населення виїхала з міста ще взимку.") is None


def test_word_and_token_limits_are_inclusive() -> None:
    assert reject_reason("Мама мила раму вчора.") is None
    assert reject_reason("Мама мила раму.") == "too short"
    assert reject_reason("Мама мила раму.", min_words=3) is None
    long = " ".join(["слово"] * 127) + "."  # 127 words + "." = 128 tokens
    assert reject_reason(long) is None
    assert reject_reason("слово " + long) == "too long"
    assert reject_reason(long, max_tokens=127) == "too long"


def test_digits_are_not_words() -> None:
    assert reject_reason("У 1914 12 345.") == "too short"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=200), st.integers(0, 10), st.integers(1, 200))
def test_never_raises_and_reasons_are_the_documented_ones(
    sentence: str, min_words: int, max_tokens: int
) -> None:
    assert reject_reason(sentence, min_words, max_tokens) in (None, *REASONS)
