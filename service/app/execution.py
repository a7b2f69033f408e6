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
    """What one command touched: each aggregate with its pending-event mark at first touch.

    Keyed by the aggregate object's ``id()`` (an int, hashed in C; a UUID's hash is a
    Python call, and a command touches each aggregate two or three times): a command
    works on one object per record, the one the cache holds.
    """

    __slots__ = ("events", "touched")

    def __init__(self) -> None:
        self.touched: dict[int, tuple[RecordAggregate, int]] = {}
        #: The command's new events, once it has run (the positions are looked up by them).
        self.events: list[object] = []

    def new_events(self) -> list[object]:
        return [
            event for agg, mark in self.touched.values() for event in agg._pending_events[mark:]
        ]


class _CommandLocal(threading.local):
    """The command running in this thread, ``None`` between commands.

    A class default rather than ``getattr(local, "command", None)``: a thread's first
    read would otherwise raise and format an AttributeError, and the attribute is read
    several times a command.
    """

    command: CommandState | None = None


class Positioned(msgspec.Struct, kw_only=True, frozen=True):
    """A command result that reports the log position its events got at commit."""

    position: int | None = None


#: Results that report their commit's log position (a tuple: ``isinstance`` is quicker
#: with one than with a union type).
_POSITIONED = (CommandResult, Positioned)


#: No batch running (read-only: nothing is ever added to it).
_NO_BATCH: dict[uuid.UUID, RecordAggregate] = {}


class Outcome(msgspec.Struct):
    result: Any = None
    error: BaseException | None = None


class Executor:
    """Mixed into the application: runs batches of commands atomically, one at a time."""

    repository: Any
    # Commits the aggregates' pending events in one transaction; returns each event's
    # log position by the event's identity (``id(event)``: the events are alive until
    # the batch's results are made, so no two share an identity meanwhile).
    _store: Callable[[Collection[RecordAggregate]], dict[int, int]]
    #: The repository's aggregate cache when reading it is all ``repository.get`` does
    #: for a cached aggregate (no fast-forward, no deep copy); set by the application.
    _aggregate_cache: Any = None
    #: The aggregates changed by the running batch's commands so far, by id.
    _batch: dict[uuid.UUID, RecordAggregate]

    def __init__(self) -> None:
        self._local = _CommandLocal()
        self._write_lock = threading.RLock()
        self._batch = _NO_BATCH

    # Inside a command -------------------------------------------------------------

    @property
    def current_command(self) -> CommandState | None:
        return self._local.command

    def load(self, record_id: uuid.UUID) -> Any:
        """An aggregate for a command, from the cache (raises AggregateNotFoundError).

        Marked as touched by the running command, if any (its pending-event mark at
        first touch: what a rollback goes back to).
        """
        cache = self._aggregate_cache
        try:
            if cache is None:
                raise KeyError(record_id)
            aggregate = cache.get(record_id)
        except KeyError:
            # Not cached: changed by an earlier command of the batch (then evicted by a
            # cache smaller than the batch: its events are not in the store yet), or
            # read from the store (and cached).
            aggregate = self._batch.get(record_id)
            if aggregate is None:
                aggregate = self.repository.get(record_id)
            else:
                self.repository.cache.put(record_id, aggregate)
        state = self._local.command
        if state is not None:
            state.touched.setdefault(id(aggregate), (aggregate, len(aggregate._pending_events)))
        return aggregate

    def collect(self, *aggregates: RecordAggregate) -> None:
        """Inside a command: the aggregates to save when the batch commits.

        Each goes in the cache, for the batch's next commands.  One this command loaded
        (this very object) is there already, at the front, unless the cache has since
        evicted it, which it does only when full: it is put again only then.
        """
        state = self._local.command
        assert state is not None, "save_all is only called inside a command"
        touched = state.touched
        cache = self._aggregate_cache
        lean = cache is not None
        if cache is None:
            cache = self.repository.cache
        for aggregate in aggregates:
            key = id(aggregate)
            if key not in touched:
                touched[key] = (aggregate, 0)
                cache.put(aggregate._id, aggregate)
            elif not lean or cache.full:
                cache.put(aggregate._id, aggregate)

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
        self._batch = pending
        try:
            return self._run_jobs(jobs, pending, states)
        finally:
            self._batch = _NO_BATCH

    def _run_jobs(
        self,
        jobs: list[Callable[[], Any]],
        pending: dict[uuid.UUID, RecordAggregate],
        states: list[tuple[CommandState, Outcome]],
    ) -> list[Outcome] | None:
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
                    if aggregate._pending_events:
                        pending[aggregate._id] = aggregate
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
            if outcome.error is None and isinstance(outcome.result, _POSITIONED):
                mine = [p for e in state.events if (p := positions.get(id(e))) is not None]
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
        for aggregate, mark in state.touched.values():
            record_id = aggregate._id
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
