"""Reads of the write model: a meeting's minutes now, at a version, or as at a time.

Lists and searches go through projections; these reads replay one record from
the log itself, which is also what lets an auditor check the projections.
"""

from __future__ import annotations

import datetime as dt

from domain.body import Body
from domain.errors import InvalidValueError, UnknownRecordError
from domain.meeting import Meeting
from projections.minutes_document import MinutesDocument
from projections.minutes_document import minutes_document as build_document
from service.app.core import RecordApplication


class Queries(RecordApplication):
    def version_as_of(self, record_id: object, as_of: dt.datetime) -> int:
        """The record's version at ``as_of`` (timezone-aware)."""
        if as_of.tzinfo is None:
            raise InvalidValueError("as_of needs a timezone, e.g. 2022-09-08T12:00:00Z")
        version = 0
        for event in self.events.get(record_id):  # type: ignore[arg-type]
            if event.timestamp > as_of:  # type: ignore[attr-defined]
                break
            version = event.originator_version
        if version == 0:
            raise UnknownRecordError(f"the record did not exist yet at {as_of.isoformat()}")
        return version

    def minutes(
        self,
        body: str,
        date: dt.date,
        version: int | None = None,
        as_of: dt.datetime | None = None,
    ) -> MinutesDocument:
        found = self.find_body(body)
        meeting_id = self.find_meeting_id(found, date)
        if version is not None and as_of is not None:
            raise InvalidValueError("give a version or an as-of time, not both")
        if as_of is not None:
            version = self.version_as_of(meeting_id, as_of)
        current = self.get_as(Meeting, meeting_id)
        if version is not None and not 1 <= version <= current.version:
            raise UnknownRecordError(
                f"the minutes of {date} have versions 1 to {current.version}, not {version}"
            )
        meeting = current if version is None else self.get_as(Meeting, meeting_id, version)
        return minutes_document(meeting, found)


def minutes_document(meeting: Meeting, body: Body) -> MinutesDocument:
    return build_document(meeting, body.name, body.slug)
