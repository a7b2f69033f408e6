"""The one error the minutes parser raises: the input is not minutes it can read."""

from __future__ import annotations


class MinutesFormatError(ValueError):
    """The document cannot be read as minutes; the message says what is missing or wrong.

    Messages are one line a clerk can act on, e.g. ``no meeting date found: pass
    --date YYYY-MM-DD`` or ``file is binary, not text``.
    """


NO_DATE = "no meeting date found: pass --date YYYY-MM-DD"
NO_MINUTES = "no recognisable minutes: no numbered items or 'Minutes:' block found"
EMPTY = "file is empty: no text to read"
BINARY = "file is binary, not text"
