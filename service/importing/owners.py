"""Who an action belongs to, read from the subject of its clause.

* People: a person from the attendance lists is named when the subject has
  their full name, their name without title, or their surname alone (when no
  one else present has it, e.g. "CI Moscrop" → "Chief Inspector Matthew
  Moscrop", "Ros Stanley" → "Rosanna Stanley").  They are given as the lists
  write them, in the order the subject names them.
* Otherwise the subject as written, without a leading "the" ("All parties",
  "Statutory Agencies from the Partnership", "Lead Member for Crime and
  Disorder"); a subject that is not a plain noun phrase keeps only those of its
  "and"-joined parts that are ("comments on the report and Members and
  Partners" → "Members and Partners").  Pronouns give no owner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.importing.name_words import TITLE_WORDS
from service.importing.text import word_set

FUNCTION_WORDS = word_set(
    "the a an all each every both any of for and & from with at in on to its their our"
)
ROLE_WORDS = word_set("""
    officer officers member members partner partners party parties agency agencies
    organisation organisations organization organizations clerk chair chairman chairperson
    council committee board partnership group team service services lead leads manager
    managers director directors representative representatives colleagues relevant
    appropriate statutory sub-group subgroup working task finish secretary authority
    authorities school schools police
    """)
_PRONOUNS = word_set("he she they it we you i who this that these those")


def noun_phrase(text: str) -> bool:
    """Capitalised words and role nouns joined by small words: a plausible subject."""
    tokens = text.split()
    if not tokens or len(tokens) > 12:
        return False
    for token in tokens:
        low = token.lower().strip(",")
        if not (token[0].isupper() or token[0].isdigit() or low in FUNCTION_WORDS | ROLE_WORDS):
            return False
    return any(t.lower() not in FUNCTION_WORDS for t in tokens)


def _bare(person: str) -> list[str]:
    words = person.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLE_WORDS:
        words = words[1:]
    return words


def people_named(subject: str, people: Sequence[str]) -> list[str]:
    surnames = [(_bare(p) or [""])[-1] for p in people]
    found: list[tuple[int, str]] = []
    for person, surname in zip(people, surnames, strict=True):
        bare = " ".join(_bare(person))
        candidates = [person, bare]
        if len(surname) >= 3 and surnames.count(surname) == 1:
            candidates.append(surname)
        for name in candidates:
            m = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", subject)
            if m:
                if person not in (f for _, f in found):
                    found.append((m.start(), person))
                break
    return [person for _, person in sorted(found)]


def _as_written(subject: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", subject.strip(" ,;:."))


def owners_of(subject: str, people: Sequence[str]) -> tuple[str, ...]:
    subject = re.sub(r"^(?:that|That)\s+", "", subject.strip(" ,;:"))
    named = people_named(subject, people)
    if named:
        return tuple(named)
    if not subject or subject.lower() in _PRONOUNS:
        return ()
    if noun_phrase(subject):
        return (_as_written(subject),)
    parts = [p for p in re.split(r"\s+and\s+", subject) if noun_phrase(p)]
    return (_as_written(" and ".join(parts)),) if parts else ()
