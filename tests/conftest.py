"""Fixtures shared by every layer: a store of each kind, and an application on it.

Every store-touching test runs on SQLite and on PostgreSQL (127.0.0.1:5432,
user postgres, database test, trust auth; override with MINUTEBOOK_TEST_PG).
Each PostgreSQL test gets its own schema, dropped afterwards.  Under CI=true an
unreachable PostgreSQL fails the run; elsewhere those tests skip with a reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

if TYPE_CHECKING:
    from service.app import Minutebook

PG_URL = os.environ.get("MINUTEBOOK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SEEDS = Path(__file__).resolve().parent.parent / "service" / "examples"


@cache
def postgres_problem() -> str | None:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as e:
        return f"PostgreSQL at {PG_URL} is unreachable: {e}".strip()
    return None


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(problem)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL store URL with a fresh schema of its own."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?schema={schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'minutebook.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def app(store_url: str) -> Iterator[Minutebook]:
    from service.app import Minutebook
    from service.store.url import parse_store_url

    application = Minutebook(parse_store_url(store_url))
    try:
        yield application
    finally:
        application.close()
