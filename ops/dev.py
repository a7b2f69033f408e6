#!/usr/bin/env python3
"""Bootstrap for the Quickstart: make .venv, install the project, then serve or test.

    python3 ops/dev.py serve [ARGS...]   # demo store on http://127.0.0.1:8000
    python3 ops/dev.py test  [PYTEST ARGS...]
    python3 ops/dev.py lint              # ruff (lint + format check) + mypy (strict)

Needs only Python 3.11+ with venv and pip. Reinstalls when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".minutebook-installed"


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - say so clearly on an older Python
        sys.exit("minutebook needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing minutebook and its dependencies into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*argv: str) -> int:
    return subprocess.call(list(argv), cwd=ROOT)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("serve", "test", "lint"):
        print(__doc__)
        return 2
    ensure_venv()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "serve":
        return run(str(BIN / "minutebook"), "serve", "--demo", *rest)
    if command == "test":
        return run(str(BIN / "python"), "-m", "pytest", *rest)
    checks = ([str(BIN / "ruff"), "check", "."], [str(BIN / "ruff"), "format", "--check", "."])
    for step in (*checks, [str(BIN / "mypy")]):
        code = run(*step)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
