"""Subscriptions that follow the event log, for ``eventsourcing``'s ProjectionRunner.

* SQLite: :class:`PollingSubscription` polls for notifications after its
  position every ``poll_interval`` seconds, and at once when a recorder of the
  same database file in this process commits (:data:`COMMIT_SIGNALS`).
* PostgreSQL: :class:`ListenPollSubscription` keeps the library's LISTEN/NOTIFY
  but also pulls every ``fallback_interval`` seconds, so a lost notification
  delays a projection instead of stalling it forever (eventsourcing issue #305),
  and re-establishes its LISTEN connection after an error instead of stopping.

Both add :meth:`next_batch`, which hands over every notification already pulled
(without blocking beyond the first), so a runner can process several events in
one transaction with one tracking record.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from typing import Any

import structlog
from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    Notification,
    ShutDown,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresSubscription
from psycopg.sql import SQL, Identifier

log = structlog.get_logger("minutebook.projections")


class CommitSignals:
    """In-process wake-ups: a commit to a store wakes the subscriptions following it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[str, set[threading.Event]] = {}

    def register(self, key: str, event: threading.Event) -> None:
        with self._lock:
            self._waiters.setdefault(key, set()).add(event)

    def unregister(self, key: str, event: threading.Event) -> None:
        with self._lock:
            self._waiters.get(key, set()).discard(event)

    def notify(self, key: str) -> None:
        with self._lock:
            waiters = tuple(self._waiters.get(key, ()))
        for event in waiters:
            event.set()


COMMIT_SIGNALS = CommitSignals()


class BatchingSubscription(ListenNotifySubscription[Any]):
    """Pulls when notified or every ``poll_interval`` seconds; hands out batches."""

    poll_interval: float = 1.0

    def _loop_on_pull(self) -> None:
        try:
            self._pull()  # Already recorded events.
            while not self._has_been_stopped:
                self._has_been_notified.wait(timeout=self.poll_interval)
                self._pull()  # Newly recorded (or missed) events.
        except BaseException as e:
            if self._thread_error is None:
                self._thread_error = e
            self.stop()

    def next_batch(self, max_items: int = 1000) -> list[Notification]:
        """At least one notification (blocking for it), then those already pulled, up to
        ``max_items``; raises StopIteration (or the pull thread's error) once stopped."""
        batch = [next(self)]
        while len(batch) < max_items and not self._has_been_stopped:
            if self._notifications_index == len(self._notifications):
                try:
                    self._notifications = self._notifications_queue.get(block=False)
                except (queue.Empty, ShutDown):
                    break
                self._notifications_queue.task_done()
                self._notifications_index = 0
            start = self._notifications_index
            taken = self._notifications[start : start + max_items - len(batch)]
            self._notifications_index += len(taken)
            batch.extend(taken)
        return batch


class PollingSubscription(BatchingSubscription):
    """For SQLite, whose recorder has no notifications of its own."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
        *,
        poll_interval: float = 0.02,
        signal_key: str | None = None,
    ) -> None:
        self.poll_interval = poll_interval  # read by the pull thread the base class starts
        self._signal_key = signal_key
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        if signal_key is not None:
            COMMIT_SIGNALS.register(signal_key, self._has_been_notified)

    def stop(self) -> None:
        if self._signal_key is not None:
            COMMIT_SIGNALS.unregister(self._signal_key, self._has_been_notified)
        super().stop()


class ListenPollSubscription(BatchingSubscription, PostgresSubscription):
    """LISTEN/NOTIFY for promptness, a periodic pull for safety, reconnection on errors."""

    def __init__(
        self,
        recorder: PostgresApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
        *,
        fallback_interval: float = 1.0,
        reconnect_delay: float = 0.2,
    ) -> None:
        self.poll_interval = fallback_interval
        self.reconnect_delay = reconnect_delay
        self.listen_failures = 0
        self._stopping = threading.Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)

    def stop(self) -> None:
        self._stopping.set()
        super().stop()

    def _listen(self) -> None:
        recorder: PostgresApplicationRecorder = self._recorder
        statement = SQL("LISTEN {0}").format(Identifier(recorder.channel_name))
        delay = self.reconnect_delay
        while not self._has_been_stopped:
            try:
                with recorder.datastore.get_connection() as conn:
                    conn.execute(statement)
                    # Anything committed while we were not listening is pulled now.
                    self._has_been_notified.set()
                    delay = self.reconnect_delay
                    while not self._has_been_stopped:
                        for _ in conn.notifies(timeout=0.1, stop_after=1):
                            self._has_been_notified.set()
            except Exception as e:
                if self._has_been_stopped:
                    break
                self.listen_failures += 1
                log.warning(
                    "projection_listen_failed",
                    error=str(e),
                    polling_every=self.poll_interval,
                    retry_in=delay,
                )
                self._stopping.wait(delay)
                delay = min(delay * 2, 5.0)
