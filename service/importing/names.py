"""Lists of people as minutes write them: "PRESENT:", "Apologies … from …".

Rules, in order:

* Separators: ``,``, ``;``, ``:``, ``and``, ``&``, tabs, ``|``, blank lines, any
  parenthesised text ("Mike Berry (MFRA)" → "Mike Berry") and any text after a
  spaced dash ("Peter Lewis - Jennifer James substituted" → "Peter Lewis").  Single line breaks
  are not separators ("Chief\\nInspector Matthew Moscrop" is one name).
* A parenthesis saying "in the Chair", "Chair", "Chairman" … (or "- Chair")
  marks the name before it as the chair ("(Vice-Chair)" alone does not); so does
  "Chairman" written before a titled name at the start of a line ("Chairman Cllr
  Foss"); "Vice Chairman", "Mayor", "Leader" there are dropped.
* A table row "Name<TAB>Role" gives the name; a role "Chair" marks the chair.
* Titles are kept as written ("Superintendent Graeme Robson", "CI Moscrop").
* Councillor prefix: "Councillors A, B" gives "Councillor A", "Councillor B".
  The plural prefix carries over the names that follow it *on the same source
  line*, up to the first name with a title of its own; a singular "Councillor"
  carries only to a bare surname ("Councillor Sonya Kelly and Robinson" →
  "Councillor Robinson").
* A title after a name starts a new name even without a comma, also across a
  line break ("Lorna McBride\nMrs Janet Ellery"; "Graeme Robson Chief Inspector
  Matthew Moscrop" — rank words such as "Chief" go with the title after them).
* An office with its holder in parentheses is the holder: "The Mayor
  (Councillor Gwen Rowlands) (in the Chair)" → "Councillor Gwen Rowlands".
* A missing comma: a part of four, six … capitalised words with no initial or
  particle ("Sharron Cottersall Rosanna Stanley") is split into two-word names.
  Three or five words are kept together (they may be one name).
* A role after a name is cut off ("Mr W Grosvenor Clerk and Executive Officer"
  → "Mr W Grosvenor"; "Mrs P Alder Assistant Clerk" → "Mrs P Alder").
* A clause after a name is cut off ("Councillor J Aitman who was representing
  the Council" → "Councillor J Aitman").
* Parts that do not look like names (lower-case words other than particles,
  digits, more than six words, group words like "Officers", or words naming an
  organisation or a role: "NHS England", "Sefton Council", "Chief Finance
  Officer") are dropped; so is a whole line that names a role or organisation
  and no person ("Head of Health and Community Care", a table's role column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.importing.name_words import (
    CLAUSE_WORDS,
    COUNCILLOR_PREFIXES,
    GROUP_WORDS,
    OFFICES,
    ORGANISATION_WORDS,
    PARTICLES,
    RANK_PREFIXES,
    ROLE_WORDS,
    STRONG_TITLES,
    TITLE_WORDS,
)

_SEP = re.compile(r"\([^()]*\)|\[[^\]]*\]|[ \t][-–—][ \t][^,;\n()]*|[,;:\t|]|\band\b|&|\n[ \t]*\n")
_CHAIR = re.compile(
    r"in\s+the\s+chair|^(?:\(|\s*[-–—])\s*(?:chair|chairman|chairperson|chairwoman)\s*\)?\s*$",
    re.IGNORECASE,
)
_HOLDER = re.compile(r"^\(\s*(?:Councillor|Cllr)\.?\s+[^()]+\)$")


@dataclass
class _Part:
    words: list[str]
    line: int
    chair: bool = False


def _key(word: str) -> str:
    return word.lower().rstrip(".")


def _office(parts: list[_Part]) -> bool:
    return bool(parts) and all(_key(w) in OFFICES | TITLE_WORDS for w in parts[-1].words)


def _title_length(words: list[str]) -> int:
    n = 0
    while n < len(words) - 1 and _key(words[n]) in TITLE_WORDS:
        n += 1
    return n


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.?){1,3}", word))


def _looks_like_name(words: list[str]) -> bool:
    if not words or len(words) > 7 or all(_key(w) in GROUP_WORDS for w in words):
        return False
    for word in words[_title_length(words) :]:
        if any(c.isdigit() for c in word) or not any(c.isalpha() for c in word):
            return False
        if _key(word) in ORGANISATION_WORDS or _key(word) in ROLE_WORDS:
            return False
        if not (word[0].isupper() or _key(word) in PARTICLES or word[:2] in ("d'", "d’")):
            return False
    return True


def _split_titles(words: list[str]) -> list[list[str]]:
    """A title after a name starts another name: "Lorna McBride Mrs Janet Ellery"."""
    out: list[list[str]] = [[]]
    for word in words:
        current = out[-1]
        named = any(_key(w) not in TITLE_WORDS for w in current)
        if named and _key(word) in STRONG_TITLES and word[0].isupper():
            moved: list[str] = []
            while len(current) > 1 and _key(current[-1]) in RANK_PREFIXES:
                moved.insert(0, current.pop())
            out.append(moved)
        out[-1].append(word)
    return out


def _split_run(words: list[str]) -> list[list[str]]:
    """Four, six … plain capitalised words after the title: two-word names."""
    title = _title_length(words)
    rest = words[title:]
    plain = all(w[0].isupper() and not _is_initial(w) and _key(w) not in PARTICLES for w in rest)
    if len(rest) < 4 or len(rest) % 2 or not plain:
        return [words]
    pairs = [rest[i : i + 2] for i in range(0, len(rest), 2)]
    return [words[:title] + pairs[0], *pairs[1:]]


_JOB_WORDS = ROLE_WORDS | {"clerk", "rfo", "treasurer", "office"}
_JOB_PREFIXES = frozenset({"assistant", "deputy", "acting", "senior", "executive", "principal"})
#: Words that lead into a role after a name: "… Deputy Parish Clerk", "… Town Clerk".
_ROLE_LEAD = _JOB_PREFIXES | ORGANISATION_WORDS | RANK_PREFIXES
_ROLE_LEAD |= {"finance", "responsible", "admin", "administration", "support"}


def _role_start(words: list[str]) -> int:
    """Where a role written after a titled name starts: "Mr W Grosvenor Clerk and …" → 3;
    0 when the part is a role without such a name ("Service Manager")."""
    first = _title_length(words)
    for i in range(first, len(words)):
        keys = set(_key(words[i]).split("/"))  # "Clerk/Responsible Finance Officer"
        nxt = _key(words[i + 1]) if i + 1 < len(words) else ""
        if keys & _JOB_WORDS or (keys & _JOB_PREFIXES and nxt in _JOB_WORDS):
            if not (i > first and first):
                return 0  # a role with no titled name before it ("Management Officer"): no name
            while i - 1 > first and set(_key(words[i - 1]).split("/")) & _ROLE_LEAD:
                i -= 1  # "Mr D L Nicholson Deputy Parish Clerk" → "Mr D L Nicholson"
            return i
    return len(words)


def _parts(text: str) -> list[_Part]:
    parts: list[_Part] = []
    pos = 0
    for m in [*_SEP.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        start = pos + len(piece) - len(piece.lstrip())
        words = re.sub(r"[\"“”‘’]|^'|'$", "", piece).strip().rstrip(".").split()
        clause = next((i for i, w in enumerate(words) if i and w in CLAUSE_WORDS), len(words))
        words = words[: min(clause, _role_start(words))]
        if words:
            parts.append(_Part(words, text.count("\n", 0, start)))
        if m and _CHAIR.search(m.group()) and parts:
            parts[-1].chair = True
        elif m and _HOLDER.match(m.group()) and piece.strip() and _office(parts):
            parts[-1].words = m.group()[1:-1].split()  # "The Mayor (Councillor X)"
        pos = m.end() if m else len(text)
    return parts


def _role_line(line: str) -> bool:
    """A line of a members-and-roles table that names a role or an organisation, not a
    person: "Head of Health and Community Care", "Audit Scotland"."""
    if re.search(r"[,;|\t]", line):
        return False
    words = [_key(w) for w in re.sub(r"\([^()]*\)", " ", line).split()]
    if not words or any(w in STRONG_TITLES or w in COUNCILLOR_PREFIXES for w in words):
        return False
    return any(w in ROLE_WORDS or w in ORGANISATION_WORDS for w in words)


_NAMED = r"(?=(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\b\.?)"
_CHAIR_BEFORE = re.compile(rf"(?im)^\s*(?:the\s+)?chair(?:man|person|woman)?\s+{_NAMED}([^,;\n]+)")
_OFFICE_BEFORE = re.compile(
    rf"(?im)^\s*(?:the\s+)?(?:vice[\s-]chair(?:man|person|woman)?|(?:deputy\s+)?mayor|"
    rf"(?:deputy\s+)?leader)\s+{_NAMED}"
)


_CHAIR_ROLE = re.compile(r"^(?:the\s+)?chair(?:man|person|woman)?(?:\s+of\s+.*)?$", re.IGNORECASE)


def _role_column(line: str) -> str:
    """ "Ms Jane Rivers<TAB>Chair" (a table of names and roles) → "Ms Jane Rivers (Chair)";
    "Mr Paul Stone<TAB>Chief Executive" → "Mr Paul Stone"."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if len(cells) != 2 or _key(cells[1].split()[0]) in STRONG_TITLES | set(COUNCILLOR_PREFIXES):
        return line
    if re.search(r"[,;]", cells[0]) or len(cells[0].split()) > 5:
        return line
    if _CHAIR_ROLE.match(cells[1]):
        return f"{cells[0]} (Chair)"
    return cells[0] if not _looks_like_plain_name(cells[1]) else line


def _looks_like_plain_name(text: str) -> bool:
    """Two or three capitalised words and no role word: "Amir Hussain"."""
    words = text.split()
    return (
        2 <= len(words) <= 3
        and all(w[0].isupper() for w in words)
        and not any(_key(w) in ROLE_WORDS | ORGANISATION_WORDS | TITLE_WORDS for w in words)
    )


def read_names(text: str) -> tuple[list[str], str | None]:
    """The names in a list, in order and without repeats, and the chair if marked."""
    text = "\n".join("" if _role_line(line) else line for line in text.split("\n"))
    text = _OFFICE_BEFORE.sub("", _CHAIR_BEFORE.sub(r"\1 (Chairman)", text))
    text = "\n".join(map(_role_column, text.split("\n")))
    names: list[str] = []
    chair: str | None = None
    scope: tuple[str, bool, int] | None = None  # prefix, plural, line
    for part in _parts(text):
        first = _key(part.words[0])
        if len(part.words) == 1 and first in ("councillors", "cllrs"):
            scope = (COUNCILLOR_PREFIXES[first], True, part.line)
            continue
        pieces = _split_titles(part.words)
        whole = _looks_like_name(part.words)
        if not whole and not (len(pieces) > 1 and all(map(_looks_like_name, pieces))):
            scope = None  # not a name (a long run of titled names, one a line, is)
            continue
        for words in (run for split in pieces for run in _split_run(split)):
            key = _key(words[0])
            if key in COUNCILLOR_PREFIXES:
                plural = key in ("councillors", "cllrs")
                words = [COUNCILLOR_PREFIXES[key], *words[1:]] if plural else words
                scope = (COUNCILLOR_PREFIXES[key], plural, part.line)
            elif _title_length(words):
                scope = None
            elif scope and scope[2] == part.line and (scope[1] or len(words) == 1):
                words = [scope[0], *words]
            else:
                scope = None
            name = " ".join(words)
            if name not in names:
                names.append(name)
            if part.chair and chair is None:
                chair = name
    return names, chair
