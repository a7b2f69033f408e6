"""Shared helpers: machine facts, stores for a run, timing, percentiles."""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg

PG_URL = os.environ.get("MINUTEBOOK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


def machine() -> dict[str, object]:
    pg = None
    with contextlib.suppress(psycopg.Error), psycopg.connect(PG_URL, connect_timeout=3) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        pg = str(row[0]).split()[0] if row else None
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgres": pg,
    }


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def sqlite_store() -> Iterator[tuple[str, Path]]:
    with tempfile.TemporaryDirectory(prefix="mb-bench-") as d:
        path = Path(d) / "bench.db"
        yield f"sqlite:///{path}", path


@contextlib.contextmanager
def postgres_store() -> Iterator[tuple[str, str]]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?schema={schema}", schema
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def rate(n: int, fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values)
