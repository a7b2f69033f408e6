"""The views following the log as one group: one commit for all, each view exactly once,
a view whose handler fails leaving the group while the others go on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from projections.catalogue import VIEWS, create_views
from projections.env import APPLICATION_NAME, follower_env, open_datastore
from projections.minutes import MinutesProjection
from projections.read import ReadModels
from projections.rebuild import rebuild
from projections.runner import GroupRunner
from projections.service import ProjectionService
from projections.sql import Row
from projections.view import ViewSwappedError, commit_views
from service import commands as c
from service.app import Minutebook
from service.store.url import StoreConfig
from tests.projections.builders import SST, all_view_rows, busy_history, caught_up, seeds

SEPTEMBER = dt.date(2022, 9, 8)


def test_views_starting_at_different_positions_each_take_every_event_once(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    busy_history(app)
    with ProjectionService(store, names=["minutes", "threads"]) as ahead:
        caught_up(app, ahead)
    for n in range(3):  # the group starts with two views ahead of the other two
        app.minute_item(c.MinuteItem(body=SST, date=SEPTEMBER, title=f"Later {n}"))
    with ProjectionService(store) as views:
        caught_up(app, views)
        for n in range(3):  # and follows the log with all four together
            app.minute_item(c.MinuteItem(body=SST, date=SEPTEMBER, title=f"Last {n}"))
        head = caught_up(app, views)
        assert views.positions() == dict.fromkeys(VIEWS, head)
    followed = all_view_rows(read)
    rebuild(store)  # every view from scratch, one pass: the reference
    assert all_view_rows(read) == followed


def test_a_joint_commit_is_all_or_nothing(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    seeds(app)
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        minutes, threads = (
            VIEWS[n].view_class(store.kind)(datastore)  # type: ignore[arg-type]
            for n in ("minutes", "threads")
        )
        row = Row("note", "k", "", "", None, None, b'{"a":1}')
        commit_views([(minutes, [], []), (threads, [], [])], Tracking(APPLICATION_NAME, 1))
        assert threads.max_tracking_id(APPLICATION_NAME) == 1  # both, in one transaction
        threads.generation += 1  # as if a rebuild had made another generation live
        with pytest.raises(ViewSwappedError):
            commit_views(
                [(minutes, [row], []), (threads, [row], [])], Tracking(APPLICATION_NAME, 2)
            )
        assert minutes.get_row("note", "k") is None  # the first view's rows: not written
        assert minutes.max_tracking_id(APPLICATION_NAME) == 1
    finally:
        datastore.close()


class _Failing(MinutesProjection):
    """The minutes view with a handler that fails on one item's title."""

    name = "minutes"

    def apply(self, events: Any, stored: Any = None) -> None:
        for event in events:
            if getattr(getattr(event, "item", None), "title", None) == "Poison":
                raise RuntimeError("a bug in the minutes view")
        super().apply(events, stored)


def test_a_view_whose_handler_fails_leaves_the_group_and_the_others_go_on(
    app: Minutebook, store: StoreConfig, read: ReadModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds(app)
    monkeypatch.setitem(VIEWS, "minutes", VIEWS["minutes"]._replace(projection=_Failing))
    with ProjectionService(store, restart_delay=0.05) as views:
        caught_up(app, views)
        poison = app.minute_item(c.MinuteItem(body=SST, date=SEPTEMBER, title="Poison"))
        after = app.minute_item(c.MinuteItem(body=SST, date=SEPTEMBER, title="After"))
        assert after.position is not None and poison.position is not None
        assert not views.wait_for(after.position, timeout=1.0)  # the minutes view is stuck
        positions = views.positions()
        assert positions["minutes"] < poison.position
        assert all(positions[n] >= after.position for n in ("actions", "meetings", "threads"))
        assert "a bug in the minutes view" in views.errors["minutes"]


def test_a_group_stopped_before_it_runs_waits_for_its_pull_thread(
    app: Minutebook, store: StoreConfig
) -> None:
    """The subscription's pull thread starts with the runner; closing the runner before
    it ran must wait for that thread before closing the log reader's connections (under
    a query in flight, sqlite3 crashed the process: seen once in CI)."""
    seeds(app)
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        projections = [MinutesProjection(VIEWS["minutes"].view_class(store.kind)(datastore))]
        for _ in range(30):
            runner = GroupRunner(projections, env=follower_env(store))  # type: ignore[arg-type]
            runner.close()
            pull = runner.subscription._pull_thread  # the library's thread
            assert not pull.is_alive()
    finally:
        datastore.close()
