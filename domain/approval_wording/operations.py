"""Builders for word edits: replace, insert, delete, note and other."""

from __future__ import annotations

import re
from typing import Literal

from domain.amendments import Amendment
from domain.approval_wording.clause import _Clause, _rule
from domain.approval_wording.phrases import _NEW_REPLACEMENT, _REPLACE_WORD, _W
from domain.approval_wording.quotes import _Q, _words

#: Bare words that cannot be the new word of "… to be changed to X".
_NOT_A_NEW_WORD = _words(
    "be read the a an reflect record show state say include note delete remove insert "
    "add correct change amend deleted removed"
)


def _replace_pairs(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    if not _REPLACE_WORD.search(c.text + " " + c.context):
        return None
    found = [_pair(p, c) for p in _REPLACE_FORWARD.pattern.finditer(c.text)]
    pairs = [p for p in found if p is not None]
    if not pairs:
        return None
    return [c.amendment("replace", old=old, new=new) for old, new in pairs]


def _pair(m: re.Match[str], c: _Clause) -> tuple[str, str] | None:
    old, new = c.group(m, "old"), c.group(m, "new")
    if old is None or new is None:
        return None
    if m.group("new_w"):
        bare_ok = m.group("old_w") or m.group("conn").lower() in ("to", "with", "by", "to read")
        if not bare_ok or new.lower() in _NOT_A_NEW_WORD:
            return None
    return old, new


def _replace_reversed(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    return [c.amendment("replace", old=c.group(m, "old"), new=c.group(m, "new"))]


def _reworded(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    """ "Minute 45 be amended to read '…'": the old words are not given, so it cannot be
    applied mechanically (a replace needs them); recorded as ``other``."""
    return [c.amendment("other")]


def _insert_anchored(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    position: Literal["after", "before"] = "after"
    if re.search(r"before|preceding|ahead|front", m.group("pos"), re.I):
        position = "before"
    return [
        c.amendment("insert", new=c.group(m, "new"), anchor=c.group(m, "anchor"), position=position)
    ]


def _insert_plain(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    if re.search(r"\b(?:beginning|start)\s+of\b", c.text, re.I):
        return [c.amendment("other")]  # no anchor words: cannot be placed mechanically
    return [c.amendment("insert", new=c.group(m, "new"))]


def _delete(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    if m.groupdict().get("old_w"):
        return [c.amendment("delete", old=m.group("old_w"))]
    return [c.amendment("delete", old=c.masked.words(t)) for t in re.findall(_Q, m.group("old"))]


def _other(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    return [c.amendment("other")]


def _note(m: re.Match[str], c: _Clause) -> list[Amendment] | None:
    rest = c.text[m.end() :]
    said = re.match(
        r"[^\ue000]{0,80}?(?:\bthat\b|:|\b(?:stating|saying|reading|recording|confirming"
        r"|indicating|explaining|to\s+the\s+effect|to\s+say|to\s+state|to\s+read|to\s+record)\b)"
        r"\s*(?:that\s+)?(?P<t>\S.*)$|[^\ue000]{0,80}?(?P<q>" + _Q + ")",
        rest,
        re.I | re.S,
    )
    if said is None:
        return None
    words = said.group("t") or said.group("q")
    if re.fullmatch(_Q, words.strip(" .")):
        return [c.amendment("note", new=c.masked.words(words.strip(" .")))]
    return [c.amendment("note", new=c.masked.unmask(words).strip(" .;,"))]


_REPLACE_FORWARD = _rule(
    r"(?:(?P<old>" + _Q + r")|\bword\s+(?P<old_w>" + _W + r"))"
    r"(?:[\s,]+[\w'’()-]+){0,8}?[\s,:]+(?P<conn>with|by|to\s+read|to|into|reads?|be|as)"
    rf"\s*:?\s*{_NEW_REPLACEMENT}",
    _replace_pairs,
)
