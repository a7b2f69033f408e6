"""Regex fragments shared by the clause rules: change words, quoted targets, verbs, anchors."""

from __future__ import annotations

import re

from domain.approval_wording.quotes import _Q

_CHANGE_WORD = re.compile(
    r"\b(?:amend\w*|correct(?:ed|ion|ions|ing)\b|chang\w*|delet\w*|remov\w*|insert\w*"
    r"|add(?:ed|ing|ition\w*|s)?|inclu\w*|replac\w*|substitut\w*|reads?|reword\w*|spel\w*"
    r"|misspel\w*|typo\w*|omi(?:t|ts|tted|tting|ssion)\b|strik\w*|struck|alter\w*"
    r"|record(?:ed|ing)|record(?=\s+that)|note[ds]?|noting|apolog\w*|rectif\w*|revis\w*|should|instead|error)\b",
    re.I,
)
_REPLACE_WORD = re.compile(
    r"amend|correct|chang|replac|substitut|\bread|should|alter|reword|revis|rectif|spel"
    r"|typo|instead|error|updat|becom",
    re.I,
)
_W = r"[A-Za-z][\w'’-]*"
_FILLER = (
    r"(?:(?:the|a|an)\s+)?(?:(?:following|new|additional|further|extra)\s+)?"
    r"(?:(?:words?|phrases?|sentences?|text|wording|terms?|references?(?:\s+to)?|names?|figures?"
    r"|numbers?|lines?|letters?|paragraph|statement|spelling|date|time|title)\s*:?\s*)?"
)
_QS = rf"{_Q}(?:\s*(?:,\s*and|,|and|&)\s*{_Q})*"
_POS = (
    r"(?:immediately\s+|directly\s+)?(?:after|before|following|preceding|ahead\s+of"
    r"|in\s+front\s+of|between)"
)
_INSERT_VERB = r"\b(?:insert(?:ion|ing|ed)?|add(?:ition|ing|ed)?|inclu(?:de|sion|ding|ded))\b"
_DELETE_VERB = (
    r"\b(?:delet(?:e|ed|es|ion|ing)|remov(?:e|ed|es|al|ing)|omi(?:t|ts|tted|ssion|tting)"
    r"|strik(?:e|ing)\s+(?:out|through)|struck\s+(?:out|through)|excis(?:e|ion)|taking\s+out)\b"
)
_OF_GAP = r"(?:\s+(?:of|from|to|in|at|into|on)\b[^\ue000;]{0,80}?)?[\s:]*"


def _target(name: str) -> str:
    """Quoted words, or a single unquoted word after "the word"."""
    return rf"(?:{_FILLER}(?P<{name}>{_Q})|(?:the\s+)?\bword\s+(?P<{name}_w>{_W}))"


_ANCHOR = rf"(?P<pos>{_POS})\s+{_target('anchor')}"
_NEW_REPLACEMENT = (
    rf"(?:{_FILLER}(?P<new>{_Q})|(?:the\s+word\s+)?(?P<new_w>{_W})"
    r"(?=\s*[.;,]|\s*$|\s+(?:in|on|at|of|within|under|throughout|from|where|when)\b))"
)
_PASSIVE = (
    r"(?:(?:being|be|to\s+be|should\s+be|should\s+have\s+been|was|were|is|are|has\s+been"
    r"|had\s+been)\s+)?"
)
