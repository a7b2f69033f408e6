"""The read models: each view's name, projection and view classes for both stores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from eventsourcing.persistence import IntegrityError

from domain.errors import InvalidValueError
from projections import versions
from projections.actions import ActionTrackerProjection, PostgresActionsView, SQLiteActionsView
from projections.base import DocumentProjection
from projections.env import APPLICATION_NAME
from projections.history import MeetingHistoryProjection, PostgresMeetingsView, SQLiteMeetingsView
from projections.minutes import MinutesProjection, PostgresMinutesView, SQLiteMinutesView
from projections.threads import PostgresThreadsView, SQLiteThreadsView, ThreadsProjection
from projections.view import PostgresDocumentView, SQLiteDocumentView

ViewClass = type[SQLiteDocumentView] | type[PostgresDocumentView]


class ViewSpec(NamedTuple):
    name: str
    projection: type[DocumentProjection]
    sqlite_view: type[SQLiteDocumentView]
    postgres_view: type[PostgresDocumentView]

    def view_class(self, store_kind: str) -> ViewClass:
        return self.sqlite_view if store_kind == "sqlite" else self.postgres_view


VIEWS: dict[str, ViewSpec] = {
    spec.name: spec
    for spec in (
        ViewSpec("minutes", MinutesProjection, SQLiteMinutesView, PostgresMinutesView),
        ViewSpec("actions", ActionTrackerProjection, SQLiteActionsView, PostgresActionsView),
        ViewSpec("meetings", MeetingHistoryProjection, SQLiteMeetingsView, PostgresMeetingsView),
        ViewSpec("threads", ThreadsProjection, SQLiteThreadsView, PostgresThreadsView),
    )
}


def specs(names: Sequence[str] | None = None) -> list[ViewSpec]:
    """The named views (all when none are named), or a clear error for an unknown name."""
    if not names:
        return list(VIEWS.values())
    unknown = [n for n in names if n not in VIEWS]
    if unknown:
        raise InvalidValueError(
            f"no projection called {', '.join(map(repr, unknown))}: "
            f"the projections are {', '.join(VIEWS)}"
        )
    return [VIEWS[n] for n in dict.fromkeys(names)]


def create_views(store_kind: str, datastore: object, names: Sequence[str] | None = None) -> None:
    """Create the views' live tables, one after another (SQLite dislikes concurrent DDL),
    and register each view's schema version: the code's for a view not built yet, else
    :data:`~projections.versions.LEGACY` (built before versions were kept)."""
    for spec in specs(names):
        view = spec.view_class(store_kind)(datastore)  # type: ignore[arg-type]
        try:
            view.create_table()
        except IntegrityError:  # another process created it at the same moment (PostgreSQL):
            view.create_table()  # it has committed by now, so this finds the tables there
        built = view.max_tracking_id(APPLICATION_NAME) is not None
        version = versions.LEGACY if built else spec.projection.schema_version
        try:
            _register(view, spec.name, version)
        except IntegrityError:  # the versions table, created by another starter meanwhile
            _register(view, spec.name, version)


def _register(view: PostgresDocumentView | SQLiteDocumentView, name: str, version: int) -> None:
    with view.write_transaction(check_live=False) as c:
        versions.register(c, view.dialect, name, version)
