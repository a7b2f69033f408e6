"""Approval wording → structure: the seed's SWACCA resolution and the ways clerks word it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.amendments import Amendment, AmendmentOp, Approval
from domain.approval_wording import NotAnApprovalError, parse_approval


def am(
    op: AmendmentOp,
    old: str | None = None,
    new: str | None = None,
    minute: str | None = None,
    paragraph: int | None = None,
    *,
    anchor: str | None = None,
    position: Literal["after", "before"] | None = None,
    attendance_list: str | None = None,
) -> Amendment:
    return Amendment(
        op=op,
        old=old,
        new=new,
        minute=minute,
        paragraph=paragraph,
        anchor=anchor,
        position=position,
        attendance_list=attendance_list,
    )


def case(text: str, minutes_of: str | None, *amendments: Amendment, id: str) -> Any:
    date = dt.date.fromisoformat(minutes_of) if minutes_of else None
    expected = Approval(approved=True, minutes_of=date, amendments=amendments)
    return pytest.param(text, expected, id=id)


SEED = (
    "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
    'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.'
)

PLAIN_APPROVALS = [
    case(
        "The minutes of the previous meeting were read, approved and signed.",
        None,
        id="parish: read, approved and signed (no date stated)",
    ),
    case(
        "That the Minutes of the meeting held on 12 September, 2019 be confirmed as a correct record.",
        "2019-09-12",
        id="confirmed as a correct record, comma before the year",
    ),
    case(
        "That the Minutes of the meeting held on 9 December 2021 be confirmed as a correct record.",
        "2021-12-09",
        id="seed 001 wording",
    ),
    case(
        "The minutes of the last meeting were agreed as a correct record.",
        None,
        id="no date stated gives no date",
    ),
    case(
        "That the minutes of the meeting held on 5th December 2019 be approved as a correct record "
        "and signed by the Chair.",
        "2019-12-05",
        id="approved and signed by the Chair, ordinal day",
    ),
    case(
        "That the minutes of the previous meeting be agreed as a true and accurate record.",
        None,
        id="agreed as a true and accurate record",
    ),
    case(
        "The minutes of the meeting held on 3 March 2020 were confirmed and signed as a correct "
        "record.",
        "2020-03-03",
        id="were confirmed and signed as a correct record",
    ),
    case(
        "That the minutes of the meeting held on Thursday 9 December 2021 be accepted as an "
        "accurate record.",
        "2021-12-09",
        id="accepted as an accurate record, weekday before the date",
    ),
    case(
        "RESOLVED: That the minutes of the meeting held on 22/06/2022 be confirmed.",
        "2022-06-22",
        id="numeric date and a RESOLVED heading",
    ),
    case(
        "That the minutes of the meeting held on 6/6/23 be approved.",
        "2023-06-06",
        id="short numeric date",
    ),
    case(
        "That the minutes of the meeting held on June 6, 2023 be approved.",
        "2023-06-06",
        id="month-first date",
    ),
    case(
        "That the minutes of the meeting held on 6th of June 2023 be approved as a correct record.",
        "2023-06-06",
        id="'6th of June'",
    ),
    case(
        "That the minutes of the meetings held on 1 and 15 June 2022 be confirmed as correct records.",
        "2022-06-01",
        id="several sets confirmed at once give the first date",
    ),
    case(
        "That the minutes of the meetings held on 5 January 2023 and 19 January 2023 be approved.",
        "2023-01-05",
        id="two full dates give the first",
    ),
    case(
        "That the minutes of the meeting held on 31 June 2023 be approved.",
        None,
        id="an impossible date is not a date",
    ),
    case(
        "The Committee approved the minutes of the meeting held on 14 January 2021 as a correct "
        "record.",
        "2021-01-14",
        id="active voice: the Committee approved the minutes",
    ),
    case(
        "The Chair signed the minutes of the meeting held on 2 May 2019 as a correct record.",
        "2019-05-02",
        id="the Chair signed the minutes as a correct record",
    ),
    case(
        "Agreed that the minutes of the meeting held on 7 July 2020 were a true and accurate record.",
        "2020-07-07",
        id="the minutes were a true and accurate record",
    ),
    case(
        "It was moved, seconded and RESOLVED that the minutes of the meeting held on 6 June 2023 "
        "be confirmed as a correct record and signed by the Chair.",
        "2023-06-06",
        id="moved, seconded and resolved",
    ),
    case(
        "RESOLVED that the minutes of the meeting held on 2 February 2022 be taken as read and "
        "confirmed as a correct record and signed by the Chairman.",
        "2022-02-02",
        id="taken as read and confirmed",
    ),
    case(
        "Minutes of the meeting held on 6 June 2023 – approved.",
        "2023-06-06",
        id="heading style: minutes – approved",
    ),
    case(
        "The notes of the meeting held on 6 June 2023 were agreed as an accurate record.",
        "2023-06-06",
        id="notes of the meeting agreed",
    ),
    case(
        "The minutes of the meeting of 6 June 2023 were ratified.",
        "2023-06-06",
        id="ratified",
    ),
    case(
        "That the Chair be authorised to sign the minutes of the meeting held on 3 May 2022 as a "
        "correct record.",
        "2022-05-03",
        id="Chair authorised to sign as a correct record",
    ),
    case(
        "That the minutes of the meeting held on 3 March 2022 be approved as a correct record and "
        "signed by the Chair, subject to the Chair's signature.",
        "2022-03-03",
        id="a 'subject to' that changes nothing",
    ),
    case(
        "That the minutes of the meeting of the Committee held on 39/20 be signed as a correct "
        "record.",
        None,
        id="a minute reference is not a date",
    ),
    case(
        "The minutes of the meeting held on 14 February 2024 were received and approved as a "
        "correct record.",
        "2024-02-14",
        id="received and approved",
    ),
    case("The minutes of the last meeting were noted and approved.", None, id="noted and approved"),
    case(
        "The minutes of the meeting held on 14 February 2024, having been circulated, were approved "
        "as a correct record.",
        "2024-02-14",
        id="having been circulated, were approved",
    ),
    case(
        "The minutes of the meeting held on 14 February 2024 were approved as a correct record. "
        "Matters arising: Councillor Ward asked that the word 'urgent' be added to the action log.",
        "2024-02-14",
        id="matters arising after the approval are not amendments",
    ),
]

AMENDED = [
    case(
        "That the minutes of the meeting held on 3 March 2024 be approved subject to the "
        'deletion of "and Highways" in Minute CAB 9.',
        "2024-03-03",
        am("delete", "and Highways", minute="CAB 9"),
        id="a coded minute number is kept as written",
    ),
    case(
        SEED,
        "2022-06-22",
        am("delete", "by SWACCA", minute="6", paragraph=1),
        id="seed: removal of the words in the first paragraph of Minute No. 6",
    ),
    case(
        SEED.replace('"by SWACCA"', "‘by SWACCA’"),
        "2022-06-22",
        am("delete", "by SWACCA", minute="6", paragraph=1),
        id="seed with curly single quotes",
    ),
    case(
        "That the minutes be approved subject to the following amendment: Minute 12 – the word "
        "'coverted' to be changed to 'converted'.",
        None,
        am("replace", "coverted", "converted", "12"),
        id="following amendment: Minute 12 – word to be changed to",
    ),
    case(
        "That the minutes be approved subject to 'coverted' to be changed to 'converted'.",
        None,
        am("replace", "coverted", "converted"),
        id="'x' to be changed to 'y', no minute",
    ),
    case(
        "That the minutes be approved subject to the word coverted be changed to converted.",
        None,
        am("replace", "coverted", "converted"),
        id="unquoted single words after 'the word'",
    ),
    case(
        "That the minutes be approved subject to the word coverted being changed to converted in "
        "minute 9.",
        None,
        am("replace", "coverted", "converted", "9"),
        id="unquoted single words with a minute after",
    ),
    case(
        "That the minutes of the meeting held on 14 March 2023 be confirmed subject to Minute No. 45 "
        "being amended to read 'The Committee noted the report'.",
        "2023-03-14",
        am("other", minute="45"),
        id="minute amended to read new words (old words not given) is other",
    ),
    case(
        "That the minutes be approved subject to the word 'Tuesday' in minute 4 being amended to "
        "'Thursday'.",
        None,
        am("replace", "Tuesday", "Thursday", "4"),
        id="'x' in minute 4 being amended to 'y'",
    ),
    case(
        "That the minutes of the meeting held on 22/06/2022 be confirmed as a correct record subject "
        "to ‘Tuesday’ being replaced with ‘Thursday’ in minute 4(b).",
        "2022-06-22",
        am("replace", "Tuesday", "Thursday", "4(b)"),
        id="being replaced with, minute with a lettered part",
    ),
    case(
        "That the minutes be approved as a correct record subject to the following changes: In item "
        "13, that 'three' be amended to 'four'; and in item 14, the deletion of the word 'not'.",
        None,
        am("replace", "three", "four", "13"),
        am("delete", "not", minute="14"),
        id="two changes separated by '; and', each with its item",
    ),
    case(
        "That the minutes be approved subject to the deletion of the word 'unanimously' from "
        "Minute 7.",
        None,
        am("delete", "unanimously", minute="7"),
        id="deletion of the word from Minute 7",
    ),
    case(
        "That the minutes of the meeting held on 10 January 2023 be approved as an accurate record "
        "subject to the word 'unanimously' being deleted from minute 7.",
        "2023-01-10",
        am("delete", "unanimously", minute="7"),
        id="word being deleted from minute 7",
    ),
    case(
        "That the minutes be approved subject to the deletion of the word unanimously from Minute 7.",
        None,
        am("delete", "unanimously", minute="7"),
        id="unquoted single word deleted",
    ),
    case(
        "That the minutes be approved subject to the words 'with immediate effect' being struck "
        "out of Minute 4.",
        None,
        am("delete", "with immediate effect", minute="4"),
        id="words struck out",
    ),
    case(
        "That the minutes be approved subject to the deletion of the words 'X Y' and 'Z' from "
        "minute 3.",
        None,
        am("delete", "X Y", minute="3"),
        am("delete", "Z", minute="3"),
        id="two quoted deletions in one clause",
    ),
    case(
        "That the minutes be approved subject to the correction of the spelling of Councillor "
        "Smyth's name.",
        None,
        am("other"),
        id="spelling corrected without the words is other; the apostrophe is not a quote",
    ),
    case(
        "That the minutes be approved subject to the correction of the spelling of Councillor "
        "Smyth's name to Smith.",
        None,
        am("replace", "Smyth", "Smith"),
        id="spelling of a name corrected to a given name",
    ),
    case(
        "That the minutes be approved subject to the addition of Councillor Jones to the list of "
        "apologies.",
        None,
        am("attendance", new="Councillor Jones", attendance_list="apologies"),
        id="addition to the list of apologies",
    ),
    case(
        "That the minutes be agreed as a true and accurate record subject to the removal of "
        "Councillor Smith from those present.",
        None,
        am("attendance", old="Councillor Smith", attendance_list="present"),
        id="removal from those present",
    ),
    case(
        "The minutes of the meeting held on 5 May 2021 were approved as a correct record, subject "
        "to Councillor Ahmed being added to the list of those present.",
        "2021-05-05",
        am("attendance", new="Councillor Ahmed", attendance_list="present"),
        id="being added to those present",
    ),
    case(
        "The minutes of the meeting held on 5 May 2021 were approved as a correct record, subject "
        "to the inclusion of apologies from Councillor Ahmed.",
        "2021-05-05",
        am("attendance", new="Councillor Ahmed", attendance_list="apologies"),
        id="inclusion of apologies from",
    ),
    case(
        "The minutes were approved subject to Councillor Ahmed's apologies being recorded.",
        None,
        am("attendance", new="Councillor Ahmed", attendance_list="apologies"),
        id="someone's apologies being recorded",
    ),
    case(
        "The minutes were approved subject to the names of Councillors Ahmed and Brown being added "
        "to the apologies.",
        None,
        am(
            "attendance",
            new="Councillor Ahmed, Councillor Brown",
            attendance_list="apologies",
        ),
        id="plural title: each name keeps its title",
    ),
    case(
        "The minutes of the meeting held on 8 July 2021 were agreed as a correct record with the "
        "amendment that Councillor Hughes had sent apologies.",
        "2021-07-08",
        am("attendance", new="Councillor Hughes", attendance_list="apologies"),
        id="with the amendment that someone had sent apologies",
    ),
    case(
        "The minutes of the previous meeting were approved as an accurate record subject to "
        "Councillor Lee being recorded as present rather than absent.",
        None,
        am("attendance", old="Councillor Lee", new="Councillor Lee", attendance_list="present"),
        id="recorded as present rather than absent moves the name",
    ),
    case(
        "That the minutes of the meeting held on 9 May 2022 be agreed as a correct record subject "
        "to the removal of Cllr O'Brien from the list of attendees and the inclusion of Cllr "
        "O'Brien's apologies.",
        "2022-05-09",
        am("attendance", old="Cllr O'Brien", attendance_list="present"),
        am("attendance", new="Cllr O'Brien", attendance_list="apologies"),
        id="moved from attendees to apologies, apostrophes in a name",
    ),
    case(
        "That the minutes of the meeting held on 9 May 2022 be agreed subject to the addition of "
        "Superintendent Dawn McNally to those also present.",
        "2022-05-09",
        am("attendance", new="Superintendent Dawn McNally", attendance_list="also_present"),
        id="addition to those also present",
    ),
    case(
        "That the minutes of the meeting held on 9 May 2022 be agreed subject to the addition of "
        "Mr J. Smith (Healthwatch) to those in attendance.",
        "2022-05-09",
        am("attendance", new="Mr J. Smith (Healthwatch)", attendance_list="present"),
        id="a name with an initial and an organisation",
    ),
    case(
        "That the minutes be approved subject to the inclusion of the following sentence at the end "
        "of the second paragraph of Minute 5: 'Members asked for a further report.'",
        None,
        am("insert", new="Members asked for a further report.", minute="5", paragraph=2),
        id="inclusion of a quoted sentence at the end of a paragraph",
    ),
    case(
        "That the minutes be approved subject to the inclusion of the following sentence at the end "
        "of the second paragraph of Minute 5: Members asked for a further report.",
        None,
        am("insert", new="Members asked for a further report.", minute="5", paragraph=2),
        id="unquoted sentence after a colon",
    ),
    case(
        "That the minutes be approved subject to the insertion of the words 'and Fire' after "
        "'Police' in Minute 8.",
        None,
        am("insert", new="and Fire", minute="8", anchor="Police", position="after"),
        id="insertion of words after an anchor",
    ),
    case(
        "That the minutes be approved subject to the word “not” being inserted before “agreed” in "
        "the final paragraph of Minute 3.",
        None,
        am("insert", new="not", minute="3", anchor="agreed", position="before"),
        id="word inserted before an anchor; final paragraph gives no number",
    ),
    case(
        "That the minutes be approved subject to the addition of the word 'not' after 'would' in "
        "the third paragraph of Minute 23.",
        None,
        am("insert", new="not", minute="23", paragraph=3, anchor="would", position="after"),
        id="addition after an anchor in the third paragraph",
    ),
    case(
        "That the minutes be approved subject to the insertion of the words “and Fire” in Minute 8.",
        None,
        am("insert", new="and Fire", minute="8"),
        id="insertion with no anchor",
    ),
    case(
        "That the minutes be approved subject to the addition of the words “and Fire” at the "
        "beginning of the second paragraph of Minute 8.",
        None,
        am("other", minute="8", paragraph=2),
        id="insertion at the beginning with no anchor words is other",
    ),
    case(
        "That the minutes be approved subject to a note being added that Councillor Y left the "
        "meeting at 11.05am.",
        None,
        am("note", new="Councillor Y left the meeting at 11.05am"),
        id="a note being added that",
    ),
    case(
        "That the minutes be approved as a correct record subject to the addition of the following "
        'note to minute 7: "Councillor Mills left the meeting during this item."',
        None,
        am("note", new="Councillor Mills left the meeting during this item.", minute="7"),
        id="addition of a quoted note to a minute",
    ),
    case(
        "That the minutes be approved subject to a note being added to Minute 7 stating that "
        "Councillor Mills left the meeting during this item.",
        None,
        am("note", new="Councillor Mills left the meeting during this item", minute="7"),
        id="a note stating that",
    ),
    case(
        "That the Minutes of the Special meeting held on 4th April, 2022 be approved as a correct "
        "record subject to it being recorded that Councillor Brown had declared a personal interest.",
        "2022-04-04",
        am("note", new="Councillor Brown had declared a personal interest"),
        id="it being recorded that",
    ),
    case(
        "That the minutes be approved subject to minute 23(b) being amended to record that the vote "
        "was 5 for and 3 against.",
        None,
        am("other", minute="23(b)"),
        id="amended to record that (no words given) is other",
    ),
    case(
        "That the minutes of the meeting held on 14 December 2022 be approved as a correct record, "
        "subject to Minute CYP/17/24 being amended to record that the Director would report back.",
        "2022-12-14",
        am("other", minute="CYP/17/24"),
        id="minute number with a prefix",
    ),
    case(
        "That the minutes of the meeting held on 14 December 2022 be approved as a correct record, "
        "subject to Minute 39/20 being amended to show 'Councillor Adams' as 'Councillor Addams'.",
        "2022-12-14",
        am("replace", "Councillor Adams", "Councillor Addams", "39/20"),
        id="minute number with a year; amended to show 'x' as 'y'",
    ),
    case(
        "The minutes of the meeting held on 21 June 2018 were signed by the Chair as a correct "
        "record, subject to the spelling of 'Sefton' being corrected in Minute 4a.",
        "2018-06-21",
        am("other", minute="4a"),
        id="spelling corrected without the new words; minute 4a",
    ),
    case(
        "That the minutes of the previous meeting be confirmed, subject to the following "
        'amendments: (1) Minute 23 – "Cllr Brown" to read "Cllr Browne"; (2) Minute 25 – delete '
        'the words "with immediate effect".',
        None,
        am("replace", "Cllr Brown", "Cllr Browne", "23"),
        am("delete", "with immediate effect", minute="25"),
        id="numbered list (1) (2)",
    ),
    case(
        "That the minutes be approved subject to the following amendments:\n(a) Minute 4 – “the "
        "Council” to be replaced with “the Cabinet”;\n(b) Minute 6, paragraph 3 – the deletion of "
        "the words “and agreed”.",
        None,
        am("replace", "the Council", "the Cabinet", "4"),
        am("delete", "and agreed", minute="6", paragraph=3),
        id="lettered list on separate lines",
    ),
    case(
        "The minutes of the meeting held on 12.03.2020 were approved as a true record, with the "
        "following corrections:\n• Page 3, Minute 14: 'recieved' should read 'received'\n• Page 5, "
        "Minute 17: the deletion of the second sentence of paragraph 2.",
        "2020-03-12",
        am("replace", "recieved", "received", "14"),
        am("other", minute="17", paragraph=2),
        id="bulleted list; a deletion without the words is other",
    ),
    case(
        "That the minutes be confirmed subject to: 1. Minute 5 – 'X' to read 'Y'. 2. Minute 8 – "
        "delete 'Z'.",
        None,
        am("replace", "X", "Y", "5"),
        am("delete", "Z", minute="8"),
        id="inline 1. 2. list",
    ),
    case(
        "That the minutes be approved subject to the following amendments: (i) Minute 12(b) – the "
        "word 'traffic' to be changed to 'transport'; (ii) Minute 14 – the addition of 'and the "
        "Police' after 'Council'; and (iii) Minute 16 – the removal of the words 'in principle'.",
        None,
        am("replace", "traffic", "transport", "12(b)"),
        am("insert", new="and the Police", minute="14", anchor="Council", position="after"),
        am("delete", "in principle", minute="16"),
        id="roman-numbered list mixing ops",
    ),
    case(
        "The draft minutes of the meeting held on 7 September 2021 were approved subject to the "
        "following amendments:\n- Item 4: 'deffered' to be changed to 'deferred'\n- Item 6: 'the "
        "Chair' to be changed to 'the Vice-Chair'",
        "2021-09-07",
        am("replace", "deffered", "deferred", "4"),
        am("replace", "the Chair", "the Vice-Chair", "6"),
        id="dash bullets",
    ),
    case(
        "That the minutes be approved subject to the following amendments to the second paragraph "
        "of Minute 7: (a) 'one' to 'two'; (b) 'three' to 'four'.",
        None,
        am("replace", "one", "two", "7", 2),
        am("replace", "three", "four", "7", 2),
        id="a lead-in scopes the items of its list",
    ),
    case(
        "That the minutes be approved subject to 'a' being changed to 'b' and 'c' being changed to "
        "'d' in minute 5.",
        None,
        am("replace", "a", "b", "5"),
        am("replace", "c", "d", "5"),
        id="'in minute 5' at the end scopes both changes joined by 'and'",
    ),
    case(
        "That the minutes be approved subject to the removal of Councillor X from those present "
        "and the addition of Councillor X to the list of apologies.",
        None,
        am("attendance", old="Councillor X", attendance_list="present"),
        am("attendance", new="Councillor X", attendance_list="apologies"),
        id="two attendance changes joined by 'and'",
    ),
    case(
        "That the minutes be approved subject to the word ‘not’ being removed from the third "
        "paragraph of minute 7 and the addition of ‘Councillor Hill’ to the apologies.",
        None,
        am("delete", "not", minute="7", paragraph=3),
        am("attendance", new="Councillor Hill", attendance_list="apologies"),
        id="a deletion and a quoted attendance name",
    ),
    case(
        "The Minutes of the meeting held on 6 June 2023 were approved as a correct record, subject "
        "to the following amendments:\n1. Minute 3 (Apologies) – add Councillor Bell.\n2. Minute 5 "
        "– 'was' should read 'were'.",
        "2023-06-06",
        am("attendance", new="Councillor Bell", minute="3", attendance_list="apologies"),
        am("replace", "was", "were", "5"),
        id="apologies named by the minute's title",
    ),
    case(
        "That the minutes be approved with the following amendment: Minute 7 – ‘Mr Smith’s "
        "report’ should read ‘Mrs Smith’s report’.",
        None,
        am("replace", "Mr Smith’s report", "Mrs Smith’s report", "7"),
        id="curly apostrophes inside curly quotes",
    ),
    case(
        "That the minutes be approved subject to the words 'the Members' Room' being changed to "
        "'the Council Chamber'.",
        None,
        am("replace", "the Members' Room", "the Council Chamber"),
        id="a possessive s-apostrophe inside single quotes",
    ),
    case(
        'That the minutes be approved subject to "the Committees\' decision" being amended to "the '
        "Committee's decision\".",
        None,
        am("replace", "the Committees' decision", "the Committee's decision"),
        id="apostrophes inside double quotes",
    ),
    case(
        "That the minutes be approved subject to the substitution of 'Cabinet' for 'Council' in "
        "minute 3.",
        None,
        am("replace", "Council", "Cabinet", "3"),
        id="substitution of new for old",
    ),
    case(
        "That the minutes be approved subject to minute 3 reading 'Cabinet' instead of 'Council'.",
        None,
        am("replace", "Council", "Cabinet", "3"),
        id="new instead of old",
    ),
    case(
        "That the minutes of the meeting held on 16 November 2020 be approved as a correct record, "
        "except that the date of the next meeting should read '4 December 2020' not '4 November "
        "2020'.",
        "2020-11-16",
        am("replace", "4 November 2020", "4 December 2020"),
        id="should read new not old; dates in quotes are not the meeting date",
    ),
    case(
        "That the minutes of the meeting held on 16 November 2020 be approved as a correct record, "
        "save that in Minute 23 the figure '£5,000' be amended to '£50,000'.",
        "2020-11-16",
        am("replace", "£5,000", "£50,000", "23"),
        id="save that",
    ),
    case(
        "The minutes of the Cabinet meeting held on 23rd September 2020 were approved as a correct "
        "record following the correction of 'Councillor Smithe' to 'Councillor Smith' in Minute 30.",
        "2020-09-23",
        am("replace", "Councillor Smithe", "Councillor Smith", "30"),
        id="following the correction of old to new",
    ),
    case(
        "That the minutes be approved subject to the replacement of 'a' with 'b' and 'c' with 'd'.",
        None,
        am("replace", "a", "b"),
        am("replace", "c", "d"),
        id="two replacement pairs in one clause",
    ),
    case(
        "That the minutes be approved as a correct record subject to the word 'Councillors' being "
        "deleted and replaced with 'Members' in minute 10.",
        None,
        am("replace", "Councillors", "Members", "10"),
        id="deleted and replaced with is a replacement",
    ),
    case(
        "That the minutes be approved subject to the replacement of the words 'was unanimously "
        "agreed' in the third paragraph of Minute 4 with 'was agreed by a majority'.",
        None,
        am("replace", "was unanimously agreed", "was agreed by a majority", "4", 3),
        id="scope between the old and the new words",
    ),
    case(
        "That the minutes of the meeting held on 20 January 2022 be approved as a correct record, "
        'subject to Minute 63, paragraph 2 being amended to replace "will" with "may".',
        "2022-01-20",
        am("replace", "will", "may", "63", 2),
        id="amended to replace old with new",
    ),
    case(
        "That, subject to the following amendment, the minutes of the meeting held on 8 July 2021 "
        "be approved as a correct record: Minute 9 – 'Mrs Jones' to be replaced by 'Ms Jones'.",
        "2021-07-08",
        am("replace", "Mrs Jones", "Ms Jones", "9"),
        id="subject to before the approval, amendment after it",
    ),
    case(
        'Subject to the deletion of "by SWACCA" in Minute 6, the minutes of the meeting held on 22 '
        "June 2022 were approved as a correct record.",
        "2022-06-22",
        am("delete", "by SWACCA", minute="6"),
        id="subject to at the start",
    ),
    case(
        "The minutes were approved. Minute 12: 'coverted' to be changed to 'converted'.",
        None,
        am("replace", "coverted", "converted", "12"),
        id="a quoted change in the next sentence",
    ),
    case(
        "Minute 12 – 'coverted' to be changed to 'converted'. RESOLVED that the minutes be approved "
        "subject to the above amendment.",
        None,
        am("replace", "coverted", "converted", "12"),
        id="subject to the above amendment",
    ),
    case(
        "That the minutes be approved as amended.",
        None,
        am("other"),
        id="as amended, with nothing stated, is other",
    ),
    case(
        "That the minutes of the meeting held on 3 March 2022 be approved as a correct record "
        "subject to minor typographical corrections.",
        "2022-03-03",
        am("other"),
        id="unspecified typographical corrections",
    ),
    case(
        "That the minutes be approved subject to an amendment to Minute 15 to reflect that the "
        "motion was carried.",
        None,
        am("other", minute="15"),
        id="amendment to reflect that",
    ),
    case(
        "That the minutes be approved subject to the removal of the reference to 'Sefton Council' "
        "in paragraph three of Minute 9.",
        None,
        am("delete", "Sefton Council", minute="9", paragraph=3),
        id="removal of the reference to; paragraph three",
    ),
    case(
        "That the minutes of the last meeting be approved as a correct record subject to the "
        "inclusion of the words “subject to funding” at the end of resolution (2) of Minute 41.",
        None,
        am("insert", new="subject to funding", minute="41"),
        id="'resolution (2)' is not a list marker",
    ),
    case(
        'That the minutes be approved, subject to "£1.2m" being corrected to "£1.5m".',
        None,
        am("replace", "£1.2m", "£1.5m"),
        id="figures corrected",
    ),
    case(
        "The minutes of the previous meeting held on 14 February 2024 were approved subject to the "
        "correction of a typographical error in minute 5 ('teh' should read 'the').",
        "2024-02-14",
        am("replace", "teh", "the", "5"),
        id="quoted correction in brackets",
    ),
    case(
        "The minutes of the meeting on 14th February 2024 were agreed as a true record subject to: "
        "Item 5 - amend 'Highways England' to 'National Highways'.",
        "2024-02-14",
        am("replace", "Highways England", "National Highways", "5"),
        id="amend old to new",
    ),
    case(
        "That the minutes be approved subject to the following amendment to Minute 8 (Public "
        "Questions): the word 'their' be replaced with 'there'.",
        None,
        am("replace", "their", "there", "8"),
        id="a lead-in naming the minute and its title",
    ),
    case(
        "That the minutes be approved subject to the word ‘principal’ being corrected to "
        "‘principle’ in minute 14 and the word ‘their’ corrected to ‘there’ in minute 15.",
        None,
        am("replace", "principal", "principle", "14"),
        am("replace", "their", "there", "15"),
        id="two corrections each with its own minute",
    ),
    case(
        "The minutes were approved, however 'Tuesday' should be changed to 'Wednesday' in minute 3.",
        None,
        am("replace", "Tuesday", "Wednesday", "3"),
        id="approved, however …",
    ),
    case(
        "That the minutes be approved subject to paragraph 4 of minute 6 being amended to read "
        "“The Board noted the update.”",
        None,
        am("other", minute="6", paragraph=4),
        id="a paragraph amended to read new words is other",
    ),
    case(
        'That the minutes be approved subject to the words "in the Town Hall" being inserted at '
        "the end of the first paragraph of Minute 9.",
        None,
        am("insert", new="in the Town Hall", minute="9", paragraph=1),
        id="words inserted at the end of a paragraph",
    ),
    case(
        "That the minutes be approved subject to the deletion of Minute 14.",
        None,
        am("other", minute="14"),
        id="deleting a whole minute is other",
    ),
    case(
        "That the minutes be approved as a correct record subject to Councillor Smith being "
        "recorded as having given his apologies.",
        None,
        am("attendance", new="Councillor Smith", attendance_list="apologies"),
        id="recorded as having given apologies",
    ),
    case(
        "That the minutes be approved subject to it being noted that Councillor Smith was present.",
        None,
        am("attendance", new="Councillor Smith", attendance_list="present"),
        id="noted that someone was present is attendance, not a note",
    ),
    case(
        "That the minutes be approved subject to Councillor Smith's attendance being recorded.",
        None,
        am("attendance", new="Councillor Smith", attendance_list="present"),
        id="someone's attendance being recorded",
    ),
    case(
        "That the minutes be approved subject to Councillor Smith being removed from the list of "
        "apologies and added to those present.",
        None,
        am("attendance", old="Councillor Smith", new="Councillor Smith", attendance_list="present"),
        id="removed from apologies and added to those present",
    ),
    case(
        "The minutes were approved subject to 'Councillor Jones' being changed to 'Councillor "
        "Jonas' in the list of those present.",
        None,
        am(
            "attendance",
            old="Councillor Jones",
            new="Councillor Jonas",
            attendance_list="present",
        ),
        id="a name corrected in the attendance",
    ),
    case(
        "That the minutes be approved subject to the addition of Councillor Jones, Councillor Smith "
        "and Councillor Evans to the list of apologies.",
        None,
        am(
            "attendance",
            new="Councillor Jones, Councillor Smith and Councillor Evans",
            attendance_list="apologies",
        ),
        id="several names, each with a title, kept as written",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PLAIN_APPROVALS)
def test_plain_approvals_give_the_date_and_no_amendments(text: str, expected: Approval) -> None:
    assert parse_approval(text) == expected


@pytest.mark.parametrize(("text", "expected"), AMENDED)
def test_amendments_are_read_into_structure_in_the_order_written(
    text: str, expected: Approval
) -> None:
    assert parse_approval(text) == expected


def test_the_seed_resolution_prints_as_the_contract_shows() -> None:
    assert parse_approval(SEED).contract_dict() == {
        "approved": True,
        "minutes_of": "2022-06-22",
        "amendments": [
            {"op": "delete", "old": "by SWACCA", "new": None, "minute": "6", "paragraph": 1}
        ],
    }


def test_a_whole_set_of_minutes_still_yields_its_approval() -> None:
    text = (
        "APOLOGIES FOR ABSENCE\n\nApologies for absence were received from Councillor Hardy.\n\n"
        "16. MINUTES OF PREVIOUS MEETING\n\nRESOLVED:\n\n" + SEED + "\n\n17. DHR10 REPORT\n\n"
        "The Partnership received a presentation subject to further work.\n\nRESOLVED:\n\n"
        "That the report be noted."
    )
    assert parse_approval(text) == parse_approval(SEED)


@pytest.mark.parametrize(
    "text",
    [
        "That the report be noted.",
        "That the next meeting be held on 8 December 2022.",
        "RESOLVED: That the minutes were not approved.",
        "Members were not minded to approve the minutes as a correct record, and requested "
        "that they be submitted to a future meeting for further consideration.",
        "The Committee declined to confirm the minutes of the meeting held on 3 May 2022.",
        "It was agreed not to approve the minutes as a correct record.",
        "The minutes of the meeting held on 1 June 2022 were not agreed as a correct record.",
        "That consideration of the minutes be deferred to the next meeting.",
        "That the minutes of the meeting held on 1 June be deferred.",
        "That the minutes of the Sub-Committee held on 5 May 2022 be noted.",
        "That the minutes of the last meeting be received.",
        "That the recommendations contained in the minutes of the Working Group be approved.",
        "The minutes of the Sub-Committee were noted and the recommendations therein were approved.",
        "The Partnership considered the Minutes of the meeting held on 12 September, 2019.",
        "With reference to Minute No. 24, Chris White gave an update on the initiative's delivery.",
        "Minutes:\n\nThe Committee considered the report. The report was approved.",
        "The Members' Room was approved as a venue.",
        "",
        "   ",
    ],
)
def test_resolutions_that_do_not_approve_minutes_are_refused(text: str) -> None:
    with pytest.raises(NotAnApprovalError, match="does not approve"):
        parse_approval(text)


def test_the_refusal_shows_the_clerk_wording_that_would_be_accepted() -> None:
    with pytest.raises(NotAnApprovalError, match="be approved as a correct record"):
        parse_approval("That the report be noted.")


def test_a_refusal_is_a_value_error_for_callers_that_catch_those() -> None:
    with pytest.raises(ValueError):
        parse_approval("That the report be noted.")


# Properties ----------------------------------------------------------------------------

LETTERS = st.characters(categories=("L", "N"), exclude_characters="'\"‘’“”")
WORD = st.text(alphabet=LETTERS, min_size=1, max_size=12)
PHRASE = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
#: Any printable text but double quotes, as words separated by single spaces.
DOUBLE_QUOTABLE = st.lists(
    st.text(
        alphabet=st.characters(
            categories=("L", "N", "P", "S"), exclude_characters='"“”„‟«»\ue000\ue001'
        ),
        min_size=1,
        max_size=10,
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@given(PHRASE, st.integers(1, 200))
def test_a_single_quoted_deletion_comes_back_exactly(words: str, minute: int) -> None:
    text = (
        "That the minutes be approved as a correct record subject to the deletion of the "
        f"words '{words}' from Minute {minute}."
    )
    assert parse_approval(text).amendments == (am("delete", words, minute=str(minute)),)


@given(DOUBLE_QUOTABLE)
def test_any_double_quoted_words_come_back_exactly_in_the_seed_template(words: str) -> None:
    (only,) = parse_approval(SEED.replace("by SWACCA", words)).amendments
    assert only == am("delete", words, minute="6", paragraph=1)


@given(PHRASE, PHRASE)
def test_a_quoted_replacement_comes_back_exactly(old: str, new: str) -> None:
    text = f"That the minutes be approved subject to “{old}” being changed to “{new}” in minute 4."
    assert parse_approval(text).amendments == (am("replace", old, new, "4"),)


@given(
    st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)),
    st.sampled_from(["%d %B %Y", "%d/%m/%Y", "%A %d %B %Y", "%d %b %Y"]),
)
def test_the_date_of_the_approved_minutes_is_read_in_common_formats(
    date: dt.date, layout: str
) -> None:
    text = f"That the minutes of the meeting held on {date.strftime(layout)} be approved."
    assert parse_approval(text).minutes_of == date


VOCABULARY = (
    *("minutes", "Minute", "12", "(b)", "be", "approved", "as", "a", "correct", "record"),
    *("subject", "to", "the", "words", "'", '"', "‘", "’", "“", "”", "deletion", "of", "and"),
    *(";", ":", ".", "Councillor", "Smyth's", "apologies", "present", "added", "note", "that"),
    *("changed", "read", "after", "before", "insertion", "(1)", "\n", "22", "June", "2022"),
    *("paragraph", "first", "with", "replaced", "not"),
)


@given(st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join) | st.text(max_size=300))
def test_any_text_parses_or_is_refused_and_never_crashes(text: str) -> None:
    try:
        approval = parse_approval(text)
    except NotAnApprovalError:
        return
    assert approval.approved


@given(st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join))
def test_words_to_change_are_always_words_of_the_resolution(text: str) -> None:
    try:
        approval = parse_approval(text)
    except NotAnApprovalError:
        return
    flat = " ".join(text.split())
    for amendment in approval.amendments:
        if amendment.op in ("delete", "replace", "insert"):
            for words in (amendment.old, amendment.new, amendment.anchor):
                assert words is None or words in flat


def test_a_negation_further_back_does_not_refuse_an_approval() -> None:
    found = parse_approval(
        "Members did not object and agreed to approve the minutes as a correct record."
    )
    assert found.approved


def test_amendments_stated_before_an_approval_that_includes_them() -> None:
    # Southwark, 2011 (moderngov.southwark.gov.uk/mgAi.aspx?ID=20891), shortened.
    found = parse_approval(
        "Members asked for the following amendment to be made: on page 4 of the minutes, "
        "under 12. Public Question Time – line 2: “coverted” to be changed to “converted”.\n\n"
        "That the minutes of the meeting held on 7 November 2011, including the above "
        "amendment, be agreed as an accurate record of that meeting, and signed by the chair."
    )
    assert found.minutes_of == dt.date(2011, 11, 7)
    assert [(a.op, a.old, a.new) for a in found.amendments] == [
        ("replace", "coverted", "converted")
    ]


def test_minute_submitted_and_approved() -> None:
    found = parse_approval(
        "The minute of the meeting of 2 May 2023 was submitted and approved as a correct "
        "record, on the motion of Councillor Curley, seconded by Councillor Moran."
    )
    assert found.minutes_of == dt.date(2023, 5, 2)
    assert found.amendments == ()


def test_two_meetings_minutes_confirmed_as_correct_records() -> None:
    found = parse_approval(
        "The Minutes of the Annual Meeting held on 10 May 2023 and the Ordinary Meeting held "
        "on 24 May 2023 were confirmed as correct records."
    )
    assert found.minutes_of == dt.date(2023, 5, 10)  # the first; the item names both


def test_with_the_addition_of_a_name_to_the_apologies() -> None:
    found = parse_approval(
        "The minutes of the meeting held on 4 April 2023 were approved as a correct record, "
        "with the addition of Cllr Jones to the list of apologies."
    )
    assert [(a.op, a.new, a.attendance_list) for a in found.amendments] == [
        ("attendance", "Cllr Jones", "apologies")
    ]
