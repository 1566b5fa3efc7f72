"""`pairgen inspect` and the label-histogram figure, on a real build and on folders made here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pairgen.cli import main
from pairgen.errors import OutputError, UsageError, install_hint
from pairgen.inspect import BINS, inspect_output, render
from pairgen.records import KINDS, Edit, Pair
from pairgen.write.parquet import SplitWriter
from pairgen.write.plot import BackgroundHistogram, write_label_histogram

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _write(folder: Path, rows: dict[str, list[Pair]], manifest: dict | None = None) -> Path:
    for split, pairs in rows.items():
        writer = SplitWriter(folder, split)
        for pair in pairs:
            writer.add(pair)
        writer.close()
    if manifest is not None:
        (folder / "pairgen.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _pair(s1: str, s2: str, score: float, kind: str, edits: tuple[Edit, ...] = ()) -> Pair:
    return Pair(s1, s2, score, kind, "a.txt", 0, edits)


@pytest.fixture(scope="module")
def report(built: Path):
    return inspect_output(built)


def test_counts_and_label_stats_agree_with_the_build_manifest(built: Path, report) -> None:
    manifest = json.loads((built / "pairgen.json").read_text(encoding="utf-8"))
    assert report.pairs == manifest["counts"]["pairs"] == 400
    for split, kinds in manifest["counts"]["by_split_kind"].items():
        assert {k: v for k, v in report.counts[split].items() if v} == kinds
    for kind, stats in manifest["label"]["by_kind"].items():
        assert report.stats[kind].count == stats["count"]
        assert report.stats[kind].mean == pytest.approx(stats["mean"], abs=1e-4)
    assert dict(report.edits) == manifest["counts"]["edits"]
    assert sum(sum(h) for h in report.histogram.values()) == 400
    assert all(len(h) == BINS for h in report.histogram.values())


def test_quartiles_are_ordered_and_inside_the_range(report) -> None:
    for s in report.stats.values():
        assert 0 <= s.low <= s.quartiles[0] <= s.quartiles[1] <= s.quartiles[2] <= s.high <= 1


def test_samples_come_from_each_kind(report) -> None:
    for kind in KINDS:
        assert len(report.samples[kind]) == 3
        assert len({(s.split, s.row) for s in report.samples[kind]}) == 3


def test_render_shows_every_section(report) -> None:
    screen = render(report)
    for heading in (
        "pairs per split and kind",
        "label (lemma) per kind: mean, quartiles, range",
        "label histogram",
        "edits by family",
        "sample paraphrase pairs",
        "sample hard pairs",
        "sample random pairs",
        "warnings",
    ):
        assert heading in screen
    assert screen.splitlines()[0].endswith("400 pairs (pairgen 0.1.0, seed 7)")
    histogram = [ln for ln in screen.splitlines() if ln.startswith("  0.") and "–" in ln[:10]]
    assert len(histogram) == BINS


def test_warnings_name_empty_ranges_short_sentences_and_leaks(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        {
            "train": [
                _pair(
                    "Старий рибалка вийшов на світанку.",
                    "старий рибалка вийшов на світанку .",
                    1.0,
                    "paraphrase",
                    (Edit("case", 0, 6, "Старий", "старий"),),
                ),
                _pair("Старий рибалка вийшов на світанку.", "Ой.", 0.0, "random"),
            ],
            "test": [
                _pair(
                    "СТАРИЙ рибалка вийшов — на світанку!", "Над річкою стояв туман.", 0.0, "random"
                ),
            ],
        },
        manifest={"counts": {"pairs": 5}},
    )
    report = inspect_output(folder)
    assert report.counts == {
        "train": {"paraphrase": 1, "hard": 0, "random": 1},
        "test": {"paraphrase": 0, "hard": 0, "random": 1},
    }
    [empty, short, leak, changed] = report.warnings
    assert empty.startswith("no pairs with labels in 0.1–0.2, 0.2–0.3, ")
    assert short.startswith("1 sentence(s) have fewer than 4 words, e.g. 'Ой.'")
    assert leak.startswith(
        "1 test sentence(s) also occur in train once case, punctuation and spacing are ignored"
    )
    assert changed == (
        "pairgen.json says 5 pairs but data/ holds 3: the folder was changed after the build"
    )
    assert report.swaps == [] and report.edits == [("case", 1)]


def test_swapped_words_are_counted_case_folded(tmp_path: Path) -> None:
    swap = (Edit("synonym", 6, 12, "швидко", "хутко", "хутко"),)
    swap_upper = (Edit("synonym", 6, 12, "ШВИДКО", "ХУТКО", "хутко"),)
    folder = _write(
        tmp_path,
        {
            "train": [
                _pair("Козак швидко читав.", "Козак хутко читав.", 0.667, "paraphrase", swap),
                _pair("КОЗАК ШВИДКО ЇХАВ.", "КОЗАК ХУТКО ЇХАВ.", 0.667, "paraphrase", swap_upper),
            ]
        },
    )
    report = inspect_output(folder)
    assert report.swaps == [("швидко → хутко", 2)]
    assert "      2  швидко → хутко" in render(report)


def test_folders_that_are_not_pairgen_output_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a folder"):
        inspect_output(tmp_path / "missing")
    with pytest.raises(UsageError, match=r"has no data/\*\.parquet"):
        inspect_output(tmp_path)
    folder = _write(tmp_path / "a", {"train": [_pair("Раз два три чотири.", "Ой.", 0.0, "random")]})
    for p in (folder / "provenance").iterdir():
        p.unlink()
    (folder / "provenance").rmdir()
    with pytest.raises(UsageError, match="provenance/ is missing"):
        inspect_output(folder)


def test_provenance_from_another_build_is_refused(tmp_path: Path) -> None:
    one = [_pair("Раз два три чотири.", "Ой.", 0.0, "random")]
    a = _write(tmp_path / "a", {"train": one})
    b = _write(tmp_path / "b", {"train": one * 2})
    (a / "provenance" / "train-00000-of-00001.parquet").write_bytes(
        (b / "provenance" / "train-00000-of-00001.parquet").read_bytes()
    )
    with pytest.raises(UsageError, match="data/train has 1 rows but provenance/train has 2"):
        inspect_output(a)


# --- the figure ----------------------------------------------------------------------------


def test_histogram_png_is_written_and_byte_stable(report, tmp_path: Path) -> None:
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert write_label_histogram(report.scores_by_kind, a)
    assert write_label_histogram(report.scores_by_kind, b)
    assert a.read_bytes().startswith(PNG_MAGIC)
    assert a.read_bytes() == b.read_bytes()


def test_build_folder_has_the_figure_and_the_card_shows_it(built: Path) -> None:
    assert (built / "label_hist.png").read_bytes().startswith(PNG_MAGIC)
    assert "![Label histogram per kind](label_hist.png)" in (built / "README.md").read_text()
    assert json.loads((built / "pairgen.json").read_text())["figure"] == "label_hist.png"


def test_build_without_matplotlib_says_how_to_get_the_figure(
    monkeypatch: pytest.MonkeyPatch, tiny_corpus: Path, tmp_path: Path
) -> None:
    from pairgen import build

    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    lines: list[str] = []
    build(tiny_corpus, tmp_path / "out", n=12, workers=1, log=lines.append, test_size=0)
    assert not (tmp_path / "out" / "label_hist.png").exists()
    assert "label_hist" not in (tmp_path / "out" / "README.md").read_text()
    assert "no label histogram in the folder or the card: " + install_hint("plot") in lines


def test_background_figure_is_the_same_bytes_and_leaves_no_process(report, tmp_path) -> None:
    import multiprocessing

    write_label_histogram(report.scores_by_kind, tmp_path / "here.png", "label (overlap)")
    with BackgroundHistogram() as hist:
        assert len(multiprocessing.active_children()) == 1
        hist.draw(report.scores_by_kind, tmp_path / "there.png", "label (overlap)")
        assert hist.result() is True
        assert multiprocessing.active_children() == []
    assert (tmp_path / "there.png").read_bytes() == (tmp_path / "here.png").read_bytes()


def test_background_figure_survives_a_killed_child(report, tmp_path: Path) -> None:
    with BackgroundHistogram() as hist:
        hist._process.kill()
        hist._process.join()
        hist.draw(report.scores_by_kind, tmp_path / "h.png", "label")
        assert hist.result() is True
    assert (tmp_path / "h.png").read_bytes().startswith(PNG_MAGIC)


def test_background_figure_reports_an_unwritable_file(report, tmp_path: Path) -> None:
    with BackgroundHistogram() as hist:
        hist.draw(report.scores_by_kind, tmp_path / "missing" / "h.png", "label")
        with pytest.raises(OutputError, match=r"could not write .*missing/h\.png"):
            hist.result()


def test_histogram_reports_false_without_matplotlib(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    assert write_label_histogram({"random": [0.1]}, tmp_path / "h.png") is False
    assert not (tmp_path / "h.png").exists()


# --- the command ---------------------------------------------------------------------------


def test_cli_prints_the_report_and_writes_the_plot(built: Path, tmp_path: Path) -> None:
    png = tmp_path / "hist.png"
    result = CliRunner().invoke(main, ["inspect", str(built), "--plot", str(png), "--samples", "1"])
    assert result.exit_code == 0, result.output
    assert "pairs per split and kind" in result.output
    assert f"wrote the label histogram to {png}" in result.output
    assert png.read_bytes().startswith(PNG_MAGIC)


def test_cli_plot_without_matplotlib_fails_before_reading(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(main, ["inspect", str(tmp_path), "--plot", "x.png"])
    assert result.exit_code == 1
    assert result.output == f"Error: --plot needs matplotlib: {install_hint('plot')}\n"


def test_cli_names_a_folder_that_is_not_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inspect", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path} has no data/*.parquet: give the folder `pairgen build` wrote "
        "(-o OUTPUT)\n"
    )
