"""The group committer: commands from many threads, one writer, shared commits.

Request threads submit commands and wait; the writer thread takes every command
queued since its last commit (up to ``max_batch``) and runs them as one batch —
one transaction, one fsync — through ``Executor.run_batch``, which keeps each
command's success or failure its own.  With one clerk at a time a batch is one
command, so latency stays that of a single commit.

A coroutine submits with :meth:`GroupCommitter.submit_async` and awaits the
outcome on its event loop; a thread submits with :meth:`GroupCommitter.submit`
and blocks.  Two optional hooks let the server fail fast while its store is unavailable:
``refuse`` is asked before each batch and may return the error to fail the
whole batch with at once (without waiting on the store again), and ``observe``
is told of every command's error (so that a store failure trips the server's
monitor before the next batch starts).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from service.app.execution import Executor

R = TypeVar("R")
_STOP = object()


class GroupCommitter:
    def __init__(self, executor: Executor, *, max_batch: int = 64) -> None:
        self.executor = executor
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="minutebook-writer", daemon=True)
        self.batches = 0
        self.commands = 0
        self.refuse: Callable[[], BaseException | None] | None = None
        self.observe: Callable[[BaseException], None] | None = None

    def start(self) -> GroupCommitter:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def is_writer_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, job: Callable[[], R]) -> R:
        if not self._thread.is_alive():
            return self.executor.run_one(job)
        future: Future[R] = Future()
        # Run in the caller's context: who, why and the request id bound there go with it.
        context = contextvars.copy_context()
        self._queue.put((lambda: context.run(job), future))
        return future.result()

    def submit_async(self, job: Callable[[], R]) -> asyncio.Future[R]:
        """:meth:`submit` for a coroutine on an event loop: the job's outcome as an asyncio
        future, so the request waits without holding a thread (no hand-off to a worker
        thread and back for every write).  The writer must be running (see :meth:`running`).
        """
        future: Future[R] = Future()
        context = contextvars.copy_context()
        self._queue.put((lambda: context.run(job), future))
        return asyncio.wrap_future(future)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _refusal(self) -> BaseException | None:
        if self.refuse is None:
            return None
        try:
            return self.refuse()
        except Exception:  # a hook's failure must not stop the writer
            return None

    def _observe(self, error: BaseException) -> None:
        if self.observe is not None:
            with contextlib.suppress(Exception):  # a hook's failure must not stop the writer
                self.observe(error)

    def _forget_cached_aggregates(self) -> None:
        cache = getattr(getattr(self.executor, "repository", None), "cache", None)
        clear = getattr(cache, "clear", None)
        if callable(clear):
            clear()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
            refusal = self._refusal()
            if refusal is not None:
                for _, future in batch:
                    future.set_exception(refusal)
                continue
            try:
                outcomes = self.executor.run_batch([job for job, _ in batch])
            except BaseException as e:
                self._observe(e)
                # The batch failed as a whole (e.g. the store went away while a failed
                # command was being rolled back): what the cache holds may include that
                # command's changes, so drop it all; every waiter hears of the failure,
                # and the writer goes on with the next batch.
                self._forget_cached_aggregates()
                for _, future in batch:
                    future.set_exception(e)
                continue
            self.batches += 1
            self.commands += len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if outcome.error is not None:
                    self._observe(outcome.error)
                    future.set_exception(outcome.error)
                else:
                    future.set_result(outcome.result)
