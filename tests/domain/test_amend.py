"""Applying structured amendments: exactly once in scope, or an error naming the words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.amend import apply_amendments
from domain.amendments import Amendment
from domain.errors import AmendmentError
from domain.values import Attendance, MinuteItem

ITEMS = (
    MinuteItem(
        number="6",
        title="Violence Against Women and Girls",
        paragraphs=(
            "The Partnership considered reports by SWACCA and others.",
            "It was coverted into a plan.",
        ),
        resolutions=("That the report be noted.",),
    ),
    MinuteItem(number="7", title="Prevent", paragraphs=("The report was noted.",)),
)
ATTENDANCE = Attendance(present=("Councillor Hardy", "Jan Marlow"), apologies=("Kevin Sexton",))


def amend(*amendments: Amendment) -> dict[str, MinuteItem]:
    items, _ = apply_amendments(ITEMS, ATTENDANCE, amendments)
    return {i.number: i for i in items}


def test_delete_removes_the_words_and_tidies_spaces() -> None:
    items = amend(Amendment(op="delete", old="by SWACCA", minute="6", paragraph=1))
    assert items["6"].paragraphs[0] == "The Partnership considered reports and others."
    assert items["7"] == ITEMS[1]


def test_replace_changes_the_words() -> None:
    items = amend(Amendment(op="replace", old="coverted", new="converted", minute="6"))
    assert items["6"].paragraphs[1] == "It was converted into a plan."


def test_insert_after_anchor() -> None:
    items = amend(
        Amendment(
            op="insert", new="Merseyside", anchor="The Partnership", position="after", minute="6"
        )
    )
    assert items["6"].paragraphs[0].startswith("The Partnership Merseyside considered")


def test_insert_without_anchor_appends_a_paragraph() -> None:
    items = amend(Amendment(op="insert", new="Members asked for a report.", minute="7"))
    assert items["7"].paragraphs[-1] == "Members asked for a report."


def test_note_is_kept_beside_the_text() -> None:
    items = amend(Amendment(op="note", new="Councillor Y left at 11.05am", minute="7"))
    assert items["7"].notes == ("Councillor Y left at 11.05am",)
    assert items["7"].paragraphs == ITEMS[1].paragraphs


def test_attendance_moves_names_between_lists() -> None:
    _, attendance = apply_amendments(
        ITEMS,
        ATTENDANCE,
        (
            Amendment(
                op="attendance",
                new="Councillor Jones",
                old="Jan Marlow",
                attendance_list="apologies",
            ),
        ),
    )
    assert attendance.present == ("Councillor Hardy",)
    assert attendance.apologies == ("Kevin Sexton", "Councillor Jones")


def test_words_not_found_name_the_minute_paragraph_and_words() -> None:
    with pytest.raises(
        AmendmentError, match=r'"by SWACA" were not found in paragraph 1 of minute 6'
    ):
        amend(Amendment(op="delete", old="by SWACA", minute="6", paragraph=1))


def test_words_found_twice_are_an_error() -> None:
    with pytest.raises(AmendmentError, match="found 2 times"):
        amend(Amendment(op="delete", old="The", minute=None))


def test_unknown_minute_is_an_error() -> None:
    with pytest.raises(AmendmentError, match="minute 99"):
        amend(Amendment(op="delete", old="x", minute="99"))


def test_paragraph_out_of_range_is_an_error() -> None:
    with pytest.raises(AmendmentError, match="paragraph 5 of minute 6"):
        amend(Amendment(op="delete", old="x", minute="6", paragraph=5))


def test_other_changes_no_text() -> None:
    assert amend(Amendment(op="other", minute="6")) == {i.number: i for i in ITEMS}


@given(
    st.text(alphabet="abcXYZ", min_size=2, max_size=4),
    st.lists(st.text(alphabet="abcxyz .", max_size=12), min_size=1, max_size=4),
)
def test_a_deletion_applies_exactly_once_or_stores_nothing(word: str, fillers: list[str]) -> None:
    text = f" {word} ".join(fillers)
    item = MinuteItem(number="1", title="T", paragraphs=(text,))
    exact, folded = text.count(word), text.lower().count(word.lower())
    matches_once = exact == 1 or (exact == 0 and folded == 1)
    deletion = Amendment(op="delete", old=word, minute="1", paragraph=1)
    try:
        items, _ = apply_amendments((item,), Attendance(), (deletion,))
    except AmendmentError:
        assert not matches_once
        return
    assert matches_once
    after = items[0].paragraphs[0]
    assert after.lower().count(word.lower()) <= folded - 1 or len(after) < len(text)
