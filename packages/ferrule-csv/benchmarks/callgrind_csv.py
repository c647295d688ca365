"""Instruction counts of the benchmark workloads under callgrind: ferrule against the stdlib.

Wall-clock benchmarks on a shared 2-core machine drift by tens of percent between runs;
instruction counts do not. Each workload runs in a child process once and twice, and the
difference is the cost of one pass, without interpreter start-up, imports and data loading.

    python packages/ferrule-csv/benchmarks/callgrind_csv.py [--rows 20000] [workload ...]

Needs ``valgrind`` on PATH and ferrule-csv installed in the running interpreter (the LTO build
of ``nox -s bench`` or the release build of ``nox -s tests``).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import conftest  # the data generators of the benchmarks

WORKLOADS = [
    f"{kind} {name}"
    for kind in ("reader", "DictReader", "writer", "DictWriter")
    for name in ("mixed", "numeric", "wide")
]


def data_files(rows: int) -> dict[str, Path]:
    root = Path(__file__).resolve().parents[3] / "target" / "bench-data" / f"csv-{rows}"
    root.mkdir(parents=True, exist_ok=True)
    headers = {
        "mixed": ["id", "amount", "word", "text", "date", "maybe", "flag"],
        "numeric": [f"c{i}" for i in range(8)],
        "wide": [f"c{i}" for i in range(500)],
    }
    generators = {
        "mixed": conftest.mixed_rows(rows),
        "numeric": conftest.numeric_rows(rows),
        "wide": conftest.wide_rows(max(rows // 100, 10)),
    }
    return {
        name: conftest.write(root / f"{name}.csv", headers[name], generators[name])
        for name in headers
    }


def child(impl: str, workload: str, path: Path, passes: int) -> None:
    """One process of the measurement: load the data, then run the workload `passes` times."""
    if impl == "floor":
        # The benchmarks' floor: the rows made with str.split from lines already in memory.
        lines = path.read_text(encoding="utf-8").splitlines()
        for _ in range(passes):
            for line in lines:
                line.split(",")
        return
    module: Any = csv if impl == "stdlib" else __import__("ferrule.csv", fromlist=["csv"])
    kind, _ = workload.split()
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f)) if kind in ("writer", "DictWriter") else []
    dicts = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    for _ in range(passes):
        if kind in ("reader", "DictReader"):
            with path.open(newline="", encoding="utf-8") as f:
                for _ in module.reader(f) if kind == "reader" else module.DictReader(f):
                    pass
        elif kind == "writer":
            module.writer(io.StringIO()).writerows(rows)
        else:
            w = module.DictWriter(io.StringIO(), fieldnames=rows[0])
            w.writeheader()
            w.writerows(dicts)


def instructions(impl: str, workload: str, path: Path, passes: int) -> tuple[int, int]:
    """Instructions of the child: all threads, and the main thread alone (ferrule's reader
    splits a large file's lines ahead on a worker thread)."""
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--separate-threads=yes",
                f"--callgrind-out-file={tmp}/out",
                sys.executable,
                __file__,
                "--child",
                impl,
                workload,
                str(path),
                str(passes),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        main = re.search(r"^summary: (\d+)", Path(f"{tmp}/out-01").read_text(), re.M)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None or main is None:
        raise RuntimeError(run.stderr)
    return int(found.group(1)), int(main.group(1))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        impl, workload, path, passes = sys.argv[2:6]
        child(impl, workload, Path(path), int(passes))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("workloads", nargs="*", default=WORKLOADS)
    args = parser.parse_args()
    files = data_files(args.rows)
    print(f"{args.rows} rows (wide: {max(args.rows // 100, 10)}); millions of instructions")
    print("ferrule: the main thread's instructions (all threads')")
    print("| workload | ferrule | stdlib | stdlib / ferrule | floor | floor / ferrule |")
    print("|---|---|---|---|---|---|")
    for workload in args.workloads:
        path = files[workload.split()[1]]
        # The floor only where str.split gives the same rows: files without quoted fields.
        impls = ["ferrule", "stdlib"]
        if workload in ("reader numeric", "reader wide"):
            impls.append("floor")
        cost, total = {}, {}
        for impl in impls:
            (all2, main2), (all1, main1) = (
                instructions(impl, workload, path, 2),
                instructions(impl, workload, path, 1),
            )
            cost[impl], total[impl] = main2 - main1, all2 - all1
        floor = (
            f"{cost['floor'] / 1e6:.0f} | {cost['floor'] / cost['ferrule']:.2f}x"
            if "floor" in cost
            else " | "
        )
        print(
            f"| {workload} | {cost['ferrule'] / 1e6:.0f} ({total['ferrule'] / 1e6:.0f}) "
            f"| {cost['stdlib'] / 1e6:.0f} "
            f"| {cost['stdlib'] / cost['ferrule']:.2f}x | {floor} |"
        )


if __name__ == "__main__":
    main()
