"""Running commands: one writer at a time, aggregates cached, commits grouped.

Every command runs as ``get → domain call → save`` against an in-process cache
of aggregates (no deep copies, no per-read round trip to the store), under one
lock.  ``save_all`` inside a command only *collects* the changed aggregates;
the batch is committed in one transaction when its commands have run.  A batch
is one command on the direct path; the group committer (``writer.py``) puts
every command queued meanwhile into the same batch, so concurrent clerks share
one fsync while each command still succeeds or fails on its own:

* a command that raises is rolled back in memory — each aggregate it touched is
  rebuilt from the store plus the earlier commands' pending events — and the
  others go on;
* a conflict at commit (another process wrote first, so the cache was stale)
  evicts the batch's aggregates and re-runs each command alone, once more on a
  second conflict; only then is it reported as a conflict.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Collection
from typing import Any, TypeVar

import msgspec
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.base import RecordAggregate
from service.commands import CommandResult
from service.errors import ConcurrentChangeError

R = TypeVar("R")
CONFLICT = (
    "the record was changed by someone else at the same time (or already exists); "
    "nothing was stored — reload it and try again"
)


class CommandState:
    """What one command touched: each aggregate with its pending-event mark at first touch."""

    def __init__(self) -> None:
        self.touched: dict[uuid.UUID, tuple[RecordAggregate, int]] = {}
        self.events: list[tuple[uuid.UUID, int]] = []

    def touch(self, aggregate: RecordAggregate) -> None:
        # One lookup (a UUID's hash is a Python call): the first touch's mark is kept.
        self.touched.setdefault(aggregate.id, (aggregate, len(aggregate.pending_events)))

    def new_events(self) -> list[tuple[uuid.UUID, int]]:
        return [
            (agg.id, event.originator_version)
            for agg, mark in self.touched.values()
            for event in agg.pending_events[mark:]
        ]


class Positioned(msgspec.Struct, kw_only=True, frozen=True):
    """A command result that reports the log position its events got at commit."""

    position: int | None = None


class Outcome(msgspec.Struct):
    result: Any = None
    error: BaseException | None = None


class Executor:
    """Mixed into the application: runs batches of commands atomically, one at a time."""

    repository: Any
    # Commits the aggregates' pending events in one transaction; returns their positions.
    _store: Callable[[Collection[RecordAggregate]], dict[tuple[uuid.UUID, int], int]]

    def __init__(self) -> None:
        self._local = threading.local()
        self._write_lock = threading.RLock()

    # Inside a command -------------------------------------------------------------

    @property
    def current_command(self) -> CommandState | None:
        state: CommandState | None = getattr(self._local, "command", None)
        return state

    def load(self, record_id: uuid.UUID) -> Any:
        """An aggregate for a command, from the cache (raises AggregateNotFoundError)."""
        aggregate = self.repository.get(record_id)
        state = self.current_command
        if state is not None:
            state.touch(aggregate)
        return aggregate

    def collect(self, *aggregates: RecordAggregate) -> None:
        """Inside a command: the aggregates to save when the batch commits."""
        state = self.current_command
        assert state is not None, "save_all is only called inside a command"
        for aggregate in aggregates:
            state.touched.setdefault(aggregate.id, (aggregate, 0))
            self.repository.cache.put(aggregate.id, aggregate)

    # Running batches -----------------------------------------------------------------

    def run_batch(self, jobs: list[Callable[[], Any]]) -> list[Outcome]:
        with self._write_lock:
            outcomes = self._attempt(jobs)
            if outcomes is not None:
                return outcomes
            alone: list[Outcome] = []
            for job in jobs:
                result = self._attempt([job]) or self._attempt([job])
                alone.append(
                    result[0] if result else Outcome(error=ConcurrentChangeError(CONFLICT))
                )
            return alone

    def run_one(self, job: Callable[[], R]) -> R:
        (outcome,) = self.run_batch([job])
        if outcome.error is not None:
            raise outcome.error
        result: R = outcome.result
        return result

    def _attempt(self, jobs: list[Callable[[], Any]]) -> list[Outcome] | None:
        pending: dict[uuid.UUID, RecordAggregate] = {}
        states: list[tuple[CommandState, Outcome]] = []
        for job in jobs:
            state = CommandState()
            self._local.command = state
            try:
                outcome = Outcome(result=job())
            except BaseException as e:
                self._roll_back(state, pending)
                outcome = Outcome(error=e)
            finally:
                self._local.command = None
            if outcome.error is None:
                state.events = state.new_events()
                for aggregate, _ in state.touched.values():
                    if aggregate.pending_events:
                        pending[aggregate.id] = aggregate
            states.append((state, outcome))
        return self._commit(pending, states)

    def _commit(
        self, pending: dict[uuid.UUID, RecordAggregate], states: list[tuple[CommandState, Outcome]]
    ) -> list[Outcome] | None:
        if pending:
            try:
                positions = self._store(pending.values())
            except IntegrityError:
                self._evict(pending)
                return None
            except BaseException as e:
                self._evict(pending)
                return [o if o.error else Outcome(error=e) for _, o in states]
        else:
            positions = {}
        for state, outcome in states:
            if outcome.error is None and isinstance(outcome.result, CommandResult | Positioned):
                mine = [p for k in state.events if (p := positions.get(k)) is not None]
                outcome.result = msgspec.structs.replace(
                    outcome.result, position=max(mine, default=None)
                )
        return [o for _, o in states]

    def _evict(self, aggregates: dict[uuid.UUID, RecordAggregate]) -> None:
        for record_id in aggregates:
            with contextlib.suppress(KeyError):
                self.repository.cache.get(record_id, evict=True)

    def _roll_back(self, state: CommandState, pending: dict[uuid.UUID, RecordAggregate]) -> None:
        """Undo in memory what a failed command did: rebuild what it changed."""
        for record_id, (aggregate, mark) in state.touched.items():
            if len(aggregate.pending_events) == mark:
                continue  # the command changed nothing here (checks precede events)
            earlier = aggregate.pending_events[:mark]
            try:
                fresh = self.repository.get(record_id, version=2**62)
            except AggregateNotFoundError:
                fresh = None
            for event in earlier:
                fresh = event.mutate(fresh)
            if fresh is None:
                self._evict({record_id: aggregate})
                pending.pop(record_id, None)
                continue
            fresh.pending_events.extend(earlier)
            self.repository.cache.put(record_id, fresh)
            if record_id in pending:
                pending[record_id] = fresh
