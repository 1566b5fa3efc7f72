"""Time `pairgen build` with `--engine ray` beside `--engine local`, and check they agree.

Each engine runs in its own process (a forked pool and a Ray runtime do not share a process
well). The Ray run starts a local runtime first and reports that start-up apart from the build.
For each run it prints the wall time, pairs/s, the manifest's `stage_seconds`, and the driver's
own CPU time (the serial part: reading, merging, indexing, selecting and writing; workers' CPU is
not in it). It then checks that both outputs hold the same parquet bytes, and measures the size
of the pairing state that the Ray engine ships to every worker (what limits corpus size per node).

    python benchmarks/bench_ray.py                       # 200,000 pairs from ../shared/corpus
    python benchmarks/bench_ray.py -n 20000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
FILES = [
    "data/train-00000-of-00001.parquet",
    "data/test-00000-of-00001.parquet",
    "provenance/train-00000-of-00001.parquet",
    "provenance/test-00000-of-00001.parquet",
]


def _cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(engine: str, n: int, corpus: str, out: str, workers: int) -> None:
    """One build in this process; prints one JSON line of figures."""
    from pairgen import build

    init_s = 0.0
    if engine == "ray":
        from pairgen.pairing.engine_ray import connect

        t = time.perf_counter()
        connect(num_cpus=workers or None)
        init_s = time.perf_counter() - t
    load0, cpu0, t0 = os.getloadavg()[0], _cpu_self(), time.perf_counter()
    report = build(corpus, out, n=n, seed=42, workers=workers, engine=engine, overwrite=True)
    wall = time.perf_counter() - t0
    figures = {
        "engine": engine,
        "init_s": round(init_s, 2),
        "build_s": round(wall, 2),
        "driver_cpu_s": round(_cpu_self() - cpu0, 2),
        "load": f"{load0:.1f}->{os.getloadavg()[0]:.1f}",
        "pairs": report.counts["pairs"],
        "sentences": report.counts["sentences_kept"],
        "stage_seconds": report.manifest["stage_seconds"],
    }
    print(json.dumps(figures))


def profile(corpus: str, n: int) -> dict[str, float]:
    """CPU seconds per stage of one in-process build (no pool, no Ray): the cost model's inputs.

    CPU time, unlike the manifest's wall-clock `stage_seconds`, does not grow when other
    programs share the machine. `transfer` is what a Ray driver spends unpickling the pairing
    results it receives (measured on the same results, and left out of `total`).
    """
    import pickle
    from collections import Counter

    import pairgen.pipeline as p

    cpu: Counter[str] = Counter()

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                cpu[name] += time.process_time() - t

        return wrapper

    pair_task = p.pair_task

    def pair_and_transfer(ctx: Any, jobs: Any) -> Any:
        t = time.process_time()
        result = pair_task(ctx, jobs)
        cpu["pair"] += time.process_time() - t
        blob = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        cpu["transfer_mb"] += len(blob) / 1e6
        t = time.process_time()
        pickle.loads(blob)
        cpu["transfer"] += time.process_time() - t
        return result

    p.segment_task = timed("segment", p.segment_task)  # type: ignore[assignment]
    p.pair_task = pair_and_transfer
    p._take = timed("select_write", p._take)
    p.make_context = timed("index", p.make_context)
    p.read_sentences = timed("read_merge_and_segment", p.read_sentences)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.process_time()
        report = p.build(corpus, Path(tmp) / "out", n=n, seed=42, workers=1)
        total = time.process_time() - t - cpu["transfer"]
    out = {k: round(v, 2) for k, v in cpu.items()}
    del out["read_merge_and_segment"]
    out["read_merge"] = round(cpu["read_merge_and_segment"] - cpu["segment"], 2)
    driver = cpu["read_merge_and_segment"] + cpu["index"] + cpu["pair"] + cpu["select_write"]
    out["other_driver"] = round(total - driver, 2)
    out["total"] = round(total, 2)
    out["pairs"] = report.counts["pairs"]
    out["sentences"] = report.counts["sentences_kept"]
    out["corpus_mb"] = round(sum(f["bytes"] for f in report.manifest["corpus"]["files"]) / 1e6, 2)
    return out


def state_size(corpus: str, n: int) -> dict[str, float]:
    """Bytes of the pairing state shipped to Ray workers, and the time to unpickle it."""
    from ray import cloudpickle

    from pairgen.config import BuildOptions
    from pairgen.pairing.engine_ray import dumps_state
    from pairgen.pipeline import make_context, read_sentences

    options = BuildOptions(corpus=corpus, n=n, workers=1)
    sentences = read_sentences(options, lambda _: None, lambda _: None).sentences
    text_bytes = sum(len(s.text.encode()) for s in sentences)
    t = time.perf_counter()
    ctx = make_context(options, sentences)
    index_s = time.perf_counter() - t
    blob = dumps_state({"context": ctx})
    t = time.perf_counter()
    cloudpickle.loads(blob)
    return {
        "sentences": len(sentences),
        "sentence_text_mb": round(text_bytes / 1e6, 2),
        "state_mb": round(len(blob) / 1e6, 2),
        "index_s": round(index_s, 2),
        "unpickle_s": round(time.perf_counter() - t, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("-n", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=0, help="0: one per core")
    parser.add_argument("--engines", default="local,ray")
    parser.add_argument("--repeat", type=int, default=1, help="runs per engine, order alternated")
    parser.add_argument("--profile", action="store_true", help="CPU seconds per stage, 1 process")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))  # run from a checkout without installing pairgen
    if args.child:
        child(args.child, args.n, args.corpus, args.out, args.workers)
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench_ray_"))
    out = tmp / "out"
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    engines = [e for e in args.engines.split(",") if e]
    results = []
    try:
        for rep in range(args.repeat):
            for engine in engines if rep % 2 == 0 else engines[::-1]:
                t = time.perf_counter()
                cmd = [sys.executable, __file__, args.corpus, "-n", str(args.n), "--child", engine]
                cmd += ["--workers", str(args.workers), "--out", str(out)]
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
                if proc.returncode:
                    sys.exit(f"{engine} build failed:\n{proc.stderr}")
                figures = json.loads(proc.stdout.strip().splitlines()[-1])
                figures["process_s"] = round(time.perf_counter() - t, 2)
                results.append(figures)
                shutil.rmtree(tmp / engine, ignore_errors=True)
                out.rename(tmp / engine)
        if results:
            _report(args, results, tmp, engines)
        if args.profile:
            print(f"CPU seconds per stage, one process: {json.dumps(profile(args.corpus, args.n))}")
        print(f"pairing state for every worker: {json.dumps(state_size(args.corpus, args.n))}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _report(
    args: argparse.Namespace, results: list[dict[str, Any]], tmp: Path, engines: list[str]
) -> None:
    print(
        f"corpus {args.corpus}: {results[0]['sentences']} sentences, -n {args.n}, "
        f"{os.cpu_count()} cores, workers {args.workers or 'all'}"
    )
    print(
        f"{'engine':<7}{'process s':>10}{'ray init s':>11}{'build s':>9}{'pairs/s':>9}"
        f"{'driver cpu s':>13}  load avg"
    )
    for r in results:
        print(
            f"{r['engine']:<7}{r['process_s']:>10.1f}{r['init_s']:>11.1f}{r['build_s']:>9.1f}"
            f"{r['pairs'] / r['build_s']:>9.0f}{r['driver_cpu_s']:>13.1f}  {r['load']}"
        )
    for r in results:
        print(f"  {r['engine']} stage_seconds: {json.dumps(r['stage_seconds'], sort_keys=True)}")
    if len(engines) == 2:
        a, b = (tmp / e for e in engines)
        same = all((a / f).read_bytes() == (b / f).read_bytes() for f in FILES if (a / f).exists())
        print(f"parquet bytes identical ({engines[0]} vs {engines[1]}): {same}")


if __name__ == "__main__":
    main()
