"""Turning a published minutes file into clean lines of text.

Rules: bytes are UTF-8 (a BOM is dropped; UTF-16 with a BOM is read too), else
Windows-1252, else Latin-1; text with NUL characters, or where under 95% of the
characters are printable or white space, is binary.  Non-breaking and other
Unicode spaces become plain spaces, Markdown bold ``**`` and heading ``#`` marks
go, runs of spaces collapse, lines holding only spaces become empty, page
furniture ("Page 3 of 7", "- 3 -", rules of ``_`` or ``-``) is dropped, and a
bullet (``•``, ``·``, ``●``, ``▪``, ``Ø``, ``-``, ``–``, ``*``, ``o`` and the
Symbol-font private-use bullets) followed by text becomes :data:`BULLET`.
Curly quotes are kept as written: the patterns accept both kinds.
"""

from __future__ import annotations

import re

from service.importing.errors import BINARY, EMPTY, MinutesFormatError

BULLET = "• "
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000 ]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BULLET_MARK = re.compile(r"^(?:[•·●▪■◦‣∙⁃\uf0b7\uf0a7\uf0d8\uf076\uf0fc]\s*|[Ø\-–—*o]\s+)(?=\S)")
_FURNITURE = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|[_=\-–—]{3,}|\*{3,}"
    r"|(?:source\s*:\s*)?(?:https?://|www\.)\S+(?:\s+\([^()]*\))?|</?[A-Za-z]{1,10}\d*>)$",
    re.IGNORECASE,
)
_HEADING_HASHES = re.compile(r"^#{1,6}\s+")


def word_set(words: str) -> frozenset[str]:
    """The white-space separated words of ``words``: compact word lists."""
    return frozenset(words.split())


_ABBREVIATIONS = word_set(
    "mr mrs ms dr cllr cllrs st no nos prof rev supt insp sgt ch det ltd co cc etc vs"
)


def decode(data: bytes | str) -> str:
    """The text of a file: decoded, checked to be text and not empty."""
    if isinstance(data, str):
        text = data
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data:
            raise MinutesFormatError(f"{BINARY} (it contains NUL bytes)")
        text = _decode_8bit(data)
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise MinutesFormatError(f"{BINARY} (it contains NUL characters)")
    if not text.strip():
        raise MinutesFormatError(EMPTY)
    readable = sum(1 for c in text if c.isprintable() or c.isspace())
    if readable < 0.95 * len(text):
        share = 100 - 100 * readable // len(text)
        raise MinutesFormatError(f"{BINARY} ({share}% of its characters are not printable)")
    return text


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def clean_line(raw: str) -> str:
    """One line with spaces, markup, control characters and bullets normalised."""
    line = _CONTROL.sub("", _INVISIBLE.sub("", raw)).replace("**", "")
    line = _SPACES.sub(" ", line).strip(" ")
    line = re.sub(r" *\t[ \t]*", "\t", line).strip()
    if not line or _FURNITURE.match(_HEADING_HASHES.sub("", line)):
        return ""
    line = _HEADING_HASHES.sub("", line)
    marked = _BULLET_MARK.match(line)
    if marked:
        return BULLET + line[marked.end() :].strip()
    return line


def normalise(data: bytes | str) -> list[str]:
    """The document as clean lines; empty strings stand for blank lines."""
    text = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [clean_line(raw) for raw in text.split("\n")]


def flat(text: str) -> str:
    """Text on one line with single spaces (tabs and line breaks become spaces)."""
    return " ".join(text.split())


def is_bullet(line: str) -> bool:
    return line.startswith(BULLET)


def unbullet(line: str) -> str:
    return line.removeprefix(BULLET)


def sentences(text: str) -> list[str]:
    """Split at ``.``, ``!`` or ``?`` before a capital, except after initials and titles."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?](?=\s+[\"“‘'(]?[A-Z0-9])", text):
        words = text[start : m.start()].split()
        last = words[-1].lower().strip("(") if words else ""
        if m.group() == "." and (len(last) == 1 or last in _ABBREVIATIONS):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
