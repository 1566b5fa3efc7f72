"""Progress: a tqdm bar on a terminal, plain periodic lines in a log, nothing with -q.

The clock is a fake one the tests move by hand, so nothing here depends on how fast it runs.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import pairgen.progress
from pairgen.progress import PIPED_EVERY_S, TERMINAL_DELAY_S, eta, progress, say


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr is when a person watches the build."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(
    stream: io.StringIO, steps: int, step_s: float, total: int | None = 10, **kw: object
) -> str:
    clock = Clock()
    with progress("pairing", total, True, unit="pairs", stream=stream, clock=clock, **kw) as bar:
        for _ in range(steps):
            clock.now += step_s
            bar.update(1)
    return stream.getvalue()


def test_terminal_gets_a_live_bar_that_ends_its_line() -> None:
    out = run(Terminal(), steps=10, step_s=1.0)
    frames = out.split("\r")
    assert len(frames) > 5  # redrawn in place
    assert "pairing:  50%" in out and "5/10" in out
    assert frames[-1].startswith("pairing: 100%") and frames[-1].endswith("pairs/s]\n")
    assert "10/10 [00:10<00:00" in frames[-1]
    assert out.count("\n") == 1


def test_terminal_shows_nothing_for_a_stage_shorter_than_the_delay() -> None:
    assert run(Terminal(), steps=10, step_s=TERMINAL_DELAY_S / 20) == ""


def test_piped_output_gets_a_plain_line_every_few_seconds() -> None:
    out = run(io.StringIO(), steps=10, step_s=PIPED_EVERY_S / 2)
    assert "\r" not in out and "\x1b" not in out
    assert out.splitlines() == [
        "pairing: 2/10 pairs (20%), 00:10 elapsed, ETA 00:40",
        "pairing: 4/10 pairs (40%), 00:20 elapsed, ETA 00:30",
        "pairing: 6/10 pairs (60%), 00:30 elapsed, ETA 00:20",
        "pairing: 8/10 pairs (80%), 00:40 elapsed, ETA 00:10",
        "pairing: 10/10 pairs (100%), 00:50 elapsed, ETA 00:00",
    ]


def test_piped_without_a_total_counts_and_ends_with_the_final_count() -> None:
    out = run(io.StringIO(), steps=5, step_s=PIPED_EVERY_S * 0.4, total=None)
    assert out.splitlines() == [
        "pairing: 3 pairs, 00:12 elapsed",
        "pairing: 5 pairs, 00:20 elapsed",
    ]


def test_piped_output_stays_silent_for_a_short_stage() -> None:
    assert run(io.StringIO(), steps=10, step_s=PIPED_EVERY_S / 100) == ""


@pytest.mark.parametrize("stream", [Terminal(), io.StringIO()])
def test_quiet_draws_nothing(stream: io.StringIO) -> None:
    clock = Clock()
    with progress("writing", 3, False, stream=stream, clock=clock) as bar:
        clock.now += 100
        bar.update(3)
    assert stream.getvalue() == ""


def test_an_interrupted_stage_still_ends_its_line() -> None:
    out, clock = Terminal(), Clock()
    with (
        pytest.raises(KeyboardInterrupt),
        progress("pairing", 10, True, stream=out, clock=clock) as bar,
    ):
        clock.now += 2
        bar.update(2)
        raise KeyboardInterrupt
    assert out.getvalue().endswith("\n")
    assert "2/10" in out.getvalue()


def test_a_log_line_goes_around_a_drawn_bar_and_never_adds_a_piped_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    terminal, log, clock = Terminal(), io.StringIO(), Clock()
    with (
        progress("pairing", 10, True, stream=terminal, clock=clock) as drawn,
        progress("reading", None, True, stream=log, clock=clock) as piped,
    ):
        clock.now += TERMINAL_DELAY_S + 1
        drawn.update(3)
        piped.update(3)
        before = terminal.getvalue()
        say("pass 1: 3 pairs")
        assert capsys.readouterr().err == "pass 1: 3 pairs\n"
        after = terminal.getvalue()[len(before) :]
        cleared, redrawn = after.rsplit("\r", 1)  # the bar is wiped, then drawn again
        assert cleared.strip() == "" and redrawn.startswith("pairing:  30%")
        assert "3/10 [00:02<00:04" in redrawn
        assert log.getvalue() == ""  # the piped stage is 2 s old: no line yet, none for the log


def test_eta_text() -> None:
    assert eta(30.0, 10, 40) == "ETA 01:30"
    assert eta(5000.0, 1, 2) == "ETA 1:23:20"
    assert eta(1.0, 0, 10) == "ETA ?"
    assert eta(9.0, 10, 10) == "ETA 00:00"


def test_every_long_build_stage_reports_when_piped(
    tmp_path: Path,
    tiny_corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With the period at zero every stage of a real build writes its lines to stderr (a pipe
    under pytest); stdout stays clean."""
    from pairgen import build

    monkeypatch.setattr(pairgen.progress, "PIPED_EVERY_S", 0.0)
    build(tiny_corpus, tmp_path / "out", n=8, workers=1, test_size=0)
    out, err = capsys.readouterr()
    stages = [line.split(":")[0] for line in err.splitlines()]
    assert {"reading", "pairing", "writing"} <= set(stages)
    assert err.splitlines()[-1].startswith("writing: ")
    assert out == ""

    build(tiny_corpus, tmp_path / "out2", n=8, workers=1, test_size=0, quiet=True)
    assert capsys.readouterr().err == ""
