"""The base aggregate and event of the record: every event carries its provenance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import TZINFO, Aggregate, CanCreateTimestamp, CanMutateAggregate

from domain.provenance import Provenance, current_provenance

_now = CanCreateTimestamp.create_timestamp
_datetime_now = datetime.now
_mutate = CanMutateAggregate.mutate
#: Per aggregate class: whether it names an explicit ``TOPIC`` (the library's checks).
_named: dict[type, bool] = {}
#: Per event class: whether it keeps the library's ``create_timestamp`` and ``mutate``.
_plain: dict[type, bool] = {}


def _is_named(cls: type) -> bool:
    named = _named.get(cls)
    if named is None:
        named = _named[cls] = bool(getattr(cls, "TOPIC", None))
    return named


def _is_plain(event_class: Any) -> bool:
    plain = _plain.get(event_class)
    if plain is None:
        plain = _plain[event_class] = (
            event_class.create_timestamp is _now and event_class.mutate is _mutate
        )
    return plain


class RecordAggregate(Aggregate):
    """An aggregate whose every event records who, when, why and where from."""

    class Event(Aggregate.Event):
        meta: Provenance

    class Created(Event, Aggregate.Created):
        pass

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        """The library's ``trigger_event`` with the current provenance, less its overheads.

        Same event, same mutation, same pending list; without the library's copy and
        update of the keyword arguments, its property lookups and, for event classes
        that keep the library's ``create_timestamp`` and ``mutate``, those calls: the
        timestamp is the same ``datetime.now(TZINFO)``, and the mutation's checks (the
        event's id and version are the aggregate's and the next) hold by construction,
        so what is left of it is ``apply`` and the new version and modification time.
        Every command triggers one or more events.  Aggregates with an explicit
        ``TOPIC`` keep the library's path (its registration checks).
        """
        if "meta" not in kwargs:
            kwargs["meta"] = current_provenance()
        named = _named.get(type(self))
        if named is None:
            named = _is_named(type(self))
        if named:
            super().trigger_event(event_class, **kwargs)
            return
        kwargs["originator_id"] = self._id
        kwargs["originator_version"] = self._version + 1
        plain = _plain.get(event_class)
        if plain is None:
            plain = _is_plain(event_class)
        if kwargs.get("timestamp") is None:
            kwargs["timestamp"] = _datetime_now(TZINFO) if plain else event_class.create_timestamp()
        try:
            new_event = event_class(**kwargs)
        except TypeError as e:
            raise TypeError(f"Can't construct event {event_class}: {e}") from None
        if plain:
            new_event.apply(self)
            self._version = new_event.originator_version
            self._modified_on = new_event.timestamp
        else:
            new_event.mutate(self)
        self._pending_events.append(new_event)

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("meta", current_provenance())
        return super()._create(event_class, id=id, **kwargs)
