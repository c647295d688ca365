"""read_csv with every column in file order (the splitter fills the columns with no lookup per
field) and with projections that reorder or drop columns (a lookup per field): the same cells,
for plain and quoted records, over several slices."""

from __future__ import annotations

import random

import pytest

from ferrule.csv import read_csv


def mixed_file(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = ["a,b,c,d"]
    for r in range(rows):
        note = rng.choice(["plain", '"quoted, comma"', '"a ""doubled"" quote"', ""])
        lines.append(f"{r},{note},{rng.random():.6f},{rng.choice(['x', 'y', ''])}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    "columns",
    [
        ["a", "b", "c", "d"],
        [0, 1, 2, 3],
        ["d", "c", "b", "a"],
        ["b", "a", "c", "d"],
        ["c"],
        [3, 1],
    ],
)
def test_projections_give_the_full_reads_cells(columns: list[str | int]) -> None:
    data = mixed_file(300_000, 5)
    assert len(data) > 8 << 20
    full = read_csv(data, threads=2).to_pydict()
    names = list(full)
    projected = read_csv(data, columns=columns, threads=2).to_pydict()
    wanted = [c if isinstance(c, str) else names[c] for c in columns]
    assert list(projected) == wanted
    for name in wanted:
        assert projected[name] == full[name], name
    assert full["b"][:4] == [
        v or None
        for v in [
            line.split(",", 1)[1].rsplit(",", 2)[0].strip('"').replace('""', '"')
            for line in data.decode().splitlines()[1:5]
        ]
    ]


def test_short_records_under_each_order() -> None:
    data = b'a,b,c\n1,x,2\n3,y\n4,"q, r",5\n6\n'
    full = read_csv(data, ragged="pad").to_pydict()
    assert full == {"a": [1, 3, 4, 6], "b": ["x", "y", "q, r", None], "c": [2, None, 5, None]}
    projected = read_csv(data, columns=["c", "a"], ragged="pad").to_pydict()
    assert projected == {"c": full["c"], "a": full["a"]}
