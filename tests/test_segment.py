"""Segmentation: the rules backend on hard Ukrainian cases; stanza and its missing-model errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairgen.errors import MissingDependencyError, PairgenError, UsageError, install_hint
from pairgen.ingest.segment import RulesSegmenter, get_segmenter
from pairgen.ingest.stanza_model import (
    default_model_dir,
    download_stanza_model,
    stanza_model_available,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> RulesSegmenter:
    return RulesSegmenter()


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Це т. зв. народна етимологія. Вона поширена.",
            ["Це т. зв. народна етимологія.", "Вона поширена."],
        ),
        (
            "Його вчитель проф. Петренко прийшов. Ми раді.",
            ["Його вчитель проф. Петренко прийшов.", "Ми раді."],
        ),
        ("У 1914 р. почалася війна. Було страшно.", ["У 1914 р. почалася війна.", "Було страшно."]),
        (
            "Книжку написав І. Франко. Її всі читали.",
            ["Книжку написав І. Франко.", "Її всі читали."],
        ),
        (
            "Листа підписав Т. Г. Шевченко у Петербурзі. Дякую.",
            ["Листа підписав Т. Г. Шевченко у Петербурзі.", "Дякую."],
        ),
        (
            "Лишилось спакуватись... Се було одно з тих «треба». Я не можу… я рішуче не можу.",
            [
                "Лишилось спакуватись...",
                "Се було одно з тих «треба».",
                "Я не можу… я рішуче не можу.",
            ],
        ),
        (
            "— Хто там? — питає пан. — Ану, виходь!",
            ["— Хто там? — питає пан.", "— Ану, виходь!"],
        ),
    ],
    ids=["т. зв.", "проф.", "р.", "initial", "initials", "ellipses", "dialogue"],
)
def test_tokenize_uk_handles_abbreviations_initials_and_dialogue(
    rules: RulesSegmenter, paragraph: str, expected: list[str]
) -> None:
    assert rules.sentences(paragraph) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            '"Хто ти є?" — запитав. Він мовчав.',
            ['"Хто ти є?" — запитав.', "Він мовчав."],
        ),
        (
            "Гукають за ним: «Юда! Юда! Батьківщину продав!» А стара вискочила.",
            ["Гукають за ним: «Юда! Юда! Батьківщину продав!»", "А стара вискочила."],
        ),
        (
            "Він пішов до кабінету і заперся в нім. Старий довго сидів.",
            ["Він пішов до кабінету і заперся в нім.", "Старий довго сидів."],
        ),
        ("Див. с. 5. Там усе написано.", ["Див. с. 5.", "Там усе написано."]),
        (
            "— Будемо слухати! Будемо слухати! — почулося з натовпу, і козаки потишилися.",
            ["— Будемо слухати! Будемо слухати! — почулося з натовпу, і козаки потишилися."],
        ),
        (
            "— Хто там? Відчиняй! — гукнув він. А ніхто не озвався.",
            ["— Хто там? Відчиняй! — гукнув він.", "А ніхто не озвався."],
        ),
        ("— Іди! Я сказав.", ["— Іди!", "Я сказав."]),
    ],
    ids=["attribution", "quote", "в нім.", "page number", "dialogue !", "dialogue ?", "no dash"],
)
def test_rules_fix_what_tokenize_uk_gets_wrong(
    rules: RulesSegmenter, paragraph: str, expected: list[str]
) -> None:
    assert rules.sentences(paragraph) == expected


def test_an_unclosed_quote_does_not_swallow_the_paragraph(rules: RulesSegmenter) -> None:
    paragraph = "«Посилаю тобі крило. " + "Тямиш ту сойку? " * 6 + "Бувай."
    assert len(rules.sentences(paragraph)) >= 5


def test_sentences_are_stripped_substrings(rules: RulesSegmenter) -> None:
    paragraph = "  Перше речення.   Друге речення!  "
    assert rules.sentences(paragraph) == ["Перше речення.", "Друге речення!"]
    assert rules.sentences("") == rules.sentences("   ") == []


NASTY = st.sampled_from(
    [
        "Слово",
        "п'ять",
        "т. зв.",
        "І.",
        "р.",
        ". ",
        "...",
        "…",
        "?!",
        "«",
        "»",
        "„",
        "“",
        '"',
        "—",
        " — ",
        "- ",
        "\u0301",  # combining acute
        "\u0306",
        "שלום",  # RTL
        "\u202e",
        "مرحبا",
        "😀",
        "👩‍👩‍👧",
        "\x00",
        "\x07",
        "\x1b",
        "\ufffd",
        "\u200b",
        "\n",
        "\t",
        " ",
        "в нім. ",
        "я" * 3000,
        "A",
        "x.y.z",
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(NASTY, max_size=40).map("".join),
    st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=30).map(" ".join),
)


def _assert_ordered_substrings(paragraph: str, sentences: list[str]) -> None:
    cursor = 0
    for s in sentences:
        assert s and s == s.strip()
        found = paragraph.find(s, cursor)
        assert found >= 0, (s, paragraph)
        cursor = found + len(s)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(TEXT)
def test_rules_never_raise_and_return_ordered_substrings(paragraph: str) -> None:
    _assert_ordered_substrings(paragraph, RulesSegmenter().sentences(paragraph))


def test_unknown_segmenter_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown segmenter 'spacy'"):
        get_segmenter("spacy")


def test_rules_by_name() -> None:
    assert get_segmenter("rules").name == "rules"


# --- stanza ------------------------------------------------------------------------------------
def test_stanza_without_model_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(MissingDependencyError, match="run `pairgen models download`") as e:
        get_segmenter("stanza", model_dir=tmp_path)
    assert str(tmp_path) in str(e.value) and "\n" not in str(e.value)
    assert not stanza_model_available(tmp_path)


def test_auto_without_model_uses_rules(tmp_path: Path) -> None:
    warnings: list[str] = []
    assert get_segmenter("auto", warnings.append, model_dir=tmp_path).name == "rules"
    assert warnings == []


def test_default_model_folder_without_model_says_what_to_run() -> None:
    if stanza_model_available():
        pytest.skip("this machine has the stanza Ukrainian model")
    with pytest.raises(MissingDependencyError, match="pairgen models download"):
        get_segmenter("stanza")
    assert get_segmenter("auto").name == "rules"


def test_stanza_not_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "stanza", None)  # how Python spells "not importable"
    with pytest.raises(MissingDependencyError, match=re.escape(install_hint("stanza"))):
        get_segmenter("stanza")
    with pytest.raises(MissingDependencyError, match=re.escape(install_hint("stanza"))):
        download_stanza_model()
    assert get_segmenter("auto").name == "rules"


def test_default_model_dir_matches_stanza() -> None:
    from stanza.resources.common import DEFAULT_MODEL_DIR

    assert default_model_dir() == Path(DEFAULT_MODEL_DIR)


@pytest.mark.slow
def test_download_offline_fails_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "STANZA_RESOURCES_URL": "http://127.0.0.1:9", "PYTHONPATH": str(ROOT)}
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pairgen.errors import PairgenError\n"
        "from pairgen.ingest.stanza_model import download_stanza_model\n"
        "try:\n"
        f"    download_stanza_model(Path({str(tmp_path / 'models')!r}))\n"
        "except PairgenError as e:\n"
        "    print(type(e).__name__, e, sep='|'); sys.exit(3)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 3, run.stderr
    kind, message = run.stdout.strip().split("|")
    assert kind == "PairgenError" and "\n" not in message
    assert "could not download the stanza Ukrainian model" in message
    assert "pairgen models download" in message


def _tiny_stanza_model(folder: Path) -> Path:
    """A real (untrained, 4 KB) stanza Ukrainian tokenizer, laid out as stanza.download would."""
    from stanza.models import tokenizer
    from stanza.models.tokenization.trainer import Trainer
    from stanza.models.tokenization.vocab import Vocab

    args = tokenizer.parse_args(
        [
            "--lang",
            "uk",
            "--shorthand",
            "uk_tiny",
            "--hidden_dim",
            "8",
            "--emb_dim",
            "4",
            "--device",
            "cpu",
            "--no_use_mwt",
        ]
    )
    args["feat_funcs"] = tokenizer.DEFAULT_FEAT_FUNCS
    args["feat_dim"] = len(args["feat_funcs"])
    args["num_dict_feat"] = 0
    vocab = Vocab(data=[[(c, 0) for c in "Це речення. А це ще одне!"]], lang="uk")
    args["vocab_size"] = len(vocab)
    (folder / "uk" / "tokenize").mkdir(parents=True)
    Trainer(args=args, vocab=vocab, device="cpu").save(str(folder / "uk" / "tokenize" / "tiny.pt"))
    resources = {
        "uk": {
            "lang_name": "Ukrainian",
            "tokenize": {"tiny": {}},
            "default_processors": {"tokenize": "tiny"},
            "packages": {"default": {"tokenize": "tiny"}},
        }
    }
    (folder / "resources.json").write_text(json.dumps(resources))
    return folder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tiny_stanza_model(tmp_path_factory.mktemp("stanza"))


def test_stanza_backend_runs_the_real_pipeline(tiny_model: Path) -> None:
    assert stanza_model_available(tiny_model)
    seg = get_segmenter("stanza", model_dir=tiny_model)
    assert seg.name == "stanza"
    paragraph = "  Надворі весна вповні. Куди не глянь — скрізь розвернулося!  "
    sentences = seg.sentences(paragraph)
    assert sentences  # an untrained model splits anywhere, but only into pieces of the input
    _assert_ordered_substrings(paragraph, sentences)
    assert seg.sentences("   ") == []


def test_auto_picks_stanza_when_its_model_is_there(tiny_model: Path) -> None:
    assert get_segmenter("auto", model_dir=tiny_model).name == "stanza"


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True)
@given(TEXT)
def test_stanza_backend_returns_ordered_substrings(tiny_model: Path, paragraph: str) -> None:
    seg = _stanza(tiny_model)
    _assert_ordered_substrings(paragraph, seg.sentences(paragraph))


_LOADED: dict[Path, object] = {}


def _stanza(folder: Path):
    if folder not in _LOADED:
        _LOADED[folder] = get_segmenter("stanza", model_dir=folder)
    return _LOADED[folder]


def test_corrupt_model_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = _tiny_stanza_model(tmp_path / "m")
    (folder / "uk" / "tokenize" / "tiny.pt").write_bytes(b"not a model")
    with pytest.raises(PairgenError, match="could not load stanza's Ukrainian model"):
        get_segmenter("stanza", model_dir=folder)
    warnings: list[str] = []
    assert get_segmenter("auto", warnings.append, model_dir=folder).name == "rules"
    assert len(warnings) == 1 and "using the rules segmenter" in warnings[0]
