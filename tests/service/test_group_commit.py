"""Group commit: concurrent commands share a transaction, yet each succeeds or fails alone."""

from __future__ import annotations

import datetime as dt
import threading
from functools import partial

import pytest

from domain.errors import InvalidValueError, ItemNumberTakenError
from domain.provenance import Provenance, bound_provenance
from service import commands as c
from service.app import Minutebook
from service.app.writer import GroupCommitter
from service.audit.auditor import verify

BODY, DAY = "Group Board", dt.date(2024, 5, 9)


def prepare(app: Minutebook) -> None:
    app.register_body(c.RegisterBody(name=BODY))
    app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=DAY))


def item(number: str, title: str = "Title") -> c.MinuteItem:
    return c.MinuteItem(body=BODY, date=DAY, number=number, title=title)


def test_a_failed_command_in_a_batch_is_rolled_back_and_the_others_commit(
    app: Minutebook,
) -> None:
    prepare(app)
    head = app.recorder.max_notification_id()
    outcomes = app.run_batch(
        [
            partial(app.minute_item, item("1")),
            partial(app.minute_item, item("2", title=" ")),  # allocates 2, then fails
            partial(app.minute_item, item("2")),  # so 2 must still be free
            partial(app.minute_item, item("1")),  # taken by the first
        ]
    )
    assert [type(o.error).__name__ if o.error else "ok" for o in outcomes] == [
        "ok",
        InvalidValueError.__name__,
        "ok",
        ItemNumberTakenError.__name__,
    ]
    first, third = outcomes[0].result, outcomes[2].result
    assert head < first.position < third.position == app.recorder.max_notification_id()
    assert [i.number for i in app.minutes(BODY, DAY).items] == ["1", "2"]
    # the cache agrees with the store: a replay from the log gives the same state
    assert app.find_body(BODY).numbers == {2024: ["1", "2"]}
    assert verify(app).ok


def test_concurrent_clerks_share_commits_and_lose_nothing(app: Minutebook) -> None:
    prepare(app)
    writer = GroupCommitter(app).start()
    app.writer = writer
    errors: list[BaseException] = []

    def clerk(k: int) -> None:
        try:
            with bound_provenance(Provenance(request_id=f"clerk-{k}")):
                for n in range(10):
                    app.minute_item(item(f"{k}-{n}"))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=clerk, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.stop()
    app.writer = None
    assert errors == []
    # each command kept the provenance its own thread bound
    events = list(app.events.get(app.find_meeting(app.find_body(BODY), DAY).id))
    assert {e.meta.request_id for e in events[1:]} == {f"clerk-{k}" for k in range(8)}  # type: ignore[attr-defined]
    assert len(app.minutes(BODY, DAY).items) == 80
    assert writer.commands == 80 and writer.batches <= 80
    assert verify(app).ok


def test_a_stale_cache_after_another_process_wrote_is_reloaded(store_url: str) -> None:
    from service.store.url import parse_store_url

    one, two = (Minutebook(parse_store_url(store_url)) for _ in range(2))
    try:
        prepare(one)
        one.minute_item(item("1"))
        two.minute_item(item("2"))  # two has not seen 1 in its cache: loads from the store
        one.minute_item(item("3"))  # one's cache is stale (misses 2): conflict, reload, retry
        with pytest.raises(ItemNumberTakenError):
            one.minute_item(item("2"))
        assert [i.number for i in one.minutes(BODY, DAY).items] == ["1", "2", "3"]
    finally:
        one.close()
        two.close()
