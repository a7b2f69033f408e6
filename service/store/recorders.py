"""Application recorders that projections can follow (``subscribe()`` on both stores).

eventsourcing 9.5's SQLite application recorder raises NotImplementedError from
``subscribe()``; :class:`PollingSQLiteRecorder` supplies a polling subscription
and wakes it at once when this process commits.  :class:`ListenPollPostgresRecorder`
keeps LISTEN/NOTIFY and adds a fallback pull (see :mod:`service.store.subscriptions`).

Select them with the library's recorder-topic setting::

    env["APPLICATION_RECORDER_TOPIC"] = SQLITE_RECORDER_TOPIC   # or POSTGRES_RECORDER_TOPIC

Neither overrides ``_insert_events``: subclasses (e.g. the audit ledger's
recorders) extend it and call ``super()`` as usual.

SQLite has one write lock per database file, and a connection that finds it
taken sleeps (1, 2, 5 … 100 ms) before trying again: a busy writer starves the
projections that follow it.  Within a process, :func:`sqlite_turn` hands out
the write turns in order instead; :class:`PollingSQLiteRecorder` and the views
(:mod:`projections.view`) both take their turn with it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent, Subscription
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from service.store.subscriptions import (
    COMMIT_SIGNALS,
    ListenPollSubscription,
    PollingSubscription,
)

SQLITE_RECORDER_TOPIC = "service.store.recorders:PollingSQLiteRecorder"
POSTGRES_RECORDER_TOPIC = "service.store.recorders:ListenPollPostgresRecorder"


def sqlite_signal_key(db_name: str) -> str:
    """One key per database file, however it was named; in-memory names as given."""
    if not db_name or ":memory:" in db_name or "mode=memory" in db_name:
        return f"sqlite:{db_name}"
    path = db_name[len("file:") :].split("?", 1)[0] if db_name.startswith("file:") else db_name
    return f"sqlite:{os.path.realpath(path)}"


class _Turns:
    """A first-come, first-served lock: each waiter gets its turn in the order it asked."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._serving += 1
                self._cond.notify_all()


_turns: dict[str, _Turns] = {}
_turns_lock = threading.Lock()


def sqlite_turn(key: str) -> _Turns:
    """The write turns of one SQLite database file in this process."""
    with _turns_lock:
        found = _turns.get(key)
        if found is None:
            found = _turns[key] = _Turns()
        return found


class PollingSQLiteRecorder(SQLiteApplicationRecorder):
    #: Seconds between pulls when nothing in this process signals a commit.
    poll_interval: float = 0.02

    @property
    def signal_key(self) -> str:
        return sqlite_signal_key(self.datastore.pool.db_name)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        key = self.signal_key
        with sqlite_turn(key).turn():
            positions = super().insert_events(stored_events, **kwargs)  # committed on return
        COMMIT_SIGNALS.notify(key)
        return positions

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(
            self, gt, topics, poll_interval=self.poll_interval, signal_key=self.signal_key
        )


class ListenPollPostgresRecorder(PostgresApplicationRecorder):
    #: Seconds between pulls when no notification arrives (a lost NOTIFY costs at most this).
    fallback_interval: float = 1.0

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return ListenPollSubscription(self, gt, topics, fallback_interval=self.fallback_interval)
