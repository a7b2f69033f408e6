"""Whether the minutes are subject to call-in (scrutiny's power to review a decision).

"THIS SET OF MINUTES IS NOT SUBJECT TO "CALL-IN"" (or "… exempt from call-in")
→ False; "subject to call-in", or a call-in period, deadline or expiry date →
True; no mention → None.  The first line that mentions call-in decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

CALL_IN = re.compile(r"call[\s-]*in\b", re.IGNORECASE)


def call_in(lines: Sequence[str]) -> bool | None:
    """False for "NOT SUBJECT TO CALL-IN", True for "subject to call-in", else None."""
    for line in lines:
        if not CALL_IN.search(line):
            continue
        if re.search(r"\bnot\s+(?:be\s+)?subject\s+to\b|\bexempt\s+from\b", line, re.IGNORECASE):
            return False
        if re.search(r"\bsubject\s+to\b|call[\s-]*in\s+(?:period|deadline|expir)", line, re.I):
            return True
    return None
