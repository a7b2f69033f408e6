"""The invented fixtures in tests/fixtures/minutes/, one per published layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from service.importing.document import ParsedMinutes, Reference
from service.importing.parse import parse_minutes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "minutes"


def parse(name: str, **kwargs: object) -> ParsedMinutes:
    path = FIXTURES / name
    return parse_minutes(path.read_text(encoding="utf-8"), file=name, **kwargs)  # type: ignore[arg-type]


def test_moderngov_listing_page() -> None:
    doc = parse("moderngov_listing_cabinet.txt")
    assert doc.body == "Cabinet"
    assert doc.meeting_date == dt.date(2020, 7, 14)
    assert doc.meeting_time == "19:00"
    assert doc.venue == "Council Chamber, Civic Centre, Northfield"
    assert doc.present == () and doc.chair is None
    assert doc.apologies == ("Councillor Priya Raman", "Councillor Tom Eastwood")
    assert [(i.number, i.title) for i in doc.items] == [
        ("39/20", "Apologies for Absence"),
        ("40/20", "Declarations of Interest"),
        ("41/20", "Minutes of the previous meeting"),
        ("42/20", "Covid-19 Recovery Plan"),
        ("43/20", "Date of Next Meeting"),
    ]
    recovery = doc.items[3]
    assert recovery.resolutions == (
        "the Recovery Plan at Appendix A be approved",
        "the Chief Executive be authorised to make minor amendments to the Plan in consultation "
        "with the Leader",
        "a progress report be submitted to the September 2020 meeting of the Cabinet.",
    )
    assert recovery.paragraphs[1:5] == (
        "Members discussed:",
        "the reopening of leisure centres and libraries;",
        "support for town centre businesses; and",
        "the impact on the Council's budget.",
    )
    text = " ".join(p for i in doc.items for p in (*i.paragraphs, i.title))
    assert "PDF" not in text and "Appendix B" not in text and "Report of the Chief" not in text
    assert recovery.references == (Reference(minute="31/20", meeting_date=dt.date(2020, 5, 12)),)
    assert doc.approves_minutes_of == dt.date(2020, 6, 9)
    assert doc.approval_item == "41/20"
    assert doc.next_meeting == "2020-09-08T19:00"


def test_moderngov_item_page_with_meeting_line() -> None:
    doc = parse("moderngov_item_page.txt")
    assert (doc.body, doc.meeting_date) == ("Cabinet", dt.date(2020, 7, 14))
    (item,) = doc.items
    assert (item.number, item.title) == ("41", "Fees and Charges Review 2020/21")
    assert item.paragraphs == (
        "The Director of Finance presented the annual review of fees and charges.",
        "Members noted that car parking charges would remain frozen for a further year.",
    )
    assert len(item.resolutions) == 2
    assert item.resolutions[1].startswith("That the Director of Finance review the charges")


def test_prefixed_numbers_amendment_and_call_in() -> None:
    doc = parse("cyp_scrutiny_committee.txt")
    assert doc.body == "Children and Young People Scrutiny Committee"
    assert doc.meeting_date == dt.date(2024, 3, 6)
    assert doc.meeting_time == "18:00"
    assert doc.venue == "The Council Chamber, Town Hall, Eastbridge"
    assert doc.call_in is True
    assert doc.chair == "Councillor Helen Okafor"
    assert doc.present == (
        "Councillor Helen Okafor",
        "Councillor Dev Malhotra",
        "Councillor Sarah Quinlan",
        "Councillor Peter Ashby",
        "Councillor Lorna McBride",
        "Mrs Janet Ellery",
    )
    assert doc.also_present == ("Mark Tillotson", "Fiona Reid")
    assert doc.apologies == ("Councillor Ben Hartley", "Councillor G. Pryce")
    assert [(i.number, i.title, len(i.resolutions)) for i in doc.items] == [
        ("CYP/16/24", "Apologies for Absence", 0),
        ("CYP/17/24", "Minutes of the Previous Meeting", 1),
        ("CYP/18/24", "Special Educational Needs and Disabilities (SEND) Sufficiency", 3),
        ("CYP/19/24", "Work Programme", 1),
    ]
    assert doc.items[1].resolutions == (
        "That the minutes of the meeting held on 17 January 2024 be approved as a correct record "
        "subject to the following amendment: Minute 12 – 'coverted' to be changed to "
        "'converted'.",
    )
    assert doc.items[2].references == (Reference(minute="9", meeting_date=None),)
    assert doc.approves_minutes_of == dt.date(2024, 1, 17)
    assert doc.approval_item == "CYP/17/24"
    assert [(a.op, a.old, a.new, a.minute) for a in doc.amendments] == [
        ("replace", "coverted", "converted", "12")
    ]


def test_town_council_sub_items_4a_4b() -> None:
    doc = parse("town_council_4a_4b.txt")
    assert doc.body == "Ashwell Town Council"
    assert doc.meeting_date == dt.date(2023, 6, 12)
    assert doc.venue == "The Ashwell Village Hall"
    assert doc.chair == "Cllr Rachel Dunmore"
    assert doc.present[1:] == (
        "Cllr Owen Price",
        "Cllr Nadia Sherwood",
        "Cllr Phil Carver",
        "Cllr Tessa Lowe",
    )
    assert doc.also_present == ("Gemma Hollins",)
    assert doc.apologies == ("Cllr Ian Whitlock",)
    assert [i.number for i in doc.items] == ["1", "2", "3", "4", "4a", "4b", "5"]
    assert (
        doc.items[4].title
        == "Application 23/00412/FUL – Single storey rear extension, 14 Mill Lane"
    )
    assert doc.items[5].resolutions == (
        "the Town Council objects to the application",
        "the Clerk write to the planning authority asking for the tree officer's report.",
    )
    assert doc.approves_minutes_of == dt.date(2023, 5, 15)  # a narrative approval
    assert doc.approval_item == "3"
    assert doc.next_meeting == "2023-07-10T19:30"


def test_record_of_meeting_table() -> None:
    doc = parse("record_of_meeting_table.txt")
    assert doc.body == "Northfield Community Safety Partnership"
    assert doc.meeting_date == dt.date(2021, 2, 3)
    assert doc.meeting_time == "14:00"
    assert doc.venue == "Microsoft Teams"
    assert doc.chair == "Inspector Kath Doyle"
    assert doc.present[0] == "Inspector Kath Doyle" and "Sgt Paul Greaves" in doc.present
    assert doc.apologies == ("Rob Stainton", "Cllr Mel Bryce")
    assert [(i.number, i.title) for i in doc.items][:3] == [
        ("1", "Welcome and apologies"),
        ("2", "Notes of the last meeting"),
        ("3", "Anti-social behaviour update"),
    ]
    asb = doc.items[2]
    assert asb.paragraphs == (
        "Sgt Paul Greaves reported a 12% fall in reports of anti-social behaviour since November.",
        "Hotspots remain around the retail park and the canal towpath.",
    )
    assert asb.resolutions == (
        "Sgt Paul Greaves to circulate the hotspot map to partners (by 1 March 2021)",
    )
    assert doc.next_meeting == "2021-05-05T14:00"


def test_tab_separated_table_with_owner_column() -> None:
    text = (
        "Riverside Health and Wellbeing Board\nRecord of Meeting\nDate:\t9 March 2022\n\n"
        "Agenda item\tNotes\tAction\tOwner\n"
        "1. Welcome\tThe Chair welcomed members.\t\t\n"
        "2. Obesity strategy\tThe draft strategy was discussed.\tCirculate the draft to "
        "partners\tLucy Grant\n"
    )
    doc = parse_minutes(text, file="tabs.txt")
    assert doc.body == "Riverside Health and Wellbeing Board"
    assert [(i.number, i.title) for i in doc.items] == [("1", "Welcome"), ("2", "Obesity strategy")]
    assert doc.items[1].resolutions == ("Circulate the draft to partners (Lucy Grant)",)


def test_unanimous_resolution_and_lost_amendment() -> None:
    doc = parse("council_unanimous_lost.txt")
    assert doc.body == "Council"
    assert doc.meeting_date == dt.date(2023, 9, 21)
    assert doc.venue == "The Guildhall, Riversmeet"
    assert doc.chair == "Councillor Gwen Rowlands"  # "The Mayor (Councillor Gwen Rowlands)"
    assert doc.present[1:] == tuple(
        f"Councillor {n}"
        for n in ("Adeyemi", "Brookes", "Castell", "Dunmore", "Ellis", "Fitzgerald", "Hargreaves")
    )
    assert doc.apologies == ("Councillor Ingram", "Councillor Jowett")
    motion = doc.items[2]
    assert motion.title == "Notice of Motion - Climate Emergency Action Plan"
    assert motion.unanimous
    assert motion.resolutions == (
        "the Climate Emergency Action Plan be adopted",
        "the Chief Executive be asked to report on progress to Council every six months.",
    )
    assert any("declared LOST" in p for p in motion.paragraphs)
    assert [i.unanimous for i in doc.items] == [False, False, True, False]
    assert doc.approves_minutes_of == dt.date(2023, 7, 20)
    assert doc.approval_item == "46"


def test_exempt_part_two_item() -> None:
    doc = parse("audit_exempt_part2.txt")
    assert doc.body == "Audit and Governance Committee"
    assert doc.meeting_date == dt.date(2023, 11, 23)
    assert doc.meeting_time == "14:00"
    assert doc.chair == "Councillor Frank Doherty"
    assert doc.present == (
        "Councillor Frank Doherty",
        "Councillor Aisha Begum",
        "Councillor Colin Marsh",
        "Mr Gareth Lloyd",
    )
    assert doc.also_present == ("Susan Pike", "Daniel Ford")
    assert doc.apologies == ()
    assert [(i.number, i.title) for i in doc.items] == [
        ("18", "Apologies for Absence"),
        ("19", "Internal Audit Progress Report"),
        ("20", "Exclusion of the Press and Public"),
        ("21", "Fraud Investigation Update"),
    ]
    (exclusion,) = doc.items[2].resolutions
    assert "paragraph 3 of Part 1 of Schedule 12A" in exclusion
    assert not any("PART II" in p for i in doc.items for p in i.paragraphs)
    assert doc.items[3].resolutions == (
        "That the update be noted and a further report be brought to the next meeting.",
    )


def test_caller_body_wins_and_the_documents_date_stands() -> None:
    doc = parse("cyp_scrutiny_committee.txt", body="CYP Scrutiny", meeting_date=dt.date(2024, 3, 7))
    assert (doc.body, doc.meeting_date) == ("CYP Scrutiny", dt.date(2024, 3, 6))


def test_listing_with_committee_and_date_on_separate_lines() -> None:
    text = (
        "Agenda and minutes\n\nLicensing Sub-Committee\nTuesday, 26th June, 2012 4.00 pm\n\n"
        "Venue: Civic Centre, High Road. View directions\n\nContact: Sam Poole\n\n"
        "Items\nNo. Item\n\n"
        "14.\n\nApologies\n\nTo receive any apologies for absence.\n\nMinutes:\n\n"
        "Apologies for absence were received from the following:\n\n \n\n"
        "Harriet Vance              - Omar Patel substituted\n\nDr Lena Ortiz\n\n"
        "15.\n\nMinutes pdf icon PDF 107 KB\n\nTo confirm the minutes.\n\nMinutes:\n\nRESOLVED:\n\n"
        "That the minutes of the meeting held on 1 March 2012 be confirmed as a correct record.\n\n"
        " \n\nMatters arising\n\n \n\nAP07 – this action had been completed.\n"
    )
    doc = parse_minutes(text, file="listing.txt")
    assert doc.body == "Licensing Sub-Committee"
    assert (doc.meeting_date, doc.meeting_time) == (dt.date(2012, 6, 26), "16:00")
    assert doc.venue == "Civic Centre, High Road"
    assert doc.apologies == ("Harriet Vance", "Dr Lena Ortiz")
    minutes = doc.items[1]
    assert minutes.resolutions == (
        "That the minutes of the meeting held on 1 March 2012 be confirmed as a correct record.",
    )
    assert minutes.paragraphs == ("Matters arising", "AP07 – this action had been completed.")


def test_item_page_decision_and_action_blocks_after_the_minutes() -> None:
    text = (
        "Agenda item\n\nReview of Partnership Working\n\nMinutes:\n\nThe adviser introduced the "
        "report.\n\n \n\n·         Members asked about funding.\n\n \n\nDecision:\n\n \n\n"
        "The Board agreed the review’s scope.\n\n \n\nAction:\n\n \n\n"
        "Officers to progress in line with members’ comments.\n\n \n\nSupporting documents:\n"
    )
    doc = parse_minutes(text, file="item.txt", meeting_date=dt.date(2016, 6, 1))
    (item,) = doc.items
    assert item.paragraphs == ("The adviser introduced the report.", "Members asked about funding.")
    assert item.resolutions == (
        "The Board agreed the review’s scope.",
        "Officers to progress in line with members’ comments.",
    )


def test_parish_minutes_held_remotely_with_prose_after_the_present_list() -> None:
    text = (
        "Minutes - Full Council - 5th May 2020\n\n"
        "Minutes of a meeting of Longmere Parish Council held remotely using Zoom on 5th May 2020 "
        "at 19:30\nPresent: Cllrs C Barr, L Hauton and A Walker.\n"
        "District Cllrs Burley and Cawrey were present\n"
        "The Revd Dr Anne Pole (Vicar) was also present\n\n"
        "1. APOLOGIES\n\nApologies were received from Councillor J Aitman who was at a civic "
        "event, and for lateness from Councillor Ray Dunn.\n"
    )
    doc = parse_minutes(text, file="parish.txt")
    assert doc.body == "Longmere Parish Council"
    assert (doc.meeting_date, doc.meeting_time) == (dt.date(2020, 5, 5), "19:30")
    assert doc.venue == "Remote meeting held on Zoom"
    assert doc.present == ("Cllr C Barr", "Cllr L Hauton", "Cllr A Walker")
    assert doc.apologies == ("Councillor J Aitman",)
