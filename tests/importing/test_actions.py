"""Actions raised by resolutions: who, what, by when."""

from __future__ import annotations

import datetime as dt

import pytest

from service.importing.actions import ActionDraft, extract_actions

PEOPLE = (
    "Councillor Hardy",
    "Simon Burnett",
    "Andrea Watts",
    "Chris White",
    "Chief Inspector Matthew Moscrop",
    "Rosanna Stanley",
    "Mary Mason",
)
MEETING = dt.date(2022, 3, 17)


def one(resolution: str) -> ActionDraft:
    (action,) = extract_actions(resolution, PEOPLE, MEETING)
    return action


def test_named_person_forwards_details() -> None:
    action = one(
        "Chris White forward details to CI Moscrop of community and friends groups who may need "
        "some awareness training."
    )
    assert action.owners == ("Chris White",)  # the subject, not the recipient
    assert action.description.startswith("Chris White forward details to CI Moscrop")
    assert (action.due_date, action.due_meeting) == (None, None)


def test_requested_to_investigate_two_people() -> None:
    action = one("Simon Burnett and Andrea Watts be requested to investigate the issues raised")
    assert action.owners == ("Simon Burnett", "Andrea Watts")


def test_surname_matches_the_attendance_list() -> None:
    assert one("CI Moscrop to liaise with the Council's parks team").owners == (
        "Chief Inspector Matthew Moscrop",
    )
    assert one("Ros Stanley to circulate the hotspot map").owners == ("Rosanna Stanley",)


def test_report_to_a_named_month_meeting() -> None:
    action = one(
        "a further report be submitted to the September 2022 meeting giving an update on progress"
    )
    assert action.owners == ()
    assert action.due_meeting == "2022-09"
    assert one("a report be submitted to the September meeting").due_meeting == "2022-09"
    assert one("a report be submitted to the January meeting").due_meeting == "2023-01"


def test_next_and_future_meetings_and_dated_meetings() -> None:
    assert (
        one(
            "A draft statement on VAWG be provided to the next meeting for consideration."
        ).due_meeting
        == "next meeting"
    )
    assert (
        one("update reports be submitted to future meetings of Safer Sefton Together.").due_meeting
        == "future meetings"
    )
    assert one("a progress report be brought to the meeting on 8 December 2022").due_meeting == (
        "2022-12-08"
    )


def test_group_owners_as_written() -> None:
    assert one("All parties be requested to sign up to the agreement.").owners == ("All parties",)
    assert one(
        "Statutory Agencies from the Partnership be requested to undertake to financially "
        "support the cost of future Domestic Homicide Reviews."
    ).owners == ("Statutory Agencies from the Partnership",)
    assert one(
        "that comments on the report and Members and Partners be requested to provide any "
        "comments and the completed spreadsheet as soon as possible."
    ).owners == ("Members and Partners",)


def test_role_to_have_a_discussion() -> None:
    action = one(
        "the Service Manager for Education Excellence to have a discussion with the Youth "
        "Justice Service around their cohorts education plans and sufficiency."
    )
    assert action.owners == ("Service Manager for Education Excellence",)
    assert action.description.startswith("The Service Manager for Education Excellence to have")


def test_passive_action_without_owner() -> None:
    action = one("a formal action tracker to be produced and included with minutes.")
    assert action.owners == ()
    assert action.description == "A formal action tracker to be produced and included with minutes"


def test_due_dates() -> None:
    assert one("Ros Stanley to circulate the map to partners by 31 March 2023").due_date == (
        dt.date(2023, 3, 31)
    )
    assert one("the review be completed by the end of March 2023").due_date == dt.date(2023, 3, 31)


def test_clause_after_noting_is_the_action() -> None:
    action = one("the report be noted and Chris White be asked to brief the Board")
    assert action.description == "Chris White be asked to brief the Board"
    assert action.owners == ("Chris White",)


@pytest.mark.parametrize(
    "resolution",
    [
        "the report be noted",
        "That the report be noted.",
        "That the report be noted and Mary Mason and Monica Touhey be thanked for their review.",
        "the priorities for a VAWG action plan as set out in the report be agreed",
        "The revised PREVENT strategy as now submitted be approved",
        "That the next meeting be held on Thursday, 8 December 2022 commencing at 10.00 am.",
        "meetings of the Partnership be held on the following dates and times: Thursday 9 June "
        "2022 commencing at 10.00am",
        "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record.",
        "the Annual Report be noted",
        "the Committee welcomes the Partnership’s commitment to raise its profile.",
        "this item remain on the Agenda for future meetings as a regular update on progress.",
    ],
)
def test_not_actions(resolution: str) -> None:
    assert extract_actions(resolution, PEOPLE, MEETING) == []


def test_seed_resolutions_raise_the_expected_actions() -> None:
    from pathlib import Path

    from service.importing.parse import parse_minutes

    seeds = Path(__file__).resolve().parents[2] / "service" / "examples"
    doc = parse_minutes(next(seeds.glob("001_*.txt")).read_bytes(), file="001.txt")
    people = (*doc.present, *doc.also_present, *doc.apologies)
    raised = [
        (item.number, a.owners, a.due_meeting)
        for item in doc.items
        for part in item.resolutions
        for a in extract_actions(part, people, doc.meeting_date)
    ]
    assert raised == [
        ("33", (), "2022-09"),
        ("34", ("Service Manager for Education Excellence",), None),
        ("36", ("Simon Burnett", "Andrea Watts"), None),
        ("36", (), "next meeting"),
        ("37", (), None),
    ]


@pytest.mark.parametrize(
    "resolution",
    [
        "That no objections be raised.",
        "That the Council raises no objection to the application.",
        "That nothing further be done.",
    ],
)
def test_deciding_that_nothing_be_done_is_not_an_action(resolution: str) -> None:
    assert extract_actions(resolution, PEOPLE, MEETING) == []


def test_an_action_that_conveys_no_objection_is_still_an_action() -> None:
    action = one("That the Clerk write to the developer raising no objection to the layout.")
    assert action.owners == ("Clerk",)
