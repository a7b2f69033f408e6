"""The executor's aggregate cache when it is smaller than a command or a batch.

The executor puts an aggregate a command loaded back in the cache only if the cache
may have evicted it (when full); a command that misses the cache first looks among
the aggregates its batch has already changed.  With a cache too small for one
command or one batch, commands still see each other's changes and nothing
acknowledged is lost (before, a batch on a 2-entry cache stored only its last item
while every command reported success).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from service import commands as c
from service.app import Minutebook
from service.store.url import parse_store_url

BODY = "Small Cache Board"
DAY = dt.date(2023, 6, 1)


def _app(store_url: str, **kwargs: Any) -> Minutebook:
    app = Minutebook(parse_store_url(store_url), **kwargs)
    app.register_body(c.RegisterBody(name=BODY))
    app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=DAY))
    return app


def test_a_cache_smaller_than_a_command_still_sees_every_change(store_url: str) -> None:
    # A minute item reads four aggregates (alias, body, slot, meeting): a cache of two
    # is full, and evicts within each command.
    app = _app(store_url, cache_size=2)
    try:
        for i in range(6):
            result = app.minute_item(c.MinuteItem(body=BODY, date=DAY, title=f"Item {i}"))
            assert result.version == i + 2
        body = app.find_body(BODY)
        assert body.used_numbers(2023) == {str(n) for n in range(1, 7)}
        meeting = app.find_meeting(body, DAY)
        assert sorted(meeting.items, key=int) == [str(n) for n in range(1, 7)]
    finally:
        app.close()


def test_a_batch_on_a_cache_smaller_than_it_loses_nothing(store_url: str) -> None:
    """Each command of a batch sees the earlier ones' uncommitted changes, even when a
    cache too small for the batch (two aggregates; a minute item reads three) has
    evicted them: one commit, no conflict and re-run, every item stored.  (Before, a
    command re-read an evicted meeting from the store, and the batch committed only
    the last command's item while every command reported success.)"""
    app = _app(store_url, cache_size=2)
    try:
        stores: list[int] = []
        store = app._store

        def counted(aggregates: Any) -> dict[int, int]:
            stores.append(len(aggregates))
            return store(aggregates)

        app._store = counted  # type: ignore[method-assign]
        assert app.repository.cache.full
        jobs: list[Callable[[], Any]] = [
            functools.partial(app.minute_item, c.MinuteItem(body=BODY, date=DAY, title=f"Item {i}"))
            for i in range(3)
        ]
        outcomes = app.run_batch(jobs)
        assert [o.error for o in outcomes] == [None] * 3
        assert [o.result.version for o in outcomes] == [2, 3, 4]
        assert stores == [2]  # one transaction: the meeting and the body
        assert sorted(app.find_meeting(app.find_body(BODY), DAY).items, key=int) == ["1", "2", "3"]
    finally:
        app.close()
