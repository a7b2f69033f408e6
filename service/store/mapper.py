"""Stored events encoded with msgspec (the library's JSON transcoder is ~3× slower).

Encoding: the event's ``__dict__`` minus id and version, as msgspec JSON (UUIDs,
dates, datetimes and nested Structs are native).  Decoding: straight into a
msgspec Struct mirroring the event class's fields with their concrete types,
then into the event's ``__dict__`` — no per-field Python conversion.  Stored
events of an older ``class_version`` go through the event class's
``upcast_vN_vN+1`` static methods on a plain dict first.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import cache
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic, resolve_topic

_EXCLUDED = {"originator_id", "originator_version"}
_new_object = object.__new__
_set_attribute = object.__setattr__
#: Per event class: its topic and class version.  Read for every stored event, and
#: ``getattr(cls, "class_version", 1)`` on a class without one raises (and formats) an
#: AttributeError before it returns the default.
_described: dict[type, tuple[str, int]] = {}


def _describe(cls: type) -> tuple[str, int]:
    described = _described[cls] = (get_topic(cls), getattr(cls, "class_version", 1))
    return described


_encoder = msgspec.json.Encoder()
_raw_decoder = msgspec.json.Decoder(dict[str, Any])


def event_from_state(
    cls: Any, state: dict[str, Any], stored_event: StoredEvent
) -> DomainEventProtocol[UUID]:
    """The event of class ``cls`` from its decoded state and its stored row's identity
    (without the frozen dataclass's ``__init__``: the state is complete and typed)."""
    originator_id = stored_event.originator_id
    state["originator_id"] = (
        originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
    )
    state["originator_version"] = stored_event.originator_version
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", state)
    return typing.cast(DomainEventProtocol[UUID], event)


def state_decoder(cls: Any) -> msgspec.json.Decoder[Any]:
    """The decoder of ``cls``'s stored state (a Struct with a ``class_version`` field)."""
    return _mirror(cls)[1]


@cache
def _mirror(cls: Any) -> tuple[type[msgspec.Struct], msgspec.json.Decoder[Any]]:
    """A Struct with the event's stored fields and concrete types, and its decoder."""
    hints = typing.get_type_hints(cls)
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for f in dataclasses.fields(cls):
        if f.name in _EXCLUDED:
            continue
        if f.default is not dataclasses.MISSING:
            fields.append((f.name, hints[f.name], f.default))
        else:
            fields.append((f.name, hints[f.name]))
    fields.append(("class_version", int, 1))
    struct = msgspec.defstruct(f"Stored{cls.__qualname__.replace('.', '')}", fields, kw_only=True)
    return struct, msgspec.json.Decoder(struct)


class MsgspecMapper(Mapper[UUID]):
    def __init__(
        self,
        transcoder: Transcoder | None = None,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        # The library's constructor wants a transcoder; msgspec does the work instead.
        super().__init__(transcoder or JSONTranscoder(), compressor, cipher)

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        cls = type(domain_event)
        described = _described.get(cls)
        if described is None:
            described = _describe(cls)
        topic, class_version = described
        state = domain_event.__dict__.copy()
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        if class_version > 1:
            state["class_version"] = class_version
        data = _encoder.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        # The frozen dataclass's fields, set as its __init__ sets them (in field order)
        # but in one step: its __init__ costs a frame and a setattr call per field.
        stored = _new_object(StoredEvent)
        _set_attribute(
            stored,
            "__dict__",
            {
                "originator_id": originator_id,
                "originator_version": originator_version,
                "topic": topic,
                "state": data,
            },
        )
        return stored

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            state = self._decode(cls, data)
        except (msgspec.DecodeError, ValueError, TypeError, KeyError) as e:
            msg = (
                f"Failed to deserialise state of stored event with topic '{stored_event.topic}', "
                f"originator_id '{stored_event.originator_id}' and "
                f"originator_version {stored_event.originator_version}: {e}"
            )
            raise MapperDeserialisationError(msg) from e
        return event_from_state(cls, state, stored_event)

    @staticmethod
    def _decode(cls: Any, data: bytes) -> dict[str, Any]:
        struct, decoder = _mirror(cls)
        current = getattr(cls, "class_version", 1)
        try:
            decoded = decoder.decode(data)
        except msgspec.ValidationError:
            if current == 1:
                raise
            decoded = None
        if decoded is not None and decoded.class_version == current:
            state = msgspec.structs.asdict(decoded)
            del state["class_version"]
            return state
        raw = _raw_decoder.decode(data)
        version = raw.pop("class_version", 1)
        while version < current:
            getattr(cls, f"upcast_v{version}_v{version + 1}")(raw)
            version += 1
        converted = msgspec.convert(raw, struct, strict=False)
        state = msgspec.structs.asdict(converted)
        del state["class_version"]
        return state
