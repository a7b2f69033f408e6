"""Apologies for absence, read from the apologies item.

In an item whose title mentions apologies, each sentence "… apologies … from /
by / of / on behalf of NAMES" gives names (see :mod:`.names`); "for lateness",
"for late arrival" and "for leaving early" and what follows are cut off; "No
apologies …" gives none.  When the sentence ends "… from the following:", the
paragraphs after it are read as names too, up to the first that holds none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.importing.document import ParsedItem
from service.importing.names import read_names
from service.importing.text import sentences

_APOLOGIES_FROM = re.compile(
    r"\bapolog\w*\b.*?(?:\b(?:from|by|of|on\s+behalf\s+of)\b|:)\s*(?P<names>.+)$",
    re.IGNORECASE,
)
_NOT_ABSENCE = re.compile(
    r"[;,]?\s*(?:and\s+)?for\s+(?:lateness|late\s+arrival|leaving\s+early)\b.*$", re.IGNORECASE
)
_NO_APOLOGIES = re.compile(r"\bno\s+apolog|\bapologies\W+none\b", re.IGNORECASE)


def apologies_in(items: Sequence[ParsedItem]) -> list[str]:
    """Names after "apologies … from"; after "… from the following:", the list below it."""
    names: list[str] = []
    for item in items:
        if not re.search(r"apolog", item.title, re.IGNORECASE):
            continue
        listing = False
        for paragraph in item.paragraphs:
            found = read_names(_NOT_ABSENCE.sub("", paragraph))[0] if listing else []
            listing = bool(found)
            for sentence in sentences(paragraph):
                m = _APOLOGIES_FROM.search(sentence)
                if m and not _NO_APOLOGIES.search(sentence):
                    found += read_names(_NOT_ABSENCE.sub("", m.group("names")))[0]
                    listing = sentence.rstrip().endswith(":")
            names += found
    return names
