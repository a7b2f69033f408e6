"""Decoding a page of the log in a bulk pass (rebuild, catch-up): the mapper's own decoding,
less its overhead per event.

For every event the mapper resolves the topic, checks for a cipher and a compressor,
finds the event class's mirror Struct and decoder, and builds the event; a pass decodes
tens of thousands of events of a dozen topics, and that overhead was a third of its
decoding.  Here each topic's class, decoder and class version are found once, and the
same decoder (the same codec, the same Structs) fills the event.  Anything else goes
through the mapper as it is: another mapper, a cipher or a compressor, an event stored
at an older class version (upcast), or one that does not decode (the mapper's error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from service.store.mapper import MsgspecMapper, event_from_state, state_decoder

#: A topic's event class, its mirror's decoder and its class version.
_Plan = tuple[type[Any], Callable[[bytes], Any], int]


class PageDecoder:
    """``decode(page)``: each stored event (None: skipped) as the mapper would decode it."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        self.direct = (
            type(mapper) is MsgspecMapper and mapper.cipher is None and mapper.compressor is None
        )
        self._plans: dict[str, _Plan] = {}

    def decode(self, page: Sequence[StoredEvent | None]) -> list[Any]:
        if not self.direct:
            to_domain_event = self.mapper.to_domain_event
            return [to_domain_event(s) if s is not None else None for s in page]
        plans, plan_for, fallback = self._plans, self._plan, self.mapper.to_domain_event
        asdict = msgspec.structs.asdict
        events: list[Any] = []
        append = events.append
        for stored in page:
            if stored is None:
                append(None)
                continue
            cls, decode, version = plans.get(stored.topic) or plan_for(stored.topic)
            try:
                decoded = decode(stored.state)
            except msgspec.DecodeError:  # not as the class is now: the mapper upcasts or says why
                append(fallback(stored))
                continue
            if decoded.class_version != version:
                append(fallback(stored))
                continue
            state = asdict(decoded)
            del state["class_version"]
            append(event_from_state(cls, state, stored))
        return events

    def _plan(self, topic: str) -> _Plan:
        cls = resolve_topic(topic)
        decoder = state_decoder(cls)
        plan = self._plans[topic] = (cls, decoder.decode, getattr(cls, "class_version", 1))
        return plan
