"""Time and memory of de-duplication (`--dedup`) on a corpus and on 10 perturbed copies of it.

The copies are what near-duplicate detection is for: copy 0 is the corpus as it is; copies 1-9
swap apostrophes (`’` <-> `'`), write ` — ` as ` - `, put two spaces after some sentence ends and
drop one word from 30% of the lines that have at least 8 (seeded, so every run sees the same
text). The ideal result keeps one sentence per original sentence and puts every word-dropped
variant in its original's group.

One run measures, on the same sentences (read and segmented once, exact duplicates included):

* each mode (`exact`, `normalised`, `near`) on the 1x and the 10x corpus: wall time, peak memory
  of the Python heap during the call (tracemalloc, which numpy reports to), sentences kept, near
  groups;
* `near` on 1, 2, 5 and 10 copies: time and memory per sentence, which stay flat when the cost is
  linear (a quadratic method would take 100x the 1x time at 10x);
* the MinHash signatures alone, pairgen's numpy `minhash` against `datasketch.MinHash` (if it is
  installed), and the import time of each.

    python benchmarks/bench_dedup.py                        # ../shared/corpus, 10 copies
    python benchmarks/bench_dedup.py --corpus corpus --copies 5
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SEED = 17


def perturb(text: str, rng: random.Random) -> str:
    """A near-copy of a file's text: other apostrophes, dashes, spacing; some words dropped."""
    text = text.translate(str.maketrans({"’": "'", "'": "’"})).replace(" — ", " - ")
    text = re.sub(
        r"([.!?]) (?=[А-ЯІЇЄҐ])",
        lambda m: m.group(1) + ("  " if rng.random() < 0.5 else " "),
        text,
    )
    lines = []
    for line in text.splitlines():
        words = line.split(" ")
        if len(words) >= 8 and rng.random() < 0.3:
            del words[rng.randrange(1, len(words) - 1)]
        lines.append(" ".join(words))
    return "\n".join(lines) + "\n"


def make_copies(corpus: Path, copies: int, folder: Path) -> None:
    rng = random.Random(SEED)
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for i in range(copies):
            out = folder / f"copy{i}" / path.relative_to(corpus)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text if i == 0 else perturb(text, rng), encoding="utf-8")


def read(folder: Path) -> tuple[list[str], float]:
    """The sentences of `folder` that pass the filters, in corpus order (one copy holds almost
    no exact duplicates of its own; the copies are read one by one, so theirs stay)."""
    from pairgen.config import BuildOptions
    from pairgen.pipeline import read_sentences

    options = BuildOptions(corpus=str(folder), output="-", dedup="exact", workers=2, quiet=True)
    t = time.perf_counter()
    corpus = read_sentences(options, lambda _: None, lambda _: None)
    return [s.text for s in corpus.sentences], time.perf_counter() - t


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall s, peak MiB of the Python heap), from two calls: one timed, one traced."""
    t = time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, wall, peak


def import_seconds(module: str) -> float:
    """Median wall time of `import module` in a fresh interpreter (numpy already imported)."""
    code = f"import numpy, time; t = time.perf_counter(); import {module}; "
    code += "print(time.perf_counter() - t)"
    runs = []
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode:
            return float("nan")
        runs.append(float(done.stdout))
    return sorted(runs)[1]


def chunked(signatures: Callable[[list[list[str]]], Any], word_sets: list[list[str]]) -> list:
    """Signatures `_CHUNK` sentences at a time, as the build computes them."""
    from pairgen.ingest.dedup import _CHUNK

    return [signatures(word_sets[i : i + _CHUNK]) for i in range(0, len(word_sets), _CHUNK)]


def datasketch_signatures(word_sets: list[list[str]]) -> Any:
    import numpy as np
    from datasketch import MinHash

    from pairgen.ingest.dedup import BANDS, ROWS

    out = np.empty((len(word_sets), BANDS * ROWS), dtype=np.uint32)
    m = MinHash(num_perm=BANDS * ROWS, seed=1)
    for i, words in enumerate(word_sets):
        m.clear()
        m.update_batch([w.encode() for w in set(words)])
        out[i] = m.hashvalues
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()

    from pairgen.ingest.dedup import _WORD, MODES, deduplicate, minhash, normal_key

    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as tmp:
        folder = Path(tmp)
        make_copies(args.corpus, args.copies, folder)
        per_copy = []
        read_s = 0.0
        for i in range(args.copies):
            texts, seconds = read(folder / f"copy{i}")
            per_copy.append(texts)
            read_s += seconds
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (2 cores: above 2, others ran too)")
    one = per_copy[0]
    every = [t for texts in per_copy for t in texts]
    size = sum(len(t.encode()) for t in every) / 1e6
    print(
        f"corpus {args.corpus}: {len(one):,} sentences; {args.copies} copies: {len(every):,} "
        f"sentences ({size:.0f} MB of sentence text), read + segmented in {read_s:.1f} s"
    )

    print("\nmode        corpus  sentences   kept     near groups (sentences)   wall s   peak MiB")
    for mode in MODES:
        for label, texts in (("1x", one), (f"{args.copies}x", every)):
            result, wall, peak = measure(lambda t=texts, m=mode: deduplicate(t, m))
            g = result.groups
            grouped = f"{g['groups']:,} ({g['sentences']:,})" if mode == "near" else "-"
            print(
                f"{mode:<11} {label:>6} {len(texts):>10,} {len(result.keep):>7,} "
                f"{grouped:>24} {wall:>8.2f} {peak:>10.0f}"
            )

    print("\nnear, growing: copies  sentences   wall s   µs/sentence   peak MiB   KiB/sentence")
    for k in sorted({1, 2, 5, args.copies}):
        if k > args.copies:
            continue
        texts = [t for part in per_copy[:k] for t in part]
        _, wall, peak = measure(lambda t=texts: deduplicate(t, "near"))
        print(
            f"{k:>21} {len(texts):>10,} {wall:>8.2f} {wall / len(texts) * 1e6:>13.1f} "
            f"{peak:>10.0f} {peak * 1024 / len(texts):>14.2f}"
        )

    keys = list(dict.fromkeys(normal_key(t) for t in every))
    word_sets = [_WORD.findall(k) for k in keys]
    print(f"\nMinHash signatures of the {len(keys):,} distinct normalised sentences:")
    _, wall, peak = measure(lambda: chunked(minhash, word_sets))
    print(
        f"  pairgen minhash (numpy):  {wall:6.2f} s, peak {peak:4.0f} MiB; "
        f"import numpy {import_seconds('numpy'):.2f} s (already loaded by pyarrow)"
    )
    try:
        import datasketch  # noqa: F401
    except ImportError:
        print("  datasketch: not installed (pip install datasketch to compare)")
    else:
        _, wall, peak = measure(lambda: chunked(datasketch_signatures, word_sets))
        print(
            f"  datasketch.MinHash:       {wall:6.2f} s, peak {peak:4.0f} MiB; "
            f"import datasketch {import_seconds('datasketch'):.2f} s"
        )

    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
