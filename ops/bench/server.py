"""Starting a real server process for the HTTP benchmarks, and a bare reference server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, process: subprocess.Popen[bytes], path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(base + path, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not become ready")


def token(store: str, role: str) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "token",
            "create",
            "--role",
            role,
            "--name",
            f"bench {role}",
            "--store",
            store,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[0]


@contextmanager
def _cli(*args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``minutebook ARGS...`` in a process of its own (warnings only, as JSON, discarded),
    terminated (killed after 20 s) on leaving."""
    env = {**os.environ, "MINUTEBOOK_LOG_LEVEL": "WARNING", "MINUTEBOOK_LOG_JSON": "true"}
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def minutebook_server(store: str, *extra: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    with _cli("serve", "--store", store, "--port", str(port), *extra) as process:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, process, "/ready")
        yield base, process


@contextmanager
def reference_server(payloads: dict[str, bytes]) -> Iterator[str]:
    """A bare Litestar app returning the given bytes from memory, on uvicorn run as
    ``minutebook serve`` runs it (``UVICORN_OPTIONS``)."""
    port = free_port()
    routes = "\n".join(
        f"@get({path!r}, media_type='application/json')\nasync def r{i}() -> Response[bytes]:\n"
        f"    return Response(DATA[{path!r}], media_type='application/json')\n"
        for i, path in enumerate(payloads)
    )
    script = (
        "import sys, pickle\nfrom litestar import Litestar, get, Response\n"
        "DATA = pickle.loads(sys.stdin.buffer.read())\n"
        f"{routes}\n"
        f"app = Litestar([{', '.join(f'r{i}' for i in range(len(payloads)))}])\n"
        "import uvicorn\n"
        "from service.cli.serve_cmd import UVICORN_OPTIONS\n"
        f"uvicorn.run(app, host='127.0.0.1', port={port}, **UVICORN_OPTIONS)\n"
    )
    import pickle

    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None
    process.stdin.write(pickle.dumps(payloads))
    process.stdin.close()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, next(iter(payloads)))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def projection_worker(store: str) -> Iterator[subprocess.Popen[bytes]]:
    """``minutebook projections run`` on the store: the views in a process of their own,
    beside a ``serve --no-projections`` (the scale-out layout of the README)."""
    with _cli("projections", "run", "--store", store) as process:
        yield process
