"""Exactly once: rows and tracking commit together, a re-delivered event is rejected, and a
runner that dies mid-commit resumes at the right position with no row missing or doubled."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from eventsourcing.persistence import IntegrityError, Notification, Tracking
from eventsourcing.sqlite import SQLiteDatastore
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.catalogue import VIEWS, ViewSpec
from projections.env import APPLICATION_NAME
from projections.sql import Cursor, Row
from projections.view import SQLiteDocumentView
from service.app import Minutebook
from service.store.mapper import MsgspecMapper
from service.store.url import parse_store_url
from tests.projections.builders import busy_history

_generations = itertools.count(10)


class Crash(Exception):
    """The process died between writing a view's rows and its tracking record."""


class CrashingView(SQLiteDocumentView):
    crash_at: ClassVar[set[int]] = set()
    commits = 0

    def write(
        self, c: Cursor, upserts: Any, deletes: Any, tracking: Tracking
    ) -> None:  # rows first, then (maybe) a crash before the tracking record
        self.table.write(c, upserts, deletes)
        CrashingView.commits += 1
        if CrashingView.commits in CrashingView.crash_at:
            raise Crash
        self._insert_tracking(c, tracking)


class Log:
    def __init__(self, db: Path) -> None:
        app = Minutebook(parse_store_url(f"sqlite:///{db}"))
        busy_history(app)
        self.notifications: list[Notification] = list(
            app.recorder.select_notifications(start=1, limit=100_000)
        )
        app.close()
        self.datastore = SQLiteDatastore(str(db))
        self.mapper = MsgspecMapper()

    def view(self, spec: ViewSpec, generation: int) -> Any:
        cls = type(f"Crashing{spec.name}", (CrashingView,), {"view_name": spec.name})
        view = cls(self.datastore, generation=generation, check_live=False)
        view.create_table()
        return view

    def build(self, spec: ViewSpec, generation: int, batches: list[int]) -> list[Row]:
        """Process the whole log in batches of the given sizes, restarting after each crash."""
        view = self.view(spec, generation)
        projection = spec.projection(view)
        sizes = itertools.cycle(batches)
        while True:
            position = view.max_tracking_id(APPLICATION_NAME) or 0
            rest = [n for n in self.notifications if n.id > position]
            if not rest:
                return view.rows()
            batch = rest[: next(sizes)]
            try:
                projection.process_notifications(batch, self.mapper, APPLICATION_NAME)
            except Crash:  # a new process: new objects, nothing cached, resume from the view
                view = self.view(spec, generation)
                projection = spec.projection(view)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Log]:
    found = Log(tmp_path_factory.mktemp("exactly-once") / "log.db")
    yield found
    found.datastore.close()


@pytest.fixture(scope="module")
def reference(log: Log) -> dict[str, list[Row]]:
    CrashingView.crash_at = set()
    return {name: log.build(spec, next(_generations), [100_000]) for name, spec in VIEWS.items()}


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(VIEWS)),
    batches=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=6),
    crashes=st.sets(st.integers(min_value=1, max_value=40), max_size=8),
)
def test_crashes_mid_commit_leave_no_row_missing_or_doubled(
    log: Log, reference: dict[str, list[Row]], name: str, batches: list[int], crashes: set[int]
) -> None:
    CrashingView.commits = 0
    CrashingView.crash_at = crashes
    try:
        rows = log.build(VIEWS[name], next(_generations), batches)
    finally:
        CrashingView.crash_at = set()
    assert rows == reference[name]


def test_a_redelivered_event_is_rejected_and_changes_nothing(log: Log) -> None:
    spec = VIEWS["minutes"]
    view = log.view(spec, next(_generations))
    projection = spec.projection(view)
    first, second = log.notifications[:40], log.notifications[40:80]
    projection.process_notifications(first, log.mapper, APPLICATION_NAME)
    projection.process_notifications(second, log.mapper, APPLICATION_NAME)
    before = view.rows()
    for again in (second, second[-1:], first):
        with pytest.raises(IntegrityError):
            projection.process_notifications(again, log.mapper, APPLICATION_NAME)
        assert view.rows() == before
    assert view.max_tracking_id(APPLICATION_NAME) == second[-1].id
    # The same view, fresh from the store (a new process), agrees.
    fresh = spec.projection(log.view(spec, view.generation))
    with pytest.raises(IntegrityError):
        fresh.process_event(log.mapper.to_domain_event(second[-1]), Tracking(APPLICATION_NAME, 80))
    assert fresh.view.rows() == before
