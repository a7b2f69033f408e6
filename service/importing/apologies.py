"""Apologies for absence, read from the apologies item.

In an item whose title mentions apologies (or an untitled numbered paragraph
that starts "Apologies …", also misspelt "Apologises …"), each sentence "… apologies … from /
by / of / on behalf of NAMES" gives names (see :mod:`.names`); "for lateness",
"for late arrival" and "for leaving early" and what follows are cut off; "No
apologies …" gives none.  "NAMES sent their apologies" gives the names before
it; a first sentence that is only a list of names ("L.Bowden, M.Norton, Adrian
Chandler.") gives those names.  When the sentence ends "… from the following:" (or ":-"),
the paragraphs after it are read as names too, up to the first line of prose
that holds none (table headings and roles, "Members", "Chief Social Work
Officer", are passed over).
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
#: "Cllrs Bell, Kendrick and Bailey sent their apologies": the names come first.
_SENT = re.compile(
    r"^(?P<names>.+?)\s+(?:sent|gave|tendered|submitted|offered|sends|give)\s+"
    r"(?:their|his|her)?\s*apolog",
    re.IGNORECASE,
)
_NO_APOLOGIES = re.compile(r"\bno\s+apolog|\bapologies\W+none\b", re.IGNORECASE)


def _prose(text: str) -> bool:
    """Two or more lower-case words (other than "and"), outside parentheses: a sentence,
    not a list of names ("Cllr A Hart (work commitment) and Cllr H Allsopp (leave)")."""
    words = re.sub(r"\([^()]*\)", " ", text).split()
    return len([w for w in words if w[:1].islower() and w not in ("and", "&")]) >= 2


def apologies_in(items: Sequence[ParsedItem]) -> list[str]:
    """Names after "apologies … from"; after "… from the following:", the list below it."""
    names: list[str] = []
    for item in items:
        if not re.search(r"apolog", item.title, re.IGNORECASE) and not (
            not item.title and item.paragraphs and re.match(r"apolog", item.paragraphs[0], re.I)
        ):
            continue
        listing = False
        for paragraph in item.paragraphs:
            found = read_names(_NOT_ABSENCE.sub("", paragraph))[0] if listing else []
            listing = bool(found) or (listing and not _prose(paragraph))
            for k, sentence in enumerate(sentences(paragraph)):
                m = _APOLOGIES_FROM.search(sentence) or _SENT.search(sentence)
                if m and m.re is _SENT and _prose(m.group("names")):
                    m = None  # "… she was unable to give apologies"
                if m and not _NO_APOLOGIES.search(sentence):
                    found += read_names(_NOT_ABSENCE.sub("", m.group("names")))[0]
                    listing = sentence.rstrip().endswith((":", ":-"))
                elif k == 0 and paragraph is item.paragraphs[0] and not _prose(sentence):
                    found += read_names(sentence)[0]  # "L.Bowden, M.Norton, Adrian Chandler."
            names += found
    return names
