"""The date of the meeting whose minutes are approved."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_DATES = tuple(
    re.compile(p, re.I)
    for p in (
        rf"\b(?P<d>[0-3]?\d){_ORD}(?:\s*(?:,|and|&|-|–)\s*[0-3]?\d{_ORD})*\s+(?:of\s+)?"
        rf"(?P<m>{_MONTH})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?",
        rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>[0-3]?\d){_ORD},?\s+(?P<y>\d{{4}})\b",
        r"\b(?P<d>[0-3]?\d)[/.-](?P<n>[01]?\d)[/.-](?P<y>\d{4}|\d{2})\b",
        r"\b(?P<y>\d{4})-(?P<n>[01]\d)-(?P<d>[0-3]\d)\b",
    )
)


def _date_of(m: re.Match[str], text: str) -> dt.date | None:
    parts = m.groupdict()
    if parts.get("m") == "may" and not parts.get("y"):
        return None  # "minute 6 may be …"
    year_text = parts.get("y") or _next_year(text[m.end() :])
    if year_text is None:
        return None
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    month = _MONTHS[parts["m"].lower()] if parts.get("m") else int(parts["n"])
    try:
        return dt.date(year, month, int(parts["d"]))
    except ValueError:
        return None


def _next_year(text: str) -> str | None:
    m = re.search(r"\b(?:19|20)\d{2}\b", text[:60])
    return m.group(0) if m else None


def _first_date(text: str) -> dt.date | None:
    found = [(m.start(), _date_of(m, text)) for p in _DATES for m in p.finditer(text)]
    dates = sorted((pos, d) for pos, d in found if d is not None)
    return dates[0][1] if dates else None
