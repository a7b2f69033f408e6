"""Recognising resolution text: intros ("RESOLVED:"), part markers, inline parts.

Intros: "RESOLVED", misspelt forms like "RESLOVED", "AGREED", "DECIDED",
"RECOMMENDED", "DECISION" in capitals (alone, or after "it was" or a short subject,
followed by ``:``, a dash, "that" or a parenthesis); "Resolved:"/"Agreed:"/
"Decision:" at the start of a line; or a lower-case intro that ends in a colon
("In summary, it was agreed that:"); a heading "Actions", "Action:" or "Agreed
actions:" alone on its line, or "Action: Clerk to circulate …" / "ACTION – JS to …"
with the action on the same line.  "(Unanimously)" or "unanimously" in the
intro marks the item unanimous.  Markers: ``(1)``, ``1.``, ``(a)``, ``a)``,
``(iv)``, bullets (also a bullet before a number: "- (1)").
"""

from __future__ import annotations

import re

from service.importing.text import flat, is_bullet, unbullet

_KEYWORD = r"(?:RES[OLV]{3}E[DS]?|AGREED|DECIDED|RECOMMENDED|DECISIONS?)"
_UPPER = re.compile(
    rf"^(?P<pre>(?:.*?\b(?:it|It|IT)\s+(?:was|WAS)\s+)|(?:[A-Z][\w’'-]*\s+){{1,3}})?"
    rf"(?P<kw>{_KEYWORD})(?P<rest>(?:\s*[:\-–—;,(].*|\s+(?:that|That|THAT|unanimously|to)\b.*)?)$"
)
_CAPITALISED = re.compile(
    r"^(?P<kw>Resolved|Agreed|Decided|Decision|Recommended)"
    r"(?P<rest>\s*[:\-–—(].*|\s+(?:that|unanimously)\b.*)$"
)
_ACTIONS = re.compile(
    r"^(?P<kw>(?:Agreed\s+|AGREED\s+)?(?:Actions?|ACTIONS?)(?:\s+(?:points?|POINTS?))?)"
    r"(?P<rest>\s*:?\s*$|\s*[:\-–—]\s*(?=[A-Z]).*)$"
)
_LIST_INTRO = re.compile(
    r"^(?P<kw>(?:in\s+summary,?\s+)?(?:it\s+was|the\s+\w+(?:\s+\w+)?|members)\s+"
    r"(?:unanimously\s+)?(?:agreed|resolved|decided)(?:\s+unanimously)?(?:\s+that|\s+to)?)"
    r"(?P<rest>\s*:)\s*$",
    re.IGNORECASE,
)
_REST_LEAD = re.compile(
    r"^\s*(?:\(\s*(?:unanimously|nem\.?\s*con\.?)\s*\)|unanimously)?\s*[:\-–—;,]?\s*", re.IGNORECASE
)
BARE_THAT = re.compile(r"^(?:that|That|THAT)\s*[:;,\-–]?$")
CONNECTOR = re.compile(r"^(?:and|or|and/or|AND|OR)$")
_MARKER = re.compile(
    r"^(?:\((?P<pn>\d{1,2})\)|(?P<dn>\d{1,2})[.)](?!\d)|\((?P<pl>[a-zA-Z]|[ivx]{2,4})\)"
    r"|(?P<dl>[a-zA-Z]|[ivx]{2,4})[.)])\s+(?=\S)"
)
_INLINE = re.compile(r"(?:^|\s)\((\d{1,2}|[a-z])\)\s+")
_TIDY = re.compile(r"\s*(?:;\s*(?:and|or)?|,\s*(?:and|or)|\s(?:and|or))\s*$")
CLOSED = tuple(".;:!?")


def intro(line: str) -> tuple[str, str, bool] | None:
    """``(text before the intro, text after it, unanimous)`` if the line opens a resolution."""
    m = (
        _UPPER.match(line)
        or _CAPITALISED.match(line)
        or _LIST_INTRO.match(line)
        or _ACTIONS.match(line)
    )
    if m is None:
        return None
    pre = (m.groupdict().get("pre") or "").strip()
    rest = m.group("rest")
    unanimous = bool(re.search(r"unanim", m.group("kw") + rest[:30], re.IGNORECASE))
    if re.match(r"^\s+to\b", rest):  # "AGREED to note …": the words are the resolution
        rest = rest.strip()
    else:
        rest = _REST_LEAD.sub("", rest, count=1).strip()
    if pre and not re.search(r"\bit\s+was$", pre, re.IGNORECASE):
        pre = ""  # a short subject: "The Committee RESOLVED"
    pre = re.sub(r"[\s,]*(?:\band\s+)?it\s+was$", "", pre, flags=re.IGNORECASE)
    return pre, rest, unanimous


def marker(line: str) -> tuple[str, str] | None:
    """``(kind, text)`` when the line is a numbered, lettered or bulleted part."""
    text = unbullet(line)
    m = _MARKER.match(text)
    if m:
        kind = next(k for k, v in m.groupdict().items() if v)
        return kind, text[m.end() :]
    return ("bullet", text) if is_bullet(line) else None


def tidy(text: str) -> str:
    return _TIDY.sub("", flat(text))


def substantive(text: str) -> bool:
    return len(re.sub(r"^that\b", "", text.strip(), flags=re.IGNORECASE).split()) > 4


def inline_parts(text: str) -> list[str]:
    """ "That (1) X; and (2) Y" → ["X", "Y"] (a long lead-in is kept first)."""
    found = list(_INLINE.finditer(text))
    labels = [m.group(1) for m in found]
    expected = ["1", "2"] if labels[:1] == ["1"] else ["a", "b"]
    if len(found) < 2 or labels[:2] != expected:
        return [text]
    seq = [found[0]]
    for m in found[1:]:
        previous = seq[-1].group(1)
        step = chr(ord(previous) + 1) if previous.isalpha() else str(int(previous) + 1)
        if m.group(1) == step:
            seq.append(m)
    lead = text[: seq[0].start()].strip()
    ends = [m.start() for m in seq[1:]] + [len(text)]
    pieces = [text[a.end() : end] for a, end in zip(seq, ends, strict=True)]
    parts = [tidy(p) for p in pieces if p.strip()]
    return [tidy(lead), *parts] if substantive(lead) and not BARE_THAT.match(lead) else parts
