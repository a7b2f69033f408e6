"""Real published minutes of other councils and public bodies (tests/fixtures/minutes/real/).

Each fixture is a published document, or an excerpt of one, whose first line
names its source.  The assertions state what the document says, read by a
person, not what the parser happened to print.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.importing.document import ParsedMinutes
from service.importing.parse import parse_minutes

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "minutes" / "real"


def parse(name: str, **kwargs: object) -> ParsedMinutes:
    text = (REAL / name).read_text(encoding="utf-8")
    return parse_minutes(text, file=name, **kwargs)  # type: ignore[arg-type]


def numbers_and_titles(doc: ParsedMinutes) -> list[tuple[str | None, str]]:
    return [(i.number, i.title) for i in doc.items]


def test_every_fixture_names_its_source() -> None:
    files = sorted(REAL.glob("*.txt"))
    assert len(files) >= 10
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Source: http"), path.name
        assert path.stat().st_size < 40_000, path.name


def test_west_suffolk_cabinet_moderngov_listing() -> None:
    doc = parse("west_suffolk_cabinet_2020-11-10.txt")
    assert doc.body == "Cabinet"
    assert doc.meeting_date == dt.date(2020, 11, 10)
    assert doc.meeting_time == "18:00"
    assert doc.venue == "Virtual Meeting via MS TeamsLive Meeting Platform"
    assert numbers_and_titles(doc) == [
        ("177", "Welcome and meeting facilitation"),
        ("178", "Apologies for absence"),
        ("179", "Minutes"),
        ("180", "Declarations of interest"),
    ]
    assert doc.apologies == ()
    assert doc.items[1].paragraphs == ("No apologies for absence were received.",)
    # "The minutes of the meetings held on 22 September 2020 and 6 October 2020 were confirmed"
    assert doc.approves_minutes_of == dt.date(2020, 9, 22)
    assert doc.approval_item == "179"
    text = " ".join(p for i in doc.items for p in i.paragraphs)
    assert "Members are reminded" not in text  # the agenda text is not the minutes
    assert "PDF" not in " ".join(i.title for i in doc.items)


def test_surrey_police_and_crime_panel_slash_numbers() -> None:
    doc = parse("surrey_police_crime_panel_2020-09-15.txt")
    assert doc.body == "Surrey Police and Crime Panel"
    assert doc.meeting_date == dt.date(2020, 9, 15)
    assert doc.meeting_time == "10:30"
    assert doc.venue == "Remote"
    assert numbers_and_titles(doc) == [
        ("39/20", "Apologies for Absence"),
        ("40/20", "Minutes of the Previous Meeting"),
        ("41/20", "Declarations of Interest"),
    ]
    assert doc.apologies == ("Councillor Bob Milton", "Councillor John Furey")
    assert doc.approves_minutes_of == dt.date(2020, 6, 30)
    assert doc.items[2].paragraphs == ("There were none.",)
    assert all("Share this item" not in p for i in doc.items for p in i.paragraphs)


def test_nottingham_fire_authority_substitutes_are_not_apologies() -> None:
    doc = parse("nottingham_fire_policy_strategy_2015-07-24.txt")
    assert doc.body == (
        "Nottinghamshire and City of Nottingham Fire and Rescue Authority - Policy and Strategy"
    )
    assert doc.meeting_date == dt.date(2015, 7, 24)
    assert doc.meeting_time == "10:00"
    assert doc.venue == "Fire and Rescue Services HQ, Bestwood Lodge, Arnold Nottingham NG5 8PD"
    assert numbers_and_titles(doc) == [
        ("1", "Apologies for Absence"),
        ("2", "Declarations of Interests"),
        ("3", "Minutes"),
        ("4", "Exclusion of the Public"),
        ("5", "Exempt Minutes"),
    ]
    assert doc.apologies == (
        "Councillor Jon Collins",
        "Councillor Chris Barnfather",
        "Councillor Brian Grocock",
    )
    assert doc.approves_minutes_of == dt.date(2015, 4, 17)
    assert doc.approval_item == "3"


def test_honingham_parish_unnumbered_capital_headings() -> None:
    doc = parse("honingham_parish_2016-09-12.txt")
    assert doc.body == "Honingham Parish Council"
    assert doc.meeting_date == dt.date(2016, 9, 12)
    assert doc.chair == "Mr D Bishop"
    assert doc.present == (
        "Mr D Bishop",
        "Mr R Human",
        "Mrs L Human",
        "Mrs S Blyth",
        "Mrs N Cargill",
    )
    assert doc.apologies == ("Mr S Steggles", "Mr T Sapey")
    assert numbers_and_titles(doc) == [
        (None, "Apologies for Absence"),
        (None, "The Minutes"),
        (None, "Matters Arising"),
        (None, "Finance"),
        (None, "Planning"),
        (None, "Highways and Footpaths"),
    ]
    finance = doc.items[3]
    assert finance.paragraphs[0] == (
        "A cheque was signed to Mr E Perrett, for mower service, for £150.75."
    )
    assert doc.items[0].paragraphs == (
        "APOLOGIES FOR ABSENCE were received from Mr S Steggles and Mr T Sapey",
    )


def test_brandeston_parish_item_and_year_numbers() -> None:
    doc = parse("brandeston_parish_2007-03-28.txt")
    assert doc.meeting_date == dt.date(2007, 3, 28)
    assert doc.venue == "The Village Hall"
    assert doc.chair == "Councillor D Risk"
    assert doc.present == (
        "Councillor D Risk",
        "Councillor P Summers",
        "Councillor C McArthur",
        "Councillor J Garratt",
        "Councillor H Saxton",
        "Councillor K Churchill",
    )
    # S Thurlow "was unable to give apologies": nobody sent any.
    assert doc.apologies == ()
    assert numbers_and_titles(doc) == [
        ("1-0607/8", "Welcome and Apologies"),
        ("2-0607/8", "Declarations of Interest"),
        ("3-0607/8", "Local Development Framework"),
        ("4-0607/8", "Variation to the agenda business"),
    ]
    # "Dates of next meetings were confirmed … as 16 April 2007 (Parish Plan meeting at 8.00 pm)"
    assert doc.next_meeting == "2007-04-16T20:00"


def test_north_yorkshire_parish_numbered_paragraphs() -> None:
    doc = parse("north_yorks_parish_2023-10-30.txt")
    assert doc.meeting_date == dt.date(2023, 10, 30)
    assert [i.number for i in doc.items] == [str(n) for n in range(1, 9)]
    assert doc.items[2].title == "Matters arising"
    assert doc.items[0].paragraphs == ("Apologises were received from Dr Andrew Phillips",)
    assert doc.items[4].paragraphs == (
        "The precept of £1,500.00 as in previous years to be requested.",
    )
    assert doc.apologies == ("Dr Andrew Phillips",)
    assert doc.approves_minutes_of is None  # "the minutes of the previous meeting": no date
    assert doc.next_meeting == "2024-01-30T19:00"  # "Tuesday January 30th at 7.00 pm"


def test_thame_town_council_unlabelled_attendance() -> None:
    doc = parse("thame_town_council_2021-04-27.txt")
    assert doc.body == "Thame Town Council"
    assert doc.meeting_date == dt.date(2021, 4, 27)
    assert doc.meeting_time == "18:30"
    assert doc.present == tuple(
        f"Cllr {n}"
        for n in (
            "B Austin", "D Bretherton", "N Champken-Woods", "P Cowell", "M Deacock", "A Dite",
            "M Dyer", "L Emery", "H Fickling", "K Gregory", "C Jones", "A Midwinter",
            "J Tipping", "T Wyse",
        )
    )  # fmt: skip
    assert doc.also_present == ("C Pinnells", "G Markland", "A Oughton", "L Fuller")
    assert doc.apologies == ("Cllr Dodds",)
    assert numbers_and_titles(doc) == [
        ("1", "Apologies for Absence"),
        ("2", "Declarations of Interest and Dispensations"),
        ("3", "Civic Announcements"),
        ("4", "Thames Valley Police"),
    ]


def test_tonbridge_and_malling_coded_minute_numbers() -> None:
    doc = parse("tonbridge_malling_council_2008-05-13.txt")
    assert doc.body == "Council"
    assert doc.meeting_date == dt.date(2008, 5, 13)
    assert doc.meeting_time == "19:30"
    assert doc.venue == "Civic Suite, Gibson Building, Kings Hill, West Malling"
    assert numbers_and_titles(doc) == [
        ("C 08/042", "Election of Mayor"),
        ("C 08/043", "Vote of Thanks to Retiring Mayor"),
        ("C 08/044", "Election of Deputy Mayor"),
        ("C 08/045", "Minutes"),
        ("C 08/046", "Mayor's Announcements"),
    ]
    election = doc.items[0]
    assert election.resolutions == (
        "That Councillor C Smith be elected Mayor for the ensuing municipal year.",
    )
    assert election.paragraphs == (
        "It was proposed by Councillor Aikman, seconded by Councillor Rhodes and",
        "The Mayor, having made and subscribed the statutory declaration of acceptance of "
        "office, was invested by the retiring Mayor with the Badge and Chain of Office, assumed "
        "the Chair and thanked Members for his election.",
    )
    assert doc.approves_minutes_of == dt.date(2008, 4, 22)
    assert doc.approval_item == "C 08/045"


def test_buckinghamshire_fire_authority_resolved_dash() -> None:
    doc = parse("buckinghamshire_fire_authority_2022.txt", meeting_date=dt.date(2022, 3, 16))
    assert doc.meeting_date == dt.date(2022, 3, 16)  # the excerpt does not state it
    assert numbers_and_titles(doc) == [
        ("2", "Minutes"),
        ("3", "Disclosure of Interests"),
        ("4", "Chairman's Announcements"),
    ]
    assert doc.items[0].resolutions == (
        "That the Minutes of the meeting of the Fire Authority held on 8 December 2021, be "
        "approved, and signed by the Chairman as a correct record.",
    )
    assert doc.items[1].paragraphs == ("None.",)
    assert doc.approves_minutes_of == dt.date(2021, 12, 8)


def test_dorrington_parish_inline_titles_and_minute_numbers() -> None:
    doc = parse("dorrington_parish_2023-10-17.txt")
    assert doc.body is None  # the document does not name the council
    assert doc.meeting_date == dt.date(2023, 10, 17)
    assert doc.chair == "Cllr Drury"
    assert doc.present == ("Cllr Drury", "Cllr Newton", "Cllr Darby", "Cllr Unwin", "Cllr Hayes")
    assert doc.apologies == ("Cllr Bell", "Cllr Kendrick", "Cllr Bailey")
    assert numbers_and_titles(doc) == [
        ("065/23", "Chairperson's welcome"),
        ("066/23", "Apologies and reasons for absence"),
        ("067/23", "Declarations of interest in agenda items"),
        ("068/23", "Allotment"),
        ("069/23", "Banking"),
    ]
    assert doc.items[2].paragraphs == ("None.",)


def test_bourton_on_the_hill_tight_numbered_headings() -> None:
    doc = parse("bourton_on_the_hill_parish_2023-05-16.txt")
    assert doc.meeting_date == dt.date(2023, 5, 16)
    assert doc.meeting_time == "19:15"
    assert doc.venue == "The Old School"
    assert doc.chair == "A.Vigrass"
    assert doc.present == ("A.Vigrass", "A.Stanley", "C.Priest", "M.Neil")
    assert doc.also_present == ("K.O’Donoghue",)  # "(clerk)"
    assert doc.apologies == ("L.Bowden", "M.Norton", "Adrian Chandler")
    assert [i.number for i in doc.items] == [str(n) for n in range(1, 13)]
    assert doc.items[0].title == "Chairman"
    assert doc.items[0].paragraphs == ("Andy Vigrass was unanimously elected as Chairman",)
    assert doc.items[5].title == "Minutes of the previous meetings held on 13th February"
    assert doc.approves_minutes_of == dt.date(2023, 2, 13)
    assert doc.items[11].resolutions == (
        "that a suitable sign for the gate would be organized by Tom Dixon and financed from "
        "Allotment",
        "that the Bledisloe Cup sign would be relocated to the allotments – AS",
    )


def test_cotswold_cabinet_minutes_block_over_decision_block() -> None:
    doc = parse("cotswold_cabinet_2024.txt", meeting_date=dt.date(2024, 10, 10))
    assert [i.number for i in doc.items] == ["1", "2", "3", "4"]
    assert doc.items[3].title == "Leader's Announcements"
    assert doc.apologies == ("Councillor Lisa Spivey", "Councillor Tony Dale")
    minutes = doc.items[2]
    assert minutes.resolutions == (
        "That the minutes of the meeting of the Cabinet meeting held on 5 September 2024 be "
        "approved as a correct record.",
    )
    assert "There were no amendments to the minutes proposed." in minutes.paragraphs
    assert doc.approves_minutes_of == dt.date(2024, 9, 5)
    text = " ".join(p for i in doc.items for p in i.paragraphs)
    assert "View Recorded Vote" not in text and "Voting Record" not in text


def test_cumbria_health_and_wellbeing_board_substitutes_and_organisations() -> None:
    doc = parse("cumbria_health_wellbeing_board_2019-04-18.txt")
    assert doc.body == "Cumbria Health and Wellbeing Board"
    assert doc.meeting_date == dt.date(2019, 4, 18)
    assert doc.meeting_time == "10:00"
    assert doc.venue == "Council Chamber - County Offices, Kendal, LA9 4RQ"
    assert numbers_and_titles(doc)[0] == ("1", "Apologies for Absence")
    # Substitutes attended; "NHS England" is where Ms B Reilly works, not a person.
    assert doc.apologies == (
        "Mr D Blacklock",
        "Mr A Cummings",
        "Ms K Fairclough",
        "Mr J Hawker",
        "Mr I Johnson",
        "Ms B Reilly",
    )


def test_dundee_integration_joint_board_table_of_members_and_roles() -> None:
    doc = parse("dundee_ijb_2021-10-27.txt")
    assert doc.body == "Dundee City Health and Social Care Integration Joint Board"
    assert doc.meeting_date == dt.date(2021, 10, 27)
    assert doc.venue == "Remote meeting"  # "held remotely"
    assert doc.chair == "Trudy McLEAY"  # "Trudy MCLEAY, Vice Chairperson, in the Chair."
    assert doc.present == (
        "Trudy McLEAY", "Lynne SHORT", "Helen WRIGHT", "Donald McPHERSON", "Bill CAMPBELL",
        "Vicky IRONS", "Dave BERRY", "Sarah DICKIE", "Jim McFARLANE", "Linda GRAY",
        "James COTTON", "Raymond MARSHALL", "Martyn SLOAN", "Emma FLETCHER",
    )  # fmt: skip
    assert doc.also_present == (
        "Jenny HILL", "Kathryn SHARP", "Arlene MITCHELL", "Chrsitine JONES", "Joyce BARCLAY",
        "Jordan GRANT", "Lucinda GODFREY", "Anne Marie MACHAN",
    )  # fmt: skip
    assert doc.apologies == ("Anne BUCHANAN", "Diane McCULLOCH", "Ken LYNN")
    assert numbers_and_titles(doc) == [
        ("I", "Apologies for Absence"),
        ("II", "Declaration of Interest"),
    ]
    assert doc.items[1].paragraphs == ("There were no declarations of interest.",)


def test_melton_parish_council_list_one_name_a_line() -> None:
    doc = parse("melton_parish_2021-05-05.txt")
    assert doc.body == "Melton Parish Council"
    assert doc.meeting_date == dt.date(2021, 5, 5)
    assert doc.meeting_time == "19:00"
    assert doc.venue == "Remote meeting held on Zoom"
    assert doc.chair == "Cllr Mr A H Porter"
    assert len(doc.present) == 14
    assert doc.present[:3] == ("Cllr Mr A H Porter", "Cllr Mrs B Abbott", "Cllr Mr B Banks")
    assert doc.present[-1] == "Cllr Mr C W Taylor"
    # "One member of the public" is not a name; the clerks' roles are not part of theirs.
    assert doc.also_present == ("Mr W Grosvenor", "Mrs P Alder")
    assert doc.apologies == ()  # "Absent: There were no absences"
    (item,) = doc.items
    assert (item.number, item.title) == ("21.44", "Election of Chair of the Council")
    assert item.resolutions == ("that Cllr Porter be elected Chair of the Council.",)
    assert item.paragraphs == ("Proposed by: Cllr Taylor Seconded by: Cllr Gradwell",)


def test_brandon_town_council_flattened_onto_one_line() -> None:
    doc = parse("brandon_town_council_2008-09-01.txt")
    assert doc.body == "Brandon Town Council"
    assert doc.meeting_date == dt.date(2008, 9, 1)
    assert doc.meeting_time == "19:00"
    assert doc.venue == "The Council Chambers, Old School House, Market Hill, Brandon"
    assert doc.present == (
        "Cllr. G Hughes", "Cllr. K Butcher", "Cllr. L Jacobs", "Cllr. Mrs S Jureko",
        "Cllr. P Ridgwell", "Cllr. A Simmons", "Cllr. N Vant", "Cllr. S Edwards",
        "Cllr. S Le Grys", "Cllr. P McLoughlin",
    )  # fmt: skip
    assert doc.also_present == ("Mrs C Mason", "PC Chanelle Halford", "Cllr. B Bishop")
    assert doc.apologies == (
        "Cllr. R Silvester", "Cllr. E Ashley", "Cllr. D Bimson", "Cllr. Mrs M Young",
    )  # fmt: skip
    # Item 4's number is glued to the word before it in the source ("MONDAY4."), so it
    # stays inside item 3; items 1, 2, 3 and 5 are found.
    assert numbers_and_titles(doc) == [
        ("1", "Apologies for Absence"),
        ("2", "Declarations of Interests and Additions to Register of Members Interests"),
        ("3", "To Receive, Confirm and Sign Minutes"),
        ("5", "Public Forum"),
    ]
    assert doc.items[1].paragraphs == ("None.",)


def test_bromsgrove_listing_without_numbers_or_labels() -> None:
    doc = parse("bromsgrove_overview_scrutiny_2024-04-22.txt")
    assert doc.body == "Overview and Scrutiny Board"
    assert doc.meeting_date == dt.date(2024, 4, 22)
    assert doc.meeting_time == "18:00"
    assert doc.venue == "Parkside Suite - Parkside"
    assert numbers_and_titles(doc) == [
        (None, "Apologies for Absence and Named Substitutes"),
        (None, "Declarations of Interest and Whipping Arrangements"),
    ]
    assert doc.apologies == ("Councillor J. D. Stanley",)
    declarations = doc.items[1]
    assert declarations.paragraphs[0].startswith("Councillor A. Bailes declared an Other")
    assert declarations.paragraphs[-1] == "There were no further Declarations of Interest."
    assert not any(p.startswith("To invite") for p in declarations.paragraphs)  # the agenda


def test_shropshire_listing_copied_as_a_table() -> None:
    doc = parse("shropshire_cabinet_2024-12.txt", meeting_date=dt.date(2024, 12, 4))
    assert doc.venue == "Council Chamber, Shirehall, Abbey Foregate, Shrewsbury, SY2 6ND"
    assert [i.title for i in doc.items] == [
        "Apologies for Absence",
        "Disclosable Interests",
        "",  # the row opens with the agenda text: "To confirm the minutes …"
        "Public Question Time",
    ]
    assert doc.apologies == ("Councillor Dean Carroll", "Councillor Cecilia Motley")
    assert doc.items[1].paragraphs == (
        "Councillors Rosemary Dartnall and Julian Dean declared an interest in the item on "
        "grounds maintenance service delegation to Shrewsbury Town Council as they were both "
        "members of the Town Council.",
    )
    assert doc.items[2].resolutions == (
        "That the minutes of the meeting held on 20 November 2024 be confirmed as a correct "
        "record.",
    )
    assert doc.approves_minutes_of == dt.date(2024, 11, 20)
    assert doc.items[3].paragraphs[0] == "Public questions were received from:"


def test_cheshire_police_and_crime_panel_table_rows() -> None:
    doc = parse("cheshire_police_crime_panel_2017.txt", meeting_date=dt.date(2017, 11, 17))
    assert doc.venue == "Council Chamber, Municipal Buildings, Earle Street, Crewe CW1 2BJ"
    assert [i.title for i in doc.items] == [
        "Apologies",
        "Minutes of adjourned meeting",
        "Outstanding items from the agenda for the meeting of the Panel held on 22 September 2017",
    ]
    assert doc.items[0].paragraphs == ()  # only the agenda's reminder: no minutes
    assert doc.items[1].paragraphs == (
        "The draft minutes of the adjourned meeting held on 22 September were noted.",
    )
    assert doc.approves_minutes_of is None  # noted, not approved
    assert doc.items[2].resolutions == (
        "That an additional meeting of the Cheshire Police and Crime Panel be scheduled to take "
        "place on 10 January 2017, at 10am.",
    )


def test_bromsgrove_issue_page_with_an_amended_approval() -> None:
    doc = parse("bromsgrove_planning_issue_2022-03-07.txt")
    assert doc.body == "Planning Committee"  # "Meeting: 07/03/2022 - Planning Committee (Item 73)"
    assert doc.meeting_date == dt.date(2022, 3, 7)
    (item,) = doc.items
    assert (item.number, item.title) == ("73", "Minutes")
    assert item.paragraphs[0] == (
        "The minutes of the Planning Committee meeting held on 7th February 2022, were received."
    )
    assert item.resolutions == (
        "that, subject to the amendment as detailed in the preamble, that the minutes of the "
        "Planning Committee meeting held on 7th February 2022, be approved as a correct record.",
    )
    assert item.references[0].minute == "61/21"
    assert doc.approves_minutes_of == dt.date(2022, 2, 7)
    assert len(doc.amendments) == 1  # the amendment is stated in the preamble, not the words


def test_havering_agenda_item_page_without_labels() -> None:
    doc = parse("havering_cabinet_agenda_item.txt", meeting_date=dt.date(2012, 1, 18))
    (item,) = doc.items
    assert item.title == ""  # the page gives no title, only the agenda's text
    assert item.paragraphs[0].startswith("A Member questioned the accuracy of Minute 39")
    assert not any(p.startswith("To approve") for p in item.paragraphs)
    assert doc.approves_minutes_of == dt.date(2011, 11, 16)


def test_durham_minutes_block_without_a_title() -> None:
    doc = parse("durham_police_crime_panel_agenda_item.txt", meeting_date=dt.date(2012, 11, 1))
    (item,) = doc.items
    assert item.title == ""
    assert item.resolutions == ("That the report be agreed.",)
    assert len(item.paragraphs) == 2


def test_southend_meeting_documents_page() -> None:
    doc = parse("southend_council_2014-07-17.txt")
    assert doc.body == "Council"  # "The Council"
    assert (doc.meeting_date, doc.meeting_time) == (dt.date(2014, 7, 17), "18:30")
    assert doc.venue == "Council Chamber, Civic Centre, Southend-on-Sea"
    assert numbers_and_titles(doc) == [
        ("137", "Apologies for absence"),
        ("138", "Declarations of Interest"),
    ]
    assert doc.apologies == (
        "Councillor Adam Jones", "Councillor Morgan", "Councillor Stafford",
        "Councillor Robertson", "Councillor Ward",
    )  # fmt: skip


@pytest.mark.parametrize("path", sorted(REAL.glob("*.txt")), ids=lambda p: p.name)
def test_cli_dry_run_on_real_minutes(path: Path) -> None:
    """The command line reads each real document without a traceback."""
    run = subprocess.run(
        [sys.executable, "-m", "service.cli", "import", str(path), "--dry-run", "--json",
         "--date", "2024-01-01"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = json.loads(run.stdout)
    assert out["file"] == path.name and out["items"]
