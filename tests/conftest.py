"""Shared fixtures: small corpora written by the tests, and one real build reused by many tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = REPO / "corpus"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def shipped_corpus() -> Path:
    return SHIPPED_CORPUS


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of the shipped corpus, 400 pairs, seed 7, two workers."""
    from pairgen import build

    out = tmp_path_factory.mktemp("built") / "out"
    build(SHIPPED_CORPUS, out, n=400, seed=7, workers=2)
    return out


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A handful of Ukrainian sentences in one file."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Старий рибалка вийшов на світанку до річки з вудкою.\n"
        "Над річкою ще стояв густий білий туман, і вода здавалася сивою.\n"
        "Рибалка довго сидів на березі й слухав, як прокидається село.\n"
        "Молода вчителька поспішала до школи з оберемком зошитів.\n"
        "Діти чекали на неї біля хвіртки й гомоніли про вчорашню грозу.\n"
        "Увечері весь хутір зібрався біля млина слухати нові пісні.\n",
        encoding="utf-8",
    )
    return folder
