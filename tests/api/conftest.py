"""A real server process per store, on a free loopback port, with a token for each role.

The server is ``minutebook serve`` (uvicorn) in a subprocess; tokens are made with
``minutebook token create``.  One server per store serves the whole session;
tests keep out of each other's way by using bodies of their own.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest

from ops.faults import http_clerks
from ops.faults.http_clerks import ROOT, ServerProcess, free_port
from tests.conftest import PG_URL, require_postgres

__all__ = ["ROLES", "ROOT", "Server", "cli", "free_port", "start_server", "stop_server"]

ROLES = ("reader", "clerk", "auditor", "admin")

#: What the API tests need of the server beyond the fault runs' settings: the event
#: stream polls and keeps alive quickly enough for a test to wait on it.
TEST_ENV = {
    "MINUTEBOOK_STREAM_POLL_SECONDS": "0.1",
    "MINUTEBOOK_STREAM_KEEPALIVE_SECONDS": "1",
}


def cli(*args: str, store: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = http_clerks.cli(*args, store=store)
    if check:
        done.check_returncode()
    return done


@dataclass
class Server(ServerProcess):
    """A running server with a token for each role (``tokens``, filled by the fixture)."""

    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, role: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]

    def head(self) -> int:
        with self.client("auditor") as c:
            return int(c.get("/api/events", params={"limit": 1}).json()["head"])


def start_server(store: str, workdir: Path, **env: str) -> Server:
    """``minutebook serve`` as the fault runs start it (``http_clerks.start_server``:
    ready on /ready, its output in the error if not, never left running on failure)."""
    started = http_clerks.start_server(store, workdir, env={**TEST_ENV, **env})
    return Server(started.store, started.base, started.process, started.log)


def stop_server(server: ServerProcess) -> None:
    server.stop()


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
