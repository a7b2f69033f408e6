"""Records the read-model tests share, built through the application's own commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

from domain.amendments import Amendment
from domain.values import Attendance, Reference
from projections import generations
from projections.catalogue import VIEWS
from projections.read import ReadModels
from projections.service import ProjectionService
from projections.sql import DocumentTable, Row
from service import commands as c
from service.app import Minutebook
from service.demo import load_examples
from service.importing.parse import parse_minutes
from service.importing.record import ImportOutcome, record_minutes

SST = "Safer Sefton Together"
JUNE = dt.date(2022, 6, 22)
SEPTEMBER = dt.date(2022, 9, 8)
MARCH = dt.date(2022, 3, 17)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "minutes"
SWACCA_PARAGRAPH = (
    "The Partnership received a report by SWACCA on the responses from partners to the "
    "consultation on Violence Against Women and Girls."
)


def caught_up(app: Minutebook, views: ProjectionService, timeout: float = 30.0) -> int:
    """Wait until every view includes everything written so far; the head position."""
    head = app.recorder.max_notification_id() or 0
    assert views.wait_for(head, timeout), f"views did not catch up: {views.errors}"
    return head


def seeds(app: Minutebook) -> list[ImportOutcome]:
    return load_examples(app)


def import_fixture(app: Minutebook, name: str, **kwargs: object) -> ImportOutcome:
    data = (FIXTURES / name).read_bytes()
    doc = parse_minutes(data, file=name, **kwargs)  # type: ignore[arg-type]
    return record_minutes(app, doc, hashlib.sha256(data).hexdigest())


def june_vawg_item(app: Minutebook, body: str = SST) -> None:
    """The 22 June 2022 meeting with its item 6 on VAWG (not among the seeds)."""
    app.schedule_meeting(c.ScheduleMeeting(body=body, date=JUNE, venue="Bootle Town Hall"))
    app.record_attendance(
        c.RecordAttendance(
            body=body,
            date=JUNE,
            attendance=Attendance(
                present=("Councillor Hardy", "Andrea Watts"), chair="Councillor Hardy"
            ),
        )
    )
    app.minute_item(
        c.MinuteItem(
            body=body,
            date=JUNE,
            number="6",
            title="Violence Against Women and Girls - Update",
            paragraphs=(SWACCA_PARAGRAPH, "Members discussed the draft statement."),
            resolutions=("the report be noted",),
            references=(Reference(minute="36", meeting_date=MARCH),),
        )
    )
    app.circulate_minutes(c.CirculateMinutes(body=body, date=JUNE))


def swacca(app: Minutebook) -> None:
    """22 June 2022 minuted and circulated; confirmed on 8 September 2022 without "by SWACCA"."""
    app.register_body(c.RegisterBody(name=SST))
    june_vawg_item(app)
    app.schedule_meeting(c.ScheduleMeeting(body=SST, date=SEPTEMBER))
    app.minute_item(
        c.MinuteItem(
            body=SST,
            date=SEPTEMBER,
            number="16",
            title="Minutes of Previous Meeting",
            resolutions=(
                "That the Minutes of the meeting held on 22 June 2022 be approved as a correct "
                'record subject to the removal of the words "by SWACCA" in the first paragraph '
                "of Minute No. 6.",
            ),
        )
    )
    app.confirm_minutes(
        c.ConfirmMinutes(
            body=SST,
            date=JUNE,
            at_date=SEPTEMBER,
            minute="16",
            amendments=(Amendment(op="delete", old="by SWACCA", minute="6", paragraph=1),),
        )
    )


def view_rows(read: ReadModels, name: str) -> list[Row]:
    """Every row of the live generation of view ``name``."""
    with read.datastore.transaction(commit=False) as c:
        table = DocumentTable(read.dialect, name, generations.live(c, read.dialect, name) or 1)
        return table.all_rows(c)


def all_view_rows(read: ReadModels) -> dict[str, list[Row]]:
    return {name: view_rows(read, name) for name in VIEWS}


def busy_history(app: Minutebook) -> None:
    """Seeds, the SWACCA confirmation, an exempt item and some action updates."""
    seeds(app)
    june_vawg_item(app)
    import_fixture(app, "audit_exempt_part2.txt")
    page = app_actions(app)[:3]
    for action_id in page:
        app.update_action(c.UpdateAction(action_id=action_id, note="progress reported"))
    if page:
        app.complete_action(c.CompleteAction(action_id=page[0], note="done"))


def app_actions(app: Minutebook) -> list[uuid.UUID]:
    """Ids of the actions in the store, from the log itself."""
    found = []
    for n in app.recorder.select_notifications(start=1, limit=100_000):
        if n.topic.endswith("Action.Raised"):
            found.append(
                n.originator_id
                if isinstance(n.originator_id, uuid.UUID)
                else uuid.UUID(str(n.originator_id))
            )
    return found
