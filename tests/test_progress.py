"""The build's progress line: counts and ETA on a terminal, nothing anywhere else."""

from __future__ import annotations

import io

import pytest

from pairgen.progress import progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr is when a person watches the build."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_draws_counts_percent_and_eta_on_a_terminal() -> None:
    out, clock = Terminal(), Clock()
    with progress("augmenting", total=10, enabled=True, stream=out, clock=clock) as bar:
        clock.now += 2.0
        bar.update(4)
        assert out.getvalue().endswith("\raugmenting  4/10  40%  2.0 s, ETA 3.0 s\x1b[K")
        clock.now += 3.0
        bar.update(6)
    assert out.getvalue().endswith("\raugmenting  10/10  100%  5.0 s\x1b[K\n")


def test_without_a_total_it_shows_count_and_rate() -> None:
    out, clock = Terminal(), Clock()
    with progress("reading", total=None, enabled=True, stream=out, clock=clock) as bar:
        clock.now += 2.0
        bar.update(500)
    assert out.getvalue().endswith("\rreading  500  2.0 s, 250/s\x1b[K\n")


def test_redraws_are_throttled() -> None:
    out, clock = Terminal(), Clock()
    with progress("writing", total=1000, enabled=True, stream=out, clock=clock) as bar:
        for _ in range(1000):
            bar.update()
    # One draw on entry, one on exit; a thousand updates in the same instant add none.
    assert out.getvalue().count("\r") == 2


@pytest.mark.parametrize(("stream", "enabled"), [(Terminal(), False), (io.StringIO(), True)])
def test_silent_when_disabled_or_not_a_terminal(stream: io.StringIO, enabled: bool) -> None:
    with progress("writing", total=3, enabled=enabled, stream=stream) as bar:
        bar.update(3)
    assert stream.getvalue() == ""
    assert bar.done == 3


def test_an_interrupted_stage_still_ends_its_line() -> None:
    out = Terminal()
    with (
        pytest.raises(KeyboardInterrupt),
        progress("augmenting", total=10, enabled=True, stream=out) as bar,
    ):
        bar.update(2)
        raise KeyboardInterrupt
    assert out.getvalue().endswith("\n")
    assert "augmenting  2/10  20%" in out.getvalue()
