"""Time `pairgen build` at every size, against the floor, with the peak memory of the process tree.

Every build runs as its own `python -m pairgen build` subprocess, so the figures are what a user
sees from the shell: interpreter start, imports, worker processes and all. For each size it prints
wall time, pairs per second, the time per stage (from the manifest's `stage_seconds`; the pair
stage is split into augment and mine + label by the workers' CPU shares), CPU time of the whole
tree, and peak memory of the tree (RSS summed over the parent and its workers, sampled every
0.25 s, plus PSS, which counts pages the forked workers share with the parent once), and how
many cores other processes on the machine used meanwhile (from /proc/stat): a shared machine
inflates wall times, and this column says by how much to distrust a row.

The same run times:

* the floor: read the same files and tokenise them with tokenize-uk (sentences, then words), one
  process, nothing else; pairgen's wall time is printed as a multiple of it;
* corpus scaling: read + segment + de-duplicate a folder holding 10 copies of the corpus;
* the 1 -> 2 worker speed-up of the augment stage (target >= 1.7x on two cores);
* fast start: `pairgen --help`, `pairgen build --help`, and a 2,000-pair build of `corpus/`.

Sizes up to 20,000 pairs are run `--runs` times and the median is printed.

    python benchmarks/bench_build.py                          # everything (the 1M build is slow)
    python benchmarks/bench_build.py --sizes 2000,20000 --runs 3 --skip 10x,speedup
    python benchmarks/bench_build.py --sizes 1000000 --skip floor,10x,speedup,start --json r.json
    python benchmarks/bench_build.py --report all.json r.json      # one table from several runs
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_SIZES = (2_000, 20_000, 200_000, 1_000_000)
SMALL = 20_000
"""Sizes up to this are run `--runs` times and reported as medians."""
SECTIONS = ("sizes", "floor", "10x", "speedup", "start")
SAMPLE_S = 0.25
"""How often the process tree's memory is sampled."""
STAGES = ("read", "segment", "index", "augment", "mine_label", "write")

FLOOR = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from tokenize_uk import tokenize_sents, tokenize_words
t1 = time.perf_counter()
paths = sorted(p for p in Path(sys.argv[1]).rglob("*.txt") if not p.name.startswith("."))
texts = [p.read_text(encoding="utf-8") for p in paths]
t2 = time.perf_counter()
sentences = [s for text in texts for line in text.splitlines() for s in tokenize_sents(line)]
t3 = time.perf_counter()
tokens = sum(len(tokenize_words(s)) for s in sentences)
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "read_s": t2 - t1, "sentences_s": t3 - t2,
                  "words_s": t4 - t3, "sentences": len(sentences), "tokens": tokens}))
"""


@dataclass
class Run:
    """One subprocess: its wall and CPU time and the peak memory of its process tree."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    """Largest sum of RSS over the process and all its descendants, sampled."""
    peak_pss_mb: float
    """Largest sum of PSS (shared pages divided among the sharers): the tree's real footprint."""
    max_single_rss_mb: float
    """ru_maxrss of the largest single process in the tree (from wait4, exact)."""
    background_cores: float
    """CPU that other processes on the machine used meanwhile, in cores (0 = it ran alone)."""
    returncode: int
    stdout: str = field(repr=False, default="")


def _sample(pid: int, stop: threading.Event, peaks: dict[str, float]) -> None:
    try:
        import psutil
    except ImportError:  # the wait4 figure is still exact for the largest single process
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    tick = 0
    while not stop.is_set():
        full = tick % 4 == 0  # PSS walks the page tables: every 4th sample only (~1 s)
        tick += 1
        rss = pss = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for proc in procs:
            try:
                info = proc.memory_full_info() if full else proc.memory_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        peaks["rss"] = max(peaks["rss"], rss / 2**20)
        if full:
            peaks["pss"] = max(peaks["pss"], pss / 2**20)
        stop.wait(SAMPLE_S)


def _busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat; else 0)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(f) for f in fields]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait


def run_tree(cmd: list[str], cwd: Path | None = None, code: Path = REPO) -> Run:
    """Run `cmd`, sampling the memory of its whole process tree; never raises on failure.

    `code` goes first on PYTHONPATH: this checkout, or an older one to time against it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile("w+") as log:
        start, busy = time.perf_counter(), _busy_cpu_s()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        stop, peaks = threading.Event(), {"rss": 0.0, "pss": 0.0}
        sampler = threading.Thread(target=_sample, args=(proc.pid, stop, peaks), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        busy = _busy_cpu_s() - busy
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        log.seek(0)
        out = log.read()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_mb=peaks["rss"],
        peak_pss_mb=peaks["pss"],
        max_single_rss_mb=usage.ru_maxrss / 1024,
        background_cores=max(0.0, busy - cpu) / wall if busy else 0.0,
        returncode=proc.returncode,
        stdout=out,
    )


def _check(run: Run, what: str) -> None:
    if run.returncode != 0:
        sys.exit(f"{what} failed (exit {run.returncode}):\n{run.stdout[-3000:]}")


def build(corpus: Path, n: int, workers: int, out: Path) -> dict[str, Any]:
    """One `pairgen build` from the shell; wall, memory and per-stage seconds."""
    cmd = [sys.executable, "-m", "pairgen", "build", str(corpus), "-n", str(n), "-o", str(out)]
    run = run_tree([*cmd, "--overwrite", "--workers", str(workers), "--seed", "42", "-q"])
    _check(run, f"pairgen build -n {n}")
    manifest = json.loads((out / "pairgen.json").read_text(encoding="utf-8"))
    result = asdict(run)
    result.pop("stdout")
    result.update(n=n, workers=workers, stages=stages(manifest), counts=manifest["counts"])
    result["pairs_per_s"] = n / run.wall_s
    cpu = manifest.get("stage_seconds", {})
    result["mine_cpu_us_per_pair"] = 1e6 * cpu.get("mine_label_cpu", 0.0) / n
    result["augment_cpu_us_per_pair"] = 1e6 * cpu.get("augment_cpu", 0.0) / n
    return result


def stages(manifest: dict[str, Any]) -> dict[str, float]:
    """Wall seconds per stage; the pair stage is split by the workers' augment / mine CPU."""
    s = manifest.get("stage_seconds", {})
    aug, mine = s.get("augment_cpu", 0.0), s.get("mine_label_cpu", 0.0)
    pair = s.get("pair", 0.0)
    share = aug / (aug + mine) if aug + mine > 0 else 1.0
    return {
        "read": s.get("read", 0.0),
        "segment": s.get("segment", 0.0),
        "index": s.get("index", 0.0),
        "augment": pair * share,
        "mine_label": pair * (1 - share),
        "write": s.get("write", 0.0),
        "pair": pair,
        "total": manifest.get("duration_s", 0.0),
    }


def median_of(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of every number across runs (stages too); counts come from the first run."""
    out = dict(results[0])
    for key, value in results[0].items():
        if isinstance(value, float):
            out[key] = statistics.median(r[key] for r in results)
    out["stages"] = {k: statistics.median(r["stages"][k] for r in results) for k in out["stages"]}
    out["runs"] = len(results)
    return out


def floor(corpus: Path) -> dict[str, Any]:
    run = run_tree([sys.executable, "-c", FLOOR, str(corpus)])
    _check(run, "the floor")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result.update(wall_s=run.wall_s, cpu_s=run.cpu_s, peak_rss_mb=run.peak_rss_mb)
    return result


def tenx(corpus: Path, workers: int, scratch: Path) -> dict[str, Any]:
    """Read + segment + de-duplicate 10 copies of the corpus (a 2,000-pair build on top)."""
    folder = scratch / "corpus-10x"
    folder.mkdir()
    for path in sorted(corpus.rglob("*.txt")):
        for i in range(10):
            shutil.copyfile(path, folder / f"{path.stem}.copy{i}.txt")
    size = sum(p.stat().st_size for p in folder.iterdir())
    one = build(corpus, 2_000, workers, scratch / "one")
    ten = build(folder, 2_000, workers, scratch / "ten")
    return {"bytes": size, "one": one, "ten": ten}


def speedup(corpus: Path, n: int, runs: int, scratch: Path) -> dict[str, Any]:
    """1 and 2 workers, interleaved (1, 2, 1, 2, ...) so both see the same background load.

    Medians are reported, and the best run of each: on a shared machine the best run is the one
    least disturbed by other jobs, the closest to what an idle machine gives.
    """
    done: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for _ in range(runs):
        for w in (1, 2):
            done[w].append(build(corpus, n, w, scratch / f"w{w}"))
    med = {w: median_of(done[w]) for w in done}
    best = {w: min(r["stages"]["augment"] for r in done[w]) for w in done}
    s1, s2 = med[1]["stages"], med[2]["stages"]
    return {
        "n": n,
        "runs": runs,
        "w1": med[1],
        "w2": med[2],
        "augment_speedup": s1["augment"] / s2["augment"] if s2["augment"] else 0.0,
        "augment_speedup_best": best[1] / best[2] if best[2] else 0.0,
        "augment_best_s": best,
        "pair_speedup": s1["pair"] / s2["pair"] if s2["pair"] else 0.0,
        "segment_speedup": s1["segment"] / s2["segment"] if s2["segment"] else 0.0,
        "wall_speedup": med[1]["wall_s"] / med[2]["wall_s"],
    }


def start(workers: int, scratch: Path, runs: int) -> dict[str, Any]:
    py = [sys.executable, "-m", "pairgen"]

    def med(cmd: list[str], k: int) -> tuple[float, float]:
        """Median wall and CPU seconds (CPU too: on a busy machine wall time is mostly waiting)."""
        walls, cpus = [], []
        for _ in range(k):
            run = run_tree(cmd, cwd=REPO)
            _check(run, " ".join(cmd[2:]))
            walls.append(run.wall_s)
            cpus.append(run.cpu_s)
        return statistics.median(walls), statistics.median(cpus)

    demo = [*py, "build", "corpus", "-n", "2000", "-o", str(scratch / "demo"), "--overwrite"]
    demo += ["--workers", str(workers), "-q"]
    run_tree(demo, cwd=REPO)  # warm the disk cache and the bytecode
    out = {}
    for name, cmd, k in (
        ("help", [*py, "--help"], 5),
        ("build_help", [*py, "build", "--help"], 5),
        ("demo_2000", demo, max(runs, 1)),
    ):
        out[f"{name}_s"], out[f"{name}_cpu_s"] = med(cmd, k)
    return out


# --- printing --------------------------------------------------------------------------------
def _row(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths)) + " |"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (readable as plain text too)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = [_row(header, widths), "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"]
    return "\n".join([*lines, *(_row(r, widths) for r in rows)])


def size_table(results: list[dict[str, Any]], floor: dict[str, Any] | None) -> str:
    """One row per size; `x floor` is wall / floor wall, and CPU / floor CPU after the slash."""
    header = ["pairs", "runs", "wall s", "pairs/s", *(f"{s} s" for s in STAGES)]
    header += ["CPU s", "x floor", "peak RSS MB", "peak PSS MB", "mine µs/pair", "others' cores"]
    rows = []
    for r in results:
        st = r["stages"]
        ratio = "-"
        if floor:
            ratio = f"{r['wall_s'] / floor['wall_s']:.1f} / {r['cpu_s'] / floor['cpu_s']:.1f}"
        rows.append(
            [
                f"{r['n']:,}",
                str(r.get("runs", 1)),
                f"{r['wall_s']:.1f}",
                f"{r['pairs_per_s']:,.0f}",
                *(f"{st[s]:.1f}" for s in STAGES),
                f"{r['cpu_s']:.0f}",
                ratio,
                f"{r['peak_rss_mb']:,.0f}",
                f"{r['peak_pss_mb']:,.0f}",
                f"{r['mine_cpu_us_per_pair']:.0f}",
                f"{r.get('background_cores', float('nan')):.1f}",
            ]
        )
    return table(header, rows)


def report(results: dict[str, Any]) -> str:
    out = [f"machine: {results['machine']}", f"load average at start/end: {results['load']}"]
    fl = results.get("floor")
    if fl:
        out.append(
            "\nfloor (read + tokenize-uk sentences and words, 1 process): "
            f"{fl['wall_s']:.1f} s wall, {fl['cpu_s']:.1f} s CPU"
            f" (import {fl['import_s']:.1f}, read {fl['read_s']:.2f}, sentences "
            f"{fl['sentences_s']:.1f}, words {fl['words_s']:.1f}; {fl['sentences']:,} sentences)"
        )
    sizes = results.get("sizes")
    if sizes:
        out += ["", size_table(sizes, fl)]
        by_n = {r["n"]: r for r in sizes}
        if SMALL in by_n and max(by_n) > SMALL:
            big = by_n[max(by_n)]
            ratio = big["mine_cpu_us_per_pair"] / max(by_n[SMALL]["mine_cpu_us_per_pair"], 1e-9)
            out.append(
                f"mine + label cost per pair at {big['n']:,} / at {SMALL:,}: {ratio:.2f}x"
                " (target <= 1.5x)"
            )
    tx = results.get("10x")
    if tx:
        one, ten = tx["one"], tx["ten"]
        rs1 = one["stages"]["read"] + one["stages"]["segment"]
        rs10 = ten["stages"]["read"] + ten["stages"]["segment"]
        out.append(
            f"\n10x corpus ({tx['bytes'] / 1e6:.0f} MB): read {ten['stages']['read']:.1f} s + "
            f"segment/dedupe {ten['stages']['segment']:.1f} s = {rs10:.1f} s "
            f"({rs10 / rs1:.1f}x the 1x corpus's {rs1:.1f} s); kept "
            f"{ten['counts']['sentences_kept']:,} of {ten['counts']['sentences_read']:,} "
            f"(1x kept {one['counts']['sentences_kept']:,}); peak RSS {ten['peak_rss_mb']:,.0f} MB,"
            f" PSS {ten['peak_pss_mb']:,.0f} MB; whole 2,000-pair build {ten['wall_s']:.1f} s"
        )
    sp = results.get("speedup")
    if sp:
        a1, a2 = sp["w1"]["stages"]["augment"], sp["w2"]["stages"]["augment"]
        out.append(
            f"\n1 -> 2 workers at {sp['n']:,} pairs: augment {a1:.1f} -> {a2:.1f} s = "
            f"{sp['augment_speedup']:.2f}x median, {sp.get('augment_speedup_best', 0):.2f}x best"
            f" of {sp.get('runs', 1)} (target >= 1.7x); pair stage {sp['pair_speedup']:.2f}x,"
            f" segment {sp['segment_speedup']:.2f}x, whole build {sp['wall_speedup']:.2f}x;"
            f" augment CPU {sp['w1']['augment_cpu_us_per_pair']:.0f} -> "
            f"{sp['w2']['augment_cpu_us_per_pair']:.0f} µs/pair; other jobs used "
            f"{sp['w1'].get('background_cores', 0):.1f} / {sp['w2'].get('background_cores', 0):.1f}"
            " cores"
        )
    st = results.get("start")
    if st:
        out.append(
            f"\nfast start (wall / CPU): pairgen --help {st['help_s']:.2f} / "
            f"{st['help_cpu_s']:.2f} s, pairgen build --help {st['build_help_s']:.2f} / "
            f"{st['build_help_cpu_s']:.2f} s (target < 0.3 s); 2,000 pairs from corpus/ "
            f"{st['demo_2000_s']:.2f} / {st['demo_2000_cpu_s']:.2f} s (target < 3 s)"
        )
    return "\n".join(out)


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Several --json results as one: later files win per section; sizes are combined by n."""
    out: dict[str, Any] = {}
    sizes: dict[int, Any] = {}
    for part in parts:
        for r in part.get("sizes", []):
            sizes[r["n"]] = r
        out.update({k: v for k, v in part.items() if k != "sizes"})
    out["sizes"] = [sizes[n] for n in sorted(sizes)]
    out["load"] = " | ".join(p.get("load", "?") for p in parts)
    return out


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cores} cores, {mem:.0f} GiB, Python {sys.version.split()[0]}, {sys.platform}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    ap.add_argument("--runs", type=int, default=3, help="runs per size up to 20,000 (median)")
    ap.add_argument("--workers", type=int, default=0, help="0 = one per core")
    ap.add_argument("--skip", default="", help=f"comma-separated, of: {', '.join(SECTIONS)}")
    ap.add_argument("--speedup-n", type=int, default=SMALL)
    ap.add_argument("--speedup-runs", type=int, help="runs per worker count (default: --runs)")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep the outputs")
    ap.add_argument(
        "--report",
        type=Path,
        nargs="+",
        help="build nothing: print the report of earlier --json files (sections and sizes merged)",
    )
    args = ap.parse_args(argv)
    if args.report:
        print(report(merge([json.loads(p.read_text(encoding="utf-8")) for p in args.report])))
        return 0
    skip = {s for s in args.skip.split(",") if s}
    if skip - set(SECTIONS):
        ap.error(f"--skip takes {', '.join(SECTIONS)}")
    if not args.corpus.is_dir():
        ap.error(f"corpus folder {args.corpus} not found: pass --corpus")
    workers = args.workers or len(os.sched_getaffinity(0))
    sizes = (
        [int(s.replace("_", "")) for s in args.sizes.split(",") if s] if "sizes" not in skip else []
    )
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="pairgen-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "workers": workers}
    load0 = os.getloadavg()[0]
    try:
        if "floor" not in skip:
            results["floor"] = floor(args.corpus)
        results["sizes"] = []
        for n in sizes:
            runs = args.runs if n <= SMALL else 1
            one = [build(args.corpus, n, workers, scratch / f"n{n}") for _ in range(runs)]
            results["sizes"].append(median_of(one))
            print(f"built {n:,} pairs: {results['sizes'][-1]['wall_s']:.1f} s", file=sys.stderr)
        if "10x" not in skip:
            results["10x"] = tenx(args.corpus, workers, scratch)
        if "speedup" not in skip:
            results["speedup"] = speedup(
                args.corpus, args.speedup_n, args.speedup_runs or args.runs, scratch
            )
        if "start" not in skip:
            results["start"] = start(workers, scratch, args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    results["load"] = f"{load0:.1f} / {os.getloadavg()[0]:.1f}"
    results["harness_max_child_rss_mb"] = (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
