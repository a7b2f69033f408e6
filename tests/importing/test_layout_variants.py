"""Numbering, headings, labels and dates seen in other councils' minutes.

The documents here are invented (people and places made up); each copies a
layout feature met in real published minutes (see tests/fixtures/minutes/real/).
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from service.importing.errors import MinutesFormatError
from service.importing.parse import parse_minutes

LICENSING = """WESTSHIRE DISTRICT COUNCIL

MINUTES OF A MEETING OF THE LICENSING COMMITTEE HELD IN COMMITTEE ROOM 2, CIVIC OFFICES ON 5.3.24 AT 7.00 PM

Members present: Councillor A Smith (Chairman), Councillors B Jones, C Brown and D White

Officers present: E Green (Licensing Manager), F Black (Democratic Services Officer)

Apologies: Councillor G Grey

Item 1 APOLOGIES FOR ABSENCE

Apologies were received from Councillor G Grey.

Item 2 MINUTES

DECISION: That the minutes of the meeting held on 6 February 2024 be confirmed as a correct record.

Item 3 LICENSING POLICY REVIEW

The Licensing Manager presented the report.

AGREED – That
(a) the draft policy be approved for consultation; and
(b) a report be brought back in June 2024.

Item 4 DATE OF NEXT MEETING

The next meeting will be held on Tuesday, 9th April, 2024 at 7.00 pm.

The meeting closed at 8.15 pm.
"""


def test_item_prefix_dotted_date_decision_and_agreed() -> None:
    doc = parse_minutes(LICENSING, file="x.txt")
    assert doc.body == "Licensing Committee"
    assert doc.meeting_date == dt.date(2024, 3, 5)
    assert doc.meeting_time == "19:00"
    assert doc.venue == "Committee Room 2, Civic Offices"
    assert doc.chair == "Councillor A Smith"
    assert doc.present == (
        "Councillor A Smith", "Councillor B Jones", "Councillor C Brown", "Councillor D White",
    )  # fmt: skip
    assert doc.also_present == ("E Green", "F Black")
    assert doc.apologies == ("Councillor G Grey",)
    assert [i.number for i in doc.items] == ["1", "2", "3", "4"]
    assert doc.items[1].resolutions == (
        "That the minutes of the meeting held on 6 February 2024 be confirmed as a correct record.",
    )
    assert doc.items[2].resolutions == (
        "the draft policy be approved for consultation",
        "a report be brought back in June 2024.",
    )
    assert doc.approves_minutes_of == dt.date(2024, 2, 6)
    assert doc.next_meeting == "2024-04-09T19:00"


def test_coded_numbers_cab() -> None:
    text = (
        "Cabinet\nTuesday, 5th March, 2024\n\n"
        "Present: Councillor Jane Doe (Leader) (in the Chair), Councillors Amir Khan, Beth Lowe\n\n"
        "In attendance: Councillor Ruth Pike\n\n"
        "CAB 12 APOLOGIES FOR ABSENCE\n\nThere were no apologies.\n\n"
        "CAB 13 MINUTES OF THE PREVIOUS MEETING\n\n"
        "Resolved: That the minutes of the meeting held on 6 February 2024 be approved as a "
        "correct record.\n\n"
        "CAB 14 BUDGET 2024/25\n\nRESOLVED – That the budget be recommended to Council.\n"
    )
    doc = parse_minutes(text, file="x.txt")
    assert doc.body == "Cabinet"
    assert doc.meeting_date == dt.date(2024, 3, 5)
    assert doc.chair == "Councillor Jane Doe"
    assert doc.also_present == ("Councillor Ruth Pike",)
    assert [(i.number, i.title) for i in doc.items] == [
        ("CAB 12", "Apologies for Absence"),
        ("CAB 13", "Minutes of the Previous Meeting"),
        ("CAB 14", "Budget 2024/25"),
    ]
    assert doc.approval_item == "CAB 13"


def test_minute_prefix_parish_with_chair_and_clerk_labels() -> None:
    text = (
        "Anytown Parish Council\n"
        "Minutes of the meeting held on 05/03/2024 at 7.30pm in the Village Hall\n\n"
        "Chair: Cllr P Evans\nPresent: Cllr Q Adams, Cllr R Brown, Cllr S Clark\n"
        "Clerk: T Davies\n\n"
        "Minute 23/45 Apologies for absence\n\nCllr U Ellis.\n\n"
        "Minute 23/46 Declarations of interest\n\nNone.\n\n"
        "Minute 23/47 Minutes\n\n"
        "RESOLVED that the minutes of the meeting held on 6th February 2024 be signed as a "
        "correct record.\n\n"
        "Minute 23/48 Date of next meeting\n\n2nd April 2024 at 7.30pm.\n"
    )
    doc = parse_minutes(text, file="x.txt")
    assert doc.body == "Anytown Parish Council"
    assert (doc.meeting_date, doc.meeting_time) == (dt.date(2024, 3, 5), "19:30")
    assert doc.venue == "The Village Hall"
    assert doc.present == ("Cllr P Evans", "Cllr Q Adams", "Cllr R Brown", "Cllr S Clark")
    assert doc.also_present == ("T Davies",)
    assert doc.apologies == ("Cllr U Ellis",)  # a bare list under the apologies heading
    assert [i.number for i in doc.items] == ["23/45", "23/46", "23/47", "23/48"]
    assert doc.approves_minutes_of == dt.date(2024, 2, 6)
    assert doc.next_meeting == "2024-04-02T19:30"


def test_roman_numerals_with_and_without_a_full_stop() -> None:
    for sep in (". ", " "):
        text = (
            "MINUTES OF THE AUDIT PANEL\nWednesday 6 March 2024\n\n"
            f"I{sep}APOLOGIES\n\nApologies were received from Mr John Price.\n\n"
            f"II{sep}MINUTES\n\nAGREED that the minutes of the meeting held on 7 February 2024 "
            "be approved as a correct record.\n\n"
            f"III{sep}INTERNAL AUDIT REPORT\n\nThe panel noted the report.\n\n"
            f"IV{sep}ANY OTHER BUSINESS\n\nNone.\n"
        )
        doc = parse_minutes(text, file="x.txt")
        assert doc.body == "Audit Panel"
        assert [i.number for i in doc.items] == ["I", "II", "III", "IV"]
        assert doc.apologies == ("Mr John Price",)
        assert doc.approves_minutes_of == dt.date(2024, 2, 7)


def test_moderngov_printed_minutes_with_item_markers() -> None:
    text = (
        "Westshire Fire Authority\n\n"
        "Monday, 18 September 2023 at 10.30 am in Main Hall, Training Centre, Oakford\n\n"
        "Minutes\n\nPresent:\n\nChairman Cllr Ann Ford\n\nVice Chairman Cllr Ben Gale\n\n"
        "Cllr Cara Holt\n\n<AI1>\n\n1.          Election of the Chairman;\n\n01/23\n\n"
        "RESOLVED\n\nThat Cllr Ann Ford be elected Chairman.\n\n</AI1>\n\n<AI2>\n\n"
        "2.          Apologies for Absence\n\n02/23\n\n"
        "Apologies were received from County Councillor Dan Ives.\n\n</AI2>\n"
    )
    doc = parse_minutes(text, file="x.txt")
    assert doc.body == "Westshire Fire Authority"
    assert doc.venue == "Main Hall, Training Centre, Oakford"
    assert doc.chair == "Cllr Ann Ford"
    assert doc.present == ("Cllr Ann Ford", "Cllr Ben Gale", "Cllr Cara Holt")
    assert [(i.number, i.title) for i in doc.items] == [
        ("01/23", "Election of the Chairman"),
        ("02/23", "Apologies for Absence"),
    ]
    assert doc.apologies == ("County Councillor Dan Ives",)
    assert all("<AI" not in p for i in doc.items for p in i.paragraphs)


NHS_BOARD = """Northshire Hospitals NHS Foundation Trust
Minutes of the Board of Directors meeting held in public
Thursday 7 March 2024, 10:00, Boardroom, Northshire General Hospital

Present:
Ms Jane Rivers	Chair
Mr Paul Stone	Chief Executive
Dr Asha Patel	Medical Director
Mrs Helen Moss	Non-Executive Director

In attendance:
Mr Tom Reed	Company Secretary (minutes)

Apologies:
Mr Karl West	Non-Executive Director

TB24/031 Welcome and apologies
The Chair welcomed everyone to the meeting. Apologies were noted as above.

TB24/032 Declarations of interest
There were no declarations of interest.

TB24/033 Minutes of the previous meeting
The minutes of the meeting held on 1 February 2024 were approved as an accurate record.

TB24/034 Chief Executive's report
The Board received the report.
Resolved: The Board noted the report.

TB24/035 Date of next meeting
Thursday 4 April 2024 at 10:00.
"""


def test_board_minutes_with_tables_of_names_and_roles() -> None:
    doc = parse_minutes(NHS_BOARD, file="x.txt")
    assert doc.body == "Board of Directors"
    assert (doc.meeting_date, doc.meeting_time) == (dt.date(2024, 3, 7), "10:00")
    assert doc.venue == "Boardroom, Northshire General Hospital"
    assert doc.chair == "Ms Jane Rivers"  # "Ms Jane Rivers<TAB>Chair"
    assert doc.present == ("Ms Jane Rivers", "Mr Paul Stone", "Dr Asha Patel", "Mrs Helen Moss")
    assert doc.also_present == ("Mr Tom Reed",)
    assert doc.apologies == ("Mr Karl West",)
    assert [i.number for i in doc.items] == [f"TB24/0{n}" for n in range(31, 36)]
    assert doc.approves_minutes_of == dt.date(2024, 2, 1)
    assert doc.items[3].resolutions == ("The Board noted the report.",)
    assert doc.next_meeting == "2024-04-04T10:00"


@pytest.mark.parametrize(
    "text",
    [
        "Minutes\n\n" + "word " * 5000,
        "1. A\n2. B\n3. C\n",
        "No. | Item |\n---|---|\n|\n|\n",
        "Agenda item\n\n",
        "Issue - meetings\n\nMeeting: 01/02/2020 - Cabinet (Item 4)\n",
        "APOLOGIES were received.\n\nFINANCE. None.\n\nPLANNING. None.\n",
    ],
)
def test_odd_documents_never_crash(text: str) -> None:
    with contextlib.suppress(MinutesFormatError):
        parse_minutes(text, file="x.txt", meeting_date=dt.date(2024, 1, 1))


# A minute code before the agenda number, wide gaps, "THOSE ATTENDING:" with one name a
# line, a capitals title ending "INTEREST(s)", the date after the body in the title line
# (layout of Choppington Parish Council's minutes, choppingtonparishcouncil.org, 2023).
CODED_AND_NUMBERED = """Minutes of Parish Council 22 November 2023

THOSE ATTENDING:

Cllr P Ashby

Cllr R Brook

Cllr Dale (Chair)

IN ATTENDANCE:

Mrs T Ford, Parish Clerk

C048/23      1.         APOLOGIES FOR ABSENCE.

Cllr L Grant and Cllr J Hale (family commitment), Cllr A Innes (work commitment) and Cllr H Jay (leave). The meeting accepted these as proper reasons for non-attendance.

C049/23      2.         DECLARATIONS OF DISCLOSABLE PECUNIARY AND OTHER REGISTERABLE INTEREST(s)

No declarations

C050/23      3.         TO RECEIVE AND ADOPT THE MINUTES OF THE PARISH COUNCIL MEETING HELD ON 13 NOVEMBER 2023 .

The meeting agreed the minutes represented a true record of the meeting, authorizing they be signed as such.

C051/23      4.         MATTERS ARISING.

No matters arising.
"""


def test_minute_codes_before_agenda_numbers() -> None:
    doc = parse_minutes(CODED_AND_NUMBERED, file="coded.txt")
    assert doc.body == "Parish Council"
    assert doc.meeting_date == dt.date(2023, 11, 22)
    assert [(i.number, i.title) for i in doc.items] == [
        ("C048/23", "Apologies for Absence"),
        ("C049/23", "Declarations of Disclosable Pecuniary and Other Registerable Interest(s)"),
        (
            "C050/23",
            "To Receive and Adopt the Minutes of the Parish Council Meeting Held on 13 November 2023",
        ),
        ("C051/23", "Matters Arising"),
    ]
    assert doc.chair == "Cllr Dale"
    assert set(doc.present) == {"Cllr P Ashby", "Cllr R Brook", "Cllr Dale"}
    # Reasons in parentheses do not make the list of names a sentence.
    assert doc.apologies == ("Cllr L Grant", "Cllr J Hale", "Cllr A Innes", "Cllr H Jay")
    assert doc.approves_minutes_of == dt.date(2023, 11, 13)
    assert doc.approval_item == "C050/23"


# A two-column table copied as text: "1. | minute |", later lines of a cell ending " |",
# no blank lines; "15thMay" without a space; an ordinal meeting name before "Meeting of"
# (layout of Salford Priors Parish Council's minutes, salfordpriors.gov.uk, 2019).
TWO_CELL_TABLE = """Minutes of the Ninety-ninth & Last Annual Meeting of the Ashby Parva Parish Council held in The Village Hall, Ashby Parva on Wednesday 15thMay 2019, 7pm
Present: Councillors:L Amber, J Birch, K Cole
Also in attendance:2 members of the public.
1. | All Councillors present signed the Declaration of Acceptance of Office forms. |
2. | Election of Chairman:
It was proposed by Cllr Birch, seconded by Cllr Cole that Cllr Amber be appointed Chairman. Cllr Amber was elected unopposed. |
3. | Minutes of the previous meeting:
The minutes of the meeting held on 10th April 2019 were approved as a correct record and signed by the Chairman. |
4. | Date of next meeting:
The next meeting will be held on 12th June 2019. |
"""


def test_two_cell_table_rows_are_numbered_paragraphs() -> None:
    doc = parse_minutes(TWO_CELL_TABLE, file="table.txt")
    assert doc.body == "Ashby Parva Parish Council"
    assert doc.meeting_date == dt.date(2019, 5, 15)
    assert doc.meeting_time == "19:00"
    assert [(i.number, i.title) for i in doc.items] == [
        ("1", ""),
        ("2", "Election of Chairman"),
        ("3", "Minutes of the previous meeting"),
        ("4", "Date of next meeting"),
    ]
    assert doc.items[0].paragraphs == (
        "All Councillors present signed the Declaration of Acceptance of Office forms.",
    )
    assert all("|" not in p for i in doc.items for p in i.paragraphs)
    assert doc.present == ("Councillor L Amber", "Councillor J Birch", "Councillor K Cole")
    assert doc.approves_minutes_of == dt.date(2019, 4, 10)
    assert doc.approval_item == "3"


def test_a_stray_bar_in_text_is_text() -> None:
    doc = parse_minutes(
        "Minutes of the Parish Council held on 3 May 2022\n\n1. APOLOGIES\n\nNone.\n\n"
        "2. FINANCE\n\n1 | The clerk reported a balance of £3,000.\n\n3. CLOSE\n\nClosed at 9pm.",
        file="bar.txt",
    )
    assert "1 | The clerk reported a balance of £3,000." in doc.items[1].paragraphs


def test_an_action_line_with_its_action_is_a_resolution_part() -> None:
    doc = parse_minutes(
        "# Minutes of the Finance Committee\n\n**Date:** 4 March 2024\n\n"
        "## 1. Budget monitoring\n\nThe Clerk presented the budget report.\n\n"
        "**RESOLVED:** That the report be noted.\n\n"
        "**ACTION:** Clerk to circulate the revised budget by 31 March 2024.\n\n"
        "## 2. Highways\n\nPotholes on Mill Lane were discussed.\n\n"
        "Action – JS to contact the highways team.\n\n"
        "## 3. Close\n\nThe action tracker was reviewed.",
        file="actions.txt",
    )
    assert doc.items[0].resolutions == (
        "That the report be noted.",
        "Clerk to circulate the revised budget by 31 March 2024.",
    )
    assert doc.items[1].resolutions == ("JS to contact the highways team.",)
    assert doc.items[2].resolutions == ()  # "action tracker" in prose is not an intro


# Scottish councils: "MINUTE of MEETING of the …" (no article, singular), "Minute of
# previous meeting", "was submitted and approved as a correct record", "Decided:"
# (layout of Inverclyde Council's committee minutes).
SCOTTISH = """MINUTE of MEETING of the ENVIRONMENT AND REGENERATION COMMITTEE held in the Council Chambers, Municipal Buildings, Eastport on Thursday 5 June 2023 at 3pm

Present: Provost Arran, Councillors Barra, Coll (Chair) and Harris.

Apologies: Councillor Islay.

1 APOLOGIES AND DECLARATIONS OF INTEREST

An apology for absence was intimated on behalf of Councillor Islay.

2 MINUTE OF PREVIOUS MEETING

The minute of the meeting of 2 May 2023 was submitted and approved as a correct record, on the motion of Councillor Barra, seconded by Councillor Harris.

3 ROADS CAPITAL PROGRAMME

There was submitted a report by the Director on the roads capital programme.
Decided:
(1) that the report be noted; and
(2) that the Director be requested to report back to the next meeting.
"""


def test_scottish_minute_of_meeting() -> None:
    doc = parse_minutes(SCOTTISH, file="scottish.txt")
    assert doc.body == "Environment and Regeneration Committee"
    assert doc.meeting_date == dt.date(2023, 6, 5)
    assert doc.chair == "Councillor Coll"
    assert doc.approves_minutes_of == dt.date(2023, 5, 2)
    assert doc.approval_item == "2"
    assert doc.items[2].resolutions == (
        "that the report be noted",
        "that the Director be requested to report back to the next meeting.",
    )


# Text taken from a PDF whose numbers stand in a column of their own: "23." on one
# line, "APOLOGIES FOR ABSENCE" on the next; an item titled "MINUTES" (not ModernGov's
# "Minutes:" label); the council's name above the committee's.
PDF_COLUMNS = """BLACKSHIRE COUNTY COUNCIL

AUDIT AND GOVERNANCE COMMITTEE

Minutes of the meeting held on Monday 9 October 2023 at 10.00 am at County Hall, Blacktown

PRESENT: Councillor A Fenn (Chair)
Councillors B Moss, C Reed, D Sedge

23.
APOLOGIES FOR ABSENCE

Apologies were received from Councillor G Rush.

24.
MINUTES

RESOLVED that the minutes of the meeting held on 10 July 2023 be confirmed as a correct record and signed by the Chair.

25.
INTERNAL AUDIT PROGRESS REPORT

The Head of Audit presented the report.

RESOLVED that the report be noted.
"""


def test_numbers_on_lines_of_their_own_above_capitals_titles() -> None:
    doc = parse_minutes(PDF_COLUMNS, file="pdf.txt")
    assert doc.body == "Audit and Governance Committee"
    assert doc.meeting_date == dt.date(2023, 10, 9)
    assert [(i.number, i.title) for i in doc.items] == [
        ("23", "Apologies for Absence"),
        ("24", "Minutes"),
        ("25", "Internal Audit Progress Report"),
    ]
    assert doc.apologies == ("Councillor G Rush",)
    assert doc.approves_minutes_of == dt.date(2023, 7, 10)
    assert doc.approval_item == "24"


def test_minute_prefixed_headings_with_text_straight_under_them() -> None:
    doc = parse_minutes(
        "LITTLE MARSH PARISH COUNCIL\n"
        "Minutes of the Parish Council Meeting held on Tuesday 12th March 2024 at 7.30pm "
        "in the Village Hall\n\n"
        "Present: Cllrs J Smith (Chairman), K Jones, L Brown\n\n"
        "Minute 24/031 – Apologies for absence\n"
        "Apologies were received and accepted from Cllr N Black.\n\n"
        "Minute 24/032 – Minutes of the previous meeting\n"
        "It was RESOLVED that the minutes of the meeting held on 13th February 2024 be "
        "approved and signed as a true record.\n\n"
        "Minute 24/033 – Date of next meeting\n"
        "The next meeting will be held on Tuesday 9th April 2024.\n",
        file="marsh.txt",
    )
    assert doc.body == "Little Marsh Parish Council"  # not "Parish Council"
    assert [(i.number, i.title) for i in doc.items] == [
        ("24/031", "Apologies for absence"),
        ("24/032", "Minutes of the previous meeting"),
        ("24/033", "Date of next meeting"),
    ]
    assert doc.approves_minutes_of == dt.date(2024, 2, 13)


def test_item_colon_headings_and_a_committee_under_its_council() -> None:
    doc = parse_minutes(
        "Anytown Town Council\nPlanning Committee\n\n"
        "Minutes of the meeting held on 4 March 2024\n\n"
        "Present: Councillor A Adams (Chair), Councillor B Bell\n\n"
        "Item 1: Apologies\nApologies were received from Councillor D Dunn.\n\n"
        "Item 2: Minutes\nThe minutes of the meeting held on 5 February 2024 were agreed as "
        'an accurate record, subject to the following amendment: in item 4, "Mill Road" '
        'should read "Mill Lane".\n\n'
        "Item 3: Planning applications\nRESOLVED: That no objections be raised.\n",
        file="anytown.txt",
    )
    assert doc.body == "Planning Committee"
    assert [(i.number, i.title) for i in doc.items] == [
        ("1", "Apologies"),
        ("2", "Minutes"),
        ("3", "Planning applications"),
    ]
    assert [(a.op, a.old, a.new, a.minute) for a in doc.amendments] == [
        ("replace", "Mill Road", "Mill Lane", "4")
    ]
    assert doc.items[2].resolutions == ("That no objections be raised.",)


def test_paragraph_numbers_under_decimal_item_numbers() -> None:
    doc = parse_minutes(
        "NORTH VALE HEALTH AND WELLBEING BOARD\nMINUTES OF MEETING HELD ON 14 NOVEMBER 2023\n\n"
        "1.0 WELCOME AND APOLOGIES\n1.1 The Chair welcomed members to the meeting.\n"
        "1.2 Apologies were received from Dr S Patel and Ms R Khan.\n\n"
        "2.0 MINUTES OF THE PREVIOUS MEETING\n2.1 The minutes of the meeting held on "
        "12 September 2023 were approved as an accurate record.\n\n"
        "3.0 BETTER CARE FUND\n3.1 The Board received the quarterly report.\n"
        "3.2 RESOLVED: that the report be noted.\n",
        file="board.txt",
    )
    assert doc.body == "North Vale Health and Wellbeing Board"
    assert doc.apologies == ("Dr S Patel", "Ms R Khan")
    assert doc.items[2].paragraphs == ("The Board received the quarterly report.",)
    assert doc.items[2].resolutions == ("that the report be noted.",)
    assert doc.approves_minutes_of == dt.date(2023, 9, 12)
