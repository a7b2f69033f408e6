"""Minutes whose items are numbered headings: "28. APOLOGIES FOR ABSENCE"
(Sefton, most councils).

A heading is a line "NUMBER TITLE", the number optionally followed by ``.``,
``:``, ``)`` or a dash, optionally after "Item" or "Minute". Titles in
capitals are taken wherever they stand; when the document has fewer than two
of those, headings in ordinary case count too, if the line stands alone
between blank lines (a number with a code or a slash, "C 08/042", "1-0607/8",
need not), is at most 15 words, starts with a capital and does not end in
``,``, ``;`` or ``:``, nor in ``.`` unless it is a short title in title case
("Welcome and Apologies." → "Welcome and Apologies"; likewise ``;``). "Item 1: Apologies" and
"Minute 24/031 – Planning" need not stand alone either.  Paragraph numbers under an
item ("3.1 …", "3.2 RESOLVED: …" under item 3) are taken off.  A minute
number on the line under an ordinary-case heading ("1. Election of the
Chairman" / "01/22", as ModernGov prints minutes) is the item's number. A
capitals title of 30+ characters that carries on over the next line (no blank
line between, also capitals, no full stop, not "RESOLVED") is joined. Then
only the rising run of numbers is kept (:mod:`.numbering`). Capitals section
markers ("PART II", "EXEMPT ITEMS") between items are dropped. On ModernGov's
"Meeting documents" page (its table heading "ItemDescriptionResolution"),
headings need not stand alone and may end in a full stop ("137 Apologies for
absence.").

Numbered paragraphs: minutes with no headings in capitals whose numbered lines
are mostly prose ("1. Apologies were received from …", "2. The minutes of the
previous meeting were read and signed …") are read as one item per numbered
paragraph, when at least three such paragraphs number on from each other and
outnumber twice the ordinary-case headings.  The item's title is the
paragraph's text when that is a short heading ("3. Matters arising:" →
"Matters arising"), or the words before a colon ("2. Apologies: 066/23: Cllrs
Bell …" → title "Apologies", number "066/23" when a minute number follows,
else "2"), else empty (the item has no title) and the text is its first
paragraph.  Such inline-titled paragraphs need no blank line before them.

A number alone on its line with a title in capitals on the next ("23." / "APOLOGIES
FOR ABSENCE": a PDF's two columns as text) is a heading too.

Tight headings: with no blank lines around them, at least three short
numbered headings that number on from each other ("1) Chairman", "2) Vice
Chairman", "3) Present:") are the items, when they outnumber twice the
ordinary-case headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.importing.casing import is_capitals
from service.importing.items import RawItem, RawMinutes
from service.importing.layouts.numbering import NUMBER, NUMBER_ONLY, rising
from service.importing.resolution_marks import intro
from service.importing.text import word_set

_HEADING = re.compile(
    r"^(?P<prefix>(?:[Mm]inute|MINUTE|[Ii]tem|ITEM)\s+(?:[Nn]o\.?\s*)?)?"
    rf"(?P<num>{NUMBER})(?:[.:)]|\s+[-–])?(?:\s+\d{{1,3}}[.)](?=\s))?\s+(?P<title>\S.*)$"
)
_PARAGRAPH = re.compile(r"^(?P<num>\d{1,2})[.)]\s+(?P<text>\S.*)$")
#: "2. Apologies and reasons for absence: 066/23: Cllrs Bell …" (title, minute number, text).
_INLINE_TITLE = re.compile(
    r"^(?P<title>[A-Z][^:.;]{1,70}?)\s*:\s*(?:(?P<ref>\d{1,4}/\d{2,4})\s*:?\s*)?(?P<rest>.*)$"
)
#: ModernGov's "Meeting documents" page: "ItemDescriptionResolution", then "137 Apologies …".
_DOCUMENTS_PAGE = re.compile(r"^item\s*description\s*resolution$", re.IGNORECASE)
_MINUTE_REF = re.compile(r"^\d{1,4}/\d{2,4}$")
_SMALL = word_set("a an and as at by for from in into of on or the to with")
_SECTION = re.compile(r"^(?:PART\s+(?:I{1,2}|[12]|ONE|TWO|[AB])|EXEMPT\s+ITEMS?)\b[^a-z]*$")


@dataclass
class _Heading:
    index: int
    number: str
    title: str
    caps: bool
    span: int = 1
    #: The item's first line of text when the heading line carries it (numbered paragraphs).
    text: str | None = None


def _distinctive(number: str) -> bool:
    """A number no list in running text would use: "C 08/042", "39/20", "1-0607/8"."""
    return bool(re.search(r"[/\-]|[A-Z]\s", number))  # also "TB23/045"


def _title_like(text: str, longest: int = 8) -> bool:
    """Short, and every word of four or more letters capitalised ("Welcome and Apologies")."""
    words = text.rstrip(".:").split()
    if not words or len(words) > longest:
        return False
    return all(w[0].isupper() or w.lower() in _SMALL or len(w) < 4 for w in words)


def _split_heading(lines: list[str], i: int) -> _Heading | None:
    """A number alone on its line with a title in capitals on the next ("23." /
    "APOLOGIES FOR ABSENCE", as text taken from a PDF's two columns gives it)."""
    m = NUMBER_ONLY.match(lines[i].strip())
    if m is None or i + 1 >= len(lines):
        return None
    title = lines[i + 1].strip()
    if not is_capitals(title) or len(title) > 200 or intro(title) or NUMBER_ONLY.match(title):
        return None
    return _Heading(i, m.group("num"), title, True, span=2)


def _candidates(lines: list[str]) -> list[_Heading]:
    found: list[_Heading] = []
    listing = any(_DOCUMENTS_PAGE.match(line) for line in lines)
    for i, line in enumerate(lines):
        split = _split_heading(lines, i)
        if split is not None:
            found.append(split)
            continue
        m = _HEADING.match(line.replace("\t", " "))
        if not m or intro(m.group("title")):
            continue
        title = m.group("title").strip()
        caps = is_capitals(title) and len(title) <= 200
        alone = (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1])
        alone = alone or _distinctive(m.group("num")) or listing or bool(m.group("prefix"))
        short = listing and len(title.split()) <= 10
        if (
            title.endswith((".", ";"))
            and not title.endswith("..")
            and (_title_like(title) or short)
        ):
            title = title.rstrip(".;")
        plain = (
            alone and len(title.split()) <= 15 and title[0].isupper()
            and not title.endswith((".", ",", ";", ":"))
        )  # fmt: skip
        if caps or plain:
            heading = _Heading(i, m.group("num"), title, caps)
            while caps and len(title) >= 30 and heading.index + heading.span < len(lines):
                nxt = lines[heading.index + heading.span]
                if (
                    not nxt or not is_capitals(nxt) or nxt.endswith(".")
                    or intro(nxt) or _HEADING.match(nxt)
                ):  # fmt: skip
                    break
                heading.title += " " + nxt.strip()
                heading.span += 1
            found.append(heading)
    return found


def _paragraph_heading(i: int, number: str, text: str) -> _Heading:
    inline = _INLINE_TITLE.match(text)
    if inline and len(inline.group("title").split()) <= 8 and inline.group("rest"):
        heading = _Heading(i, number, inline.group("title"), False, text=inline.group("rest"))
        if inline.group("ref"):
            heading.number = inline.group("ref")
        return heading
    short = text.endswith(":") and len(text.split()) <= 5
    if short or (_title_like(text) and text[-1] not in ".,;"):
        return _Heading(i, number, text.rstrip(":"), False)
    return _Heading(i, number, "", False, text=text)


def _paragraphs(lines: list[str]) -> list[_Heading]:
    """Numbered prose paragraphs that number on from each other: 1., 2., 3. …"""
    found: list[_Heading] = []
    numbers: list[int] = []
    for i, line in enumerate(lines):
        m = _PARAGRAPH.match(line.replace("\t", " "))
        if not m or intro(m.group("text")):
            continue
        text = m.group("text").strip()
        inline = _INLINE_TITLE.match(text)
        if i and lines[i - 1] and not (inline and inline.group("rest")):
            continue
        if numbers and int(m.group("num")) != numbers[-1] + 1:
            if int(m.group("num")) != 1 or len(found) >= 3:
                continue
            found, numbers = [], []
        found.append(_paragraph_heading(i, m.group("num"), text))
        numbers.append(int(m.group("num")))
    return found if len(found) >= 3 else []


def _tight(lines: list[str]) -> list[_Heading]:
    """Short numbered headings with text straight under them ("1) Chairman" / "Andy
    Vigrass was …"), numbering on from each other: at least three."""
    found: list[_Heading] = []
    for i, line in enumerate(lines):
        m = _PARAGRAPH.match(line.replace("\t", " "))
        if not m:
            continue
        title = m.group("text").strip()
        if title.endswith(":") and len(title.split()) <= 3:
            title = title.rstrip(":")
        if (
            len(title) > 70 or len(title.split()) > 12 or not title[0].isupper()
            or title.endswith((".", ",", ";", ":")) or intro(title)
        ):  # fmt: skip
            continue
        if found and int(m.group("num")) != int(found[-1].number) + 1:
            if len(found) >= 3:
                continue
            found = []
        found.append(_Heading(i, m.group("num"), title, False))
    return found if len(found) >= 3 else []


def headings(lines: list[str]) -> list[_Heading]:
    found = _candidates(lines)
    caps = [h for h in found if h.caps]
    if len(caps) >= 2:
        return rising(caps, lambda h: h.number)
    plain = rising(found, lambda h: h.number)
    best = max(_paragraphs(lines), _tight(lines), key=len)
    return best if len(best) > 2 * len(plain) else plain


def _without_sub_numbers(number: str, body: list[str]) -> list[str]:
    """Item 3's lines "3.1 The Board received …", "3.2 RESOLVED: …" without their
    paragraph numbers (at least two of them, or one under "3.0"), so that resolutions
    are seen as such."""
    major = re.match(r"\d{1,3}", number)
    if major is None:
        return body
    sub = re.compile(rf"^{major.group()}\.\d{{1,2}}\.?\s+(?=\S)")
    if sum(1 for line in body if sub.match(line)) < (1 if number.endswith(".0") else 2):
        return body
    return [sub.sub("", line, count=1) for line in body]


def detect(lines: list[str]) -> bool:
    return bool(headings(lines))


def read(lines: list[str]) -> RawMinutes:
    found = headings(lines)
    items: list[RawItem] = []
    for h, nxt in zip(found, [*found[1:], None], strict=True):
        end = nxt.index if nxt else len(lines)
        body = [line for line in lines[h.index + h.span : end] if not _SECTION.match(line)]
        number = h.number
        first = next((k for k, line in enumerate(body[:3]) if line), None)
        if first is not None and not h.caps and _MINUTE_REF.match(body[first]):
            number, body = body[first], body[first + 1 :]  # "1. Title" / "01/22"
        if h.text is not None:  # a numbered paragraph: its text is the item's
            body = [h.text, *body]
        items.append(RawItem(number, h.title, _without_sub_numbers(h.number, body)))
    return RawMinutes(header=lines[: found[0].index] if found else lines, items=items)
