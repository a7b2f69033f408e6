"""The minutes read model: current, at any version, as at any time, versions and diffs."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import InvalidValueError, UnknownRecordError
from projections.read import ReadModels
from projections.service import ProjectionService
from service.app import Minutebook
from tests.projections.builders import (
    JUNE,
    SEPTEMBER,
    SST,
    SWACCA_PARAGRAPH,
    caught_up,
    import_fixture,
    seeds,
    swacca,
)


def test_every_version_of_every_seed_meeting_matches_the_record(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    meetings = [
        (body.name, meeting)
        for body in read.bodies()
        for meeting in read.meetings(body.slug).meetings
    ]
    assert len(meetings) == 5
    for body, meeting in meetings:
        current = app.minutes(body, meeting.date)
        assert read.minutes(body, meeting.date, include_exempt=True) == current
        for version in range(1, current.version + 1):
            expected = app.minutes(body, meeting.date, version=version)
            assert read.minutes(body, meeting.date, version=version, include_exempt=True) == (
                expected
            )


def test_status_version_and_etag_follow_the_lifecycle(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    swacca(app)
    caught_up(app, views)
    june = read.minutes(SST, JUNE)
    assert june.status == "confirmed"
    assert june.confirmed_at is not None
    assert (june.confirmed_at.meeting_date, june.confirmed_at.minute) == (SEPTEMBER, "16")
    assert [a.old for a in june.confirmed_at.amendments] == ["by SWACCA"]
    assert june.etag == f'"{june.version}"'
    assert read.minutes("safer-sefton-together", SEPTEMBER).items[0].approves_minutes_of == JUNE


def test_as_of_shows_the_words_before_the_confirmation_and_not_after(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    swacca(app)
    caught_up(app, views)
    versions = read.minutes_versions(SST, JUNE)
    confirmed = next(v for v in versions if v.event_type == "MinutesConfirmed")
    before = read.minutes(SST, JUNE, as_of=confirmed.timestamp - dt.timedelta(microseconds=1))
    after = read.minutes(SST, JUNE, as_of=confirmed.timestamp)
    assert before.status == "circulated"
    assert before.items[0].paragraphs[0] == SWACCA_PARAGRAPH
    assert after.status == "confirmed"
    assert after.items[0].paragraphs[0] == SWACCA_PARAGRAPH.replace(" by SWACCA", "")
    assert read.minutes(SST, JUNE, version=confirmed.version - 1) == before


def test_versions_say_what_who_and_why(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    swacca(app)
    caught_up(app, views)
    versions = read.minutes_versions(SST, JUNE)
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    assert [v.event_type for v in versions] == [
        "Scheduled",
        "AttendanceRecorded",
        "ItemMinuted",
        "MinutesCirculated",
        "MinutesConfirmed",
    ]
    assert all(v.actor for v in versions)
    assert versions == sorted(versions, key=lambda v: v.timestamp)


def test_the_confirmation_diff_shows_the_paragraph_with_and_without_the_words(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    swacca(app)
    caught_up(app, views)
    diff = read.minutes_diff(SST, JUNE, 4, 5)
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and "---" not in line]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and "+++" not in line]
    assert SWACCA_PARAGRAPH in removed
    assert SWACCA_PARAGRAPH.replace(" by SWACCA", "") in added
    assert "Circulated: awaiting formal approval" in removed
    assert any(line.startswith("Confirmed as a correct record") for line in added)
    assert diff.splitlines()[:2] == [
        "--- safer-sefton-together 2022-06-22 version 4",
        "+++ safer-sefton-together 2022-06-22 version 5",
    ]
    assert read.minutes_diff(SST, JUNE, 5, 5) == ""


def test_exempt_items_are_withheld_unless_asked_for(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    outcome = import_fixture(app, "audit_exempt_part2.txt")
    caught_up(app, views)
    assert outcome.body and outcome.meeting_date
    public = read.minutes(outcome.body, outcome.meeting_date)
    full = read.minutes(outcome.body, outcome.meeting_date, include_exempt=True)
    exempt = [i for i in full.items if i.exempt]
    assert exempt and all(i.paragraphs for i in exempt)
    withheld = [i for i in public.items if i.exempt]
    assert [i.number for i in withheld] == [i.number for i in exempt]
    assert all(i.withheld and not i.paragraphs and not i.resolutions for i in withheld)
    assert public == app.minutes(outcome.body, outcome.meeting_date).withhold_exempt()
    versions = [v.version for v in read.minutes_versions(outcome.body, outcome.meeting_date)]
    diff = read.minutes_diff(outcome.body, outcome.meeting_date, 1, versions[-1])
    assert "ongoing investigation" not in diff
    assert "ongoing investigation" in read.minutes_diff(
        outcome.body, outcome.meeting_date, 1, versions[-1], include_exempt=True
    )


def test_reads_name_what_is_missing_or_malformed(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    swacca(app)
    caught_up(app, views)
    with pytest.raises(UnknownRecordError, match='no body called "Nowhere"'):
        read.minutes("Nowhere", JUNE)
    with pytest.raises(UnknownRecordError, match="has no meeting on 2022-06-23"):
        read.minutes(SST, dt.date(2022, 6, 23))
    with pytest.raises(UnknownRecordError, match="versions 1 to 5, not 9"):
        read.minutes(SST, JUNE, version=9)
    with pytest.raises(UnknownRecordError, match="did not exist yet"):
        read.minutes(SST, JUNE, as_of=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(InvalidValueError, match="needs a timezone"):
        read.minutes(SST, JUNE, as_of=dt.datetime(2030, 1, 1))
    with pytest.raises(InvalidValueError, match="not both"):
        read.minutes(SST, JUNE, version=1, as_of=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(UnknownRecordError, match="not 0"):
        read.minutes_diff(SST, JUNE, 0, 2)
