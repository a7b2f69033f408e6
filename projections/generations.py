"""Which generation of each view's tables is live.

A rebuild writes generation ``next`` while runners and readers use ``live``;
the swap is one update of ``live``.  Runners check it in every commit (see
:mod:`projections.view`), so a runner still writing the old generation stops
instead of writing where no reader looks.
"""

from __future__ import annotations

from projections.sql import Cursor, Dialect

TABLE = "projection_generations"


def ddl(d: Dialect) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {d.name(TABLE)} "
        "(name TEXT PRIMARY KEY, live INTEGER NOT NULL, next INTEGER NOT NULL)"
    )


def live(c: Cursor, d: Dialect, name: str) -> int | None:
    c.execute(f"SELECT live FROM {d.name(TABLE)} WHERE name = {d.p}", (name,))
    found = c.fetchone()
    return None if found is None else int(found["live"])


def live_all(c: Cursor, d: Dialect) -> dict[str, int]:
    c.execute(f"SELECT name, live FROM {d.name(TABLE)}")
    return {r["name"]: int(r["live"]) for r in c.fetchall()}


def ensure(c: Cursor, d: Dialect, name: str) -> int:
    """The live generation of ``name``, registering generation 1 for a new view."""
    c.execute(ddl(d))
    c.execute(
        f"INSERT INTO {d.name(TABLE)} (name, live, next) VALUES ({d.p}, 1, 2) "
        "ON CONFLICT (name) DO NOTHING",
        (name,),
    )
    found = live(c, d, name)
    assert found is not None
    return found


def allocate(c: Cursor, d: Dialect, name: str) -> int:
    """A generation number never used before for ``name`` (for a rebuild to write)."""
    ensure(c, d, name)
    c.execute(f"SELECT next FROM {d.name(TABLE)} WHERE name = {d.p}", (name,))
    generation = int(c.fetchone()["next"])
    c.execute(f"UPDATE {d.name(TABLE)} SET next = {d.p} WHERE name = {d.p}", (generation + 1, name))
    return generation


def make_live(c: Cursor, d: Dialect, name: str, generation: int) -> None:
    c.execute(f"UPDATE {d.name(TABLE)} SET live = {d.p} WHERE name = {d.p}", (generation, name))
