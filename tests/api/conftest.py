"""A real server process per store, on a free loopback port, with a token for each role.

The server is ``minutebook serve`` (uvicorn) in a subprocess; tokens are made with
``minutebook token create``.  One server per store serves the whole session;
tests keep out of each other's way by using bodies of their own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import PG_URL, require_postgres

ROLES = ("reader", "clerk", "auditor", "admin")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str, store: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args, "--store", store],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=check,
        timeout=60,
    )


class Server:
    def __init__(self, store: str, base: str, process: subprocess.Popen[bytes], log: Path):
        self.store = store
        self.base = base
        self.process = process
        self.log = log
        self.tokens: dict[str, str] = {}

    def client(self, role: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]

    def head(self) -> int:
        with self.client("auditor") as c:
            return int(c.get("/api/events", params={"limit": 1}).json()["head"])

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(store: str, workdir: Path, **env: str) -> Server:
    port = free_port()
    log = workdir / f"server-{port}.log"
    environ = {
        **os.environ,
        "MINUTEBOOK_LOG_JSON": "true",
        "MINUTEBOOK_STREAM_POLL_SECONDS": "0.1",
        "MINUTEBOOK_STREAM_KEEPALIVE_SECONDS": "1",
        "MINUTEBOOK_TOKEN_CACHE_SECONDS": "1",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--store", store, "--port", str(port)],
        cwd=ROOT,
        env=environ,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server(store, f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log_text()}")
        try:
            if httpx.get(server.base + "/ready", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not become ready:\n{server.log_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('api') / 'minutebook.db'}"
        return
    require_postgres()
    schema = f"api_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?schema={schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(scope="session")
def server(store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(store, tmp_path_factory.mktemp("logs"))
    try:
        for role in ROLES:
            made = cli("token", "create", "--role", role, "--name", f"test {role}", store=store)
            running.tokens[role] = made.stdout.strip()
        yield running
    finally:
        stop_server(running)


@pytest.fixture
def unique() -> str:
    """A suffix that keeps a test's bodies apart from other tests' on the shared server."""
    return uuid.uuid4().hex[:8]
