"""Rebuilds: fresh tables, then a swap; identical rows; live runners carry on on the new tables."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from ops.bench.history import generate
from projections.catalogue import VIEWS, create_views, specs
from projections.env import APPLICATION_NAME, LogReader, follower_env, open_datastore
from projections.locks import ViewLockedError, ViewLocks
from projections.read import ReadModels
from projections.rebuild import rebuild
from projections.service import ProjectionService
from service import commands as c
from service.app import Minutebook
from service.store.url import StoreConfig
from tests.projections.builders import SST, all_view_rows, busy_history, caught_up, seeds


def test_a_rebuild_gives_views_identical_to_the_live_ones_row_for_row(
    app: Minutebook, store: StoreConfig, views: ProjectionService, read: ReadModels
) -> None:
    busy_history(app)
    head = caught_up(app, views)
    before = all_view_rows(read)
    assert all(before.values())
    report = rebuild(store)
    assert [v.name for v in report.views] == list(VIEWS)
    assert all(v.position == head and v.generation > v.replaced for v in report.views)
    assert report.events == head and report.events_per_second > 0
    after = all_view_rows(read)
    for name in VIEWS:
        assert after[name] == before[name], name
    assert {s.generation for s in read.status()} == {report.views[0].generation}


def test_runners_carry_on_on_the_rebuilt_tables(
    app: Minutebook, store: StoreConfig, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    rebuild(store, ["minutes", "threads"])
    result = app.minute_item(
        c.MinuteItem(body=SST, date=dt.date(2022, 9, 8), number="27", title="Any Other Business")
    )
    assert views.wait_for(result.position, timeout=30), views.errors
    assert read.minutes(SST, dt.date(2022, 9, 8)).items[-1].number == "27"
    generations = {s.name: s.generation for s in read.status()}
    assert generations["minutes"] > generations["actions"]
    rows = all_view_rows(read)
    rebuild(store)
    assert all_view_rows(read) == rows


def test_readers_see_the_old_view_until_the_swap(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    seeds(app)  # no runner: the live (empty) views stay as they are until a rebuild swaps
    assert read.bodies() == []
    rebuild(store, ["meetings"])
    assert len(read.bodies()) == 3


def test_one_rebuild_at_a_time(app: Minutebook, store: StoreConfig) -> None:
    other = ViewLocks(store, "rebuild")
    other.acquire("threads")
    try:
        with pytest.raises(ViewLockedError, match=r"'threads'.*rebuild"):
            rebuild(store, ["threads"])
    finally:
        other.release_all()
    rebuild(store, ["threads"])


def test_views_applied_batch_by_batch_from_their_tables_equal_a_rebuild(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    """The live path with documents trimmed at every commit and read back from the tables
    (as a long-running runner does) writes, row for row, what a rebuild writes."""
    busy_history(app)
    body = "Moved Meetings Committee"
    app.register_body(c.RegisterBody(name=body))
    for day in (dt.date(2023, 1, 10), dt.date(2023, 2, 7), dt.date(2023, 3, 7)):
        app.schedule_meeting(c.ScheduleMeeting(body=body, date=day))
    app.reschedule_meeting(
        c.RescheduleMeeting(body=body, date=dt.date(2023, 2, 7), new_date=dt.date(2023, 2, 9))
    )
    app.cancel_meeting(c.CancelMeeting(body=body, date=dt.date(2023, 3, 7)))
    app.minute_item(c.MinuteItem(body=body, date=dt.date(2023, 2, 9), title="Apologies"))
    generate(app, 600, bodies=2)
    datastore = open_datastore(store, pool_size=1)
    reader = LogReader(env=follower_env(store))
    try:
        create_views(store.kind, datastore)
        projections = [s.projection(s.view_class(store.kind)(datastore)) for s in specs(None)]  # type: ignore[arg-type]
        for p in projections:
            p.changes.max_cached = 10
        position = 0
        while batch := reader.recorder.select_notifications(
            start=position, limit=40, inclusive_of_start=False
        ):
            for p in projections:
                p.process_notifications(batch, reader.mapper, APPLICATION_NAME)
            position = batch[-1].id
    finally:
        reader.close()
        datastore.close()
    live = all_view_rows(read)
    assert all(live.values())
    for name, rows in live.items():  # rows written again in place kept the right columns
        for row in rows:
            if row.kind == "meeting":
                doc = msgspec.json.decode(row.doc)
                sort = "" if name == "threads" else doc["date"]  # threads: by body only
                assert (row.grp, row.sort) == (doc["body_id"], sort), (name, row.key)
    rebuild(store)
    assert all_view_rows(read) == live
