"""The base aggregate and event of the record: every event carries its provenance."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate

from domain.provenance import Provenance, current_provenance


class RecordAggregate(Aggregate):
    """An aggregate whose every event records who, when, why and where from."""

    class Event(Aggregate.Event):
        meta: Provenance

    class Created(Event, Aggregate.Created):
        pass

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("meta", current_provenance())
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("meta", current_provenance())
        return super()._create(event_class, id=id, **kwargs)
