"""Two processes opening a fresh PostgreSQL store at the same moment both start.

``minutebook serve --workers 2`` (or two servers, or a server and
``minutebook projections run``) on a new store each create the read models'
tables with ``CREATE TABLE IF NOT EXISTS``.  On PostgreSQL that is not safe
against a concurrent creator: both find the table missing, one commits, and the
other's insert into the catalogue then fails on its unique index
(``duplicate key value violates unique constraint "pg_type_typname_nsp_index"``),
so that process dies at start-up.  Seen for real while starting two servers at
once for ``test_concurrent_clerks.py``.

The race is made deterministic here: one creator's transaction is held open
after its ``CREATE`` statements until the other creator is seen blocked by it
(``pg_blocking_pids``); then the first commits.  The second must still succeed.
"""

from __future__ import annotations

import threading
from typing import Any

from projections.catalogue import VIEWS, create_views
from projections.env import open_datastore
from service.store.url import parse_store_url
from tests.projections.pg import race_behind_holder


def test_creating_the_views_races_with_another_process_and_both_succeed(
    postgres_url: str,
) -> None:
    store = parse_store_url(postgres_url)
    name = next(iter(VIEWS))
    first, second = open_datastore(store), open_datastore(store)
    view = VIEWS[name].view_class(store.kind)(first)  # type: ignore[arg-type]
    created, release = threading.Event(), threading.Event()
    original = view._create_table
    holder: list[int] = []

    def hold_open(curs: Any) -> None:
        original(curs)  # the tables exist in this transaction, not yet committed
        holder.append(curs.connection.info.backend_pid)
        created.set()
        release.wait(30)

    view._create_table = hold_open  # type: ignore[method-assign]
    try:
        outcome = race_behind_holder(
            view.create_table,
            lambda: create_views("postgres", second, [name]),
            created,
            release,
            holder,
        )
    finally:
        first.close()
        second.close()
    assert outcome["first"] is None
    assert outcome["second"] is None, repr(outcome["second"])
