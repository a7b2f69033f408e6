"""Recording a parsed minutes document: the same events a clerk's commands record.

One file is one transaction: the body (if new), the meeting, its attendance,
items, call-in, next meeting, the confirmation of earlier minutes that are in
the store, the actions the resolutions raise, and the file's own import record
(keyed by its SHA-256, so the same file imported twice records nothing).
"""

from __future__ import annotations

import datetime as dt

import msgspec

from domain import ids
from domain.action import Action, Due, Origin
from domain.body import Body, BodyAlias
from domain.errors import InvalidValueError, RecordConflictError, UnknownRecordError
from domain.imports import ImportedFile
from domain.meeting import Meeting, MeetingSlot
from domain.provenance import bound_provenance, current_provenance
from domain.values import ApprovalOfMinutes, Attendance, MinuteItem, Reference
from service.app import Minutebook
from service.app.execution import Positioned
from service.base_types import Aggregates
from service.importing.actions import extract_actions
from service.importing.document import ParsedMinutes


class ImportOutcome(Positioned, frozen=True, kw_only=True):
    file: str
    sha256: str
    imported: bool
    body: str | None = None
    meeting_date: dt.date | None = None
    items: int = 0
    actions: int = 0
    confirmed: dt.date | None = None
    warnings: tuple[str, ...] = ()
    message: str = ""


def _body(app: Minutebook, name: str, pending: Aggregates) -> Body:
    try:
        return app.find_body(name)
    except UnknownRecordError:
        body = Body.register(name)
        alias = BodyAlias._create(
            BodyAlias.Assigned, id=ids.body_alias_id(body.slug), body_id=body.id
        )
        pending += [body, alias]
        return body


def _meeting(app: Minutebook, body: Body, doc: ParsedMinutes, pending: Aggregates) -> Meeting:
    assert doc.meeting_date is not None
    date = doc.meeting_date
    try:
        meeting = app.find_meeting(body, date)
    except UnknownRecordError:
        meeting = Meeting.schedule(
            ids.meeting_id(body.id, date),
            body.id,
            date,
            doc.meeting_time,
            doc.venue,
            remote=bool(doc.venue and "remote" in doc.venue.lower()),
        )
        slot = MeetingSlot._create(
            MeetingSlot.Claimed, id=ids.meeting_slot_id(body.id, date), meeting_id=meeting.id
        )
        pending += [meeting, slot]
        return meeting
    if meeting.items:
        raise RecordConflictError(
            f"{body.name} already has minutes recorded for {date}; nothing was imported"
        )
    pending.append(meeting)
    return meeting


def _items(body: Body, meeting: Meeting, doc: ParsedMinutes) -> list[MinuteItem]:
    items: list[MinuteItem] = []
    for parsed in doc.items:
        number = parsed.number or body.next_number(meeting.date)
        body.allocate_numbers(meeting.date, (number,), meeting.id)
        items.append(
            MinuteItem(
                number=number,
                title=parsed.title or "(untitled)",
                paragraphs=parsed.paragraphs,
                resolutions=parsed.resolutions,
                references=tuple(
                    Reference(minute=r.minute, meeting_date=r.meeting_date)
                    for r in parsed.references
                ),
                exempt=parsed.exempt,
                exempt_reason=parsed.exempt_reason,
            )
        )
    return items


def _approval(
    app: Minutebook, body: Body, meeting: Meeting, doc: ParsedMinutes, pending: Aggregates
) -> tuple[dt.date | None, list[str]]:
    date, minute = doc.approves_minutes_of, doc.approval_item
    if date is None or minute is None or minute not in meeting.items:
        return None, []
    try:
        earlier = app.find_meeting(body, date)
    except UnknownRecordError:
        meeting.record_approval(
            minute, ApprovalOfMinutes(minutes_of=date, amendments=doc.amendments, applied=False)
        )
        return None, [
            f"minute {minute} approves the minutes of {date}, which are not in the store: "
            "the approval is kept on this meeting's item but confirms nothing"
        ]
    earlier.confirm(meeting, minute, doc.amendments)
    meeting.record_approval(
        minute, ApprovalOfMinutes(minutes_of=date, meeting_id=earlier.id, amendments=doc.amendments)
    )
    pending.append(earlier)
    return date, []


def _people(doc: ParsedMinutes) -> list[str]:
    return [*doc.present, *doc.also_present, *doc.apologies]


def _actions(body: Body, meeting: Meeting, doc: ParsedMinutes, pending: Aggregates) -> int:
    count = 0
    for item in meeting.items.values():
        for part, text in enumerate(item.resolutions, 1):
            for draft in extract_actions(text, _people(doc), meeting.date)[:1]:
                origin = Origin(
                    body_id=body.id,
                    meeting_id=meeting.id,
                    meeting_date=meeting.date,
                    minute=item.number,
                    part=part,
                )
                due = Due(date=draft.due_date, text=draft.due_meeting)
                pending.append(
                    Action.raise_action(
                        ids.action_id(meeting.id, item.number, part),
                        origin,
                        draft.description,
                        draft.owners,
                        due,
                    )
                )
                count += 1
    return count


def record_minutes(app: Minutebook, doc: ParsedMinutes, sha256: str) -> ImportOutcome:
    """Record ``doc`` in one transaction, or nothing at all."""
    if app.exists(ids.import_id(sha256)):
        return ImportOutcome(
            file=doc.file,
            sha256=sha256,
            imported=False,
            message="already imported; nothing recorded",
        )
    if doc.body is None:
        raise InvalidValueError(f"{doc.file}: the document names no body: pass --body NAME")
    if doc.meeting_date is None:
        raise InvalidValueError(f"{doc.file}: no meeting date found: pass --date YYYY-MM-DD")
    provenance = msgspec.structs.replace(current_provenance(), source=f"import:{sha256}")
    with bound_provenance(provenance):
        return app.execute(lambda: _record(app, doc, sha256))


def _record(app: Minutebook, doc: ParsedMinutes, sha256: str) -> ImportOutcome:
    assert doc.body is not None
    pending: Aggregates = []
    body = _body(app, doc.body, pending)
    meeting = _meeting(app, body, doc, pending)
    if not any(a is body for a in pending):
        pending.append(body)
    meeting.record_attendance(
        Attendance(
            present=doc.present,
            chair=doc.chair,
            also_present=doc.also_present,
            apologies=doc.apologies,
        )
    )
    for item in _items(body, meeting, doc):
        meeting.minute_item(item)
    if doc.call_in is not None:
        meeting.set_call_in(doc.call_in)
    if doc.next_meeting:
        meeting.fix_next_meeting(doc.next_meeting)
    confirmed, warnings = _approval(app, body, meeting, doc, pending)
    actions = _actions(body, meeting, doc, pending)
    if meeting.items:
        meeting.circulate()
    pending.append(
        ImportedFile._create(
            ImportedFile.Imported,
            id=ids.import_id(sha256),
            sha256=sha256,
            file_name=doc.file,
            meeting_id=meeting.id,
        )
    )
    app.save_all(*pending)
    return ImportOutcome(
        file=doc.file,
        sha256=sha256,
        imported=True,
        body=body.name,
        meeting_date=meeting.date,
        items=len(meeting.items),
        actions=actions,
        confirmed=confirmed,
        warnings=tuple(warnings),
        message="imported",
    )


__all__ = ["ImportOutcome", "record_minutes"]
