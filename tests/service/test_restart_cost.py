"""A restart's first command reads a bounded number of events, however long the history.

Every minute item allocates its number on its body, so the body's event stream
grows with the record; the body is snapshotted every ``BODY_SNAPSHOT_INTERVAL``
events, and loading it reads the latest snapshot and the events after it.  The
proof counts the stored events read (not time): the first command after a
restart reads fewer than one interval's worth of the body's events, whether the
body has 2 or 8 intervals' worth of history behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial
from typing import Any

from domain import ids
from service import commands as c
from service.app import Minutebook
from service.app.core import BODY_SNAPSHOT_INTERVAL
from service.audit.auditor import verify
from service.store.url import parse_store_url

BODY = "Restart Board"
ITEMS_PER_MEETING = 10
FIRST_MEETING = dt.date(2023, 6, 1)


def _history(url: str, items: int) -> None:
    """``items`` items minuted in meetings of 10 (each meeting's own stream stays short)."""
    app = Minutebook(parse_store_url(url))
    try:
        app.register_body(c.RegisterBody(name=BODY))
        jobs: list[Any] = []
        for k in range(items // ITEMS_PER_MEETING):
            day = FIRST_MEETING + dt.timedelta(days=k)
            jobs.append(partial(app.schedule_meeting, c.ScheduleMeeting(body=BODY, date=day)))
            jobs += [
                partial(
                    app.minute_item,
                    c.MinuteItem(
                        body=BODY, date=day, title=f"Item {k}.{n}", paragraphs=("Noted.",)
                    ),
                )
                for n in range(ITEMS_PER_MEETING)
            ]
        for start in range(0, len(jobs), 200):
            for outcome in app.run_batch(jobs[start : start + 200]):
                assert outcome.error is None, outcome.error
    finally:
        app.close()


class Reads:
    """Counts the stored events (and snapshots) an application reads, per record."""

    def __init__(self, app: Minutebook) -> None:
        self.events: Counter[Any] = Counter()
        self.snapshots: Counter[Any] = Counter()
        self._spy(app.recorder, self.events)
        assert app.snapshots is not None
        self._spy(app.snapshots.recorder, self.snapshots)

    @staticmethod
    def _spy(recorder: Any, counter: Counter[Any]) -> None:
        select = recorder.select_events

        def counted(originator_id: Any, **kwargs: Any) -> Any:
            rows = select(originator_id, **kwargs)
            counter[str(originator_id)] += len(rows)
            return rows

        recorder.select_events = counted


def _first_command_after_restart(url: str) -> tuple[Reads, Minutebook]:
    app = Minutebook(parse_store_url(url))
    reads = Reads(app)
    day = FIRST_MEETING - dt.timedelta(days=30)
    app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=day))
    app.minute_item(c.MinuteItem(body=BODY, date=day, title="After the restart"))
    return reads, app


def test_the_first_command_after_a_restart_reads_the_same_events_for_a_short_and_a_long_history(
    tmp_path: Any,
) -> None:
    # Histories of 2 and 8 snapshot intervals (plus the same remainder): the body's
    # version differs by 1,200 events, its events after the last snapshot do not.
    short, long = f"sqlite:///{tmp_path / 'short.db'}", f"sqlite:///{tmp_path / 'long.db'}"
    remainder = 60
    _history(short, 2 * BODY_SNAPSHOT_INTERVAL + remainder)
    _history(long, 8 * BODY_SNAPSHOT_INTERVAL + remainder)
    counts = []
    for url in (short, long):
        reads, app = _first_command_after_restart(url)
        try:
            body_id = str(ids.body_id(ids.slugify(BODY)))
            assert reads.snapshots[body_id] == 1  # the latest snapshot only
            assert reads.events[body_id] < BODY_SNAPSHOT_INTERVAL
            counts.append(sum(reads.events.values()))
            assert verify(app).ok  # snapshots are outside the log and its ledger
        finally:
            app.close()
    # The body's own events read are bounded by the interval; the rest (the new meeting,
    # its slot, the alias) are a handful: the same bound for both histories.
    assert all(n < BODY_SNAPSHOT_INTERVAL + 10 for n in counts), counts


def test_a_body_loaded_from_its_snapshot_equals_the_body_replayed_from_its_events(
    store_url: str,
) -> None:
    _history(store_url, 2 * BODY_SNAPSHOT_INTERVAL + 30)
    app = Minutebook(parse_store_url(store_url))
    try:
        from_snapshot = app.find_body(BODY)
        assert app.snapshots is not None
        # one snapshot kept (the latest replaces the older ones), past the first interval
        (kept,) = app.snapshots.recorder.select_events(from_snapshot.id)
        assert BODY_SNAPSHOT_INTERVAL < kept.originator_version <= from_snapshot.version
        replayed: Any = None
        for event in app.events.get(from_snapshot.id):
            replayed = event.mutate(replayed)
        assert vars(from_snapshot) == vars(replayed)
        items = 2 * BODY_SNAPSHOT_INTERVAL + 30
        assert from_snapshot.used_numbers(2023) == {str(n) for n in range(1, items + 1)}
        # numbering goes on from the snapshot's state
        assert from_snapshot.next_number(dt.date(2023, 9, 1)) == str(items + 1)
    finally:
        app.close()
