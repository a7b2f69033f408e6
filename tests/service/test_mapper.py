"""The msgspec mapper: exact round trips for every event class, and upcasting old versions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from domain.action import Action, Due, Origin
from domain.amendments import Amendment
from domain.base import RecordAggregate
from domain.body import Body
from domain.meeting import Meeting
from domain.provenance import Actor, Provenance, bound_provenance
from domain.values import Attendance, Declaration, MinuteItem, Reference, Signature, Vote
from service.store.mapper import MsgspecMapper

mapper = MsgspecMapper()


def every_kind_of_event() -> list[Any]:
    actor = Actor(id="c1", name="Ruth", role="clerk")
    with bound_provenance(Provenance(actor=actor, reason="why", request_id="r", source="cli")):
        body = Body.register("Safer Sefton Together", "Sefton Council")
        body.rename("Sefton Safer")
        body.appoint_member("Jan Marlow", "Probation")
        body.member_leaves("Jan Marlow")
        body.allocate_numbers(dt.date(2022, 6, 22), ("6", "7"), uuid.uuid4())
        m = Meeting.schedule(uuid.uuid4(), body.id, dt.date(2022, 6, 9), "10:00", "Teams", True)
        m.reschedule(dt.date(2022, 6, 22), "10:30")
        m.record_attendance(Attendance(present=("A", "ü"), chair="A", apologies=("B",)))
        ref = Reference(minute="36", meeting_date=dt.date(2022, 3, 17))
        m.minute_item(
            MinuteItem(number="6", title="VAWG 👩", paragraphs=("by SWACCA",), references=(ref,))
        )
        m.declare_interest(Declaration(member="A", item="6", kind="disclosable pecuniary"))
        m.revise_item(
            MinuteItem(number="6", title="VAWG", paragraphs=("by SWACCA <b>",), resolutions=("r",))
        )
        m.record_vote("6", Vote(part=1, votes_for=5, votes_against=2, recorded_for=("A",)))
        m.set_call_in(False)
        m.fix_next_meeting("2022-12-08T10:00")
        m.circulate()
        later = Meeting.schedule(uuid.uuid4(), body.id, dt.date(2022, 9, 8), None, None, True)
        later.minute_item(MinuteItem(number="16", title="Minutes"))
        m.confirm(later, "16", (Amendment(op="delete", old="by SWACCA", minute="6", paragraph=1),))
        m.sign(Signature(signed_by="A", signed_on=dt.date(2022, 9, 8), dissent="no"))
        m.add_note("6", "note")
        origin = Origin(body_id=body.id, meeting_id=m.id, meeting_date=m.date, minute="6", part=1)
        a = Action.raise_action(uuid.uuid4(), origin, "do", ("A",), Due(date=dt.date(2022, 9, 1)))
        a.update("n", "in progress")
        a.reassign(("B",))
        a.change_due(Due(text="next meeting"))
        a.complete("done")
        a.reopen("again")
        a.withdraw("gone")
    return [
        *body.collect_events(),
        *m.collect_events(),
        *later.collect_events(),
        *a.collect_events(),
    ]


def test_every_event_class_round_trips_exactly() -> None:
    events = every_kind_of_event()
    assert len({type(e) for e in events}) >= 25
    for event in events:
        stored = mapper.to_stored_event(event)
        assert mapper.to_domain_event(stored) == event
        assert isinstance(msgspec.json.decode(stored.state), dict)


def test_corrupt_state_raises_the_libraries_deserialisation_error() -> None:
    stored = mapper.to_stored_event(every_kind_of_event()[0])
    bad = StoredEvent(stored.originator_id, stored.originator_version, stored.topic, b"{oops")
    with pytest.raises(MapperDeserialisationError, match="Failed to deserialise"):
        mapper.to_domain_event(bad)


class Thing(RecordAggregate):
    class Created(RecordAggregate.Created):
        name: str

    def __init__(self, name: str) -> None:
        self.name = name

    class Labelled(RecordAggregate.Event):
        """Version 2 split ``text`` into ``label`` and added ``language``."""

        class_version = 2
        label: str
        language: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["label"] = state.pop("text")
            state["language"] = "en"

        def apply(self, thing: Thing) -> None:
            thing.name = self.label


def labelled_as_stored() -> tuple[Any, StoredEvent, StoredEvent]:
    """A ``Labelled`` event (label "new", language "cy"), stored as it is now (version 2),
    and as version 1 stored it (no class version, ``text``, no language)."""
    thing = Thing._create(Thing.Created, id=uuid.uuid4(), name="x")
    thing.trigger_event(Thing.Labelled, label="new", language="cy")
    _created, labelled = thing.collect_events()
    v2 = mapper.to_stored_event(labelled)
    raw = msgspec.json.decode(v2.state)
    raw.pop("class_version")
    raw.pop("language")
    raw["text"] = raw.pop("label")
    v1 = StoredEvent(v2.originator_id, v2.originator_version, v2.topic, msgspec.json.encode(raw))
    return labelled, v1, v2


def test_old_event_versions_are_upcast_on_read() -> None:
    labelled, v1, v2 = labelled_as_stored()
    upcast = mapper.to_domain_event(v1)
    assert (upcast.label, upcast.language) == ("new", "en")  # type: ignore[attr-defined]
    assert mapper.to_domain_event(v2) == labelled
