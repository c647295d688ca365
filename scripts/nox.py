#!/usr/bin/env python3
"""Run nox from a private environment, creating it first if needed.

The README's commands go through this script so that a machine with only Python 3 and a Rust
toolchain needs nothing else: it makes ``.venv-nox`` (nox and uv, pinned below), then hands its
arguments to nox. ``python3 scripts/nox.py -s tests`` is ``nox -s tests``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / ".venv-nox"
REQUIREMENTS = ["nox==2026.10.20", "uv==0.13.9"]


def main() -> int:
    # Run by whatever python3 the machine has, which may be older than the project's floor.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit("ferrule needs Python 3.11 or newer to run its tools")
    bindir = ENV / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    stamp = ENV / "requirements.txt"
    wanted = "\n".join(REQUIREMENTS)
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        print(f"scripts/nox.py: setting up {ENV.name} with {', '.join(REQUIREMENTS)}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(ENV)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *REQUIREMENTS], check=True)
        stamp.write_text(wanted)
    env = dict(os.environ)
    # uv and nox themselves must be found by the sessions that shell out to them.
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    os.chdir(ROOT)
    return subprocess.call([str(python), "-m", "nox", *sys.argv[1:]], env=env)


if __name__ == "__main__":
    raise SystemExit(main())
