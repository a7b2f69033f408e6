"""Approval wording → structure: the seed's SWACCA resolution and the ways clerks word it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.approval_wording import NotAnApprovalError, parse_approval


def am(
    op: str,
    old: str | None = None,
    new: str | None = None,
    minute: str | None = None,
    paragraph: int | None = None,
) -> dict[str, Any]:
    return {"op": op, "old": old, "new": new, "minute": minute, "paragraph": paragraph}


CASES: list[tuple[str, str | None, list[dict[str, Any]]]] = [
    (
        "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
        'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.',
        "2022-06-22",
        [am("delete", "by SWACCA", minute="6", paragraph=1)],
    ),
    (
        "That the Minutes of the meeting held on 12 September, 2019 be confirmed as a correct record.",
        "2019-09-12",
        [],
    ),
    ("The minutes of the last meeting were agreed as a correct record.", None, []),
    (
        "That the minutes of the meeting held on 5th December 2019 be approved as a correct record "
        "and signed by the Chair.",
        "2019-12-05",
        [],
    ),
    (
        "That the minutes of the meeting held on Thursday 9 December 2021 be accepted as an accurate "
        "record.",
        "2021-12-09",
        [],
    ),
    (
        "RESOLVED: That the minutes of the meeting held on 22/06/2022 be confirmed.",
        "2022-06-22",
        [],
    ),
    (
        "That the minutes be approved subject to the following amendment: Minute 12 – the word "
        "'coverted' to be changed to 'converted'.",
        None,
        [am("replace", "coverted", "converted", "12")],
    ),
    (
        "That the minutes be approved subject to 'coverted' to be changed to 'converted'.",
        None,
        [am("replace", "coverted", "converted")],
    ),
    (
        "That the minutes be approved as a correct record subject to the following changes: In item "
        "13, that 'three' be amended to 'four'; and in item 14, the deletion of the word 'not'.",
        None,
        [am("replace", "three", "four", "13"), am("delete", "not", minute="14")],
    ),
    (
        "That the minutes be approved subject to the addition of Councillor Jones to the list of "
        "apologies.",
        None,
        [am("attendance", new="Councillor Jones")],
    ),
    (
        "That the minutes be agreed as a true and accurate record subject to the removal of "
        "Councillor Smith from those present.",
        None,
        [am("attendance", old="Councillor Smith")],
    ),
    (
        "That the minutes be approved subject to the insertion of the words 'and Fire' after "
        "'Police' in Minute 8.",
        None,
        [am("insert", new="and Fire", minute="8")],
    ),
    (
        "That the minutes be approved subject to a note being added that Councillor Y left the "
        "meeting at 11.05am.",
        None,
        [am("note", new="Councillor Y left the meeting at 11.05am")],
    ),
    (
        "That the minutes be approved subject to the correction of the spelling of Councillor "
        "Smyth's name.",
        None,
        [am("other")],
    ),
    (
        "That the minutes of the meeting held on 14 March 2023 be confirmed subject to Minute No. 45 "
        "being amended to read 'The Committee noted the report'.",
        "2023-03-14",
        [am("other", minute="45")],
    ),
    (
        "That the minutes of the meeting held on 22/06/2022 be confirmed as a correct record subject "
        "to ‘Tuesday’ being replaced with ‘Thursday’ in minute 4(b).",
        "2022-06-22",
        [am("replace", "Tuesday", "Thursday", "4(b)")],
    ),
    (
        "That the minutes of the meeting held on 1 June 2022 be approved subject to the inclusion of "
        "the following sentence at the end of the second paragraph of Minute 5: 'Members asked for a "
        "further report.'",
        "2022-06-01",
        [am("insert", new="Members asked for a further report.", minute="5", paragraph=2)],
    ),
    (
        "That the minutes of the previous meeting be confirmed, subject to the following amendments: "
        '(1) Minute 23 – "Cllr Brown" to read "Cllr Browne"; (2) Minute 25 – delete the words "with '
        'immediate effect".',
        None,
        [
            am("replace", "Cllr Brown", "Cllr Browne", "23"),
            am("delete", "with immediate effect", minute="25"),
        ],
    ),
    (
        "That the minutes of the meeting held on 10 January 2023 be approved as an accurate record "
        "subject to the word 'unanimously' being deleted from minute 7.",
        "2023-01-10",
        [am("delete", "unanimously", minute="7")],
    ),
    (
        "The minutes of the meeting held on 3 March 2021 were approved as a correct record, subject "
        "to the amendment of minute 7 to record that Councillor Patel abstained.",
        "2021-03-03",
        [am("other", minute="7")],
    ),
    (
        "That the minutes of the meeting of the Committee held on 39/20 be signed as a correct record.",
        None,
        [],
    ),
]


@pytest.mark.parametrize(("text", "minutes_of", "amendments"), CASES)
def test_wording_is_read_into_structure(
    text: str, minutes_of: str | None, amendments: list[dict[str, Any]]
) -> None:
    assert parse_approval(text).contract_dict() == {
        "approved": True,
        "minutes_of": minutes_of,
        "amendments": amendments,
    }


@pytest.mark.parametrize(
    "text",
    [
        "That the report be noted.",
        "That the next meeting be held on 8 December 2022.",
        "RESOLVED: That the minutes were not approved.",
        "",
    ],
)
def test_resolutions_that_do_not_approve_minutes_are_refused(text: str) -> None:
    with pytest.raises(NotAnApprovalError, match="does not approve"):
        parse_approval(text)


WORD = st.text(
    alphabet=st.characters(categories=("L", "N"), exclude_characters="'\"‘’“”"),
    min_size=1,
    max_size=12,
)


@given(st.lists(WORD, min_size=1, max_size=4).map(" ".join), st.integers(1, 200))
def test_a_quoted_deletion_comes_back_exactly(words: str, minute: int) -> None:
    text = (
        f"That the minutes be approved as a correct record subject to the deletion of the "
        f"words '{words}' from Minute {minute}."
    )
    (only,) = parse_approval(text).amendments
    assert (only.op, only.old, only.minute) == ("delete", words, str(minute))


@given(st.text(max_size=300))
def test_any_text_parses_or_is_refused_never_crashes(text: str) -> None:
    try:
        approval = parse_approval(text)
    except NotAnApprovalError:
        return
    assert approval.approved
