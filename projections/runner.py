"""Following the log: every local view together (:class:`GroupRunner`), or one view alone
(:class:`ViewRunner`, the library's ProjectionRunner).

Everything the subscription has already pulled (up to ``batch_size``) is
applied and committed in one transaction with one tracking record; with one
clerk at a time that is one event per commit, under load or when catching up
it is many.  After each commit the runner calls ``on_commit(view, position)``,
which is how :class:`~projections.service.ProjectionService` wakes readers
waiting for their own writes.

The service runs its views as one group: one subscription (one pull of the log
per commit), each event decoded once, and one transaction for all the views'
rows and tracking records.  On SQLite that is one write turn per batch where a
runner per view took four, and the application's writer, on whose commits the
clerks wait, waited behind those turns (and the threads holding them waited for
the GIL).  A view whose handler fails leaves the group and runs alone, so one
view's bug does not stop the others.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import signal
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Event
from types import TracebackType
from typing import Any

from eventsourcing.persistence import Notification, Tracking
from eventsourcing.projection import ApplicationSubscription, ProjectionRunner

from projections.base import DocumentProjection, plain
from projections.env import APPLICATION_NAME, LogReader
from projections.view import DocumentView, ViewWrite, commit_views
from service.store.subscriptions import BatchingSubscription

OnCommit = Callable[[str, int], None]

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


def main_thread_signals() -> None:
    """Block SIGINT and SIGTERM in the calling thread (and so in the threads it starts).

    A process-directed signal may be delivered to any thread that does not block it;
    Python runs its handlers in the main thread only, and a main thread blocked on a
    lock (``minutebook projections run`` waits on an Event) is woken only if the
    signal was delivered to it.  The threads of this package leave them to it.
    """
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not POSIX
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the log is replayed in bulk (rebuild, catch-up).

    A replay keeps tens of thousands of new objects alive (a page of events, the
    documents being built), so the collector's generations keep filling and it
    scans them again and again: measured, that was 40% of a rebuild's time.  The
    views make no reference cycles, so reference counting frees their garbage;
    whatever cycles appear meanwhile are collected after.  Nests, and is shared by
    threads: the collector is on again when the last pause ends (if it was on).
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the C library's own
    except (OSError, AttributeError, TypeError):  # not glibc
        return None
    return trim


_trim = _malloc_trim()


def release_free_memory() -> None:
    """After a replay in bulk: collect what cycles it left, and give the C heap's free pages
    back to the system (glibc keeps them; a catch-up's buffers and documents leave tens of
    megabytes free but resident).  Python's own arenas are freed as they empty."""
    gc.collect()
    if _trim is not None:
        _trim(0)


class ViewRunner(ProjectionRunner[LogReader, DocumentView]):
    batch_size = 1000

    def __init__(
        self,
        *,
        projection_class: type[DocumentProjection],
        view_class: type[DocumentView],
        env: dict[str, str],
        on_commit: OnCommit | None = None,
    ) -> None:
        self.on_commit = on_commit
        super().__init__(
            application_class=LogReader,
            projection_class=projection_class,
            view_class=view_class,
            env=env,
        )

    def committed(self, position: int) -> None:
        if self.on_commit is not None:
            self.on_commit(self.projection.name, position)

    @staticmethod
    def _process_events_loop(
        subscription: ApplicationSubscription[Any],
        projection: Any,
        is_stopping: Event,
        runner: weakref.ReferenceType[Any],
    ) -> None:
        source = subscription.subscription
        if not isinstance(source, BatchingSubscription) or not isinstance(
            projection, DocumentProjection
        ):
            ProjectionRunner._process_events_loop(subscription, projection, is_stopping, runner)
            return
        try:
            while True:
                batch = source.next_batch(ViewRunner.batch_size)
                projection.process_notifications(batch, subscription.mapper, subscription.name)
                owner = runner()
                if owner is not None:
                    owner.committed(batch[-1].id)
        except StopIteration:
            pass
        except BaseException as e:
            owner = runner()
            if owner is not None:
                owner._thread_error = e
        finally:
            is_stopping.set()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc_val, exc_tb)
        finally:
            self.view.datastore.close()


class ViewFailedError(Exception):
    """One view of a group failed to apply a batch (its handler raised): that view leaves
    the group (to run alone, restarted with back-off); nothing of the batch was committed."""

    def __init__(self, name: str, cause: BaseException) -> None:
        super().__init__(f"view {name!r}: {type(cause).__name__}: {cause}")
        self.name = name
        self.cause = cause


class GroupRunner:
    """Several views following the log together: one subscription, one decode, one commit.

    The views must share one datastore.  Each starts after its own tracked position
    (the subscription starts at the lowest), and each batch's rows of every view are
    committed with every view's tracking record in one transaction
    (:func:`~projections.view.commit_views`), so exactly-once holds for each view as
    with a runner of its own.  :meth:`run` processes batches in the calling thread
    until :meth:`stop`; an error ends it (:class:`ViewFailedError` names a view whose
    handler failed; a rebuild's swap raises ``ViewSwappedError``), with nothing of the
    failed batch committed.
    """

    batch_size = ViewRunner.batch_size

    def __init__(
        self,
        projections: list[DocumentProjection],
        *,
        env: dict[str, str],
        on_commit: OnCommit | None = None,
    ) -> None:
        if not projections:
            raise ValueError("a group runner needs at least one view")
        self.projections = projections
        self.on_commit = on_commit
        self.positions = {
            p.name: p.view.max_tracking_id(APPLICATION_NAME) or 0 for p in projections
        }
        self._topics = frozenset().union(*(p.handled_topics for p in projections))
        self._stopping = threading.Event()
        self.reader = LogReader(env=env)
        try:
            # Every notification, not only the handled topics: each view's tracking
            # record must reach every position, or a wait for it would never end.
            source = self.reader.recorder.subscribe(gt=min(self.positions.values()))
        except BaseException:
            self.reader.close()
            raise
        assert isinstance(source, BatchingSubscription)
        self.subscription: BatchingSubscription = source
        self._entered = False  # whether run() entered the subscription (and so joined it)

    def stop(self) -> None:
        self._stopping.set()
        self.subscription.stop()

    def close(self) -> None:
        """Stop, wait for the subscription's threads, then close the log reader.

        The subscription's pull thread starts when it is made, and may be in the middle
        of a query: closing the reader's connections under it would crash the process
        (sqlite3 frees a connection another thread is using).  Leaving the
        subscription's context joins its threads; ``run`` does that, so a runner stopped
        before it ran enters and leaves the context here.
        """
        self.stop()
        if not self._entered:
            self._entered = True
            with self.subscription:
                pass
        self.reader.close()

    def __enter__(self) -> GroupRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self) -> None:
        """Process batches until stopped (returns) or until an error (raised)."""
        self._entered = True
        with self.subscription:
            try:
                while not self._stopping.is_set():
                    self.process(self.subscription.next_batch(self.batch_size))
            except StopIteration:  # stopped (a failed pull raises its own error instead)
                pass

    def process(self, batch: list[Notification]) -> None:
        """Apply ``batch`` to every view not past it, then commit them all at its end."""
        last = batch[-1].id
        mapper = self.reader.mapper
        topics = self._topics
        events = [mapper.to_domain_event(n) if n.topic in topics else None for n in batch]
        stored = batch if plain(mapper) else None
        writes: list[ViewWrite] = []
        applied: list[DocumentProjection] = []
        try:
            for p in self.projections:
                position = self.positions[p.name]
                if last <= position:
                    continue  # this view is already past the batch (it started ahead)
                mine = events
                if batch[0].id <= position:  # only its part of the batch
                    mine = [
                        e if n.id > position else None for e, n in zip(events, batch, strict=True)
                    ]
                applied.append(p)
                try:
                    p.apply(mine, stored)
                except Exception as e:
                    raise ViewFailedError(p.name, e) from e
                upserts, deletes = p.changes.pending()
                writes.append((p.view, upserts, deletes))
            commit_views(writes, Tracking(APPLICATION_NAME, last))
        except BaseException:
            for p in applied:
                p.changes.forget()
            raise
        for p in applied:
            p.changes.committed()
            p.position = self.positions[p.name] = last
            if self.on_commit is not None:
                self.on_commit(p.name, last)
