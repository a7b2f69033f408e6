"""The group committer: commands from many threads, one writer, shared commits.

Request threads submit commands and wait; the writer thread takes every command
queued since its last commit (up to ``max_batch``) and runs them as one batch —
one transaction, one fsync — through ``Executor.run_batch``, which keeps each
command's success or failure its own.  With one clerk at a time a batch is one
command, so latency stays that of a single commit.
"""

from __future__ import annotations

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
            outcomes = self.executor.run_batch([job for job, _ in batch])
            self.batches += 1
            self.commands += len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if outcome.error is not None:
                    future.set_exception(outcome.error)
                else:
                    future.set_result(outcome.result)
