"""Generated realistic history: bodies, meetings, items, confirmations, actions.

Recorded through the application's commands, grouped into batches of commands
per transaction (``run_batch``) as a bulk import would be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from service import commands as c
from service.app import Minutebook

PARAGRAPH = (
    "The Partnership considered a report of the Head of Communities giving an update on "
    "progress against the Community Safety Strategy and the priorities agreed for the year."
)
ITEMS_PER_MEETING = 8


def meeting_dates(start: dt.date) -> Iterator[dt.date]:
    n = 0
    while True:
        yield start + dt.timedelta(days=21 * n)
        n += 1


def _meeting(
    name: str, date: dt.date, first: int, previous: dt.date | None
) -> list[Callable[[], Any]]:
    jobs: list[Callable[[], Any]] = []
    jobs.append(
        partial(Minutebook.schedule_meeting, c.ScheduleMeeting(body=name, date=date, time="10:00"))
    )
    for n in range(ITEMS_PER_MEETING):
        jobs.append(
            partial(
                Minutebook.minute_item,
                c.MinuteItem(
                    body=name,
                    date=date,
                    number=str(first + n),
                    title=f"Item {first + n}",
                    paragraphs=(PARAGRAPH, PARAGRAPH[::-1]),
                    resolutions=("the report be noted", "a further report be submitted"),
                ),
            )
        )
    jobs.append(
        partial(
            Minutebook.raise_action,
            c.RaiseAction(body=name, date=date, minute=str(first), part=2, description="Report"),
        )
    )
    jobs.append(partial(Minutebook.circulate_minutes, c.CirculateMinutes(body=name, date=date)))
    if previous is not None:
        jobs.append(
            partial(
                Minutebook.confirm_minutes,
                c.ConfirmMinutes(body=name, date=previous, at_date=date, minute=str(first)),
            )
        )
    return jobs


def generate(app: Minutebook, events_wanted: int, *, bodies: int = 5, batch: int = 200) -> int:
    """Record about ``events_wanted`` events of realistic history; returns events written."""
    head = app.recorder.max_notification_id() or 0
    names = [f"Bench Partnership {b}" for b in range(bodies)]
    app.run_batch([partial(app.register_body, c.RegisterBody(name=n)) for n in names])
    previous: dict[str, dt.date] = {}
    counters: dict[tuple[str, int], int] = {}
    pending: list[Callable[[], Any]] = []
    for date in meeting_dates(dt.date(2015, 5, 7)):
        year = date.year if date.month >= 5 else date.year - 1
        for name in names:
            first = counters.get((name, year), 1)
            counters[(name, year)] = first + ITEMS_PER_MEETING
            pending += [
                partial(job.func, app, *job.args)
                for job in _meeting(name, date, first, previous.get(name))
            ]  # type: ignore[attr-defined]
            previous[name] = date
        if len(pending) >= batch:
            _run(app, pending)
            pending = []
            if (app.recorder.max_notification_id() or 0) - head >= events_wanted:
                break
    if pending:
        _run(app, pending)
    return (app.recorder.max_notification_id() or 0) - head


def _run(app: Minutebook, jobs: list[Callable[[], Any]]) -> None:
    for outcome in app.run_batch(jobs):
        if outcome.error is not None:
            raise outcome.error
