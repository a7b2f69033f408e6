"""Title case for headings written in capitals.

Only text with no lower-case letters is changed ("MINUTES OF PREVIOUS MEETING"
→ "Minutes of Previous Meeting"); anything else is kept as written.  Each word
is capitalised (``POLICE'S`` → ``Police's``) except:

* small words (a, and, as, at, by, for, from, in, into, of, on, or, the, to,
  via, with …) are lower case, unless first or after ``-``, ``–``, ``/`` or ``:``;
* a word is kept in capitals as an acronym when it holds a digit (``DHR10``),
  stands in parentheses (``(VRU)``), has no vowel (``DHR``, ``SST``, ``CCG``),
  has at most three letters and is not a common word (``IOM``, ``VRU``, ``ASB``),
  is a Roman numeral (``II``), or is one of the document's own acronyms: a
  word of two to five capitals that the running text also writes in capitals
  (``VAWG``), other than a small or common word ("THE MINUTES of …" in the text
  does not make ``THE`` an acronym).  Longer words are never kept (``PREVENT`` → ``Prevent``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from service.importing.text import word_set

SMALL_WORDS = word_set(
    "a an and as at but by for from in into nor of on onto or per the to upon via vs with"
)
#: Short words that are words, not acronyms, when written in capitals.
COMMON_SHORT = word_set("""
    all any are art age act aid ask bad big bus car day due end far few fit fun get gym
    has her him his hot how its job key law let lot low man may new not now off old one
    our out own pay put red run say see set she six sky tax ten the too top two use van
    war way who why yes yet you
    """)
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.&]*")
_BREAKS = ("-", "–", "—", "/", ":", "(")


def is_capitals(text: str) -> bool:
    """True when the text has letters and none of them is lower case (a plural "(s)" aside:
    "DECLARATIONS OF INTEREST(s)")."""
    letters = [c for c in text.replace("(s)", "") if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def document_acronyms(lines: Collection[str]) -> frozenset[str]:
    """Words of 2–5 capitals written in capitals in running text (not in headings)."""
    found: set[str] = set()
    for line in lines:
        if is_capitals(line):
            continue
        found.update(re.findall(r"\b[A-Z][A-Z0-9]{1,4}\b", line))
    return frozenset(found)


def _acronym(word: str, inside_parens: bool, acronyms: Collection[str]) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not letters:
        return True
    return (
        any(c.isdigit() for c in word)
        or inside_parens
        or not re.search(r"[AEIOU]", letters)
        or (len(letters) <= 3 and letters.lower() not in COMMON_SHORT | SMALL_WORDS)
        or (len(letters) >= 2 and bool(_ROMAN.match(letters)))
        or (letters in acronyms and letters.lower() not in COMMON_SHORT | SMALL_WORDS)
    )


def title_case(text: str, acronyms: Collection[str] = ()) -> str:
    """``text`` in title case when written all in capitals, else unchanged."""
    if not is_capitals(text):
        return text
    out: list[str] = []
    pos = 0
    first = True
    for m in _WORD.finditer(text):
        before = text[pos : m.start()]
        out.append(before)
        word = m.group()
        parens = before.endswith("(") and text[m.end() : m.end() + 1] == ")"
        after_break = any(b in before for b in _BREAKS)
        if _acronym(word, parens, acronyms):
            out.append(word)
        elif word.lower() in SMALL_WORDS and not first and not after_break:
            out.append(word.lower())
        else:
            out.append(word[0] + word[1:].lower())
        first = False
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)
