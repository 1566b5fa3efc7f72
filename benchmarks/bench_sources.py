"""Memory of reading a large table: `iter_texts` streams, `read_table` loads the file whole.

Writes a parquet file (default about 1 GB: a text column of Ukrainian prose and an id, in row
groups of 100,000 rows) and a JSONL file with the same rows into a temporary folder, then, each
in a fresh process, reads every text and reports the rows, the seconds and the peak RSS
(`ru_maxrss`). `import only` is the interpreter with the readers imported; the
`pyarrow.parquet.read_table` row (the text column alone) is what loading the file whole costs.

    python benchmarks/bench_sources.py            # about 1 GB
    python benchmarks/bench_sources.py --mb 200   # quicker
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROSE = (
    "Уранці над рікою стелився густий туман. Рибалки повільно сідали в човни й відпливали від "
    "берега. Вода була тиха і холодна, як скло. Десь далеко кричали чайки."
)

CHILD = """
import resource, sys, time
from pathlib import Path
t = time.perf_counter()
how, path = sys.argv[1], Path(sys.argv[2])
if how == "import only":
    from pairgen.ingest.sources import iter_texts
    import pyarrow.parquet
    rows = 0
elif how == "read_table":
    import pyarrow.parquet as pq
    rows = pq.read_table(path, columns=["text"]).num_rows
else:
    from pairgen.ingest.sources import iter_texts
    rows = sum(1 for _ in iter_texts(path))
seconds = time.perf_counter() - t
print(rows, round(seconds, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def write_files(folder: Path, megabytes: int) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    row_bytes = len(PROSE.encode()) + 10
    rows = megabytes * 1_000_000 // row_bytes
    parquet, jsonl = folder / "big.parquet", folder / "big.jsonl"
    schema = pa.schema([("id", pa.int64()), ("text", pa.string())])
    step = 100_000
    with pq.ParquetWriter(parquet, schema, compression="none") as writer, jsonl.open("w") as out:
        for start in range(0, rows, step):
            n = min(step, rows - start)
            texts = [f"{i}. {PROSE}" for i in range(start, start + n)]
            writer.write_table(pa.table({"id": range(start, start + n), "text": texts}, schema))
            out.writelines(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    return parquet, jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1000, help="size of the parquet file in MB")
    parser.add_argument("--write-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_into:
        write_files(Path(args.write_into), args.mb)
        return
    with tempfile.TemporaryDirectory() as tmp:
        # Written by a child: ru_maxrss survives fork and exec, so a parent that had held the
        # rows would set the floor of every measurement below.
        command = [sys.executable, __file__, "--mb", str(args.mb), "--write-into", tmp]
        subprocess.run(command, check=True)
        parquet, jsonl = Path(tmp) / "big.parquet", Path(tmp) / "big.jsonl"
        sizes = {p.suffix: round(p.stat().st_size / 1e6) for p in (parquet, jsonl)}
        print(f"parquet {sizes['.parquet']:,} MB, jsonl {sizes['.jsonl']:,} MB")
        print("| reader | file | rows | seconds | peak RSS MB |")
        print("|---|---|---:|---:|---:|")
        runs = [("import only", parquet), ("iter_texts", parquet), ("iter_texts", jsonl)]
        for how, path in [*runs, ("read_table", parquet)]:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, how, str(path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            print(f"| {how} | {path.suffix} | {int(out[0]):,} | {out[1]} | {int(out[2]):,} |")


if __name__ == "__main__":
    main()
