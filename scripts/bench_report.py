#!/usr/bin/env python3
"""Turn a pytest-benchmark JSON file into the Markdown table of ratios the docs include.

Usage: bench_report.py RESULT.json OUT.md

Each benchmark group is one workload; each benchmark in it has ``extra_info["impl"]``. The
table gives every implementation's median time and, for each one that is not ferrule, the
ratio of its time to ferrule's (above 1: ferrule is faster), then the geometric mean per peer.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from collections import defaultdict
from pathlib import Path


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main(result: Path, out: Path) -> None:
    data = json.loads(result.read_text())
    groups: dict[str, dict[str, float]] = defaultdict(dict)
    for bench in data["benchmarks"]:
        impl = bench.get("extra_info", {}).get("impl", bench["name"])
        groups[bench["group"]][impl] = bench["stats"]["median"]
    impls: list[str] = ["ferrule"]
    for times in groups.values():
        impls += [i for i in times if i not in impls]
    peers = [i for i in impls if i != "ferrule"]
    ratios: dict[str, list[float]] = defaultdict(list)
    lines = [
        "| workload | "
        + " | ".join(impls)
        + " | "
        + " | ".join(f"{p} / ferrule" for p in peers)
        + " |",
        "|---" * (1 + len(impls) + len(peers)) + "|",
    ]
    for group in sorted(groups):
        times = groups[group]
        cells = [fmt_time(times[i]) if i in times else "" for i in impls]
        ratio_cells = []
        for peer in peers:
            if peer in times and "ferrule" in times:
                r = times[peer] / times["ferrule"]
                ratios[peer].append(r)
                ratio_cells.append(f"{r:.2f}x")
            else:
                ratio_cells.append("")
        lines.append(f"| {group} | " + " | ".join(cells + ratio_cells) + " |")
    summary = [
        f"- geometric mean of {peer} / ferrule over {len(rs)} workloads: "
        f"**{math.exp(sum(map(math.log, rs)) / len(rs)):.2f}x**"
        for peer, rs in ratios.items()
    ]
    machine = data.get("machine_info", {})
    header = (
        f"Median of each benchmark; {machine.get('cpu', {}).get('count', '?')} CPUs, "
        f"{machine.get('python_implementation', platform.python_implementation())} "
        f"{machine.get('python_version', platform.python_version())}, "
        f"run {data.get('datetime', '')[:19]}.\n\n"
    )
    out.write_text(header + "\n".join(lines) + "\n\n" + "\n".join(summary) + "\n")
    print(out.read_text())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
