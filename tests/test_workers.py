"""The worker count changes the speed, never the dataset; the local engine streams in task order.

`test_pipeline.py` checks 1/2/4 workers on the shipped corpus in one pass. Here the corpus is
synonym-rich (every swap decision runs in a worker) and `-n` is several times the number of
sentences, so the build needs more than one pass: hard-negative offsets carried between passes,
a pass cut off part-way at exactly `-n`, and the synonym report gathered from workers all have to
come out the same.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest
from outputs import parquet_bytes

from pairgen import build
from pairgen.pairing.engine import IN_FLIGHT_PER_WORKER, LocalEngine

SENTENCES = [
    "Хазяїн сердито промовив до наймита кілька слів.",
    "Мабуть, дівчина хотіла гарно заспівати веселу пісню.",
    "Відважний вершник хутко помчав до лісу.",
    "Сердитий дід суворо глянув на онука.",
    "Вона промовила тихо і вийшла з хати.",
    "Молодий вершник гарно співав у полі.",
    "Відважний юнак врятував дитину з води.",
    "Сумна мати довго чекала на звістку від сина.",
    "Відважний козак швидко осідлав вороного коня.",
    "Сердитий хазяїн вигнав собаку з двору.",
    "Парубок гарно танцював на вечорницях.",
    "Веселі діти голосно сміялися на зеленій галявині.",
    "Лице його було бліде від утоми.",
    "Бідний селянин важко працював на своєму полі.",
    "Гарна дівчина ніжно усміхнулася молодому хлопцеві.",
    "Мабуть, завтра буде теплий і ясний день.",
    "Раптом у лісі почувся страшний гуркіт.",
    "Розумний хлопець легко розв'язав складну задачу.",
    "Чесний чоловік ніколи не брехав своїм друзям.",
    "Швидка ріка несла човен до далекого берега.",
    "Тиха ніч укрила землю темним покривалом.",
    "Добрий сусід охоче допоміг нам полагодити паркан.",
    "Сильний дощ довго стукав у вікно.",
    "Молодий лікар уважно оглянув хвору дитину.",
    "Старенька бабуся повільно йшла вузькою стежкою.",
    "Яскраве сонце весело світило над широким степом.",
    "Хоробрий воїн мужньо боронив рідну землю.",
    "Сердитий батько суворо подивився на сина.",
    "Щасливі люди радісно святкували перемогу.",
    "Великий пес голосно гавкав на незнайомця.",
]


@pytest.fixture
def synonym_corpus(tmp_path: Path) -> Path:
    """30 sentences full of swappable words, in two files (two paragraphs per line)."""
    folder = tmp_path / "syn"
    folder.mkdir()
    for name, part in (("a.txt", SENTENCES[:15]), ("b.txt", SENTENCES[15:])):
        lines = [" ".join(part[i : i + 2]) for i in range(0, len(part), 2)]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _manifest(folder: Path) -> dict:
    manifest = json.loads((folder / "pairgen.json").read_text(encoding="utf-8"))
    for timing in ("duration_s", "stage_seconds"):
        manifest.pop(timing, None)
    return manifest  # no output path in it: the command and the options name no local folder


def test_multi_pass_synonym_build_is_identical_for_1_2_4_workers(
    tmp_path: Path, synonym_corpus: Path
) -> None:
    outs = {}
    for workers in (1, 2, 4):
        out = tmp_path / f"w{workers}"
        build(synonym_corpus, out, n=150, seed=5, workers=workers)
        outs[workers] = out
    manifest = _manifest(outs[1])
    assert manifest["counts"]["pairs"] == 150
    assert manifest["counts"]["sentences_kept"] == len(SENTENCES)
    assert manifest["counts"]["passes"] >= 2, "n is 5x the corpus: the build must take passes"
    assert manifest["counts"]["edits"]["synonym"] >= 12
    assert set(manifest["counts"]["splits"]) == {"train", "test"}
    # the default label weighs words by IDF over this corpus: the table, and so every label, is the
    # same for any worker count (the manifests below are compared whole, sha256 included)
    assert manifest["label"]["measure"] == "lemma"
    assert manifest["label"]["idf"]["source"] == "corpus"
    assert manifest["label"]["idf"]["sentences"] == len(SENTENCES)
    for workers in (2, 4):
        assert parquet_bytes(outs[workers]) == parquet_bytes(outs[1]), f"{workers} workers"
        assert _manifest(outs[workers]) == manifest, f"{workers} workers"
    card = (outs[4] / "README.md").read_text(encoding="utf-8")
    assert card == (outs[1] / "README.md").read_text(encoding="utf-8").replace('"w1"', '"w4"')


# --- the local engine --------------------------------------------------------------------------
def _slow_square(state: object, x: int) -> int:
    time.sleep(0.002 * (x % 5))  # later tasks often finish first
    return x * x


def _fail_on_three(state: object, x: int) -> int:
    if x == 3:
        raise ValueError("task 3 failed")
    return x


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_results_come_back_in_task_order(workers: int) -> None:
    engine = LocalEngine(workers)
    assert list(engine.map(_slow_square, range(40), {})) == [x * x for x in range(40)]


def test_tasks_are_pulled_a_few_at_a_time_so_memory_stays_flat() -> None:
    pulled = []

    def tasks():
        for x in range(10_000):
            pulled.append(x)
            yield x

    results = LocalEngine(2).map(_slow_square, tasks(), {})
    assert next(results) == 0
    assert len(pulled) <= IN_FLIGHT_PER_WORKER * 2 + 1
    results.close()  # a build that reached -n stops here: no pass computed for nothing
    assert len(pulled) <= IN_FLIGHT_PER_WORKER * 2 + 1
    assert not multiprocessing.active_children()


def test_a_failing_task_raises_in_the_parent_and_stops_the_workers() -> None:
    with pytest.raises(ValueError, match="task 3 failed"):
        list(LocalEngine(2).map(_fail_on_three, range(20), {}))
    assert not multiprocessing.active_children()


def _pid(state: object, task: int) -> int:
    import os

    return os.getpid()


def test_kept_workers_serve_every_pass_and_stop_with_the_block() -> None:
    engine, state = LocalEngine(2), {"context": "shared"}
    with engine.keep(state):
        pool = {c.pid for c in multiprocessing.active_children()}
        assert len(pool) == 2
        first = set(engine.map(_pid, range(40), state))
        second = set(engine.map(_pid, range(40), state))
        assert first | second <= pool, "a pass ran on new workers (cold caches)"
        assert {c.pid for c in multiprocessing.active_children()} == pool
        other = set(engine.map(_pid, range(4), {"context": "other"}))
        assert other and not other & pool, "another state needs workers forked with it"
    assert not multiprocessing.active_children()


def test_kept_workers_stop_after_a_failing_task() -> None:
    engine, state = LocalEngine(2), {}
    with pytest.raises(ValueError, match="task 3 failed"), engine.keep(state):
        list(engine.map(_fail_on_three, range(20), state))
    assert not multiprocessing.active_children()


FORK_RACE = """
import os, signal, sys
from pairgen.pairing.engine import LocalEngine

parent = os.getpid()

def stop(signum, frame):  # what Ray's driver installs, and pairgen's build handler is like it
    if os.getpid() != parent:
        os.write(1, b"the parent's handler ran in a child\\n")
    raise SystemExit(1)

def double(state, task):
    return 2 * task

signal.signal(signal.SIGTERM, stop)
forks, fork = [0], os.fork

def fork_then_signal():  # a SIGTERM that lands before the new child has run any of its own code
    forks[0] += 1
    pid = fork()
    if pid == 0 and forks[0] == 1:
        os.kill(os.getpid(), signal.SIGTERM)
    return pid

os.fork = fork_then_signal
print(list(LocalEngine(2).map(double, range(6), None)), os.getpid() == parent)
"""


def test_a_signal_before_a_worker_starts_ends_it_without_running_the_parents_code() -> None:
    """The race CI met: Pool.terminate's SIGTERM reached a worker the scheduler had not run yet,
    Ray's handler (inherited through the fork) raised in it, and the worker ran the test suite on.
    The worker must end quietly and the pool go on with a new one."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", FORK_RACE], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "[0, 2, 4, 6, 8, 10] True\n", proc.stdout + proc.stderr
