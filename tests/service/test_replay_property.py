"""Property: any valid command sequence replayed from the store equals the live state."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.amendments import Amendment
from domain.errors import DomainError
from domain.meeting import Meeting
from domain.values import Attendance, MinuteItem, Vote
from service.app import Minutebook

BODY = uuid.uuid4()
words = st.text(alphabet=st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=30)
numbers = st.sampled_from(["1", "2", "3", "4a", "39/20"])

ops = st.one_of(
    st.tuples(st.just("minute"), numbers, words, st.lists(words, max_size=3)),
    st.tuples(st.just("revise"), numbers, words, st.lists(words, max_size=3)),
    st.tuples(st.just("attendance"), st.lists(words, max_size=4), st.none(), st.none()),
    st.tuples(st.just("vote"), numbers, st.booleans(), st.none()),
    st.tuples(st.just("circulate"), st.none(), st.none(), st.none()),
    st.tuples(st.just("confirm"), numbers, words, st.none()),
    st.tuples(st.just("call_in"), st.booleans(), st.none(), st.none()),
)


def apply(meeting: Meeting, later: Meeting, op: tuple[Any, ...]) -> None:
    kind, a, b, c = op
    if kind == "minute":
        meeting.minute_item(MinuteItem(number=a, title=b, paragraphs=tuple(c), resolutions=("x",)))
    elif kind == "revise":
        meeting.revise_item(MinuteItem(number=a, title=b, paragraphs=tuple(c), resolutions=("x",)))
    elif kind == "attendance":
        meeting.record_attendance(Attendance(present=tuple(a)))
    elif kind == "vote":
        meeting.record_vote(a, Vote(part=1, unanimous=b))
    elif kind == "circulate":
        meeting.circulate()
    elif kind == "confirm":
        meeting.confirm(later, "99", (Amendment(op="delete", old=b, minute=a),))
    elif kind == "call_in":
        meeting.set_call_in(a)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(ops, min_size=1, max_size=12))
def test_replay_equals_live_state(app: Minutebook, sequence: list[tuple[Any, ...]]) -> None:
    meeting = Meeting.schedule(uuid.uuid4(), BODY, dt.date(2022, 6, 22), None, None, False)
    later = Meeting.schedule(uuid.uuid4(), BODY, dt.date(2022, 9, 8), None, None, False)
    later.minute_item(MinuteItem(number="99", title="Minutes of the previous meeting"))
    app.save(meeting, later)
    for op in sequence:
        try:
            apply(meeting, later, op)
        except DomainError:
            assert meeting.pending_events == []  # a rejected command leaves nothing pending
            continue
        app.save(meeting, later)
    replayed = app.repository.get(meeting.id)
    assert replayed == meeting
