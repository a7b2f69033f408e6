"""A body that meets: a committee, partnership or board, and its minute numbering."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Set as AbstractSet
from typing import Any, TypedDict

from eventsourcing.domain import Snapshot as LibrarySnapshot

from domain import ids
from domain.base import RecordAggregate
from domain.errors import InvalidValueError, ItemNumberTakenError, RecordConflictError

_LEADING_NUMBER = re.compile(r"^(\d+)")
_NONE_USED: frozenset[str] = frozenset()


def check_name_given(name: str) -> str:
    name = " ".join(name.split())
    if not name or not ids.slugify(name):
        raise InvalidValueError("a body needs a name with at least one letter or digit")
    return name


#: A body's state as stored in its snapshot, with concrete types (so that the msgspec
#: mapper gives back ints as year keys, datetimes, tuples).  ``_used`` is not stored:
#: it is the set view of ``numbers`` and is rebuilt on load.
class BodyState(TypedDict):
    _created_on: dt.datetime
    _modified_on: dt.datetime
    name: str
    slug: str
    organisation: str | None
    year_start: tuple[int, int]
    former_names: list[str]
    members: dict[str, str | None]
    numbers: dict[int, list[str]]
    last_number: dict[int, int]


class Body(RecordAggregate):
    class Snapshot(LibrarySnapshot):
        """The body at a version: a restart replays only the events after it.

        Every minute item allocates its number on the body, so without snapshots the
        first command after a restart would replay the body's whole history.
        """

        state: BodyState  # type: ignore[assignment]

        @classmethod
        def take(cls, aggregate: Any) -> Body.Snapshot:
            snapshot: Body.Snapshot = super().take(aggregate)
            state: dict[str, Any] = snapshot.state  # type: ignore[assignment]
            state.pop("_used", None)
            missing = set(BodyState.__annotations__) - set(state)
            extra = set(state) - set(BodyState.__annotations__) - {"class_version"}
            if missing or extra:  # a new attribute must be added to BodyState too
                raise TypeError(f"Body snapshot state mismatch: {missing=} {extra=}")
            return snapshot

        def mutate(self, _: None) -> Body:
            body = super().mutate(None)
            assert isinstance(body, Body)
            body._used = {year: set(numbers) for year, numbers in body.numbers.items()}
            return body

    class Registered(RecordAggregate.Created):
        name: str
        slug: str
        organisation: str | None
        year_start_month: int
        year_start_day: int

    def __init__(
        self,
        name: str,
        slug: str,
        organisation: str | None,
        year_start_month: int,
        year_start_day: int,
    ) -> None:
        self.name = name
        self.slug = slug
        self.organisation = organisation
        self.year_start = (year_start_month, year_start_day)
        self.former_names: list[str] = []
        self.members: dict[str, str | None] = {}
        #: municipal year → item numbers used in it, in order.
        self.numbers: dict[int, list[str]] = {}
        #: municipal year → the highest plain number used in it.
        self.last_number: dict[int, int] = {}
        self._used: dict[int, set[str]] = {}

    @classmethod
    def register(
        cls,
        name: str,
        organisation: str | None = None,
        year_start_month: int = 5,
        year_start_day: int = 1,
    ) -> Body:
        name = check_name_given(name)
        try:
            dt.date(2000, year_start_month, year_start_day)
        except ValueError:
            raise InvalidValueError(
                f"municipal year start {year_start_month}-{year_start_day} is not a calendar day"
            ) from None
        slug = ids.slugify(name)
        body: Body = cls._create(
            cls.Registered,
            id=ids.body_id(slug),
            name=name,
            slug=slug,
            organisation=organisation,
            year_start_month=year_start_month,
            year_start_day=year_start_day,
        )
        return body

    class Renamed(RecordAggregate.Event):
        name: str
        old_name: str

        def apply(self, body: Body) -> None:
            body.former_names.append(self.old_name)
            body.name = self.name

    def rename(self, name: str) -> None:
        name = check_name_given(name)
        if name == self.name:
            raise RecordConflictError(f'the body is already called "{name}"')
        self.trigger_event(self.Renamed, name=name, old_name=self.name)

    class MemberAppointed(RecordAggregate.Event):
        member: str
        role: str | None

        def apply(self, body: Body) -> None:
            body.members[self.member] = self.role

    def appoint_member(self, member: str, role: str | None = None) -> None:
        member = " ".join(member.split())
        if not member:
            raise InvalidValueError("a member needs a name")
        if member in self.members:
            raise RecordConflictError(f'"{member}" is already a member of {self.name}')
        self.trigger_event(self.MemberAppointed, member=member, role=role)

    class MemberLeft(RecordAggregate.Event):
        member: str

        def apply(self, body: Body) -> None:
            del body.members[self.member]

    def member_leaves(self, member: str) -> None:
        if member not in self.members:
            raise RecordConflictError(f'"{member}" is not a member of {self.name}')
        self.trigger_event(self.MemberLeft, member=member)

    # Minute numbering -------------------------------------------------------------

    def municipal_year(self, date: dt.date) -> int:
        """The calendar year in which the municipal year holding ``date`` began."""
        month, day = self.year_start
        return date.year if (date.month, date.day) >= (month, day) else date.year - 1

    def next_number(self, date: dt.date) -> str:
        """The number after the body's last plain number in that municipal year."""
        return str(self.last_number.get(self.municipal_year(date), 0) + 1)

    def used_numbers(self, year: int) -> set[str]:
        return self._used.get(year, set())

    class MinuteNumbersAllocated(RecordAggregate.Event):
        municipal_year: int
        numbers: tuple[str, ...]
        meeting_id: uuid.UUID

        def apply(self, body: Body) -> None:
            year = self.municipal_year
            body.numbers.setdefault(year, []).extend(self.numbers)
            body._used.setdefault(year, set()).update(self.numbers)
            top = -1  # the largest leading number among them (a loop: no comprehension frame)
            for n in self.numbers:
                m = _LEADING_NUMBER.match(n)
                if m is not None:
                    top = max(top, int(m.group(1)))
            if top >= 0:
                body.last_number[year] = max(body.last_number.get(year, 0), top)

    def allocate_numbers(
        self, date: dt.date, numbers: tuple[str, ...], meeting_id: uuid.UUID
    ) -> None:
        year = self.municipal_year(date)
        check_numbers_free(self._used.get(year, _NONE_USED), numbers, year)
        self.trigger_event(
            self.MinuteNumbersAllocated, municipal_year=year, numbers=numbers, meeting_id=meeting_id
        )


def check_numbers_free(used: AbstractSet[str], numbers: tuple[str, ...], year: int) -> None:
    if len(numbers) == 1 and numbers[0] not in used:  # the usual case: one new number
        return
    taken = [n for n in numbers if n in used]
    repeated = {n for n in numbers if numbers.count(n) > 1}
    if taken or repeated:
        clash = ", ".join(sorted(set(taken) | repeated))
        raise ItemNumberTakenError(
            f"minute number {clash} is already used in the municipal year {year}/{year + 1}: "
            "item numbers are unique within a body's municipal year"
        )


class BodyAlias(RecordAggregate):
    """Index from a name's slug to the body: a body is found by any name it has had."""

    class Assigned(RecordAggregate.Created):
        body_id: uuid.UUID

    def __init__(self, body_id: uuid.UUID) -> None:
        self.body_id = body_id
