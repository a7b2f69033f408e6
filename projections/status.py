"""Where each view is: its tracked position against the head of the log (the lag)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import msgspec

from projections import generations
from projections.env import APPLICATION_NAME
from projections.sql import Cursor, Dialect, DocumentTable


class ViewStatus(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    position: int
    head: int
    lag: int
    generation: int


def tables(c: Cursor, d: Dialect) -> set[str]:
    if d.kind == "sqlite":
        c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r["name"] for r in c.fetchall()}
    c.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (d.schema,)
    )
    return {r["table_name"] for r in c.fetchall()}


def head(c: Cursor, d: Dialect, existing: set[str] | None = None) -> int:
    existing = tables(c, d) if existing is None else existing
    if ("stored_events" if d.kind == "sqlite" else "minutebook_events") not in existing:
        return 0
    c.execute(d.events_head())
    found = c.fetchone()
    return int(found["head"] or 0) if found else 0


def positions(c: Cursor, d: Dialect, names: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Each view's (live generation, position); (1, 0) for a view not created yet."""
    existing = tables(c, d)
    live = generations.live_all(c, d) if generations.TABLE in existing else {}
    found: dict[str, tuple[int, int]] = {}
    for name in names:
        generation = live.get(name, 1)
        table = DocumentTable(d, name, generation)
        position = table.position(c, APPLICATION_NAME) if table.tracking in existing else None
        found[name] = (generation, position or 0)
    return found


def view_status(c: Cursor, d: Dialect, names: Sequence[str]) -> list[ViewStatus]:
    existing = tables(c, d)
    last = head(c, d, existing)
    return [
        ViewStatus(name=name, position=pos, head=last, lag=max(last - pos, 0), generation=gen)
        for name, (gen, pos) in positions(c, d, names).items()
    ]


def wait_positions(
    datastore: Any, d: Dialect, names: Sequence[str], position: int, deadline: float
) -> bool:
    """Poll the views' tracking (every 2 ms, growing to 50 ms) until all include ``position``."""
    pause = 0.002
    while True:
        with datastore.transaction(commit=False) as c:
            found = positions(c, d, names)
        if all(pos >= position for _, pos in found.values()):
            return True
        if time.monotonic() + pause > deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 1.5, 0.05)
