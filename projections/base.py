"""A projection that keeps documents in a :class:`~projections.view.DocumentView`.

Handlers are methods marked with :func:`handles`, dispatched on the event's
exact class; an event no handler takes still advances the view's tracking.
Several events can be applied and committed with one tracking record (the
last one's position): that is how runners and rebuilds process batches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from eventsourcing.persistence import Mapper, Notification, StoredEvent, Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.changes import Changes
from projections.sql import Cursor
from projections.view import DocumentView

F = TypeVar("F", bound=Callable[..., None])
_MARK = "__minutebook_handles__"


def handles(*event_classes: type[Any]) -> Callable[[F], F]:
    """Mark a method ``(self, event, changes)`` as the handler of these event classes."""

    def mark(method: F) -> F:
        setattr(method, _MARK, (*getattr(method, _MARK, ()), *event_classes))
        return method

    return mark


def plain(mapper: Mapper[Any]) -> bool:
    """The log holds events as plain msgspec JSON (no cipher, no compression)."""
    return mapper.cipher is None and mapper.compressor is None


class DocumentProjection(Projection[DocumentView]):
    handlers: ClassVar[dict[type[Any], Callable[..., None]]] = {}
    handled_topics: ClassVar[frozenset[str]] = frozenset()
    #: Handlers read ``changes.current``, the stored event (in a batch of several
    #: projections, only these are given it).
    reads_stored: ClassVar[bool] = False
    #: The layout of the rows the projection writes: raise it with any change to them
    #: (a kind, a field, a key): stores built before are then rebuilt on start
    #: (:mod:`projections.versions`).
    schema_version: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type[Any], Callable[..., None]] = {}
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                for event_class in getattr(value, _MARK, ()):
                    handlers[event_class] = value
        cls.handlers = handlers
        cls.handled_topics = frozenset(get_topic(e) for e in handlers)

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.changes = Changes(view)
        #: The position of the last commit made through this object (None: none yet).
        self.position: int | None = None

    # The library's entry point: one event, one transaction -------------------------------

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process([domain_event], tracking)

    # Batches ------------------------------------------------------------------------------

    def process(self, events: Sequence[Any | None], tracking: Tracking) -> None:
        """Apply ``events`` (None: one this view does not read) and commit at ``tracking``."""
        try:
            self.apply(events)
            self.commit(tracking)
        except BaseException:
            self.changes.forget()
            raise

    def process_notifications(
        self, notifications: Sequence[Notification], mapper: Mapper[Any], application_name: str
    ) -> None:
        """Decode only what a handler will read; commit once, at the last notification."""
        handled = self.handled_topics
        events = [mapper.to_domain_event(n) if n.topic in handled else None for n in notifications]
        try:
            self.apply(events, notifications if plain(mapper) else None)
            self.commit(Tracking(application_name, notifications[-1].id))
        except BaseException:
            self.changes.forget()
            raise

    def apply(
        self, events: Sequence[Any | None], stored: Sequence[StoredEvent | None] | None = None
    ) -> None:
        """Apply events (None: not for this view); ``stored``: the same as in the log."""
        changes, handlers = self.changes, self.handlers
        for i, event in enumerate(events):
            if event is not None:
                handler = handlers.get(type(event))
                if handler is not None:
                    changes.current = stored[i] if stored is not None else None
                    handler(self, event, changes)
        changes.current = None

    @staticmethod
    def apply_all(
        projections: Sequence[DocumentProjection],
        events: Sequence[Any | None],
        stored: Sequence[StoredEvent | None] | None = None,
    ) -> None:
        """``apply`` for several projections in one pass over the events (a rebuild's and a
        catch-up's loop: each event dispatched once to the handlers that take it)."""
        targets: dict[type[Any], list[tuple[DocumentProjection, Callable[..., None], Changes]]]
        targets = {}
        #: The projections whose handlers read the stored event (``changes.current``).
        readers = [p.changes for p in projections if p.reads_stored] if stored is not None else []
        try:
            for i, event in enumerate(events):
                if event is None:
                    continue
                taking = targets.get(type(event))
                if taking is None:
                    kind = type(event)
                    taking = targets[kind] = [
                        (p, p.handlers[kind], p.changes) for p in projections if kind in p.handlers
                    ]
                if readers:
                    current = stored[i]  # type: ignore[index]
                    for changes in readers:
                        changes.current = current
                for projection, handler, changes in taking:
                    handler(projection, event, changes)
        finally:
            for projection in projections:
                projection.changes.current = None

    def commit(self, tracking: Tracking, cursor: Cursor | None = None) -> None:
        """Write what was applied, with ``tracking`` (inside ``cursor``'s transaction if given)."""
        upserts, deletes = self.changes.pending()
        if cursor is None:
            self.view.commit(upserts, deletes, tracking)
        else:
            self.view.write(cursor, upserts, deletes, tracking)
        self.changes.committed()
        self.position = tracking.notification_id
