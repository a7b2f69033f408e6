"""The clause rules in order (the first that reads a clause wins), and reading one clause."""

from __future__ import annotations

import re

from domain.amendments import Amendment
from domain.approval_wording.attendance import _ATTENDANCE_RULES
from domain.approval_wording.clause import _Clause, _Rule, _rule
from domain.approval_wording.operations import (
    _REPLACE_FORWARD,
    _delete,
    _insert_anchored,
    _insert_plain,
    _note,
    _other,
    _replace_reversed,
    _reworded,
)
from domain.approval_wording.phrases import (
    _ANCHOR,
    _CHANGE_WORD,
    _DELETE_VERB,
    _FILLER,
    _INSERT_VERB,
    _NEW_REPLACEMENT,
    _OF_GAP,
    _PASSIVE,
    _QS,
    _W,
    _target,
)
from domain.approval_wording.quotes import _Q

_RULES: tuple[_Rule, ...] = (
    *_ATTENDANCE_RULES,
    _rule(
        rf"{_INSERT_VERB}{_OF_GAP}{_target('new')}[^\ue000;]{{0,80}}?\b{_ANCHOR}", _insert_anchored
    ),
    _rule(
        rf"{_target('new')}[^\ue000;]{{0,40}}?\b(?:insert\w*|added|included|placed|put)\b"
        rf"[^\ue000;]{{0,60}}?\b{_ANCHOR}",
        _insert_anchored,
    ),
    _rule(
        rf"\bsubstitut(?:e|ed|ion\s+of|ing)\s+{_FILLER}(?P<new>{_Q})\s+for\s+{_FILLER}(?P<old>{_Q})",
        _replace_reversed,
    ),
    _rule(
        rf"(?P<new>{_Q})(?:[\s,]+[\w'’-]+){{0,4}}?[\s,]+(?:instead\s+of|in\s+place\s+of|rather\s+than"
        rf"|in\s+lieu\s+of)\s+{_FILLER}(?P<old>{_Q})",
        _replace_reversed,
    ),
    _rule(rf"(?P<new>{_Q})[\s,]+(?:and\s+|but\s+)?not\s+{_FILLER}(?P<old>{_Q})", _replace_reversed),
    _rule(
        rf"(?P<new>{_Q})\s+(?:(?:should|to|shall|will|would)\s+)?replac(?:e|es|ing)\s+{_FILLER}(?P<old>{_Q})",
        _replace_reversed,
    ),
    _REPLACE_FORWARD,
    _rule(
        r"\b(?:(?:amend|chang|correct|alter|revis|reword|re-word|updat|rewrit)\w*\b[^\ue000;]{0,80}?"
        r"\bto|should|shall|will|would|must)\s+(?:now\s+)?(?:read|state|say)\b(?:\s+as\s+follows)?"
        rf"\s*:?\s*{_FILLER}{_Q}|\bread\s+as\s+follows\s*:?\s*{_Q}",
        _reworded,
    ),
    _rule(
        r"\b(?:amend|chang|correct|alter|revis|updat|clarif)\w*\b[^\ue000;]{0,80}?\bto\s+"
        r"(?:more\s+|accurately\s+|clearly\s+|correctly\s+)*(?:record|reflect|show|state|say|indicate"
        r"|clarify|confirm|note|make\s+clear|include|read|mention|explain)\b",
        _other,
    ),
    _rule(
        r"\b(?:a|an)\s+(?:further\s+|additional\s+|short\s+|brief\s+)?(?:note|statement|footnote)\b"
        r"|\bthe\s+following\s+(?:note|statement)\b"
        r"|\bit\s+(?:be|being|to\s+be|should\s+be|was|is|be\s+further)\s+(?:noted|recorded|minuted)\b"
        r"|\b(?:note|record)(?=\s+that\b)",
        _note,
    ),
    _rule(
        r"\bspelling\s+of\s+(?:(?:Councillor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr)\s+)?"
        r"(?-i:(?P<old_w>[A-Z][\w-]+))['’]s\s+(?:sur)?name\b(?:[\s,]+[\w'’-]+){0,4}?[\s,]+(?:to|as)\s+"
        + _NEW_REPLACEMENT,
        _replace_reversed,
    ),
    _rule(rf"{_INSERT_VERB}{_OF_GAP}{_target('new')}", _insert_plain),
    _rule(
        rf"{_target('new')}[^\ue000;]{{0,40}}?\b(?:be|being|to\s+be|should\s+be|is|was)\s+"
        r"(?:insert\w*|added|included)\b",
        _insert_plain,
    ),
    _rule(
        rf"{_DELETE_VERB}{_OF_GAP}(?:{_FILLER}(?P<old>{_QS})|(?:the\s+)?\bword\s+(?P<old_w>{_W}))",
        _delete,
    ),
    _rule(
        rf"(?P<old>{_QS})(?:[\s,]+[\w'’()-]+){{0,4}}?[\s,]+(?:deleted|removed|omitted|struck"
        r"|taken\s+out|excised|crossed\s+out)\b",
        _delete,
    ),
    _rule(
        rf"(?:the\s+)?\bword\s+(?P<old_w>{_W})\s+{_PASSIVE}(?:deleted|removed|omitted|struck)\b",
        _delete,
    ),
)


_ANNOUNCEMENT = re.compile(
    r"(?:(?:the|these|this)\s+)?(?:(?:following|above|below)\s+)?(?:\w+\s+)?"
    r"(?:amendments?|changes?|corrections?|alterations?)"
    r"(?:\s+(?:below|above|(?:set\s+out|shown|listed|detailed)\s+(?:below|above)))?",
    re.I,
)


def _read_clause(clause: _Clause) -> list[Amendment]:
    if _ANNOUNCEMENT.fullmatch(clause.text):
        return []  # "the following amendment", "the above changes": what they announce is read
    for rule in _RULES:
        for m in rule.pattern.finditer(clause.text):
            result = rule.build(m, clause)
            if result is not None:
                return result
    if _CHANGE_WORD.search(clause.text):
        return [clause.amendment("other")]
    return []
