"""The library's own suites, unmodified, for the recorders and subscriptions we supply.

``ApplicationRecorderTestCase`` (including its subscription test, which the
library runs only for recorders that can subscribe) and the non-interleaving
notification-id case, on SQLite (in memory and on file) and PostgreSQL.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as suite

from service.audit.recorders import MerkleSQLiteMixin
from service.store.recorders import ListenPollPostgresRecorder, PollingSQLiteRecorder
from tests.projections.pg import FreshSchema


class TestPollingSQLiteRecorder(suite.ApplicationRecorderTestCase[PollingSQLiteRecorder]):
    db_uri = ":memory:"

    def create_recorder(self) -> PollingSQLiteRecorder:
        recorder = PollingSQLiteRecorder(SQLiteDatastore(db_name=self.db_uri, pool_size=100))
        recorder.create_table()
        return recorder

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()

    def test_insert_subscribe_on_file(self) -> None:
        self.db_uri = next(suite.tmpfile_uris())
        self.optional_test_insert_subscribe()

    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:
        self.db_uri = next(suite.tmpfile_uris())
        super().test_concurrent_no_conflicts()

    def test_concurrent_throughput(self) -> None:
        self.db_uri = next(suite.tmpfile_uris())
        super().test_concurrent_throughput()


class TestPollingSQLiteNonInterleaving(suite.NonInterleavingNotificationIDsBaseCase):
    def create_recorder(self) -> Any:
        recorder = PollingSQLiteRecorder(
            SQLiteDatastore(db_name=next(suite.tmpfile_uris()), pool_size=4)
        )
        recorder.create_table()
        return recorder


class PostgresCase:
    schema: FreshSchema

    def setUp(self) -> None:
        self.schema = FreshSchema().open()
        self.datastore = self.schema.datastore(pool_size=2, max_overflow=10)

    def tearDown(self) -> None:
        self.datastore.close()
        self.schema.close()


class TestListenPollPostgresRecorder(
    PostgresCase, suite.ApplicationRecorderTestCase[ListenPollPostgresRecorder]
):
    def create_recorder(self) -> ListenPollPostgresRecorder:
        recorder = ListenPollPostgresRecorder(self.datastore, events_table_name="stored_events")
        recorder.create_table()
        return recorder

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


class TestListenPollPostgresNonInterleaving(
    PostgresCase, suite.NonInterleavingNotificationIDsBaseCase
):
    def create_recorder(self) -> Any:
        recorder = ListenPollPostgresRecorder(self.datastore, events_table_name="stored_events")
        recorder.create_table()
        return recorder


# The audit ledger's recorders composed with ours: what url.py's recorders become to be followed.
# (Not the library's suite: the ledger recorders keep one writer per process by design, and its
# concurrent-writer tests are not theirs to pass.)


class LedgerPollingSQLiteRecorder(MerkleSQLiteMixin, PollingSQLiteRecorder):
    pass


def _event() -> StoredEvent:
    return StoredEvent(originator_id=uuid4(), originator_version=1, topic="t", state=b"{}")


def test_a_ledger_recorder_composed_with_ours_can_be_followed(tmp_path: Any) -> None:
    recorder = LedgerPollingSQLiteRecorder(SQLiteDatastore(str(tmp_path / "ledger.db")))
    recorder.create_table()
    first = recorder.insert_events([_event(), _event(), _event()])
    with recorder.subscribe(gt=0) as subscription:
        assert [next(subscription).id for _ in range(3)] == list(first or [])
        later = recorder.insert_events([_event()])
        assert [next(subscription).id] == list(later or [])
