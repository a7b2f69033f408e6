"""Which layout each view's live tables were built with: its schema version.

Each projection class says the version of the rows it writes (``schema_version``,
next to its handlers); the live generation's version is kept here, beside
:mod:`projections.generations`, and written in the transaction that makes a rebuilt
generation live.  On start a view whose stored version differs from the code's is
rebuilt from the log (:func:`projections.rebuild.upgrade`), so an upgrade that
changes a view's rows needs no manual ``projections rebuild``.

A view built before versions were kept has no row: it reads as :data:`LEGACY`, and
a view created empty is registered at the code's version (its runner builds it so).
"""

from __future__ import annotations

from projections.sql import Cursor, Dialect

TABLE = "projection_versions"
#: The version of a view built before versions were kept (every view's first layout).
LEGACY = 1


def ddl(d: Dialect) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {d.name(TABLE)} "
        "(name TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )


def stored(c: Cursor, d: Dialect, name: str, existing: set[str]) -> int:
    """The version of ``name``'s live tables (:data:`LEGACY` if none was recorded);
    ``existing``: the tables there are (:func:`projections.status.tables`)."""
    if TABLE not in existing:
        return LEGACY
    c.execute(f"SELECT version FROM {d.name(TABLE)} WHERE name = {d.p}", (name,))
    found = c.fetchone()
    return LEGACY if found is None else int(found["version"])


def register(c: Cursor, d: Dialect, name: str, version: int) -> None:
    """Record ``version`` for ``name`` unless one is recorded (two starters: the first)."""
    c.execute(ddl(d))
    c.execute(
        f"INSERT INTO {d.name(TABLE)} (name, version) VALUES ({d.p}, {d.p}) "
        "ON CONFLICT (name) DO NOTHING",
        (name, version),
    )


def record(c: Cursor, d: Dialect, name: str, version: int) -> None:
    """``name``'s live tables are now of ``version`` (in the swap's transaction)."""
    c.execute(ddl(d))
    c.execute(
        f"INSERT INTO {d.name(TABLE)} (name, version) VALUES ({d.p}, {d.p}) "
        "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
        (name, version),
    )
