"""Threads: items linked by "Further to Minute No. N of DATE", one timeline per subject.

Item A links to item B when A refers to minute N of DATE of the same body and
B is item N of the meeting on DATE; a reference without a date means the
latest earlier meeting, in A's municipal year, with an item N.  Connected
items form a thread, in meeting order.  References to minutes that are not
in the store stay on the thread as dangling references (an item with only
such references is a thread of one).  An approval of earlier minutes "subject
to the removal of the words … in Minute No. 6" names the minute it amends, not
a subject: such references link nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import msgspec

from projections.bodies import BodyInfo
from projections.minute_numbers import minute_key
from projections.threads import ItemRef


class ThreadEntry(msgspec.Struct, frozen=True, kw_only=True):
    meeting_date: dt.date
    minute: str
    title: str
    summary: str | None = None
    #: An exempt item shown to someone not entitled to it: title only.
    withheld: bool = False
    refers_to: tuple[str, ...] = ()


class DanglingReference(msgspec.Struct, frozen=True, kw_only=True):
    """A reference from an item of the thread to minutes that are not in the store."""

    from_meeting_date: dt.date
    from_minute: str
    minute: str
    meeting_date: dt.date | None = None


class Thread(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    body: str
    body_slug: str
    subject: str
    first_date: dt.date
    last_date: dt.date
    entries: tuple[ThreadEntry, ...]
    dangling: tuple[DanglingReference, ...] = ()


def _number(minute: str) -> str:
    return minute_key(minute.strip())


def _describe(minute: str, date: dt.date | None) -> str:
    return f"Minute {minute} of {date.isoformat()}" if date else f"Minute {minute}"


class _Links:
    """Union-find over items, with each item's dangling references."""

    def __init__(self, items: Sequence[ItemRef]) -> None:
        self.parent = list(range(len(items)))
        self.dangling: dict[int, list[DanglingReference]] = {}

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link(items: Sequence[ItemRef], bodies: Mapping[str, BodyInfo]) -> _Links:
    by_date = {(str(it.body_id), it.date, _number(it.number)): i for i, it in enumerate(items)}
    by_year: dict[tuple[str, int, str], list[int]] = {}
    for i, it in enumerate(items):
        year = bodies[str(it.body_id)].municipal_year(it.date)
        by_year.setdefault((str(it.body_id), year, _number(it.number)), []).append(i)
    links = _Links(items)
    for i, it in enumerate(items):
        body = bodies[str(it.body_id)]
        for ref in it.references:
            if ref in it.amending:
                continue  # "… in Minute No. 6" of an approval names the text amended
            target: int | None
            if ref.meeting_date is not None:
                target = by_date.get((str(it.body_id), ref.meeting_date, _number(ref.minute)))
            else:
                key = (str(it.body_id), body.municipal_year(it.date), _number(ref.minute))
                earlier = [j for j in by_year.get(key, []) if items[j].date < it.date]
                target = max(earlier, key=lambda j: items[j].date) if earlier else None
            if target is not None and target != i:
                links.join(i, target)
            else:
                links.dangling.setdefault(i, []).append(
                    DanglingReference(
                        from_meeting_date=it.date,
                        from_minute=it.number,
                        minute=ref.minute,
                        meeting_date=ref.meeting_date,
                    )
                )
    return links


def threads(
    items: Sequence[ItemRef], bodies: Mapping[str, BodyInfo], *, include_exempt: bool = False
) -> list[Thread]:
    ordered = sorted(items, key=lambda it: (it.date, minute_key(it.number), str(it.body_id)))
    links = link(ordered, bodies)
    groups: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        groups.setdefault(links.root(i), []).append(i)
    found = []
    for members in groups.values():
        dangling = [d for i in members for d in links.dangling.get(i, [])]
        if len(members) < 2 and not dangling:
            continue
        first, last = ordered[members[0]], ordered[members[-1]]
        body = bodies[str(first.body_id)]
        found.append(
            Thread(
                id=f"{body.slug}/{first.date.isoformat()}/{first.number}",
                body=body.name,
                body_slug=body.slug,
                subject=first.title,
                first_date=first.date,
                last_date=last.date,
                entries=tuple(_entry(ordered[i], include_exempt) for i in members),
                dangling=tuple(dangling),
            )
        )
    return sorted(found, key=lambda t: (t.body.casefold(), t.first_date, t.id))


def _entry(item: ItemRef, include_exempt: bool) -> ThreadEntry:
    withheld = item.exempt and not include_exempt
    return ThreadEntry(
        meeting_date=item.date,
        minute=item.number,
        title=item.title,
        summary=None if withheld else item.summary,
        withheld=withheld,
        refers_to=tuple(_describe(r.minute, r.meeting_date) for r in item.references),
    )
