"""Reads of the minutes view: now, at a version, as at a time, versions, diffs, renderings."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from domain.errors import InvalidValueError
from projections.bodies import find_body
from projections.minutes_document import MinutesDocument
from projections.minutes_read import (
    VersionInfo,
    current_state,
    diff_text,
    state_at,
    version_events,
    version_infos,
    wanted_version,
)
from projections.minutes_state import MeetingState, document
from projections.read_base import ReadBase
from projections.rendering import render_markdown, render_text
from projections.tracker import Filters, tracker_rows
from projections.tracker_table import tracker_markdown, tracker_text


class ReadMinutes(ReadBase):
    def minutes(
        self,
        body: str,
        date: dt.date,
        *,
        version: int | None = None,
        as_of: dt.datetime | None = None,
        include_exempt: bool = False,
    ) -> MinutesDocument:
        with self._read() as c:
            t = self._table(c, "minutes")
            found = find_body(t, c, body)
            current = current_state(t, c, found, date)
            events = [] if version is None and as_of is None else version_events(t, c, current.id)
        wanted = wanted_version(current, events, version, as_of)
        doc = document(current if wanted is None else state_at(events, wanted), found)
        return doc if include_exempt else doc.withhold_exempt(exempt_items(current))

    def minutes_versions(self, body: str, date: dt.date) -> list[VersionInfo]:
        with self._read() as c:
            t = self._table(c, "minutes")
            current = current_state(t, c, find_body(t, c, body), date)
            return version_infos(version_events(t, c, current.id))

    def minutes_diff(
        self,
        body: str,
        date: dt.date,
        from_version: int,
        to_version: int,
        *,
        include_exempt: bool = False,
    ) -> str:
        with self._read() as c:
            t = self._table(c, "minutes")
            found = find_body(t, c, body)
            current = current_state(t, c, found, date)
            events = version_events(t, c, current.id)
        docs = []
        for v in (from_version, to_version):
            wanted_version(current, events, v, None)
            doc = document(state_at(events, v), found)
            docs.append(doc if include_exempt else doc.withhold_exempt(exempt_items(current)))
        return diff_text(docs[0], docs[1])

    def render(
        self,
        body: str,
        date: dt.date,
        fmt: Literal["text", "markdown"],
        *,
        include_exempt: bool = False,
        today: dt.date | None = None,
    ) -> str:
        """The minutes in the council's layout, with the body's action tracker appended."""
        if fmt not in ("text", "markdown"):
            raise InvalidValueError(f"format {fmt!r} is not one of: text, markdown")
        doc = self.minutes(body, date, include_exempt=include_exempt)
        with self._read() as c:
            t = self._table(c, "actions")
            found = find_body(t, c, body)
            bodies, grps = {str(found.id): found}, [str(found.id)]
            rows = [
                row
                for _, row in tracker_rows(
                    t,
                    c,
                    bodies,
                    grps,
                    Filters(),
                    today or dt.date.today(),
                    through=date,
                    include_exempt=include_exempt,
                )
            ]
        if fmt == "markdown":
            return render_markdown(doc) + "\n" + tracker_markdown(rows)
        return render_text(doc) + "\n" + tracker_text(rows)


def exempt_items(state: MeetingState) -> dict[str, str | None]:
    """The items exempt in the current record: number → reason."""
    return {n: i.exempt_reason for n, i in state.items.items() if i.exempt}
