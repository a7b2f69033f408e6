"""Subscriptions that follow the event log, for ``eventsourcing``'s ProjectionRunner.

* SQLite: :class:`PollingSubscription` polls for notifications after its
  position every ``poll_interval`` seconds, and at once when a recorder of the
  same database file in this process commits (:data:`COMMIT_SIGNALS`).
* PostgreSQL: :class:`ListenPollSubscription` keeps the library's LISTEN/NOTIFY
  but also pulls every ``fallback_interval`` seconds, so a lost notification
  delays a projection instead of stalling it forever (eventsourcing issue #305),
  and re-establishes its LISTEN connection after an error instead of stopping.
  Commits of this process wake it at once too, as on SQLite (the NOTIFY is for
  writers in other processes).

Both add :meth:`next_batch`, which hands over every notification already pulled
(without blocking beyond the first), so a runner can process several events in
one transaction with one tracking record.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
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


#: Called with the last position a commit wrote (None: not known).
Waker = Callable[[int | None], None]


class CommitSignals:
    """In-process wake-ups: a commit to a store wakes the subscriptions following it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[str, set[Waker]] = {}

    def register(self, key: str, waker: Waker) -> None:
        with self._lock:
            self._waiters.setdefault(key, set()).add(waker)

    def unregister(self, key: str, waker: Waker) -> None:
        with self._lock:
            self._waiters.get(key, set()).discard(waker)

    def notify(self, key: str, position: int | None = None) -> None:
        with self._lock:
            waiters = tuple(self._waiters.get(key, ()))
        for wake in waiters:
            wake(position)


COMMIT_SIGNALS = CommitSignals()
#: A wake-up without a position: more than any position.
_UNKNOWN = 1 << 63


class BatchingSubscription(ListenNotifySubscription[Any]):
    """Pulls when notified or every ``poll_interval`` seconds; hands out batches."""

    poll_interval: float = 1.0

    def __init__(
        self, recorder: ApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()
    ) -> None:
        # Set before the library's constructor starts the pull thread, which reads them.
        self._wake_lock = threading.Lock()
        #: The last position announced since the pull thread last looked (_UNKNOWN: an
        #: announcement without one, which always costs a pull).
        self._wanted = 0
        super().__init__(recorder=recorder, gt=gt, topics=topics)

    def wake(self, position: int | None = None) -> None:
        """Pull soon: a commit reached ``position`` (None: a commit, position unknown)."""
        with self._wake_lock:
            self._wanted = _UNKNOWN if position is None else max(self._wanted, position)
        self._has_been_notified.set()

    def _loop_on_pull(self) -> None:
        try:
            self._pull()  # Already recorded events.
            while not self._has_been_stopped:
                woken = self._has_been_notified.wait(timeout=self.poll_interval)
                if woken and self._answered():
                    self._has_been_notified.clear()  # a wake-up after this is seen next time
                    if self._answered():  # and one just before it, if any, was answered too
                        continue
                self._pull()  # Newly recorded (or missed) events.
        except BaseException as e:
            if self._thread_error is None:
                self._thread_error = e
            self.stop()

    def _answered(self) -> bool:
        """Whether every wake-up since the last look announced a position already pulled
        (the wake-ups looked at are consumed: if not answered, the pull that follows
        answers them, its query being sent after they were).

        A commit is often announced twice (in-process, then by PostgreSQL's NOTIFY),
        and the second one, arriving while the first one's pull runs, would cost an
        empty pull per commit: a round trip and a turn for the GIL.  Only wake-ups a
        pull has already answered are dropped (``_last_notification_id`` moves once the
        notifications are queued); one without a position, and the periodic pull, always
        pull.
        """
        with self._wake_lock:
            wanted, self._wanted = self._wanted, 0
        last = self._last_notification_id
        return wanted != _UNKNOWN and last is not None and last >= wanted

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
            COMMIT_SIGNALS.register(signal_key, self.wake)

    def stop(self) -> None:
        if self._signal_key is not None:
            COMMIT_SIGNALS.unregister(self._signal_key, self.wake)
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
        signal_key: str | None = None,
    ) -> None:
        self.poll_interval = fallback_interval
        self.reconnect_delay = reconnect_delay
        self.listen_failures = 0
        self._stopping = threading.Event()
        self._signal_key = signal_key
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        if signal_key is not None:  # commits of this process wake it without the NOTIFY
            COMMIT_SIGNALS.register(signal_key, self.wake)

    def stop(self) -> None:
        if self._signal_key is not None:
            COMMIT_SIGNALS.unregister(self._signal_key, self.wake)
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
                    self.wake(None)
                    delay = self.reconnect_delay
                    while not self._has_been_stopped:
                        for notify in conn.notifies(timeout=0.1, stop_after=1):
                            self.wake(_position(notify.payload))
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


def _position(payload: str) -> int | None:
    """The last position a NOTIFY announces (our writers send it; others send nothing)."""
    return int(payload) if payload.isdigit() else None
