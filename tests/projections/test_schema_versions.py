"""A view whose stored rows are of another schema version than its code is rebuilt on start."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from structlog.testing import capture_logs

from projections import versions
from projections.catalogue import VIEWS, create_views
from projections.env import dialect, open_datastore
from projections.read import ReadModels
from projections.rebuild import upgrade
from projections.service import ProjectionService
from projections.sql import DocumentTable
from projections.status import tables
from service.app import Minutebook
from service.store.url import StoreConfig, parse_store_url
from tests.projections.builders import all_view_rows, caught_up, seeds
from tests.projections.pg import race_behind_holder


def _stored_versions(store: StoreConfig) -> dict[str, int]:
    datastore = open_datastore(store, pool_size=1)
    try:
        with datastore.transaction(commit=False) as c:
            existing = tables(c, dialect(store))
            return {n: versions.stored(c, dialect(store), n, existing) for n in VIEWS}
    finally:
        datastore.close()


def _generations(read: ReadModels) -> dict[str, int]:
    return {s.name: s.generation for s in read.status()}


def _run_once(app: Minutebook, store: StoreConfig) -> None:
    service = ProjectionService(store, restart_delay=0.1)
    service.start()
    try:
        caught_up(app, service)
    finally:
        service.stop()


def _as_built_before(store: StoreConfig, read: ReadModels) -> None:
    """The ``meetings`` view as a store built before its tallies: no tally rows, and no
    version recorded (versions were not kept then)."""
    d = dialect(store)
    table = DocumentTable(d, "meetings", _generations(read)["meetings"])
    datastore = open_datastore(store, pool_size=1)
    try:
        with datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {table.table} WHERE kind IN ('tally', 'held')")
            c.execute(f"DELETE FROM {d.name(versions.TABLE)} WHERE name = {d.p}", ("meetings",))
    finally:
        datastore.close()


def test_a_view_of_an_older_version_is_rebuilt_on_start(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    seeds(app)
    _run_once(app, store)
    built = all_view_rows(read)
    assert _stored_versions(store) == {n: VIEWS[n].projection.schema_version for n in VIEWS}
    assert VIEWS["meetings"].projection.schema_version == 2
    before = _generations(read)
    _as_built_before(store, read)
    assert _stored_versions(store)["meetings"] == versions.LEGACY
    assert not [r for r in all_view_rows(read)["meetings"] if r.kind in ("tally", "held")]
    with capture_logs() as logs:
        service = ProjectionService(store, restart_delay=0.1)
        service.start()
        try:
            deadline = time.monotonic() + 60
            while _generations(read)["meetings"] == before["meetings"]:
                assert time.monotonic() < deadline, service.errors
                time.sleep(0.05)
            caught_up(app, service)
        finally:
            service.stop()
    after = _generations(read)
    assert after["meetings"] > before["meetings"]
    assert {n: g for n, g in after.items() if n != "meetings"} == {
        n: g for n, g in before.items() if n != "meetings"
    }
    assert _stored_versions(store)["meetings"] == 2
    assert all_view_rows(read) == built
    assert any(b.meetings > 0 for b in read.bodies())
    upgrades = [e for e in logs if e["event"] == "projection_schema_upgrade"]
    assert upgrades == [
        {
            "event": "projection_schema_upgrade",
            "view": "meetings",
            "from_version": 1,
            "to_version": 2,
            "log_level": "info",
        }
    ]


def test_views_of_the_codes_versions_are_not_rebuilt(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    seeds(app)
    _run_once(app, store)
    before = _generations(read)
    with capture_logs() as logs:
        _run_once(app, store)
    assert _generations(read) == before
    assert not [e for e in logs if e["event"].startswith("projection_schema_upgrade")]
    datastore = open_datastore(store, pool_size=1)
    try:
        projections = [
            s.projection(s.view_class(store.kind)(datastore))  # type: ignore[arg-type]
            for s in VIEWS.values()
        ]
        assert upgrade(store, projections) == []
    finally:
        datastore.close()
    assert _generations(read) == before


def test_a_new_store_registers_the_codes_versions(store: StoreConfig, read: ReadModels) -> None:
    assert _stored_versions(store) == {n: VIEWS[n].projection.schema_version for n in VIEWS}


def test_registering_versions_races_with_another_starter_and_both_succeed(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starters on a fresh PostgreSQL store: one's versions table is created, not yet
    committed, while the other creates it too (as in tests/reliability's start-up race)."""
    store = parse_store_url(postgres_url)
    name = next(iter(VIEWS))
    first, second = open_datastore(store), open_datastore(store)
    created, release = threading.Event(), threading.Event()
    original = versions.register
    holder: list[int] = []

    def register(c: Any, d: Any, view: str, version: int) -> None:
        original(c, d, view, version)
        if threading.current_thread().name == "first":  # held open: not yet committed
            holder.append(c.connection.info.backend_pid)
            created.set()
            release.wait(30)

    monkeypatch.setattr(versions, "register", register)
    try:
        outcome = race_behind_holder(
            lambda: create_views("postgres", first, [name]),
            lambda: create_views("postgres", second, [name]),
            created,
            release,
            holder,
        )
    finally:
        first.close()
        second.close()
    assert outcome == {"first": None, "second": None}
    assert _stored_versions(store)[name] == VIEWS[name].projection.schema_version
