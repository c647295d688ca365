"""Every contributor workflow of the ferrule monorepo, one nox session each.

``nox -l`` lists them. Sessions that test one package take a ``package`` parameter:
``nox -s "tests(package='ferrule-csv')"``. Python packages live in ``packages/<name>``, their Rust
in ``crates/<name>`` (the core, pure Rust) and ``crates/<name>-py`` (the PyO3 binding).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import nox

nox.needs_version = ">=2026.4.10"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "typecheck", "tests", "docs"]

ROOT = Path(__file__).resolve().parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
DIST = ROOT / "dist"
SHARED = ROOT.parent / "shared"
PYTHON = "3.11"

# Published packages: packages/<name>/pyproject.toml.
PACKAGES = sorted(p.parent.name for p in (ROOT / "packages").glob("*/pyproject.toml"))
# Pure Rust cores (no PyO3): crates/<name>/ without the -py suffix. A core may land before its
# Python package does; its `cargo test` still runs under `tests`.
CORES = sorted(
    p.parent.name
    for p in (ROOT / "crates").glob("*/Cargo.toml")
    if not p.parent.name.endswith("-py")
)
UNITS = sorted(set(PACKAGES) | set(CORES))


def group(name: str, pyproject: dict[str, object] = PYPROJECT) -> list[str]:
    """A dependency group of the root (or a package's) pyproject, as requirement strings."""
    return list(nox.project.dependency_groups(pyproject, name))


def package_group(package: str, name: str) -> list[str]:
    pyproject = nox.project.load_toml(ROOT / "packages" / package / "pyproject.toml")
    groups = pyproject.get("dependency-groups", {})
    return group(name, pyproject) if name in groups else []


def module_of(package: str) -> str:
    """The import name of a package: ferrule-csv -> ferrule.csv."""
    return package.replace("ferrule-", "ferrule.", 1).replace("-", "_")


def install_package(session: nox.Session, package: str, *, profile: str = "release") -> None:
    """Build and install one package from source into the session, with the given profile."""
    session.env["MATURIN_PEP517_ARGS"] = f"--profile={profile}"
    session.install("--reinstall-package", package, f"./packages/{package}")


def rust_env() -> dict[str, str]:
    # PyO3's build script must find this interpreter, not whatever `python3` PATH offers.
    return {"PYO3_PYTHON": sys.executable}


@nox.session(python=PYTHON)
@nox.parametrize("package", UNITS)
def tests(session: nox.Session, package: str) -> None:
    """Build a package and run its Rust tests (cargo test) and Python tests (pytest)."""
    if (ROOT / "crates" / package).is_dir():
        session.run("cargo", "test", "--release", "-p", package, external=True, env=rust_env())
    if package not in PACKAGES:
        session.log(f"{package} has no Python package yet: Rust tests only")
        return
    install_package(session, package)
    session.install(*group("test"), *package_group(package, "test"))
    session.run(
        "pytest",
        f"packages/{package}/tests",
        "-p",
        "no:cacheprovider",
        *session.posargs,
    )
    bench_dir = ROOT / "packages" / package / "benchmarks"
    if bench_dir.is_dir() and not session.posargs:
        # The benchmarks once, untimed and on small data, so that they cannot rot unnoticed.
        session.install(*group("bench"), *package_group(package, "bench"))
        session.run(
            "pytest",
            str(bench_dir),
            "-p",
            "no:cacheprovider",
            "--benchmark-disable",
            env={"FERRULE_BENCH_ROWS": "2000"},
        )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (check and format), cargo fmt and cargo clippy with warnings as errors."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("cargo", "fmt", "--all", "--check", external=True)
    session.run(
        "cargo",
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
        external=True,
        env=rust_env(),
    )


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every package's Python, and stubtest of every compiled module."""
    session.install(*group("lint"))
    # The sources, checked before any package is installed so that mypy cannot pick an
    # installed copy instead; MYPYPATH lets the `ferrule` namespace span every package.
    for package in PACKAGES:
        session.run("uv", "pip", "uninstall", package, external=True, silent=True)
    mypypath = os.pathsep.join(str(ROOT / "packages" / p / "python") for p in PACKAGES)
    modules = [arg for p in PACKAGES for arg in ("-p", module_of(p))]
    session.run("mypy", *modules, env={"MYPYPATH": mypypath})
    for package in PACKAGES:
        install_package(session, package)
    for package in PACKAGES:
        allowlist = ROOT / "packages" / package / "stubtest-allowlist.txt"
        extra = ["--allowlist", str(allowlist)] if allowlist.exists() else []
        session.run("python", "-m", "mypy.stubtest", f"{module_of(package)}._native", *extra)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the Sphinx site with warnings as errors, then run every example in it."""
    for package in PACKAGES:
        install_package(session, package)
    session.install(*group("docs"))
    out = ROOT / "docs" / "_build"
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", str(out / "html"))
    session.run("sphinx-build", "-W", "--keep-going", "-b", "doctest", "docs", str(out / "doctest"))


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks on LTO builds, every package beside its peers; writes JSON and Markdown."""
    out_dir = ROOT / "docs" / "benchmarks"
    out_dir.mkdir(exist_ok=True)
    for package in PACKAGES:
        bench_dir = ROOT / "packages" / package / "benchmarks"
        if not bench_dir.is_dir():
            continue
        install_package(session, package, profile="dist")
        session.install(*group("bench"), *package_group(package, "bench"))
        result = out_dir / f"{package}.json"
        session.run(
            "pytest",
            str(bench_dir),
            "-p",
            "no:cacheprovider",
            "--benchmark-only",
            f"--benchmark-json={result}",
            "--benchmark-columns=min,median,mean,stddev,rounds",
            *session.posargs,
        )
        session.run(
            "python", "scripts/bench_report.py", str(result), str(out_dir / f"{package}.md")
        )


@nox.session(python=PYTHON)
def wheels(session: nox.Session) -> None:
    """Release wheels (LTO, abi3 for >= 3.11, PyPI-accepted manylinux tags) and sdists in dist/."""
    session.install("maturin>=1.14,<2")
    shutil.rmtree(DIST, ignore_errors=True)
    DIST.mkdir()
    for package in PACKAGES:
        with session.chdir(ROOT / "packages" / package):
            session.run("maturin", "sdist", "--out", str(DIST))
            session.run(
                "maturin",
                "build",
                "--profile",
                "dist",
                "--compatibility",
                "pypi",
                "--interpreter",
                sys.executable,
                "--out",
                str(DIST),
            )
    check_dist()
    session.log("built: " + ", ".join(sorted(p.name for p in DIST.iterdir())))


def check_dist() -> None:
    """Fail if a wheel in dist/ has a tag PyPI would refuse or is missing its sdist."""
    wheels = sorted(DIST.glob("*.whl"))
    if not wheels:
        raise RuntimeError("no wheels in dist/: run `nox -s wheels` first")
    for wheel in wheels:
        platform = wheel.stem.split("-")[-1]
        if not all(
            tag.startswith(("manylinux", "musllinux", "macosx", "win"))
            for tag in platform.split(".")
        ):
            raise RuntimeError(f"{wheel.name}: platform tag {platform!r} is not accepted by PyPI")
        if "-cp311-abi3-" not in wheel.name:
            raise RuntimeError(f"{wheel.name}: expected an abi3 wheel for CPython >= 3.11")
    for package in PACKAGES:
        dist_name = package.replace("-", "_")
        if not list(DIST.glob(f"{dist_name}-*.tar.gz")):
            raise RuntimeError(f"no sdist of {package} in dist/")


def fresh_venv(session: nox.Session, where: Path) -> Path:
    """A new virtual environment with pip, outside nox's own; returns its python."""
    session.run(sys.executable, "-m", "venv", str(where), external=True)
    return where / "bin" / "python"


def smoke(session: nox.Session, python: Path, package: str) -> None:
    """Import a package in an environment and run its smoke script (tests/smoke.py)."""
    script = ROOT / "packages" / package / "tests" / "smoke.py"
    session.run(str(python), str(script), external=True)


@nox.session(name="install-check", python=PYTHON)
def install_check(session: nox.Session) -> None:
    """Each package alone in a fresh venv: from its directory, its sdist, and its wheel."""
    if not list(DIST.glob("*.whl")):
        session.notify("wheels")
        session.error("dist/ is empty: run `nox -s wheels install-check`")
    # Shared so the three source builds compile the dependencies once.
    env = {"CARGO_TARGET_DIR": str(ROOT / "target" / "install-check"), **rust_env()}
    for package in PACKAGES:
        dist_name = package.replace("-", "_")
        (sdist,) = DIST.glob(f"{dist_name}-*.tar.gz")
        (wheel,) = DIST.glob(f"{dist_name}-*.whl")
        for how, target in [
            ("directory", str(ROOT / "packages" / package)),
            ("sdist", str(sdist)),
            ("wheel", str(wheel)),
        ]:
            with tempfile.TemporaryDirectory(prefix=f"{package}-{how}-") as tmp:
                session.log(f"{package}: installing from its {how}")
                python = fresh_venv(session, Path(tmp) / "venv")
                session.run(
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    target,
                    external=True,
                    env=env,
                )
                session.run(str(python), "-m", "pip", "check", external=True)
                others = [p for p in PACKAGES if p != package]
                if others:
                    # Each package must stand alone: no sibling may have come along.
                    session.run(
                        str(python),
                        "-c",
                        "import importlib.util, sys; "
                        f"found = [m for m in {[module_of(o) for o in others]!r} "
                        "if importlib.util.find_spec(m)]; "
                        "sys.exit(f'pulled in {found}' if found else 0)",
                        external=True,
                    )
                smoke(session, python, package)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@nox.session(python=PYTHON)
def publish(session: nox.Session) -> None:
    """Upload dist/ to an index; without --index-url, prove it end to end on a local pypiserver.

    ``nox -s publish -- --index-url https://upload.pypi.org/legacy/`` uploads for real, with
    credentials from ``UV_PUBLISH_TOKEN`` or ``UV_PUBLISH_USERNAME``/``UV_PUBLISH_PASSWORD``.
    Without it, the session starts pypiserver on 127.0.0.1 (uploads need a password), uploads,
    uploads again (existing files must be skipped), installs
    every package by name from that index into a fresh venv, imports it, and stops the server.
    """
    check_dist()
    files = sorted(str(p) for p in DIST.iterdir() if p.suffix in {".whl", ".gz"})
    args = list(session.posargs)
    if args[:1] == ["--index-url"] and len(args) == 2:
        session.run("uv", "publish", "--publish-url", args[1], *files, external=True)
        return
    if args:
        session.error("usage: nox -s publish [-- --index-url URL]")
    session.install(*group("publish"))
    with tempfile.TemporaryDirectory(prefix="ferrule-index-") as tmp:
        tmp_path = Path(tmp)
        packages_dir = tmp_path / "packages"
        packages_dir.mkdir()
        user, password = "ferrule", "local-test-password"
        htpasswd = tmp_path / "htpasswd"
        session.run(
            "python",
            "-c",
            "import sys; from passlib.apache import HtpasswdFile; "
            "h = HtpasswdFile(sys.argv[1], new=True); "
            "h.set_password(sys.argv[2], sys.argv[3]); h.save()",
            str(htpasswd),
            user,
            password,
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(session.bin) / "pypi-server"),
                "run",
                "-i",
                "127.0.0.1",
                "-p",
                str(port),
                "-P",
                str(htpasswd),
                "-a",
                "update",
                "--disable-fallback",
                str(packages_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(url + "/simple/", server)
            env = {"UV_PUBLISH_USERNAME": user, "UV_PUBLISH_PASSWORD": password}
            session.run("uv", "publish", "--publish-url", url + "/", *files, external=True, env=env)
            # Again: files already there must be skipped, not fail or be replaced.
            session.run(
                "uv",
                "publish",
                "--publish-url",
                url + "/",
                "--check-url",
                url + "/simple/",
                *files,
                external=True,
                env=env,
            )
            for package in PACKAGES:
                python = fresh_venv(session, tmp_path / f"venv-{package}")
                session.run(
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--index-url",
                    f"{url}/simple/",
                    "--only-binary",
                    ":all:",
                    package,
                    external=True,
                )
                smoke(session, python, package)
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the index server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, if only with an error status
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the index server did not answer at {url}")


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: each package on a realistic workload beside its peers, as a table."""
    for package in PACKAGES:
        install_package(session, package, profile="dist")
        if peers := package_group(package, "demo"):
            session.install(*peers)
    session.run("python", "scripts/demo.py", *session.posargs)


@nox.session(venv_backend="none")
def dev(session: nox.Session) -> None:
    """Set up the contributor environment (.venv): every package editable, all dev tools."""
    # --reinstall-package: after a `git clean` uv would restore an editable install whose
    # compiled module is gone (astral-sh/uv#11390).
    reinstall = [arg for p in PACKAGES for arg in ("--reinstall-package", p)]
    session.run("uv", "sync", "--all-packages", "--locked", *reinstall, external=True)


@nox.session(venv_backend="none")
def versions(session: nox.Session) -> None:
    """Check that every crate and package share the workspace version (lockstep releases)."""
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
    version = cargo["workspace"]["package"]["version"]
    bad = []
    for manifest in (ROOT / "crates").glob("*/Cargo.toml"):
        pkg = tomllib.loads(manifest.read_text())["package"]
        if pkg.get("version") != {"workspace": True}:
            bad.append(f"{manifest.relative_to(ROOT)} does not inherit the workspace version")
    for package in PACKAGES:
        meta = tomllib.loads((ROOT / "packages" / package / "pyproject.toml").read_text())
        if "version" not in meta["project"].get("dynamic", []):
            bad.append(f"{package} must take its version from Cargo (dynamic = ['version'])")
    if bad:
        session.error("; ".join(bad))
    session.log(json.dumps({"version": version, "packages": PACKAGES, "cores": CORES}))


if os.environ.get("FERRULE_NOX_DEBUG"):
    print(f"packages={PACKAGES} cores={CORES} units={UNITS}", file=sys.stderr)
