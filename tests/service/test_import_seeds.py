"""Store-mode import of the seeds, on both stores: events, actions, approvals, idempotence."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from domain.errors import RecordConflictError
from service import commands as c
from service.app import Minutebook
from service.demo import example_bytes, load_examples
from service.importing.parse import parse_minutes
from service.importing.record import record_minutes

SEED_002 = "002_6bee98a6ba801922.txt"


def import_seed(app: Minutebook, name: str, **kwargs: object) -> object:
    data = example_bytes(name)
    doc = parse_minutes(data, file=name, **kwargs)  # type: ignore[arg-type]
    return record_minutes(app, doc, hashlib.sha256(data).hexdigest())


def test_all_examples_load_and_a_second_load_records_nothing(app: Minutebook) -> None:
    outcomes = load_examples(app)
    assert [o.imported for o in outcomes] == [True] * 5
    assert all(o.position for o in outcomes)
    sst = app.find_body("Safer Sefton Together")
    assert sst.former_names == ["Sefton Safer Communities Partnership"]
    assert app.find_body("Sefton Safer Communities Partnership").id == sst.id
    dec = app.minutes("safer-sefton-together", dt.date(2019, 12, 5))
    assert [i.number for i in dec.items] == [str(n) for n in range(28, 40)]
    assert dec.status == "circulated"
    warnings = [w for o in outcomes for w in o.warnings]
    assert any("2019-09-12" in w for w in warnings)  # seed 000 approves minutes not in the store
    head = app.recorder.max_notification_id()
    again = load_examples(app)
    assert [o.imported for o in again] == [False] * 5
    assert app.recorder.max_notification_id() == head


def test_every_imported_event_names_its_file(app: Minutebook) -> None:
    import_seed(app, SEED_002)
    sha = hashlib.sha256(example_bytes(SEED_002)).hexdigest()
    meeting = app.find_meeting(app.find_body("Safer Sefton Together"), dt.date(2022, 9, 8))
    events = list(app.events.get(meeting.id))
    assert events and {e.meta.source for e in events} == {f"import:{sha}"}  # type: ignore[attr-defined]


def test_actions_are_raised_from_resolutions_that_ask_for_something(app: Minutebook) -> None:
    outcome = import_seed(app, "000_9ce30ee691b8d9d5.txt")
    assert outcome.actions >= 2  # type: ignore[attr-defined]
    from domain import ids
    from domain.action import Action

    body = app.find_body("Sefton Safer Communities Partnership")
    meeting = app.find_meeting_id(body, dt.date(2019, 12, 5))
    action = app.get_as(Action, ids.action_id(meeting, "35", 2))
    assert action.owners == ("Chris White",)
    assert "CI Moscrop" in action.description


def test_importing_002_confirms_june_when_june_is_in_the_store(app: Minutebook) -> None:
    app.register_body(c.RegisterBody(name="Safer Sefton Together"))
    june = dt.date(2022, 6, 22)
    app.schedule_meeting(c.ScheduleMeeting(body="Safer Sefton Together", date=june))
    app.minute_item(
        c.MinuteItem(
            body="Safer Sefton Together",
            date=june,
            number="6",
            title="Violence Against Women and Girls",
            paragraphs=(
                "The Partnership considered the statement drafted by SWACCA and partners.",
            ),
        )
    )
    outcome = import_seed(app, SEED_002)
    assert outcome.confirmed == june  # type: ignore[attr-defined]
    doc = app.minutes("Safer Sefton Together", june)
    assert doc.status == "confirmed"
    assert doc.items[0].paragraphs == (
        "The Partnership considered the statement drafted and partners.",
    )
    assert doc.confirmed_at is not None and doc.confirmed_at.minute == "16"


def test_the_same_meeting_from_another_file_is_refused(app: Minutebook) -> None:
    import_seed(app, SEED_002)
    data = example_bytes(SEED_002) + b"\n"
    doc = parse_minutes(data, file="copy.txt")
    with pytest.raises(RecordConflictError, match="already has minutes"):
        record_minutes(app, doc, hashlib.sha256(data).hexdigest())
