"""How the views write on SQLite beside the application's writer: their connection's
``synchronous=NORMAL`` applies to it alone (the event log's connections stay ``FULL``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from eventsourcing.persistence import Tracking

from projections.catalogue import VIEWS, create_views
from projections.env import open_datastore
from projections.minutes import MinutesProjection
from projections.service import ProjectionService
from projections.sql import Row
from projections.view import SQLiteDocumentView
from service import commands as c
from service.app import Minutebook
from service.store.url import StoreConfig
from tests.projections.builders import caught_up, seeds

SEPTEMBER = dt.date(2022, 9, 8)
#: ``PRAGMA synchronous`` values.
FULL, NORMAL = 2, 1
#: SQLite's default ``wal_autocheckpoint`` (pages), which no connection here changes.
SQLITE_AUTOCHECKPOINT = 1000


def _sqlite_only(store: StoreConfig) -> None:
    if store.kind != "sqlite":
        pytest.skip("SQLite's connection settings")


def _pragmas(conn: sqlite3.Connection) -> tuple[int, int]:
    """The connection's ``synchronous`` and ``wal_autocheckpoint``."""
    (sync,) = conn.execute("PRAGMA synchronous").fetchone()
    (pages,) = conn.execute("PRAGMA wal_autocheckpoint").fetchone()
    return int(sync), int(pages)


def _app_connections(app: Minutebook) -> list[sqlite3.Connection]:
    """The connections the application writes its events with: the pool's writer, and a
    connection of the recorder's own where it keeps one."""
    found: list[sqlite3.Connection] = []
    datastore = app.recorder.datastore  # type: ignore[attr-defined]
    with datastore.get_connection(commit=True) as conn:
        found.append(conn._sqlite_conn)
    own = getattr(app.recorder, "_writer", None)
    if own is not None:
        found.append(own._sqlite_conn)
    return found


@contextmanager
def _view_connection(view: SQLiteDocumentView) -> Iterator[sqlite3.Connection]:
    with view.datastore.get_connection(commit=True) as conn:
        yield conn._sqlite_conn


def test_the_views_connection_alone_commits_without_waiting_for_the_disk(
    app: Minutebook, store: StoreConfig
) -> None:
    """The views' group, running in the service, writes through a connection of its own at
    ``synchronous=NORMAL``; the application, writing the log in the same process to the
    same file, keeps ``synchronous=FULL``, before and after the views' commits."""
    _sqlite_only(store)
    app.register_body(c.RegisterBody(name="Settings Board"))
    for conn in _app_connections(app):
        assert _pragmas(conn) == (FULL, SQLITE_AUTOCHECKPOINT)
    with ProjectionService(store) as views:
        caught_up(app, views)
        app.schedule_meeting(c.ScheduleMeeting(body="Settings Board", date=SEPTEMBER))
        caught_up(app, views)  # the group has committed since the application did
        group = views._group
        assert group is not None
        view = group.projections[0].view
        assert isinstance(view, SQLiteDocumentView)
        with _view_connection(view) as views_conn:
            assert _pragmas(views_conn) == (NORMAL, SQLITE_AUTOCHECKPOINT)
            app_conns = _app_connections(app)
            assert all(conn is not views_conn for conn in app_conns)
        app.schedule_meeting(
            c.ScheduleMeeting(body="Settings Board", date=SEPTEMBER.replace(day=9))
        )
        caught_up(app, views)
        for conn in _app_connections(app):  # the application's connections: untouched
            assert _pragmas(conn) == (FULL, SQLITE_AUTOCHECKPOINT)


@contextmanager
def _minutes_view(app: Minutebook, store: StoreConfig) -> Iterator[SQLiteDocumentView]:
    """The minutes view on a datastore of its own, over the seeded record (SQLite only)."""
    _sqlite_only(store)
    seeds(app)
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        view = VIEWS["minutes"].view_class(store.kind)(datastore)  # type: ignore[arg-type]
        assert isinstance(view, SQLiteDocumentView)
        yield view
    finally:
        datastore.close()


def test_a_view_committing_alone_relaxes_only_its_own_connection(
    app: Minutebook, store: StoreConfig
) -> None:
    """A view committing on its own (a runner alone, a rebuild's tools): ``NORMAL`` on the
    view's connection from its first commit; the application's stay ``FULL``."""
    with _minutes_view(app, store) as view:
        MinutesProjection(view).process([], Tracking("Minutebook", 1))
        with _view_connection(view) as conn:
            assert _pragmas(conn) == (NORMAL, SQLITE_AUTOCHECKPOINT)
            assert all(other is not conn for other in _app_connections(app))
        for conn in _app_connections(app):
            assert _pragmas(conn) == (FULL, SQLITE_AUTOCHECKPOINT)


def test_a_row_is_read_in_one_statement_outside_any_transaction(
    app: Minutebook, store: StoreConfig
) -> None:
    with _minutes_view(app, store) as view:
        row = Row("note", "k", "g", "s", None, None, b'{"a":1}')
        view.commit([row], [], Tracking("Minutebook", 1))
        assert view.get_row("note", "k") == row
        assert view.get_row("note", "missing") is None
        with _view_connection(view) as conn:
            assert not conn.in_transaction  # nothing left open on the pool's connection
