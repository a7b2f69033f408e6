"""Bodies (renames, members, minute numbering) and actions (lifecycle, closing rules)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.action import Action, Due, Origin
from domain.body import Body
from domain.errors import (
    ActionClosedError,
    InvalidValueError,
    ItemNumberTakenError,
    RecordConflictError,
)


def test_registered_body_gets_its_slug_and_a_deterministic_id() -> None:
    a, b = Body.register("Safer Sefton Together"), Body.register("Safer  Sefton Together")
    assert a.slug == "safer-sefton-together" and a.id == b.id


def test_rename_keeps_the_old_name_in_history() -> None:
    body = Body.register("Sefton Safer Communities Partnership")
    body.rename("Safer Sefton Together")
    assert body.name == "Safer Sefton Together"
    assert body.former_names == ["Sefton Safer Communities Partnership"]


def test_members_are_appointed_once_and_leave_once() -> None:
    body = Body.register("Board")
    body.appoint_member("Jan Marlow", "Probation")
    with pytest.raises(RecordConflictError):
        body.appoint_member("Jan Marlow")
    body.member_leaves("Jan Marlow")
    with pytest.raises(RecordConflictError):
        body.member_leaves("Jan Marlow")


def test_numbers_continue_through_the_municipal_year_and_restart_in_may() -> None:
    body = Body.register("Board")
    meeting = uuid.uuid4()
    body.allocate_numbers(dt.date(2022, 6, 22), ("1", "2", "3"), meeting)
    assert body.next_number(dt.date(2023, 3, 16)) == "4"
    assert body.next_number(dt.date(2023, 5, 25)) == "1"
    assert body.municipal_year(dt.date(2023, 4, 30)) == 2022


def test_a_number_used_in_the_year_is_refused() -> None:
    body = Body.register("Board")
    body.allocate_numbers(dt.date(2022, 6, 22), ("6",), uuid.uuid4())
    with pytest.raises(ItemNumberTakenError, match="2022/2023"):
        body.allocate_numbers(dt.date(2022, 9, 8), ("6",), uuid.uuid4())
    body.allocate_numbers(dt.date(2023, 6, 8), ("6",), uuid.uuid4())


def test_municipal_year_start_is_configurable() -> None:
    body = Body.register("Board", year_start_month=4, year_start_day=1)
    assert body.municipal_year(dt.date(2023, 4, 2)) == 2023
    with pytest.raises(InvalidValueError):
        Body.register("Board", year_start_month=2, year_start_day=30)


ORIGIN = Origin(
    body_id=uuid.uuid4(),
    meeting_id=uuid.uuid4(),
    meeting_date=dt.date(2019, 12, 5),
    minute="35",
    part=2,
)


def action() -> Action:
    return Action.raise_action(
        uuid.uuid4(), ORIGIN, "Forward details of community groups to CI Moscrop", ("Chris White",)
    )


def test_action_lifecycle_until_done() -> None:
    a = action()
    a.update("Details gathered", "in progress")
    a.reassign(("Chris White", "Tanya Wilcock"))
    a.change_due(Due(date=dt.date(2020, 3, 12)))
    a.complete("Sent")
    assert (a.status, a.notes, a.owners) == (
        "completed",
        ["Details gathered", "Sent"],
        ("Chris White", "Tanya Wilcock"),
    )


def test_closed_action_takes_no_updates_until_reopened_with_a_reason() -> None:
    a = action()
    a.withdraw("superseded by minute 12")
    with pytest.raises(ActionClosedError, match="reopened"):
        a.update("more")
    with pytest.raises(InvalidValueError):
        a.reopen(None)
    a.reopen("raised again at the March meeting")
    a.update("resumed")
    assert a.status == "open"


def test_due_meeting_must_belong_to_the_same_body() -> None:
    with pytest.raises(InvalidValueError, match="same body"):
        Action.raise_action(uuid.uuid4(), ORIGIN, "x", due_body_id=uuid.uuid4())
