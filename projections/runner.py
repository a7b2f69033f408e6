"""The library's ProjectionRunner, processing what the subscription has in batches.

Everything the subscription has already pulled (up to ``batch_size``) is
applied and committed in one transaction with one tracking record; with one
clerk at a time that is one event per commit, under load or when catching up
it is many.  After each commit the runner calls ``on_commit(view, position)``,
which is how :class:`~projections.service.ProjectionService` wakes readers
waiting for their own writes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from threading import Event
from types import TracebackType
from typing import Any

from eventsourcing.projection import ApplicationSubscription, ProjectionRunner

from projections.base import DocumentProjection
from projections.env import LogReader
from projections.view import DocumentView
from service.store.subscriptions import BatchingSubscription

OnCommit = Callable[[str, int], None]


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
