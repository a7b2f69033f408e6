"""The documented heuristics, one by one: names, title case, dates, resolutions, text."""

from __future__ import annotations

import datetime as dt

import pytest

from service.importing.casing import title_case
from service.importing.dates import first_date, first_time
from service.importing.names import read_names
from service.importing.resolutions import split_item
from service.importing.text import normalise


def test_councillors_prefix_runs_to_the_end_of_its_line() -> None:
    names, chair = read_names("Jo Bell (in the Chair)\nCouncillors Ann Lee, Bob Day,\nCat Orr")
    assert names == ["Jo Bell", "Councillor Ann Lee", "Councillor Bob Day", "Cat Orr"]
    assert chair == "Jo Bell"


def test_councillors_prefix_stops_at_another_title() -> None:
    names, _ = read_names("Councillors Ann Lee, Dr Sam Roe, Bob Day")
    assert names == ["Councillor Ann Lee", "Dr Sam Roe", "Bob Day"]


def test_singular_councillor_carries_to_a_bare_surname() -> None:
    assert read_names("Councillor Sonya Kelly and Robinson,")[0] == [
        "Councillor Sonya Kelly",
        "Councillor Robinson",
    ]


def test_missing_commas_and_affiliations() -> None:
    assert read_names("Sharron Cottersall Rosanna Stanley and\nSteve Martlew.")[0] == [
        "Sharron Cottersall",
        "Rosanna Stanley",
        "Steve Martlew",
    ]
    assert read_names("Mary Ann Smith, Tricia Davies (Head of Education) Sue Holden (CVS)")[0] == [
        "Mary Ann Smith",
        "Tricia Davies",
        "Sue Holden",
    ]


def test_titles_split_across_lines_are_kept() -> None:
    assert read_names("Superintendent Graeme Robson, Chief\nInspector Matthew Moscrop")[0] == [
        "Superintendent Graeme Robson",
        "Chief Inspector Matthew Moscrop",
    ]


@pytest.mark.parametrize(
    ("caps", "title"),
    [
        ("MERSEYSIDE VIOLENCE REDUCTION UNIT (VRU)", "Merseyside Violence Reduction Unit (VRU)"),
        ("DHR10 REPORT", "DHR10 Report"),
        ("DHR UPDATE", "DHR Update"),
        ("PREVENT", "Prevent"),
        ("ANY OTHER BUSINESS", "Any Other Business"),
        (
            "INTEGRATED OFFENDER MANAGEMENT (IOM) REFRESH",
            "Integrated Offender Management (IOM) Refresh",
        ),
        (
            "OPERATION TARGET - POLICE'S RESPONSE TO CRIME",
            "Operation Target - Police's Response to Crime",
        ),
        ("PART II - EXEMPT", "Part II - Exempt"),
        ("Already Written in Title Case", "Already Written in Title Case"),
    ],
)
def test_title_case(caps: str, title: str) -> None:
    assert title_case(caps) == title


def test_document_acronyms_stay_in_capitals() -> None:
    assert title_case("SEFTON VAWG STATEMENT", {"VAWG"}) == "Sefton VAWG Statement"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("THURSDAY 5TH DECEMBER, 2019", dt.date(2019, 12, 5)),
        ("Thursday, 12 March, 2020", dt.date(2020, 3, 12)),
        ("the 8th of December 2022", dt.date(2022, 12, 8)),
        ("December 5, 2019", dt.date(2019, 12, 5)),
        ("14/07/2020", dt.date(2020, 7, 14)),
        ("Wednesday 15thMay 2019, 7pm", dt.date(2019, 5, 15)),
        ("held on 18May 2021 following an adjournment", dt.date(2021, 5, 18)),
        ("31 February 2020", None),
        ("section 3.2.10", None),
    ],
)
def test_dates(text: str, date: dt.date | None) -> None:
    assert first_date(text) == date


@pytest.mark.parametrize(
    ("text", "time"),
    [("10.00 am", "10:00"), ("10am", "10:00"), ("2.30 pm", "14:30"), ("14:00", "14:00"),
     ("12 noon", "12:00"), ("10.00am;", "10:00"), ("item 3.2", None)],
)  # fmt: skip
def test_times(text: str, time: str | None) -> None:
    assert first_time(text) == time


def test_resolution_intros_and_parts() -> None:
    lines = normalise(
        "Some discussion.\n\nRESOLVED: That;\n\n- (1) the report be noted; and\n"
        "- (2) the Clerk write to the applicant:\n\n(a) with the decision;\n(b) with reasons.\n\n"
        "The meeting closed at 8.00 pm."
    )
    text = split_item(lines)
    assert text.resolutions == [
        "the report be noted",
        "the Clerk write to the applicant: (a) with the decision; (b) with reasons.",
    ]
    assert text.paragraphs == ["Some discussion.", "The meeting closed at 8.00 pm."]


def test_that_alone_is_not_a_resolution() -> None:
    text = split_item(normalise("RESOLVED That:\n\nThat:\n\n1. one thing\n\n1. another thing"))
    assert text.resolutions == ["one thing", "another thing"]


def test_it_was_resolved_mid_sentence() -> None:
    text = split_item(
        normalise(
            "On being put to the vote it was RESOLVED (unanimously) that the plan be adopted."
        )
    )
    assert text.resolutions == ["that the plan be adopted."]
    assert text.unanimous
    assert text.paragraphs == ["On being put to the vote"]


def test_normalise_bullets_spaces_and_markup() -> None:
    assert normalise("**BOLD**\n\u00b7\u00a0\u00a0 point\n\u00d8 arrow\no circle\nPage 3 of 7") == [
        "BOLD",
        "• point",
        "• arrow",
        "• circle",
        "",
    ]


def test_roles_after_names_are_cut_off_whole() -> None:
    names, _ = read_names(
        "Mrs A Brindley, Parish Clerk/Responsible Finance Officer, Mr D L Nicholson Deputy "
        "Parish Clerk, and Mr D Iley Admin/Finance Office."
    )
    assert names == ["Mrs A Brindley", "Mr D L Nicholson", "Mr D Iley"]
