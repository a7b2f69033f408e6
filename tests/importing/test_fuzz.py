"""parse_minutes on random or mangled text returns or raises MinutesFormatError, nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.importing.errors import MinutesFormatError
from service.importing.parse import parse_minutes

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted((ROOT / "service" / "examples").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "minutes").glob("*.txt")
)
TEXTS = [p.read_text(encoding="utf-8") for p in DOCUMENTS]
PIECES = [
    "RESOLVED:", "RESLOVED: That", "That:", "- (1)", "(2)", "1.", "•", "Minutes:", "Agenda item",
    "PRESENT:", "Councillors", "(in the Chair)", "Minute No. 6 of 22 June 2022", "|", "\t",
    "\u00a0", "**", "39/20", "CYP/17/24", "4a", "Item | Discussion | Action", "ALSO PRESENT:",
    "In summary, it was agreed that:", "\n", "\n\n", "Date:", "NOT SUBJECT TO CALL-IN",
]  # fmt: skip


def check(data: str | bytes, date: dt.date | None = None) -> None:
    try:
        parse_minutes(data, file="fuzz.txt", meeting_date=date)
    except MinutesFormatError as e:
        assert str(e)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["drop", "insert", "piece", "cut"]))
        if action == "drop" and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == "insert":
            lines.insert(at, draw(st.text(max_size=40)))
        elif action == "piece":
            lines.insert(at, " ".join(draw(st.lists(st.sampled_from(PIECES), max_size=5))))
        elif lines:
            line = lines[min(at, len(lines) - 1)]
            lines[min(at, len(lines) - 1)] = line[: draw(st.integers(0, len(line)))]
    return "\n".join(lines)


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text())
def test_random_text(text: str) -> None:
    check(text)


@FAST
@given(st.binary())
def test_random_bytes(data: bytes) -> None:
    check(data)


@FAST
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=10), max_size=40), st.booleans())
def test_random_minutes_words(words: list[str], dated: bool) -> None:
    check(" ".join(words), dt.date(2022, 1, 1) if dated else None)


@FAST
@given(mangled(), st.booleans())
def test_mangled_documents(text: str, dated: bool) -> None:
    check(text, dt.date(2022, 1, 1) if dated else None)
