"""The library's own suites, unmodified, for our views and for following our subscriptions.

* ``TrackingRecorderTestCase`` for the document views (SQLite and PostgreSQL);
* ``EventCountersViewTestCase`` for a counters view written on the document views;
* ``AggregateEventCountersProjectionTestCase``: the library's ProjectionRunner
  following an SQLite store through :class:`PollingSQLiteRecorder` and a
  PostgreSQL store through :class:`ListenPollPostgresRecorder`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as suite
from eventsourcing.tests import projection as projection_suite
from eventsourcing.utils import Environment

from projections.minutes import PostgresMinutesView, SQLiteMinutesView
from projections.sql import Row
from projections.view import DocumentView, PostgresDocumentView, SQLiteDocumentView
from service.store.recorders import POSTGRES_RECORDER_TOPIC, SQLITE_RECORDER_TOPIC
from tests.projections.pg import FreshSchema


class Counters(projection_suite.EventCountersView, DocumentView):
    """The suite's counters as documents ``counter/<name>`` in a document view."""

    def get_created_event_counter(self) -> int:
        return self._count("created")

    def get_subsequent_event_counter(self) -> int:
        return self._count("subsequent")

    def incr_created_event_counter(self, tracking: Tracking) -> None:
        self._increment("created", tracking)

    def incr_subsequent_event_counter(self, tracking: Tracking) -> None:
        self._increment("subsequent", tracking)

    def _count(self, name: str) -> int:
        row = self.get_row("counter", name)
        return int(row.doc) if row else 0

    def _increment(self, name: str, tracking: Tracking) -> None:
        with self.write_transaction(check_live=self.check_live) as c:
            row = self.table.get(c, "counter", name)
            count = int(row.doc) + 1 if row else 1
            self.write(c, [Row("counter", name, "", "", None, None, b"%d" % count)], [], tracking)


class SQLiteCounters(Counters, SQLiteDocumentView):
    view_name = "eventcounters"


class PostgresCounters(Counters, PostgresDocumentView):
    view_name = "eventcounters"


# TrackingRecorderTestCase -------------------------------------------------------------------


class TestSQLiteDocumentViewTracking(suite.TrackingRecorderTestCase):
    def create_recorder(self) -> SQLiteMinutesView:
        view = SQLiteMinutesView(SQLiteDatastore(next(suite.tmpfile_uris())))
        view.create_table()
        return view


class PostgresCase:
    def setUp(self) -> None:
        self.schema = FreshSchema().open()
        self.datastore = self.schema.datastore()

    def tearDown(self) -> None:
        self.datastore.close()
        self.schema.close()


class TestPostgresDocumentViewTracking(PostgresCase, suite.TrackingRecorderTestCase):
    def create_recorder(self) -> PostgresMinutesView:
        view = PostgresMinutesView(self.datastore)
        view.create_table()
        return view


# EventCountersViewTestCase --------------------------------------------------------------------


class TestSQLiteCountersView(projection_suite.EventCountersViewTestCase):
    def setUp(self) -> None:
        self.factory = InfrastructureFactory[Any].construct(
            Environment(
                "eventcounters",
                {
                    "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                    "SQLITE_DBNAME": next(suite.tmpfile_uris()),
                },
            )
        )

    def tearDown(self) -> None:
        self.factory.close()

    def construct_event_counters_view(self) -> projection_suite.EventCountersView:
        view: SQLiteCounters = self.factory.tracking_recorder(SQLiteCounters)
        return view


class TestPostgresCountersView(projection_suite.EventCountersViewTestCase):
    def setUp(self) -> None:
        self.schema = FreshSchema().open()
        self.factory = InfrastructureFactory[Any].construct(
            Environment("eventcounters", self.schema.env())
        )

    def tearDown(self) -> None:
        self.factory.close()
        self.schema.close()

    def construct_event_counters_view(self) -> projection_suite.EventCountersView:
        view: PostgresCounters = self.factory.tracking_recorder(PostgresCounters)
        return view


# AggregateEventCountersProjectionTestCase: the library's runner on our subscriptions ----------


class TestProjectionRunnerFollowsSQLite(projection_suite.AggregateEventCountersProjectionTestCase):
    view_class = SQLiteCounters
    env: ClassVar[dict[str, str]] = {}

    def setUp(self) -> None:
        self.env = {  # type: ignore[misc]
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": next(suite.tmpfile_uris()),
            "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER_TOPIC,
        }


class TestProjectionRunnerFollowsPostgres(
    projection_suite.AggregateEventCountersProjectionTestCase
):
    view_class = PostgresCounters
    env: ClassVar[dict[str, str]] = {}

    def setUp(self) -> None:
        self.schema = FreshSchema().open()
        self.env = {  # type: ignore[misc]
            **self.schema.env(),
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER_TOPIC,
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
        }

    def tearDown(self) -> None:
        self.schema.close()


def test_views_of_different_generations_keep_separate_tables(tmp_path: Any) -> None:
    datastore = SQLiteDatastore(str(tmp_path / "views.db"))
    first = SQLiteMinutesView(datastore)
    second = SQLiteMinutesView(datastore, generation=first.generation + 1, check_live=False)
    first.create_table()
    second.create_table()
    first.insert_tracking(Tracking("Minutebook", 7))
    assert first.max_tracking_id("Minutebook") == 7
    assert second.max_tracking_id("Minutebook") is None
    assert {first.table.base, second.table.base} == {"view_minutes_g1", "view_minutes_g2"}
