"""The append path stores the same bytes, whatever it is tuned to: a golden record.

The write path (domain events, the mapper, the recorders, the Merkle leaves) is
tuned for CPU per command; stores written before must read the same, and a
record must hash the same on every release.  A fixed sequence of commands (every
kind of event of bodies, meetings, slots, aliases and actions, with and without a
reason) is run on a fresh store, and every stored row — record id, version,
topic, state bytes — is hashed in log order.  Event timestamps are the only bytes
that change from run to run: each is replaced by a placeholder of its own, so
everything else (the encoding of every field, its order, the topics) is compared
byte for byte with the digest the path produced before it was tuned.

Each stored Merkle leaf is also recomputed with the reference encoding
(:func:`service.audit.merkle.leaf_data`/``leaf_hash``) and the stored head's root
with :func:`service.audit.merkle.root_from_leaves`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from typing import Any

from domain.amendments import Amendment
from domain.provenance import Actor, Provenance, bound_provenance, with_reason
from domain.values import Attendance, Declaration, Reference, Signature, Vote
from service import commands as c
from service.app import Minutebook
from service.audit.ledger import col, read_frontier
from service.audit.merkle import leaf_data, leaf_hash, root_from_leaves

#: SHA-256 of the rows the sequence below stored before the path was tuned.
GOLDEN = "9b809dcc6b81be296e6b31dfd919864f9dcf696c494c460eae5349c54e395e5c"
BODY, OTHER = "Golden Scrutiny Board", "Golden Partnership"
MAY, JUNE, JULY, SEPT = (dt.date(2023, m, d) for m, d in ((5, 25), (6, 22), (7, 20), (9, 14)))
CLERK = Actor(id="clerk-7", name="A Clerk", role="clerk")
_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def run_sequence(app: Minutebook) -> None:
    app.register_body(c.RegisterBody(name=BODY, organisation="Golden Council"))
    app.register_body(c.RegisterBody(name=OTHER, year_start_month=4, year_start_day=6))
    app.appoint_member(c.AppointMember(body=BODY, member="Cllr Ada Smith", role="Chair"))
    app.appoint_member(c.AppointMember(body=BODY, member="Cllr Bo Jones"))
    for date in (MAY, JUNE, SEPT):
        app.schedule_meeting(c.ScheduleMeeting(body=BODY, date=date, time="18:30", venue="Hall"))
    app.schedule_meeting(c.ScheduleMeeting(body=OTHER, date=JUNE, remote=True))
    app.reschedule_meeting(c.RescheduleMeeting(body=BODY, date=SEPT, new_date=JULY, time="10:00"))
    app.record_attendance(
        c.RecordAttendance(
            body=BODY,
            date=JUNE,
            attendance=Attendance(
                present=("Cllr Ada Smith", "Cllr Bo Jones"),
                chair="Cllr Ada Smith",
                apologies=("X",),
            ),
        )
    )
    app.declare_interest(
        c.DeclareInterest(
            body=BODY,
            date=JUNE,
            declaration=Declaration(member="Cllr Bo Jones", kind="other", left_room=True),
        )
    )
    for i in range(3):
        app.minute_item(
            c.MinuteItem(
                body=BODY,
                date=MAY,
                title=f"Item {i} — café ✓ «quoted»",
                paragraphs=(f"Paragraph {i}.", "Second paragraph."),
                resolutions=("That the report be noted.",) if i else (),
                references=(Reference(minute="36", meeting_date=dt.date(2022, 3, 17)),),
            )
        )
    app.minute_item(
        c.MinuteItem(
            body=BODY,
            date=MAY,
            number="C 08/042",
            title="Coded",
            exempt=True,
            exempt_reason="paragraph 3 of Part 1 of Schedule 12A",
        )
    )
    with bound_provenance(Provenance(actor=CLERK, request_id="req-1", source="cli")):
        app.revise_item(
            c.ReviseItem(body=BODY, date=MAY, number="2", title="Item 2 revised", paragraphs=())
        )
        with with_reason("typo"):
            app.add_note(c.AddNote(body=BODY, date=MAY, minute="1", note="A note."))
    app.record_vote(
        c.RecordVote(
            body=BODY,
            date=MAY,
            minute="2",
            vote=Vote(part=1, votes_for=5, votes_against=2, recorded_for=("Cllr Ada Smith",)),
        )
    )
    app.set_call_in(c.SetCallIn(body=BODY, date=MAY, subject_to_call_in=True, status="open"))
    app.fix_next_meeting(c.FixNextMeeting(body=BODY, date=MAY, when="22 June 2023", venue="Hall"))
    app.circulate_minutes(c.CirculateMinutes(body=BODY, date=MAY))
    app.minute_item(c.MinuteItem(body=BODY, date=JUNE, title="Minutes of the last meeting"))
    app.confirm_minutes(
        c.ConfirmMinutes(
            body=BODY,
            date=MAY,
            at_date=JUNE,
            minute="4",
            amendments=(Amendment(op="replace", old="Paragraph 0.", new="Para 0.", minute="1"),),
        )
    )
    app.sign_minutes(
        c.SignMinutes(
            body=BODY, date=MAY, signature=Signature(signed_by="Cllr Ada Smith", signed_on=JUNE)
        )
    )
    action = app.raise_action(
        c.RaiseAction(
            body=BODY,
            date=JUNE,
            minute="4",
            part=1,
            description="Write to the Minister",
            owners=("Clerk",),
            due_meeting_date=JULY,
        )
    )
    app.update_action(c.UpdateAction(action_id=action.id, note="Drafted", status="in progress"))
    app.reassign_action(c.ReassignAction(action_id=action.id, owners=("Chair", "Clerk")))
    app.change_action_due(c.ChangeActionDue(action_id=action.id, due_date=dt.date(2023, 8, 1)))
    app.complete_action(c.CompleteAction(action_id=action.id, note="Sent"))
    app.reopen_action(c.ReopenAction(action_id=action.id, reason="No reply"))
    app.withdraw_action(c.WithdrawAction(action_id=action.id, reason="Overtaken"))
    app.member_leaves(c.MemberLeaves(body=BODY, member="Cllr Bo Jones"))
    app.rename_body(c.RenameBody(body=OTHER, name="Golden Partnership Board"))
    app.cancel_meeting(c.CancelMeeting(body="Golden Partnership Board", date=JUNE))


def stored_rows(app: Minutebook) -> list[tuple[int, str, int, str, bytes]]:
    rows = []
    for n in app.recorder.select_notifications(1, 100_000):
        oid = n.originator_id
        text = str(oid if isinstance(oid, uuid.UUID) else uuid.UUID(oid))
        rows.append((n.id, text, n.originator_version, n.topic, bytes(n.state)))
    return rows


def digest_of(rows: list[tuple[int, str, int, str, bytes]]) -> str:
    h = hashlib.sha256()
    for _, record, version, topic, state in rows:
        normalised, stamps = _TIMESTAMP.subn(b"<T>", state)
        assert stamps == 1, f"{topic} v{version}: one timestamp expected, found {stamps}"
        h.update(f"{record}|{version}|{topic}|{len(normalised)}|".encode() + normalised + b"\n")
    return h.hexdigest()


def stored_leaves(app: Minutebook) -> tuple[list[tuple[int, int, bytes]], bytes]:
    recorder: Any = app.recorder
    sql = recorder.ledger_sql
    if app.store.kind == "sqlite":
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql.select_leaves, (0, 100_000))
            leaves = cursor.fetchall()
            head = read_frontier(cursor, sql).root()
    else:
        with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(sql.select_leaves, (0, 100_000))
            leaves = cursor.fetchall()
            head = read_frontier(cursor, sql).root()
    return [
        (int(col(r, 0, "leaf_index")), int(col(r, 1, "position")), bytes(col(r, 2, "leaf_hash")))
        for r in leaves
    ], head


def test_the_sequence_stores_the_golden_bytes(app: Minutebook) -> None:
    run_sequence(app)
    rows = stored_rows(app)
    assert len(rows) > 40
    assert digest_of(rows) == GOLDEN


def test_every_leaf_and_the_head_are_the_reference_encoding(app: Minutebook) -> None:
    run_sequence(app)
    rows = stored_rows(app)
    leaves, head = stored_leaves(app)
    expected = [
        leaf_hash(leaf_data(position, record, version, topic, state))
        for position, record, version, topic, state in rows
    ]
    assert [(i, p) for i, p, _ in leaves] == [(i, r[0]) for i, r in enumerate(rows)]
    assert [h for _, _, h in leaves] == expected
    assert head == root_from_leaves(expected)
