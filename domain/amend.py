"""Applying structured amendments to minutes: each must match exactly once in its scope."""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from domain.amendments import Amendment
from domain.errors import AmendmentError
from domain.values import Attendance, MinuteItem

_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:!?)])")


def _tidy(text: str) -> str:
    return _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text)).strip()


def _scope_name(amendment: Amendment) -> str:
    where = f"minute {amendment.minute}" if amendment.minute else "the minutes"
    if amendment.paragraph:
        where = f"paragraph {amendment.paragraph} of {where}"
    return where


def _texts(item: MinuteItem, paragraph: int | None) -> list[tuple[str, int]]:
    """(field, index) pairs an amendment may touch: title=-1, paragraphs, resolutions."""
    if paragraph is not None:
        return [("paragraphs", paragraph - 1)]
    return (
        [("title", -1)]
        + [("paragraphs", i) for i in range(len(item.paragraphs))]
        + [("resolutions", i) for i in range(len(item.resolutions))]
    )


def _get(item: MinuteItem, field: str, index: int) -> str:
    if field == "title":
        return item.title
    values: tuple[str, ...] = getattr(item, field)
    return values[index]


def _set(item: MinuteItem, field: str, index: int, text: str) -> MinuteItem:
    if field == "title":
        return msgspec.structs.replace(item, title=text)
    values = list(getattr(item, field))
    values[index] = text
    return msgspec.structs.replace(item, **{field: tuple(values)})


def _target_items(items: dict[str, MinuteItem], amendment: Amendment) -> list[MinuteItem]:
    if amendment.minute is None:
        return list(items.values())
    item = items.get(amendment.minute)
    if item is None:
        known = ", ".join(items) or "none"
        raise AmendmentError(
            f"amendment names minute {amendment.minute}, which is not in these minutes "
            f"(minutes recorded: {known})"
        )
    if amendment.paragraph is not None and not 1 <= amendment.paragraph <= len(item.paragraphs):
        raise AmendmentError(
            f"amendment names paragraph {amendment.paragraph} of minute {item.number}, "
            f"which has {len(item.paragraphs)} paragraph(s)"
        )
    return [item]


def _find_once(
    items: dict[str, MinuteItem], amendment: Amendment, words: str
) -> tuple[MinuteItem, str, int, int]:
    """The single place ``words`` occur in the amendment's scope: (item, field, index, offset)."""
    hits: list[tuple[MinuteItem, str, int, int]] = []
    for flags in (0, re.IGNORECASE):
        pattern = re.compile(re.escape(words), flags)
        for item in _target_items(items, amendment):
            for field, index in _texts(item, amendment.paragraph):
                for m in pattern.finditer(_get(item, field, index)):
                    hits.append((item, field, index, m.start()))
        if hits:
            break
    if len(hits) != 1:
        found = "not found" if not hits else f"found {len(hits)} times"
        raise AmendmentError(
            f'the words "{words}" were {found} in {_scope_name(amendment)}: '
            "an amendment must match exactly once; quote more of the sentence or name "
            "the minute and paragraph"
        )
    return hits[0]


def _splice(items: dict[str, MinuteItem], amendment: Amendment, old: str, new: str) -> None:
    item, field, index, offset = _find_once(items, amendment, old)
    text = _get(item, field, index)
    changed = _tidy(text[:offset] + new + text[offset + len(old) :])
    items[item.number] = _set(item, field, index, changed)


def _insert(items: dict[str, MinuteItem], amendment: Amendment) -> None:
    new = amendment.new or ""
    if amendment.anchor:
        anchor = amendment.anchor
        replacement = f"{anchor} {new}" if amendment.position != "before" else f"{new} {anchor}"
        _splice(items, amendment, anchor, replacement)
        return
    (item,) = _target_items(items, _require_minute(amendment))
    if amendment.paragraph is not None:
        index = amendment.paragraph - 1
        paragraphs = list(item.paragraphs)
        paragraphs[index] = _tidy(f"{paragraphs[index]} {new}")
        items[item.number] = msgspec.structs.replace(item, paragraphs=tuple(paragraphs))
    else:
        items[item.number] = msgspec.structs.replace(item, paragraphs=(*item.paragraphs, new))


def _require_minute(amendment: Amendment) -> Amendment:
    if amendment.minute is None:
        raise AmendmentError(
            f"an {amendment.op} amendment without quoted anchor words must name its minute"
        )
    return amendment


def _note(items: dict[str, MinuteItem], amendment: Amendment) -> None:
    (item,) = _target_items(items, _require_minute(amendment))
    items[item.number] = msgspec.structs.replace(item, notes=(*item.notes, amendment.new or ""))


def _names(text: str | None) -> list[str]:
    if not text:
        return []
    return [n.strip() for n in re.split(r",|\band\b", text) if n.strip()]


def amend_attendance(attendance: Attendance, amendment: Amendment) -> Attendance:
    removed = _names(amendment.old)
    lists = {
        "present": list(attendance.present),
        "also_present": list(attendance.also_present),
        "apologies": list(attendance.apologies),
        "absent": list(attendance.absent),
    }
    for name in removed:
        holders = [k for k, v in lists.items() if name in v]
        if not holders:
            raise AmendmentError(f'"{name}" is not recorded in the attendance of these minutes')
        for k in holders:
            lists[k].remove(name)
    target = amendment.attendance_list or "present"
    if target not in lists:
        raise AmendmentError(f'unknown attendance list "{target}"')
    for name in _names(amendment.new):
        if name in lists[target]:
            raise AmendmentError(f'"{name}" is already recorded under {target}')
        lists[target].append(name)
    return Attendance(
        present=tuple(lists["present"]),
        chair=attendance.chair,
        also_present=tuple(lists["also_present"]),
        apologies=tuple(lists["apologies"]),
        absent=tuple(lists["absent"]),
    )


def apply_amendments(
    items: Sequence[MinuteItem], attendance: Attendance, amendments: Sequence[Amendment]
) -> tuple[tuple[MinuteItem, ...], Attendance]:
    """The minutes after the amendments; raises AmendmentError and changes nothing on a miss."""
    by_number = {item.number: item for item in items}
    for amendment in amendments:
        match amendment.op:
            case "delete":
                _splice(by_number, amendment, _required(amendment, "old"), "")
            case "replace":
                _splice(
                    by_number, amendment, _required(amendment, "old"), _required(amendment, "new")
                )
            case "insert":
                _required(amendment, "new")
                _insert(by_number, amendment)
            case "note":
                _required(amendment, "new")
                _note(by_number, amendment)
            case "attendance":
                attendance = amend_attendance(attendance, amendment)
            case "other":
                pass  # recorded with the confirmation; the text cannot be changed mechanically
    return tuple(by_number.values()), attendance


def _required(amendment: Amendment, field: str) -> str:
    value: str | None = getattr(amendment, field)
    if not value:
        raise AmendmentError(f"a {amendment.op} amendment needs the words in '{field}'")
    return value
