"""Options are validated before any work starts, whichever way they arrive."""

from __future__ import annotations

import pytest

from pairgen.config import BuildOptions, parse_mix
from pairgen.errors import UsageError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "-n must be a positive number"),
        ({"n": -5}, "-n must be a positive number"),
        ({"test_size": 1.0}, "--test-size must be in [0, 1)"),
        ({"test_size": -0.1}, "--test-size must be in [0, 1)"),
        ({"label": "bleu"}, "--label must be one of lemma, overlap, jaccard, char"),
        ({"segmenter": "spacy"}, "--segmenter must be one of"),
        ({"augment": ("synonym", "shuffle")}, "--augment takes a subset of"),
        ({"workers": -1}, "--workers must be >= 0"),
    ],
)
def test_bad_values_fail_with_the_flag_named(kwargs: dict, message: str) -> None:
    with pytest.raises(
        UsageError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")
    ):
        BuildOptions(corpus="corpus", **kwargs)


def test_mix_parses_and_normalises() -> None:
    opts = BuildOptions(corpus="c", mix=parse_mix("paraphrase=2,hard=1,random=1"))
    assert opts.weights == {"paraphrase": 0.5, "hard": 0.25, "random": 0.25}
    with pytest.raises(UsageError, match="unknown kind 'easy'"):
        parse_mix("easy=1")


def test_manifest_options_round_trip() -> None:
    opts = BuildOptions(corpus="c", n=10, registers=("розм.",), mix=parse_mix("hard=1"))
    again = BuildOptions.from_mapping(opts.to_json())
    assert again == opts


def test_unknown_config_key_is_rejected() -> None:
    with pytest.raises(UsageError, match=r"unknown option.*colour"):
        BuildOptions.from_mapping({"corpus": "c", "colour": "blue"})
