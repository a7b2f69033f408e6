"""The five seed minutes, read by hand and checked field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.importing.document import ParsedMinutes, Reference
from service.importing.parse import parse_minutes

SEEDS = Path(__file__).resolve().parents[2] / "service" / "examples"


def parse(stem: str, **kwargs: object) -> ParsedMinutes:
    path = next(SEEDS.glob(f"{stem}_*.txt"))
    return parse_minutes(path.read_bytes(), file=path.name, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def s000() -> ParsedMinutes:
    return parse("000")


@pytest.fixture(scope="module")
def s001() -> ParsedMinutes:
    return parse("001")


@pytest.fixture(scope="module")
def s002() -> ParsedMinutes:
    return parse("002")


@pytest.fixture(scope="module")
def s003() -> ParsedMinutes:
    return parse("003", meeting_date=dt.date(2019, 3, 12))


@pytest.fixture(scope="module")
def s004() -> ParsedMinutes:
    return parse(
        "004", meeting_date=dt.date(2019, 7, 3), body="Worcestershire Safer Communities Board"
    )


def shape(doc: ParsedMinutes) -> list[tuple[str | None, str, int]]:
    return [(i.number, i.title, len(i.resolutions)) for i in doc.items]


# --- 000: Sefton Safer Communities Partnership, 5 December 2019 -------------------------


def test_000_header(s000: ParsedMinutes) -> None:
    assert s000.body == "Sefton Safer Communities Partnership"
    assert s000.meeting_date == dt.date(2019, 12, 5)
    assert s000.venue == "The Committee Room, Town Hall, Bootle"
    assert s000.chair == "Tanya Wilcock"
    assert s000.present == (
        "Tanya Wilcock",
        "Councillor John Sayers",
        "Councillor Jenny Currie",
        "Neil Frackleton",
        "Martin Gay",
        "Tony Harland",
        "Sue Holden",
        "Superintendent Graeme Robson",
        "Chief Inspector Matthew Moscrop",
        "Martin Chambers",
        "Chris White",
        "Sharron Cottersall",
        "Rosanna Stanley",
        "Steve Martlew",
    )
    assert s000.also_present == ()
    assert s000.apologies == ("Councillor T. Hardy", "Karen Rooney")
    assert s000.call_in is None
    assert s000.next_meeting == "2020-03-12T10:00"


def test_000_items(s000: ParsedMinutes) -> None:
    assert shape(s000) == [
        ("28", "Apologies for Absence", 0),
        ("29", "Declarations of Interest", 0),
        ("30", "Minutes of Previous Meeting", 1),
        ("31", "Merseyside Violence Reduction Unit (VRU)", 2),
        ("32", "Prevent", 2),
        ("33", "Domestic and Sexual Abuse Update", 1),
        ("34", "Homeless Death Review", 1),
        ("35", "Operation Target - Merseyside Police's Response to Serious Violence", 2),
        ("36", "Information Sharing Agreement", 2),
        ("37", "Integrated Youth Services - Update Report", 1),
        ("38", "Any Other Business", 1),
        ("39", "Date of Next Meeting", 1),
    ]
    items = {i.number: i for i in s000.items}
    assert items["31"].resolutions == (
        "the informative presentation be noted",
        "this item remain on the Agenda for future meetings as a regular update on progress.",
    )
    assert items["31"].paragraphs[2:] == (
        "Statistics and trends in Violent Crime;",
        "Funding received from the government;",
        "Actions taken to allocate the funding into specific areas",
        "Discussions and consultations carried out",
        "Next steps and application for funding in 2020/21",
    )
    assert items["32"].resolutions == (
        "The revised PREVENT strategy as now submitted be approved",
        "further operational update reports be submitted to future meetings as appropriate",
    )
    assert items["34"].resolutions == ("That the update be noted.",)  # under "RESLOVED"
    assert items["35"].resolutions[1] == (
        "Chris White forward details to CI Moscrop of community and friends groups who may "
        "need some awareness training."
    )
    assert items["36"].resolutions[1] == "All parties be requested to sign up to the agreement."
    assert len(items["38"].paragraphs) == 4
    assert all("RESOLVED" not in p for i in s000.items for p in i.paragraphs)


def test_000_references_and_approval(s000: ParsedMinutes) -> None:
    items = {i.number: i for i in s000.items}
    september = dt.date(2019, 9, 12)
    assert items["30"].references == (
        Reference(minute="20", meeting_date=september),
        Reference(minute="24", meeting_date=september),
    )
    assert all(not i.references for i in s000.items if i.number != "30")
    assert items["30"].resolutions == (
        "That the Minutes of the meeting held on 12 September, 2019 be confirmed as a correct "
        "record.",
    )
    assert s000.approves_minutes_of == september
    assert s000.approval_item == "30"
    assert s000.amendments == ()


# --- 001: Safer Sefton Together, 17 March 2022 -------------------------------------------


def test_001_header(s001: ParsedMinutes) -> None:
    assert s001.body == "Safer Sefton Together"
    assert s001.meeting_date == dt.date(2022, 3, 17)
    assert s001.venue == "Remote meeting held on Microsoft Teams"
    assert s001.chair == "Councillor Hardy"
    assert s001.present == (
        "Councillor Hardy",
        "Helen Armitage",
        "Simon Burnett",
        "Martin Chambers",
        "Sharron Cotterall",
        "Tracy Forshaw",
        "Neil Frackleton",
        "Inspector James Gillett",
        "Kevin Hollis",
        "Adele Maddocks",
        "Janette Maxwell",
        "Tracy McKeating",
        "Superintendent Graeme Robson",
        "Andrea Watts",
        "Jan Marlow",
        "Chief Inspector Tracy Trubshaw",
        "Chris White",
        "Jen Williams",
    )
    assert s001.also_present == ()
    assert s001.apologies == (
        "Councillor John Sayers",
        "Mike Berry",
        "Tricia Davies",
        "Sue Holden",
        "Steve Martlew",
        "Ben Ryder",
        "Kevin Sexton",
        "Ros Stanley",
    )
    assert s001.call_in is None
    assert s001.next_meeting == "2022-06-09T10:00"  # first of the programme after 17 March


def test_001_items(s001: ParsedMinutes) -> None:
    assert shape(s001) == [
        ("30", "Apologies for Absence", 0),
        ("31", "Declarations of Interest", 0),
        ("32", "Minutes of Previous Meeting", 1),
        ("33", "Integrated Offender Management (IOM) Refresh Strategy", 2),
        ("34", "Provision of Alternative Education Settings", 2),
        ("35", "Local Policing Update", 2),
        ("36", "Violence Against Women and Girls - Partner Reports", 4),
        ("37", "Date of Next Meeting", 3),
    ]
    items = {i.number: i for i in s001.items}
    assert items["33"].resolutions[1] == (
        "a further report be submitted to the September 2022 meeting giving an update on "
        "progress in Sefton."
    )
    assert (
        "Reduction of 'Neighbourhood Crime' - concentrating on persistent acquisitive "
        "offenders" in items["33"].paragraphs
    )
    assert "Accommodation;" in items["33"].paragraphs
    assert items["34"].resolutions[1].startswith("the Service Manager for Education Excellence")
    assert items["36"].resolutions == (
        "the reports be noted",
        "all organisations be thanked for the detailed and thorough reports provided",
        "Simon Burnett and Andrea Watts be requested to investigate the issues raised by RASA",
        "A draft statement on VAWG be provided to the next meeting for consideration.",
    )
    assert items["37"].resolutions == (
        "meetings of the Partnership be held on the following dates and times: Thursday 9 June "
        "2022 commencing at 10.00am; Thursday 8 September 2022 commencing at 10.00am; Thursday "
        "8 December 2022 commencing at 10.00am; and Thursday 16 March 2023 commencing at "
        "10.00am.",
        "the next meeting to be a Community safety strategy workshop-face to face if possible "
        "with a facilitated discussion to develop a Strategy and Plan",
        "a formal action tracker to be produced and included with minutes.",
    )


def test_001_references_and_approval(s001: ParsedMinutes) -> None:
    items = {i.number: i for i in s001.items}
    assert items["34"].references == (Reference(minute="26", meeting_date=dt.date(2021, 12, 9)),)
    assert items["36"].references == (Reference(minute="29", meeting_date=dt.date(2021, 9, 9)),)
    assert sum(len(i.references) for i in s001.items) == 2
    assert s001.approves_minutes_of == dt.date(2021, 12, 9)
    assert s001.approval_item == "32"
    assert s001.amendments == ()


# --- 002: Safer Sefton Together, 8 September 2022 (the CONTRACT example) ------------------


def test_002_header(s002: ParsedMinutes) -> None:
    assert s002.body == "Safer Sefton Together"
    assert s002.meeting_date == dt.date(2022, 9, 8)
    assert s002.venue == "Remote meeting held on Microsoft Teams"
    assert s002.chair == "Councillor Hardy"
    assert s002.present == (
        "Councillor Hardy",
        "Councillor Sonya Kelly",
        "Councillor Robinson",
        "Tracy Forshaw",
        "Neil Frackelton",
        "Nigel Bellamy",
        "Siobhan Grainger",
        "Jan Marlow",
        "Steve Martlew",
        "Janette Maxwell",
        "Amie Parsonage",
        "Kevin Sexton",
        "Rosanna Stanley",
        "Kevin Hollis",
        "Ray Mavrakakis",
        "Chris White",
    )
    assert s002.also_present == ("Mary Mason", "Monica Touhy")
    assert s002.apologies == (
        "Superintendent Dawn McNally",
        "Chief Inspector Tracie Trubshaw",
        "Helen Armitage",
        "Simon Burnett",
        "Tricia Davies",
        "Andrea Watts",
    )
    assert s002.call_in is False
    assert s002.next_meeting == "2022-12-08T10:00"


def test_002_items(s002: ParsedMinutes) -> None:
    assert shape(s002) == [
        ("14", "Apologies for Absence", 0),
        ("15", "Declarations of Interest", 0),
        ("16", "Minutes of Previous Meeting", 1),
        ("17", "DHR10 Report", 1),
        ("18", "DHR Update", 2),
        ("19", "Prevent Update", 1),
        ("20", "Presentation of Sefton VAWG Statement / Strategy", 3),
        ("21", "Presentation of Community Safety Strategy / Plan", 1),
        ("22", "Serious Violence Duty", 1),
        ("23", "Draft Victim Bill", 1),
        ("24", "Interdependencies Report", 1),
        ("25", "Youth Justice Service Update", 1),
        ("26", "Date of Next Meeting", 1),
    ]
    items = {i.number: i for i in s002.items}
    assert items["18"].resolutions == (
        "The report be noted",
        "Statutory Agencies from the Partnership be requested to undertake to financially "
        "support the cost of future Domestic Homicide Reviews.",
    )
    assert items["20"].resolutions[2] == (
        "update reports be submitted to future meetings of Safer Sefton Together."
    )
    # a paragraph broken by a blank line mid-sentence is joined again
    assert (
        items["21"]
        .paragraphs[1]
        .endswith(
            "following receipt of the information with a view to it being formally approved by "
            "Safer Sefton Together at the next meeting on 8 December 2022."
        )
    )
    assert items["25"].paragraphs[2:] == (
        "Custody;",
        "Critical Learning Reviews;",
        "Violent Offences Case Mapping; and",
        "Mapping of Girls with Mental Health Concerns.",
    )


def test_002_references(s002: ParsedMinutes) -> None:
    items = {i.number: i for i in s002.items}
    june = dt.date(2022, 6, 22)
    assert items["16"].references == (Reference(minute="6", meeting_date=june),)
    assert items["18"].references == (Reference(minute="4", meeting_date=june),)
    assert items["20"].references == (
        Reference(minute="36", meeting_date=dt.date(2022, 3, 17)),
        Reference(minute="6", meeting_date=june),
    )
    assert items["21"].references == (Reference(minute="9", meeting_date=june),)


def test_002_swacca_amendment(s002: ParsedMinutes) -> None:
    item = next(i for i in s002.items if i.number == "16")
    assert item.resolutions == (
        "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
        'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.',
    )
    assert s002.approves_minutes_of == dt.date(2022, 6, 22)
    assert s002.approval_item == "16"
    assert [a.contract_dict() for a in s002.amendments] == [
        {"op": "delete", "old": "by SWACCA", "new": None, "minute": "6", "paragraph": 1}
    ]


def test_002_contract_dict(s002: ParsedMinutes) -> None:
    out = s002.contract_dict()
    assert out["file"].startswith("002_")
    assert out["meeting_date"] == "2022-09-08"
    assert out["present"][:2] == ["Councillor Hardy", "Councillor Sonya Kelly"]
    assert out["items"][2]["title"] == "Minutes of Previous Meeting"
    assert out["items"][2]["references"] == [{"minute": "6", "meeting_date": "2022-06-22"}]
    assert out["approves_minutes_of"] == "2022-06-22"


# --- 003 and 004: ModernGov agenda-item pages ---------------------------------------------


def test_003_item_page(s003: ParsedMinutes) -> None:
    assert s003.body is None
    assert s003.meeting_date == dt.date(2019, 3, 12)
    assert (s003.venue, s003.chair, s003.present, s003.apologies) == (None, None, (), ())
    assert s003.call_in is None and s003.next_meeting is None
    (item,) = s003.items
    assert item.number is None
    assert item.title == "Safer Chorley & South Ribble Community Safety Partnership"
    assert item.unanimous
    assert len(item.paragraphs) == 3 + 16  # three paragraphs, sixteen "•" bullets
    assert item.paragraphs[0].startswith("The Committee considered the report")
    assert item.paragraphs[3].startswith("Role with the Partnership – the Council currently")
    assert "Police Crime and Commissioners (PCC)" in item.paragraphs[3]  # NBSP collapsed
    assert not any("Report of the Public Health Manager attached" in p for p in item.paragraphs)
    assert item.resolutions == (
        "the Partnership’s future reports to Scrutiny Committee include more measurable "
        "outcomes and measures of success.",
        "further consideration be given to the Partnership engaging more effectively with young "
        "people and youth groups.",
        "a more proactive and structured approach to child sexual exploitation be developed by "
        "the Partnership.",
        "the Partnership explores potential external funding sources to help deliver its "
        "objectives.",
        "the Committee welcomes the Partnership’s commitment to raise its profile and promote "
        "positive messages.",
        "future reports include resident confidence/safety perception data, including trends and "
        "comparisons.",
    )
    assert s003.approves_minutes_of is None and s003.amendments == ()


def test_004_item_page(s004: ParsedMinutes) -> None:
    assert s004.body == "Worcestershire Safer Communities Board"  # given, not in the page
    assert s004.meeting_date == dt.date(2019, 7, 3)
    (item,) = s004.items
    assert item.number is None
    assert item.title == "Annual Worcestershire County Council Community Safety Report"
    assert not item.unanimous
    assert item.resolutions == (
        "The Board would be updated on the progress of the data set being developed in "
        "partnership with Police analysts to enable more meaningful monitoring of crime "
        "reduction strategies",
        "The Lead Member for Crime and Disorder would work more closely with the Chairman of the "
        "West Mercia Police and Crime Panel",
        "The GET SAFE presentations would be shared with District Councils and they would be "
        "encouraged to champion the initiative.",
    )
    paragraphs = item.paragraphs
    assert "Main Discussion Points:" in paragraphs
    assert paragraphs[paragraphs.index("Main Discussion Points:") + 1].startswith(
        "the importance of the role of local councillors"
    )
    assert (
        "GET SAFE Strategic Group for wider strategic responses and overseeing GET SAFE "
        "Action Plan" in paragraphs
    )  # a "Ø" bullet
    assert not any("Supporting documents" in p or "Agenda item" in p for p in paragraphs)
    assert paragraphs[-1].startswith("The Chairman thanked everyone")


def test_item_pages_need_a_date() -> None:
    from service.importing.errors import MinutesFormatError

    with pytest.raises(MinutesFormatError, match="no meeting date found: pass --date"):
        parse("003")


def test_every_seed_round_trips_to_contract_json(
    s000: ParsedMinutes, s001: ParsedMinutes, s002: ParsedMinutes
) -> None:
    import msgspec

    for doc in (s000, s001, s002):
        encoded = msgspec.json.encode(doc.contract_dict())
        assert msgspec.json.decode(encoded)["items"]
