"""The bodies list reads one tally per body (not every meeting): it must say what the
meetings themselves say, through schedules, moves and cancellations, on a view caught
up event by event or rebuilt, and with a cache trimmed to almost nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from projections import changes as changes_module
from projections.bodies import all_bodies
from projections.history_read import summary
from projections.read import ReadModels
from projections.rebuild import rebuild
from projections.service import ProjectionService
from service import commands as c
from service.app import Minutebook
from service.store.url import StoreConfig
from tests.projections.builders import caught_up

A, B, C = "Tally Body Alpha", "Tally Body Beta", "Tally Body Gamma"


def _history(app: Minutebook) -> None:
    for body in (A, B, C):
        app.register_body(c.RegisterBody(name=body))
    for day in (3, 10, 17, 24):
        app.schedule_meeting(c.ScheduleMeeting(body=A, date=dt.date(2023, 5, day)))
    app.schedule_meeting(c.ScheduleMeeting(body=B, date=dt.date(2023, 6, 1)))
    # the first and the last are moved, cancelled: the tally's ends move with them
    app.reschedule_meeting(
        c.RescheduleMeeting(body=A, date=dt.date(2023, 5, 3), new_date=dt.date(2023, 5, 30))
    )
    app.cancel_meeting(c.CancelMeeting(body=A, date=dt.date(2023, 5, 30)))
    app.reschedule_meeting(
        c.RescheduleMeeting(body=A, date=dt.date(2023, 5, 24), new_date=dt.date(2023, 4, 1))
    )
    app.cancel_meeting(c.CancelMeeting(body=B, date=dt.date(2023, 6, 1)))


def _from_meetings(read: ReadModels) -> list[object]:
    """The bodies list as it was computed before tallies: from every meeting."""
    with read._read() as cur:
        t = read._table(cur, "meetings")
        return [summary(b, read._records(cur, t, b)) for b in all_bodies(t, cur)]


@pytest.fixture
def tiny_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    init = changes_module.Changes.__init__

    def small(self: changes_module.Changes, view: object, **_: object) -> None:
        init(self, view, max_cached=2, max_bytes=64)  # type: ignore[arg-type]

    monkeypatch.setattr(changes_module.Changes, "__init__", small)
    yield


@pytest.mark.parametrize("small", [False, True])
def test_bodies_list_matches_the_meetings(
    app: Minutebook,
    store: StoreConfig,
    read: ReadModels,
    small: bool,
    request: pytest.FixtureRequest,
) -> None:
    if small:
        request.getfixturevalue("tiny_cache")
    views = ProjectionService(store, restart_delay=0.1)
    views.start()
    request.addfinalizer(views.stop)
    _history(app)
    caught_up(app, views)
    bodies = {b.name: b for b in read.bodies()}
    assert (bodies[A].meetings, bodies[A].first_meeting, bodies[A].last_meeting) == (
        3,
        dt.date(2023, 4, 1),
        dt.date(2023, 5, 17),
    )
    assert (bodies[B].meetings, bodies[B].first_meeting, bodies[B].last_meeting) == (0, None, None)
    assert bodies[C].meetings == 0
    assert read.bodies() == _from_meetings(read)


def test_tallies_after_rebuild_and_with_a_tiny_cache(
    app: Minutebook, store: StoreConfig, read: ReadModels, tiny_cache: None
) -> None:
    _history(app)
    rebuild(store, ["meetings"], page=3, flush_every=2)
    assert read.bodies() == _from_meetings(read)
    assert [b.meetings for b in read.bodies()] == [3, 0, 0]
