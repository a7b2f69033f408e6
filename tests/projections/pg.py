"""A fresh PostgreSQL schema per test, for the library's unittest-style suites."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import psycopg
from eventsourcing.postgres import PostgresDatastore

from tests.conftest import PG_URL, require_postgres


class FreshSchema:
    """Creates a schema on ``open()`` and drops it (with everything in it) on ``close()``."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:16]}"

    def open(self) -> FreshSchema:
        require_postgres()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.name}")
        return self

    def close(self) -> None:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")

    def __enter__(self) -> FreshSchema:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"{PG_URL}?schema={self.name}"

    def env(self) -> dict[str, str]:
        parts = urlsplit(PG_URL)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.path.lstrip("/"),
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": parts.username or "postgres",
            "POSTGRES_PASSWORD": parts.password or "",
            "POSTGRES_SCHEMA": self.name,
        }

    def datastore(self, pool_size: int = 2, max_overflow: int = 2) -> PostgresDatastore:
        env = self.env()
        return PostgresDatastore(
            env["POSTGRES_DBNAME"],
            env["POSTGRES_HOST"],
            env["POSTGRES_PORT"],
            env["POSTGRES_USER"],
            env["POSTGRES_PASSWORD"],
            pool_size=pool_size,
            max_overflow=max_overflow,
            schema=self.name,
        )


def wait_until_blocked(holder_pid: int, waiter: threading.Thread, timeout: float = 30) -> None:
    """Until a session waits on the lock ``holder_pid`` holds (or ``waiter`` has ended):
    the moment a race test lets the holder go on."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            (blocked,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                (holder_pid,),
            ).fetchone() or (0,)
            if blocked or not waiter.is_alive():
                return
            time.sleep(0.05)


def race_behind_holder(
    first: Callable[[], object],
    second: Callable[[], object],
    held: threading.Event,
    release: threading.Event,
    holder: list[int],
) -> dict[str, BaseException | None]:
    """Run ``first`` and ``second`` in threads named so, the second started once ``first``
    holds its transaction open (``held`` set, its backend pid in ``holder``) and the
    holder let go (``release``) once the second is seen blocked by it.  What each raised
    (``None``: it succeeded), by thread name."""
    outcome: dict[str, BaseException | None] = {}

    def run(create: Callable[[], object]) -> None:
        try:
            create()
            outcome[threading.current_thread().name] = None
        except BaseException as e:
            outcome[threading.current_thread().name] = e

    one = threading.Thread(target=run, args=(first,), name="first")
    two = threading.Thread(target=run, args=(second,), name="second")
    try:
        one.start()
        assert held.wait(30)
        two.start()
        wait_until_blocked(holder[0], two)  # the second waits on the first
        release.set()
        one.join(30)
        two.join(30)
    finally:
        release.set()
    return outcome
