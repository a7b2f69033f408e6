"""Changes to the attendance lists (present, apologies, absent), and the rules that read them."""

from __future__ import annotations

import re

from domain.amendments import Amendment
from domain.approval_wording.clause import Build, _Clause, _rule
from domain.approval_wording.phrases import _DELETE_VERB, _PASSIVE, _REPLACE_WORD
from domain.approval_wording.quotes import _Q, _words

#: A capitalised word, or a title in lower case (the two never match the same text).
_NAME_TOKEN = r"(?:[A-Z][\w.'’-]*|c(?i:ouncillors?|llrs?)\.?)"
_NAMES = (
    rf"(?P<names>{_Q}|(?-i:{_NAME_TOKEN}(?:(?:\s+|\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
    rf"(?:{_NAME_TOKEN}|\([^()\ue000]{{1,60}}\)|(?:de|van|von|der|le|la|da|du|di|al|el|bin|ap)"
    r"(?=\s+[A-Z]))){0,24}))"
)
_LIST = (
    r"(?P<list>\b(?:those\s+|members\s+|councillors\s+|officers\s+|others\s+|persons\s+|people\s+)?"
    r"(?:also\s+)?(?:present|in\s+attendance|attend(?:ance|ees|ing)(?:\s+list)?|attended"
    r"|apolog(?:y|ies)(?:\s+for\s+absence)?|absent(?:ees)?"
    r"|having\s+(?:given|sent|tendered|submitted|offered)\s+(?:(?:his|her|their)\s+)?apologies"
    r"|having\s+attended)\b)"
)
_TO_LIST = rf"(?:the\s+)?(?:list\s+of\s+|record\s+of\s+|names\s+of\s+)?{_LIST}"
_FROM_LIST = _TO_LIST.replace("?P<list>", "?P<from_list>")
_NOT_A_NAME = _words(
    "in the that and also subject to minute item note resolved page paragraph it a an with"
)


def _which_list(words: str) -> str:
    words = words.lower()
    if "apolog" in words:
        return "apologies"
    if "absent" in words:
        return "absent"
    if re.search(r"\b(?:also|officers|others)\b", words):
        return "also_present"
    return "present"


def _names(raw: str, c: _Clause) -> str | None:
    if re.fullmatch(_Q, raw):
        return c.masked.words(raw)
    words = raw.strip(" ,.").split()
    while words and words[0].lower() in _NOT_A_NAME:
        words.pop(0)
    names = re.sub(r"(?:['’]s?)?(?:\s+(?:sur)?names?)?$", "", " ".join(words)).strip(" ,.")
    if not names or not re.match(r"[A-Z]", names) or len(names.split()) > 14:
        return None
    return _expand_plural_title(names)


def _expand_plural_title(names: str) -> str:
    """``Councillors A and B`` → ``Councillor A, Councillor B`` (each name as listed)."""
    m = re.match(r"(Councillors|Cllrs\.?)\s+(.+)$", names, re.I)
    if m is None:
        return names
    title = "Councillor" if m.group(1).lower().startswith("councillor") else "Cllr"
    people = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", m.group(2)) if p]
    return ", ".join(f"{title} {p}" for p in people)


def _attendance(
    *, removing: bool | None = None, moving: bool = False, default: str | None = None
) -> Build:
    """Names added to (or removed from, or moved to) the list the clause names (or
    ``default``); ``removing=None`` decides from the clause's verb."""

    def build(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
        names = _names(m.group("names"), c)
        if names is None:
            return None
        listed = m.groupdict().get("list")
        target = _which_list(listed) if listed else (default or "present")
        remove = removing
        if remove is None:
            remove = bool(re.search(r"remov|delet|omi", c.text, re.I))
        moved = moving or bool(
            re.search(r"\b(?:rather\s+than|instead\s+of|and\s+not)\b", c.text, re.I)
        )
        old = names if remove or moved else None
        new = names if moved or not remove else None
        return [c.amendment("attendance", old=old, new=new, attendance_list=target)]

    return build


def _renamed_in_attendance(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    """ "'Cllr Jones' changed to 'Cllr Jonas' in the list of those present": the name is
    taken out of the attendance and the corrected one put on that list."""
    if not _REPLACE_WORD.search(c.text):
        return None
    old, new = c.masked.words(m.group("old")), c.masked.words(m.group("new"))
    return [c.amendment("attendance", old=old, new=new, attendance_list=_which_list(m["list"]))]


_ATTENDANCE_RULES = (
    _rule(
        rf"{_NAMES}(?:['’]s?\s+names?)?\s+{_PASSIVE}(?:removed|deleted|omitted|taken\s+off)\s+"
        rf"from\s+{_FROM_LIST}\s+and\s+(?:be\s+|being\s+)?(?:added|included|recorded|listed|shown)"
        rf"\s+(?:to|in|on|under|among|as)\s+{_TO_LIST}",
        _attendance(moving=True),
    ),
    _rule(
        rf"(?P<old>{_Q})(?:[\s,]+[\w'’()-]+){{0,8}}?[\s,:]+(?:with|by|to\s+read|to|read|as)\s+"
        rf"(?P<new>{_Q})[^\ue000;]{{0,30}}?\b(?:in|on|under|within|from)\s+{_TO_LIST}",
        _renamed_in_attendance,
    ),
    _rule(
        r"\b(?:addition|inclusion|insertion|adding|including|add|include|insert|recording|record)"
        rf"\s+(?:of\s+)?(?:the\s+names?\s+(?:of\s+)?)?{_NAMES}\s+(?:to|in|into|on|under|among"
        rf"|amongst|within|as)\s+{_TO_LIST}",
        _attendance(removing=False),
    ),
    _rule(
        rf"{_NAMES}(?:['’]s?\s+names?)?\s+{_PASSIVE}(?:added|included|recorded|listed|shown|noted"
        rf"|inserted|marked|entered)\s+(?:to|in|into|on|under|among|amongst|as)\s+"
        rf"(?:being\s+|having\s+been\s+)?{_TO_LIST}",
        _attendance(removing=False),
    ),
    _rule(
        rf"{_DELETE_VERB}\s+(?:of\s+)?(?:the\s+names?\s+(?:of\s+)?)?{_NAMES}\s+from\s+{_TO_LIST}",
        _attendance(removing=True),
    ),
    _rule(
        rf"{_NAMES}(?:['’]s?\s+names?)?\s+{_PASSIVE}(?:removed|deleted|omitted|taken\s+off)\s+"
        rf"from\s+{_TO_LIST}",
        _attendance(removing=True),
    ),
    _rule(
        r"\bapolog(?:y|ies)(?:\s+for\s+absence)?\s+(?:(?:were|was|had\s+been|having\s+been)\s+)?"
        r"(?:(?:received|given|sent|tendered|submitted)\s+)?(?:from|for|of|on\s+behalf\s+of|by)\s+"
        + _NAMES,
        _attendance(default="apologies"),
    ),
    _rule(
        rf"{_NAMES}(?:\s+(?:had|has|having))?\s+(?:sent|given|gave|tendered|submitted|offered)\s+"
        r"(?:(?:his|her|their)\s+)?apolog",
        _attendance(removing=False, default="apologies"),
    ),
    _rule(rf"{_NAMES}['’]s\s+apologies", _attendance(default="apologies")),
    _rule(rf"{_NAMES}['’]s\s+attendance\b", _attendance(removing=False)),
    _rule(rf"\battendance\s+of\s+{_NAMES}", _attendance(removing=False)),
    _rule(
        rf"{_NAMES}\s+(?:was|were|had\s+been|is|being)\s+(?:also\s+)?{_LIST}",
        _attendance(removing=False),
    ),
    _rule(rf"{_NAMES}\s+(?:had\s+|also\s+)*attended\b", _attendance(removing=False)),
    _rule(
        rf"{_LIST}\W[^\ue000;]{{0,20}}?\b(?:add|include|insert|record|remove|delete|omit)\s+{_NAMES}",
        _attendance(),
    ),
    _rule(
        rf"{_LIST}\s+(?:list\s+)?(?:[\w,]+\s+){{0,4}}?(?:include|includes|including|show|record)"
        rf"\s+{_NAMES}",
        _attendance(removing=False),
    ),
)
