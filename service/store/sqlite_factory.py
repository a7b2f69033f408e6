"""The SQLite store's infrastructure factory: the library's, with a statement cache.

eventsourcing 9.5 opens its SQLite connections with ``cached_statements=True``,
which :func:`sqlite3.connect` reads as a cache of *one* statement: every
command then compiles ``BEGIN``, the events INSERT and the leaves INSERT again
(about a tenth of a command's instructions, counted with callgrind).  This
factory gives the pool connections that keep :data:`STATEMENT_CACHE` compiled
statements; everything else (WAL mode, row factory, error translation, timeouts)
is the library's.  Selected by ``PERSISTENCE_MODULE`` in :mod:`service.store.url`.
"""

from __future__ import annotations

import sqlite3

from eventsourcing.persistence import InterfaceError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteFactory,
)
from eventsourcing.utils import Environment, EnvType

#: Compiled statements kept per connection (the write path uses a handful; the
#: views and queries a few dozen more).
STATEMENT_CACHE = 128


class CachingSQLiteConnectionPool(SQLiteConnectionPool):
    """The library's pool; its connections keep their compiled statements."""

    def _create_connection(self) -> SQLiteConnection:
        # As eventsourcing.sqlite.SQLiteConnectionPool._create_connection, but for
        # the size of the statement cache.
        try:
            c = sqlite3.connect(
                database=self.db_name,
                uri=True,
                check_same_thread=False,
                isolation_level=None,  # autocommit: transactions are begun explicitly
                cached_statements=STATEMENT_CACHE,
                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except (sqlite3.Error, TypeError) as e:
            raise InterfaceError(e) from e
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            cursor = c.cursor()
            cursor.execute("PRAGMA journal_mode;")
            if cursor.fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        c.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=c, max_age=self.max_age)


class StoreSQLiteFactory(SQLiteFactory):
    """The library's SQLite factory, with :class:`CachingSQLiteConnectionPool`."""

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        made = self.datastore.pool  # no connection opened yet: replaced as built
        self.datastore.pool = CachingSQLiteConnectionPool(
            db_name=made.db_name, lock_timeout=made.lock_timeout
        )
        made.close()
