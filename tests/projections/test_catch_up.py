"""Catching up in one pass: views at different positions, rows and tracking as a rebuild's."""

from __future__ import annotations

import re
from typing import Any

from ops.bench.history import generate
from projections.base import DocumentProjection
from projections.catalogue import VIEWS, create_views, specs
from projections.env import APPLICATION_NAME, open_datastore
from projections.read import ReadModels
from projections.rebuild import catch_up, rebuild
from projections.service import ProjectionService
from service.app import Minutebook
from service.store.url import StoreConfig
from tests.projections.builders import all_view_rows, busy_history, caught_up


def _projections(store: StoreConfig, datastore: object, names: list[str] | None) -> list[Any]:
    return [s.projection(s.view_class(store.kind)(datastore)) for s in specs(names)]  # type: ignore[arg-type]


def test_views_at_different_positions_catch_up_together_exactly_once(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    busy_history(app)
    generate(app, 2500, bodies=2)
    head = app.recorder.max_notification_id() or 0
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        pages = 0

        def after_two_pages() -> bool:
            nonlocal pages
            pages += 1
            return pages > 2

        ahead = catch_up(
            store,
            _projections(store, datastore, ["minutes", "threads"]),
            flush_every=300,
            page=400,
            stopping=after_two_pages,
        )
        eight_hundredth = app.recorder.select_notifications(start=1, limit=800)[-1].id
        assert ahead == {"minutes": eight_hundredth, "threads": eight_hundredth} and head > 800
        assert {s.name: s.position for s in read.status()} == {
            "minutes": eight_hundredth,
            "actions": 0,
            "meetings": 0,
            "threads": eight_hundredth,
        }
        commits: list[tuple[str, int]] = []
        reached = catch_up(
            store,
            _projections(store, datastore, None),
            flush_every=300,
            page=400,
            on_commit=lambda name, position: commits.append((name, position)),
        )
        assert reached == dict.fromkeys(VIEWS, head)
        for name in VIEWS:  # each view's commits in order, the last at the head
            mine = [p for n, p in commits if n == name]
            assert mine == sorted(mine) and mine[-1] == head
        assert [(s.position, s.lag) for s in read.status()] == [(head, 0)] * 4
        caught = all_view_rows(read)
        # Nothing left to do: no commit, nothing changed.
        assert catch_up(
            store, _projections(store, datastore, None), flush_every=300
        ) == dict.fromkeys(VIEWS, head)
        assert all_view_rows(read) == caught
    finally:
        datastore.close()
    rebuild(store)
    assert all_view_rows(read) == caught


def test_a_view_swapped_while_catching_up_is_left_to_its_runner(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    busy_history(app)
    head = app.recorder.max_notification_id() or 0
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        projections = _projections(store, datastore, None)
        rebuild(store, ["meetings"])  # a new generation of "meetings" is live now
        reached = catch_up(store, projections, flush_every=1000)
    finally:
        datastore.close()
    assert reached == {"minutes": head, "actions": head, "threads": head}  # not "meetings"
    with ProjectionService(store) as views:
        caught_up(app, views)
        caught = all_view_rows(read)
    rebuild(store)
    assert all_view_rows(read) == caught


def test_a_service_catches_up_then_follows_the_log(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    generate(app, 1500, bodies=2)
    with ProjectionService(store) as views:
        caught_up(app, views)
        busy_history(app)  # followed by the runners
        caught_up(app, views)
        caught = all_view_rows(read)
    rebuild(store)
    assert all_view_rows(read) == caught


def test_a_failed_commit_leaves_the_view_as_it_was_and_its_runner_catches_up(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    busy_history(app)
    head = app.recorder.max_notification_id() or 0
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        projections = _projections(store, datastore, ["threads"])
        projection: DocumentProjection = projections[0]

        def broken(*args: object) -> None:
            raise RuntimeError("store unavailable")

        projection.view.commit = broken  # type: ignore[method-assign]
        try:
            catch_up(store, projections, flush_every=100)
        except RuntimeError:
            pass
        else:
            raise AssertionError("the failed commit was not raised")
        assert projection.changes.dirty == 0
        assert projection.view.max_tracking_id(APPLICATION_NAME) is None
        assert projection.view.rows() == []
    finally:
        datastore.close()
    with ProjectionService(store) as views:
        caught_up(app, views)
        assert [s.position for s in read.status()] == [head] * 4
        caught = all_view_rows(read)
    rebuild(store)
    assert all_view_rows(read) == caught


def _indexes(store: StoreConfig, datastore: Any) -> list[str]:
    """Each view table's indexes, the generation left out of their names."""
    with datastore.transaction(commit=False) as c:
        if store.kind == "sqlite":
            c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'view_%'"
            )
        else:
            c.execute(
                "SELECT indexname AS name FROM pg_indexes WHERE schemaname = %s "
                "AND tablename LIKE 'view_%%'",
                (store.postgres_schema or "public",),
            )
        names = [r["name"] for r in c.fetchall()]
    return sorted(re.sub(r"_g\d+", "_gN", n) for n in names)


def test_a_rebuild_makes_the_indexes_it_left_out_while_filling_the_tables(
    app: Minutebook, store: StoreConfig
) -> None:
    busy_history(app)
    datastore = open_datastore(store, pool_size=1)
    try:
        create_views(store.kind, datastore)
        before = _indexes(store, datastore)
        assert any("grp_sk" in n for n in before)
        rebuild(store)
        assert _indexes(store, datastore) == before
    finally:
        datastore.close()
