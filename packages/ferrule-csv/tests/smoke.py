"""Smoke check run by `nox -s install-check` and `nox -s publish` in a fresh environment."""

import io
import tempfile

import ferrule.csv as csv

rows = [["id", "name"], ["1", 'a "quoted", comma'], ["2", "line\nbreak"]]
out = io.StringIO()
csv.writer(out).writerows(rows)
assert list(csv.reader(io.StringIO(out.getvalue()))) == rows
with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as f:
    f.write(out.getvalue())
    f.seek(0)
    assert [dict(r) for r in csv.DictReader(f)] == [
        {"id": "1", "name": 'a "quoted", comma'},
        {"id": "2", "name": "line\nbreak"},
    ]
print(f"ferrule.csv {csv.__version__}: ok")
