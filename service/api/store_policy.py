"""How the HTTP server uses the store: give up quickly when it is unavailable, recover at once.

The library is patient, which suits the CLI: it retries a lost PostgreSQL
connection ten times, each time waiting up to the pool timeout (5 s) for a
connection, and SQLite waits up to ``SQLITE_LOCK_TIMEOUT`` (10 s) for a lock.
A server answering clerks should instead say "503, retry later" within a
couple of seconds, so the server opens the store with:

* SQLite: a busy timeout of :data:`SQLITE_BUSY_SECONDS` for every connection
  of the server process (the writer, the views, the token table);
* PostgreSQL: a pool wait of :data:`PG_POOL_WAIT_SECONDS`, the recorder's
  retries bounded by :data:`RETRY_BUDGET_SECONDS` in all (still enough to get
  past the dead connections a database restart leaves in the pool), and the
  pools' reconnection back-off capped at :data:`RECONNECT_SECONDS`, so that
  once the database is back the next request connects (psycopg_pool otherwise
  backs off for up to minutes after a long outage).

The store's data and format are unchanged; only waiting differs.

One more difference works around a psycopg bug (psycopg issue 685: in pipeline
mode a single very large message is not fully flushed, and client and server
then wait for each other for ever): the library writes events in pipeline mode;
a batch whose stored states exceed :data:`PIPELINE_MAX_BYTES` (a large import)
is written in the same transaction, the same statements, without the pipeline.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from service.audit.recorders import LedgerPostgresRecorder
from service.store.url import POSTGRES_RECORDER, StoreConfig

SQLITE_BUSY_SECONDS = 2
PG_POOL_WAIT_SECONDS = 2
RETRY_BUDGET_SECONDS = 2.0
RETRY_WAIT_SECONDS = 0.05
RECONNECT_SECONDS = 2.0
#: Batches of events larger than this (bytes of stored state) are written without pipeline mode.
PIPELINE_MAX_BYTES = 512 * 1024
SERVER_POSTGRES_RECORDER = "service.api.store_policy:ServerPostgresRecorder"


def server_store(store: StoreConfig) -> StoreConfig:
    """The store as the server opens it: the same database, shorter waits."""
    env = dict(store.env)
    if store.kind == "sqlite":
        env["SQLITE_LOCK_TIMEOUT"] = str(SQLITE_BUSY_SECONDS)
    else:
        env["POSTGRES_CONNECT_TIMEOUT"] = str(PG_POOL_WAIT_SECONDS)
        if env.get("APPLICATION_RECORDER_TOPIC") == POSTGRES_RECORDER:
            env["APPLICATION_RECORDER_TOPIC"] = SERVER_POSTGRES_RECORDER
    return msgspec.structs.replace(store, env=env)


def tune_pool(datastore: object) -> None:
    """Cap a PostgreSQL pool's reconnection back-off (no-op for SQLite)."""
    if isinstance(datastore, PostgresDatastore):
        datastore.pool.reconnect_timeout = RECONNECT_SECONDS


def _bounded(method: Callable[..., Any]) -> Callable[..., Any]:
    """The library's method without its own retry (10 tries), retried within a budget."""
    inner = inspect.unwrap(method)

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + RETRY_BUDGET_SECONDS
        while True:
            try:
                return inner(self, *args, **kwargs)
            except (InterfaceError, OperationalError):
                if time.monotonic() + RETRY_WAIT_SECONDS >= deadline:
                    raise
                time.sleep(RETRY_WAIT_SECONDS)

    return call


_insert_events = _bounded(PostgresApplicationRecorder.insert_events)
_select_events = _bounded(PostgresApplicationRecorder.select_events)
_select_notifications = _bounded(PostgresApplicationRecorder.select_notifications)
_max_notification_id = _bounded(PostgresApplicationRecorder.max_notification_id)


class _BoundedRetries(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tune_pool(self.datastore)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if sum(len(e.state) for e in stored_events) > PIPELINE_MAX_BYTES:
            large: Sequence[int] | None = _insert_large(self, stored_events, **kwargs)
            return large
        result: Sequence[int] | None = _insert_events(self, stored_events, **kwargs)
        return result

    def _insert_without_pipeline(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's ``insert_events`` (eventsourcing 9.5.6), less ``conn.pipeline()``."""
        notification_ids: Sequence[int] | None = None
        with self.datastore.get_connection() as conn, conn.transaction():
            with conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
            if len(stored_events) > 0:
                with conn.cursor() as curs:
                    self._insert_stored_events(curs, stored_events, **kwargs)
                    notification_ids = self._fetch_ids_after_insert_events(
                        curs, stored_events, **kwargs
                    )
        return notification_ids

    def select_events(self, *args: Any, **kwargs: Any) -> Any:
        return _select_events(self, *args, **kwargs)

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        return _select_notifications(self, *args, **kwargs)

    def max_notification_id(self) -> int | None:
        result: int | None = _max_notification_id(self)
        return result


_insert_large = _bounded(_BoundedRetries._insert_without_pipeline)


class ServerPostgresRecorder(LedgerPostgresRecorder, _BoundedRetries):
    """The store's recorder (Merkle leaves, LISTEN/NOTIFY) with the server's bounded retries.

    The ledger's ``insert_events`` runs first and calls ``super()``, which is
    :class:`_BoundedRetries`, so its head cache sees every failure as before.
    """
