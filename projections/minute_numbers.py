"""Minute numbers in their natural order: "9" < "10" < "10a" < "10(b)" < "11"."""

from __future__ import annotations

import functools
import re

_LEADING = re.compile(r"^\s*(\d+)(.*)$")


@functools.lru_cache(maxsize=4096)  # views key rows by the same few numbers, again and again
def minute_key(number: str) -> str:
    """A text key that sorts minute numbers as a clerk reads them."""
    m = _LEADING.match(number)
    if m is None:
        return f"~{number.casefold()}"
    return f"{int(m.group(1)):08d}{m.group(2).strip().casefold()}"
