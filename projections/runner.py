"""The library's ProjectionRunner, processing what the subscription has in batches.

Everything the subscription has already pulled (up to ``batch_size``) is
applied and committed in one transaction with one tracking record; with one
clerk at a time that is one event per commit, under load or when catching up
it is many.  After each commit the runner calls ``on_commit(view, position)``,
which is how :class:`~projections.service.ProjectionService` wakes readers
waiting for their own writes.
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

from eventsourcing.projection import ApplicationSubscription, ProjectionRunner

from projections.base import DocumentProjection
from projections.env import LogReader
from projections.view import DocumentView
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
