"""The database goes away under a running server: 503 with Retry-After at once, /ready says
so, and the service recovers by itself when the database is back, losing nothing acknowledged.

Done for real, to a real server process:

* PostgreSQL: the server gets a database of its own; the outage is ``ALTER DATABASE …
  ALLOW_CONNECTIONS false`` plus ``pg_terminate_backend`` of its sessions (the shared
  server keeps running for every other test), and the recovery is allowing connections
  again.
* SQLite: another connection holds ``BEGIN EXCLUSIVE`` on the file; and (where this
  process may mount a tmpfs) the disk holding the file fills up.

Meanwhile clerks keep writing; afterwards every write they were told succeeded is in
the record and the view, and the audit trail verifies.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from eventsourcing import persistence

from ops.faults.http_clerks import (
    Clerks,
    ServerProcess,
    audit_verify,
    check_record,
    ensure_meeting,
    make_token,
    projections_caught_up,
    start_server,
)
from service.api.errors import classify
from service.app.writer import GroupCommitter
from service.errors import StoreUnavailableError, store_unavailable_reason
from tests.conftest import PG_URL, require_postgres

BODY, DATE = "Outage Board", "2024-05-02"
#: The first request to meet the outage may wait out the store's timeouts (2 s, and on
#: SQLite the views' turns before it); every later one is refused at once.
FIRST_REFUSAL_SECONDS = 15.0
FAST = 1.0


# Helpers ------------------------------------------------------------------------------


class Api:
    def __init__(self, server: ServerProcess, token: str) -> None:
        self.base = server.base
        self.headers = {"Authorization": f"Bearer {token}"}

    def timed(self, method: str, path: str, **kwargs: Any) -> tuple[float, httpx.Response]:
        started = time.monotonic()
        response = httpx.request(
            method, self.base + path, headers=self.headers, timeout=60, **kwargs
        )
        return time.monotonic() - started, response

    def register(self, name: str) -> tuple[float, httpx.Response]:
        return self.timed("POST", "/api/bodies", json={"name": name})


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    problem = response.json()
    assert problem["type"] == "urn:minutebook:problem:store-unavailable"
    assert "Retry" in problem["detail"] and problem["request_id"]
    assert response.headers["x-content-type-options"] == "nosniff"  # refusals are responses too
    assert response.headers["cache-control"] == "no-store"


def first_refusal(api: Api) -> None:
    """The first write after the outage began: 503 within the bound (never a hang)."""
    elapsed, response = api.register(f"During {uuid.uuid4().hex[:6]}")
    assert elapsed < FIRST_REFUSAL_SECONDS, f"took {elapsed:.1f} s"
    assert_unavailable(response)


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


def ready_status(api: Api) -> tuple[int, dict[str, Any]]:
    r = httpx.get(api.base + "/ready", timeout=10)
    return r.status_code, r.json()


def check_everything_acknowledged(server: ServerProcess, clerks: Clerks, auditor: str) -> None:
    tally = clerks.tally
    assert tally.acked, "the clerks got no write acknowledged"
    assert tally.errors == {}, f"requests without an answer (hung or dropped): {tally.errors}"
    # 409: a commit that went through as its connection died, retried, found done (rare).
    assert set(tally.statuses) <= {201, 409, 503}, tally.statuses
    projections_caught_up(server.base, auditor, timeout=60)
    checks = check_record(server.base, auditor, BODY, DATE, tally.acked)
    assert checks["ok"], checks


# PostgreSQL: its own database, connections refused and sessions killed ----------------


@pytest.fixture
def pg_database() -> Iterator[str]:
    require_postgres()
    name = f"mb_outage_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def set_connections(database: str, *, allowed: bool) -> None:
    """Refuse (and cut) or allow again every connection to ``database`` only."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {database} ALLOW_CONNECTIONS {str(allowed).lower()}")
        if not allowed:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            )


def store_url_of(database: str) -> str:
    base = PG_URL.rsplit("/", 1)[0]
    return f"{base}/{database}"


def test_postgres_outage_is_503_then_recovers_without_restart(
    pg_database: str, tmp_path: Path
) -> None:
    store = store_url_of(pg_database)
    server = start_server(store, tmp_path)
    try:
        clerk, auditor = make_token(store, "clerk", "c"), make_token(store, "auditor", "a")
        api = Api(server, clerk)
        ensure_meeting(server.base, clerk, BODY, DATE)
        clerks = Clerks(server.base, clerk, BODY, DATE, clients=3).start()
        wait_until(lambda: len(clerks.tally.acked) >= 20, 20, "writes before the outage")

        set_connections(pg_database, allowed=False)
        try:
            first_refusal(api)
            # From now on: refused at once, reads too (the store cannot be read either).
            for method, path in (("POST", "/api/bodies"), ("GET", "/api/bodies/outage-board")):
                elapsed, response = api.timed(method, path, json={"name": "Later"})
                assert elapsed < FAST, f"{method} {path} took {elapsed:.2f} s"
                assert_unavailable(response)
            status, ready = ready_status(api)
            assert status == 503 and ready["status"] == "unavailable", ready
            assert "connection" in ready["detail"] or "answer" in ready["detail"]
            assert httpx.get(server.base + "/health", timeout=5).status_code == 200
            time.sleep(1.5)  # the clerks keep trying meanwhile
        finally:
            set_connections(pg_database, allowed=True)

        # Back by itself: no restart.
        took = wait_until(lambda: api.register("After")[1].status_code == 201, 30, "a write")
        assert took < 20
        assert ready_status(api)[0] == 200
        acked_at_recovery = len(clerks.tally.acked)
        wait_until(lambda: len(clerks.tally.acked) >= acked_at_recovery + 20, 20, "writes after")
        clerks.stop()
        assert clerks.tally.statuses[503] > 0, "the clerks never met the outage"
        check_everything_acknowledged(server, clerks, auditor)
    finally:
        server.stop()
    code, out = audit_verify(store)
    assert code == 0, out


def test_postgres_killed_sessions_alone_cost_no_request(pg_database: str, tmp_path: Path) -> None:
    """Sessions killed while the database stays up (a failover, an admin): the server's
    next requests get new connections; nothing answers 5xx."""
    store = store_url_of(pg_database)
    server = start_server(store, tmp_path)
    try:
        clerk = make_token(store, "clerk", "c")
        api = Api(server, clerk)
        ensure_meeting(server.base, clerk, BODY, DATE)
        for round_ in range(3):
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                killed = conn.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (pg_database,),
                ).fetchone()
            assert killed and killed[0] > 0
            time.sleep(0.2)
            for k in range(5):
                elapsed, r = api.register(f"Round {round_} {k}")
                assert r.status_code == 201, r.text
                assert elapsed < 5
            assert api.timed("GET", "/api/bodies/round-0-0")[1].status_code == 200
    finally:
        server.stop()


# SQLite: the file locked by another process; the disk full ------------------------------


def test_sqlite_locked_file_is_503_for_writes_reads_go_on_then_recovers(tmp_path: Path) -> None:
    db = tmp_path / "minutebook.db"
    store = f"sqlite:///{db}"
    server = start_server(store, tmp_path / "logs")
    try:
        clerk, auditor = make_token(store, "clerk", "c"), make_token(store, "auditor", "a")
        api = Api(server, clerk)
        ensure_meeting(server.base, clerk, BODY, DATE)
        clerks = Clerks(server.base, clerk, BODY, DATE, clients=3).start()
        wait_until(lambda: len(clerks.tally.acked) >= 20, 20, "writes before the lock")

        holder = sqlite3.connect(db, isolation_level=None, timeout=30)
        holder.execute("BEGIN EXCLUSIVE")  # the write lock, held by another connection
        try:
            first_refusal(api)
            elapsed, response = api.register("Later")
            assert elapsed < FAST
            assert_unavailable(response)
            assert "locked" in response.json()["detail"]
            # The record stays readable while it cannot be written.
            elapsed, read = api.timed("GET", "/api/bodies/outage-board")
            assert read.status_code == 200 and elapsed < FAST
            status, ready = ready_status(api)
            assert status == 503 and "locked" in ready["detail"], ready
            time.sleep(1.0)
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        wait_until(lambda: api.register("After")[1].status_code == 201, 20, "a write")
        assert ready_status(api)[0] == 200
        acked_at_recovery = len(clerks.tally.acked)
        wait_until(lambda: len(clerks.tally.acked) >= acked_at_recovery + 20, 20, "writes after")
        clerks.stop()
        assert clerks.tally.statuses[503] > 0
        check_everything_acknowledged(server, clerks, auditor)
    finally:
        server.stop()
    code, out = audit_verify(store)
    assert code == 0, out


@contextlib.contextmanager
def small_filesystem(size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (root, and a kernel that lets this process mount, only)."""
    if os.geteuid() != 0:
        pytest.skip("filling a disk needs a tmpfs mount: run as root to include this test")
    mount = Path(f"/tmp/minutebook-full-{uuid.uuid4().hex[:8]}")
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        with contextlib.suppress(OSError):
            mount.rmdir()


def fill(path: Path) -> None:
    with path.open("wb", buffering=0) as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)


def test_sqlite_disk_full_is_503_then_recovers(tmp_path: Path) -> None:
    with small_filesystem("32m") as mount:
        store = f"sqlite:///{mount / 'minutebook.db'}"
        server = start_server(store, tmp_path / "logs")  # logs on another disk
        try:
            clerk, auditor = make_token(store, "clerk", "c"), make_token(store, "auditor", "a")
            api = Api(server, clerk)
            ensure_meeting(server.base, clerk, BODY, DATE)
            clerks = Clerks(server.base, clerk, BODY, DATE, clients=2).start()
            wait_until(lambda: len(clerks.tally.acked) >= 10, 20, "writes before")
            filler = mount / "filler"
            fill(filler)
            try:
                wait_until(lambda: clerks.tally.statuses[503] > 0, 20, "a refusal")
                elapsed, response = api.register("Later " * 40)
                assert elapsed < FAST
                assert_unavailable(response)
                assert "full" in response.json()["detail"]
                status, ready = ready_status(api)
                assert status == 503 and "full" in ready["detail"], ready
            finally:
                filler.unlink()
            wait_until(lambda: api.register("After")[1].status_code == 201, 20, "a write")
            acked = len(clerks.tally.acked)
            wait_until(lambda: len(clerks.tally.acked) >= acked + 10, 20, "writes after")
            clerks.stop()
            check_everything_acknowledged(server, clerks, auditor)
        finally:
            server.stop()
        code, out = audit_verify(store)
        assert code == 0, out


# The one exception map: what counts as "the store is unavailable" ----------------------


def wrapped(outer: type[Exception], inner: BaseException) -> Exception:
    try:
        raise outer(str(inner)) from inner
    except Exception as e:
        return e


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (sqlite3.OperationalError("database is locked"), "locked"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("database or disk is full"), "full"),
        (sqlite3.OperationalError("disk I/O error"), "I/O"),
        (
            wrapped(persistence.OperationalError, sqlite3.OperationalError("database is locked")),
            "locked",
        ),
        (persistence.OperationalError("server closed the connection unexpectedly"), "answer"),
        (persistence.InterfaceError("connection already closed"), "answer"),
        (persistence.PersistenceError("couldn't get a connection"), "answer"),
        (psycopg.OperationalError("connection refused"), "connection"),
        (wrapped(persistence.OperationalError, psycopg.OperationalError("x")), "connection"),
        (StoreUnavailableError("cannot reach PostgreSQL"), "answer"),
    ],
)
def test_store_errors_map_to_503_with_retry_after(exc: Exception, reason: str) -> None:
    found = store_unavailable_reason(exc)
    assert found is not None and reason in found
    status, kind, detail, _, headers = classify(exc)
    assert (status, kind) == (503, "store-unavailable")
    assert reason in detail and int(headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    "exc",
    [
        persistence.IntegrityError("duplicate key"),
        persistence.DataError("bad value"),
        ValueError("x"),
        sqlite3.OperationalError("no such column: x"),
    ],
)
def test_other_errors_are_not_store_outages(exc: Exception) -> None:
    assert store_unavailable_reason(exc) is None
    assert classify(exc)[0] != 503


def test_a_read_only_sqlite_file_is_503(tmp_path: Path) -> None:
    """A real read-only database (opened ``mode=ro``): the write fails as read-only, 503."""
    from service import commands as c
    from service.app import Minutebook
    from service.store.url import parse_store_url

    db = tmp_path / "minutebook.db"
    Minutebook(parse_store_url(f"sqlite:///{db}")).close()
    store = parse_store_url(f"sqlite:///{db}")
    env = {**store.env, "SQLITE_DBNAME": f"file:{db}?mode=ro", "MINUTEBOOK_CREATE_TABLE": "n"}
    app = Minutebook(type(store)(kind="sqlite", env=env, display=store.display, sqlite_path=db))
    try:
        with pytest.raises(Exception) as caught:
            app.register_body(c.RegisterBody(name="Read Only Board"))
    finally:
        app.close()
    status, kind, detail, _, headers = classify(caught.value)
    assert (status, kind) == (503, "store-unavailable"), caught.value
    assert "read-only" in detail and headers["Retry-After"]


# The writer goes on when a whole batch fails ---------------------------------------------


class _Cache:
    def __init__(self) -> None:
        self.cleared = 0

    def clear(self) -> None:
        self.cleared += 1


class _Repository:
    def __init__(self) -> None:
        self.cache = _Cache()


class _FailingOnce:
    """An executor whose first batch fails as a whole (as when the store dies mid-rollback)."""

    def __init__(self) -> None:
        self.repository = _Repository()
        self.calls = 0

    def run_batch(self, jobs: list[Callable[[], Any]]) -> list[Any]:
        self.calls += 1
        if self.calls == 1:
            raise persistence.OperationalError("the store went away")
        from service.app.execution import Outcome

        return [Outcome(result=job()) for job in jobs]

    def run_one(self, job: Callable[[], Any]) -> Any:  # pragma: no cover - writer is alive
        return job()


def test_a_batch_failing_as_a_whole_fails_its_commands_and_the_writer_goes_on() -> None:
    executor = _FailingOnce()
    writer = GroupCommitter(executor).start()  # type: ignore[arg-type]
    try:
        first: Future[Any] = Future()

        def submit_first() -> None:
            try:
                first.set_result(writer.submit(lambda: "never"))
            except BaseException as e:
                first.set_exception(e)

        threading.Thread(target=submit_first, daemon=True).start()
        with pytest.raises(persistence.OperationalError):
            first.result(timeout=5)  # told, not left waiting
        assert executor.repository.cache.cleared == 1  # no half-done command left cached
        assert writer.submit(lambda: "next") == "next"  # and the writer is still there
    finally:
        writer.stop()
