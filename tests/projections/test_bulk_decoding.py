"""A bulk pass decodes the log as the mapper does, and reads a version's time as utc_key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import msgspec
import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from projections.decoding import PageDecoder
from projections.minutes import stored_utc_key, utc_key
from service.store.mapper import MsgspecMapper
from tests.service.test_mapper import every_kind_of_event, labelled_as_stored

mapper = MsgspecMapper()


def test_a_page_decodes_to_the_mappers_events_skipping_none() -> None:
    events = every_kind_of_event()
    stored: list[StoredEvent | None] = [mapper.to_stored_event(e) for e in events]
    stored.insert(3, None)
    decoded = PageDecoder(mapper).decode(stored)
    assert decoded[3] is None
    rest = decoded[:3] + decoded[4:]
    assert rest == events
    assert [type(e) for e in rest] == [type(e) for e in events]
    assert [e.__dict__ for e in rest] == [e.__dict__ for e in events]


def test_older_versions_and_bad_state_go_through_the_mapper() -> None:
    labelled, v1, v2 = labelled_as_stored()
    decoder = PageDecoder(mapper)
    upcast, same = decoder.decode([v1, v2])
    assert (upcast.label, upcast.language) == ("new", "en")
    assert same == labelled
    with pytest.raises(MapperDeserialisationError, match="Failed to deserialise"):
        decoder.decode([dataclasses.replace(v2, state=b"{oops")])


@pytest.mark.parametrize(
    "timestamp",
    [
        dt.datetime(2022, 6, 22, 10, 30, 1, 123456, tzinfo=dt.UTC),
        dt.datetime(2022, 6, 22, 10, 30, 1, tzinfo=dt.UTC),  # no microseconds: formatted
        dt.datetime(2022, 6, 22, 10, 30, 1, 1000, tzinfo=dt.UTC),
        dt.datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
        dt.datetime(2022, 6, 22, 11, 30, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ],
)
def test_a_versions_time_read_from_the_stored_event_is_utc_key(timestamp: dt.datetime) -> None:
    event: Any = every_kind_of_event()[0]
    object.__setattr__(event, "timestamp", timestamp)
    state = mapper.to_stored_event(event).state
    assert stored_utc_key(state, timestamp) == utc_key(timestamp)
    other = msgspec.json.encode({"meta": None, "timestamp": timestamp})  # not first: formatted
    assert stored_utc_key(other, timestamp) == utc_key(timestamp)
