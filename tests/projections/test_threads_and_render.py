"""Threads of items linked by their references, and minutes rendered with the action tracker."""

from __future__ import annotations

import datetime as dt

from domain.values import Reference
from projections.read import ReadModels
from projections.service import ProjectionService
from service import commands as c
from service.app import Minutebook
from tests.projections.builders import (
    JUNE,
    MARCH,
    SEPTEMBER,
    SST,
    caught_up,
    import_fixture,
    june_vawg_item,
    seeds,
)


def test_the_vawg_items_form_one_thread_across_three_meetings(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    june_vawg_item(app)
    caught_up(app, views)
    threads = read.threads(SST)
    vawg = next(t for t in threads if any(e.minute == "36" for e in t.entries))
    assert [(e.meeting_date, e.minute) for e in vawg.entries] == [
        (MARCH, "36"),
        (JUNE, "6"),
        (SEPTEMBER, "20"),
    ]
    assert vawg.subject == "Violence Against Women and Girls - Partner Reports"
    assert vawg.entries[2].refers_to == (
        "Minute 36 of 2022-03-17",
        "Minute 6 of 2022-06-22",
    )
    # Minute 29 of 9 September 2021 is not in the store: it stays as a dangling reference.
    assert [(d.minute, d.meeting_date) for d in vawg.dangling] == [("29", dt.date(2021, 9, 9))]
    assert vawg in read.threads()
    assert vawg.id == "sefton-safer-communities-partnership/2022-03-17/36"


def test_a_reference_without_a_date_is_the_latest_earlier_item_that_year(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    app.register_body(c.RegisterBody(name=SST))
    for date, number, refs in (
        (dt.date(2022, 6, 22), "4", ()),
        (dt.date(2022, 9, 8), "18", (Reference(minute="4"),)),
        (dt.date(2023, 6, 1), "4", ()),  # the next municipal year: numbers restart
        (dt.date(2023, 9, 1), "9", (Reference(minute="4"),)),
    ):
        app.schedule_meeting(c.ScheduleMeeting(body=SST, date=date))
        app.minute_item(
            c.MinuteItem(
                body=SST, date=date, number=number, title=f"DHR {date.year}", references=refs
            )
        )
    caught_up(app, views)
    threads = read.threads()
    assert [[(e.meeting_date.year, e.minute) for e in t.entries] for t in threads] == [
        [(2022, "4"), (2022, "18")],
        [(2023, "4"), (2023, "9")],
    ]


def test_threads_withhold_exempt_text(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    app.register_body(c.RegisterBody(name=SST))
    app.schedule_meeting(c.ScheduleMeeting(body=SST, date=JUNE))
    app.minute_item(
        c.MinuteItem(
            body=SST,
            date=JUNE,
            number="7",
            title="Case review",
            paragraphs=("The confidential details of the review.",),
            exempt=True,
            exempt_reason="paragraph 1 of Part 1 of Schedule 12A",
        )
    )
    app.schedule_meeting(c.ScheduleMeeting(body=SST, date=SEPTEMBER))
    app.minute_item(
        c.MinuteItem(
            body=SST,
            date=SEPTEMBER,
            number="17",
            title="Case review follow-up",
            paragraphs=("Further to Minute No. 7 the Partnership noted progress.",),
            references=(Reference(minute="7", meeting_date=JUNE),),
        )
    )
    caught_up(app, views)
    (public,) = read.threads(SST)
    assert public.entries[0].withheld and public.entries[0].summary is None
    assert "confidential" not in repr(public)
    (full,) = read.threads(SST, include_exempt=True)
    assert full.entries[0].summary == "The confidential details of the review."


def test_rendered_minutes_have_the_bodys_action_tracker_appended(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    text = read.render(SST, MARCH, "text", today=dt.date(2030, 1, 1))
    minutes, tracker = text.split("ACTION TRACKER", 1)
    assert minutes.startswith("SAFER SEFTON TOGETHER")
    assert "A formal action tracker to be" in tracker
    assert "2022-03-17" in tracker and "36(4)" in tracker and "OVERDUE" in tracker
    assert "2022-09-08" not in tracker  # only actions raised at or before this meeting
    markdown = read.render(SST, MARCH, "markdown")
    assert "## Action tracker" in markdown
    assert "| Minute | Action | Owner(s) | Due | Status |" in markdown


def test_rendered_minutes_withhold_exempt_text_everywhere(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    outcome = import_fixture(app, "audit_exempt_part2.txt")
    caught_up(app, views)
    assert outcome.body and outcome.meeting_date
    for fmt in ("text", "markdown"):
        public = read.render(outcome.body, outcome.meeting_date, fmt)  # type: ignore[arg-type]
        assert "ongoing investigation" not in public
        assert "further report be brought" not in public
        assert "Withheld" in public
    full = read.render(outcome.body, outcome.meeting_date, "text", include_exempt=True)
    assert "ongoing investigation" in full


def test_heading_says_where_the_meeting_was_held() -> None:
    from projections.minutes_document import MinutesDocument
    from projections.rendering import render_text

    def heading(venue: str | None, remote: bool = False) -> str:
        doc = MinutesDocument(
            body="Board",
            body_slug="board",
            meeting_date=dt.date(2022, 9, 8),
            status="draft",
            version=1,
            confirmed_at=None,
            items=(),
            venue=venue,
            remote=remote,
        )
        return render_text(doc).splitlines()[1]

    assert heading("Remote meeting held on Microsoft Teams") == (
        "REMOTE MEETING HELD ON MICROSOFT TEAMS ON THURSDAY 8 SEPTEMBER 2022"
    )
    assert heading("The Committee Room, Town Hall, Bootle") == (
        "MEETING HELD AT THE COMMITTEE ROOM, TOWN HALL, BOOTLE ON THURSDAY 8 SEPTEMBER 2022"
    )
    assert heading(None) == "MEETING HELD ON THURSDAY 8 SEPTEMBER 2022"
