"""Deterministic ids from natural keys: a second "create" conflicts instead of duplicating."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid

NAMESPACE = uuid.UUID("6f1d1d43-5a53-4c0e-9d8b-2f3a0b9c7e11")


def slugify(name: str) -> str:
    """Lower case, words joined by ``-``: "Safer Sefton Together" → "safer-sefton-together"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)


def body_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"body:{slug}")


def meeting_slot_id(body: uuid.UUID, date: dt.date) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"meeting-slot:{body}:{date.isoformat()}")


def meeting_id(body: uuid.UUID, date: dt.date, seq: int = 1) -> uuid.UUID:
    """The id a meeting gets from the date it was first scheduled on.

    ``seq`` tells apart a later meeting scheduled on a date that an earlier
    meeting was first scheduled on and then moved away from.
    """
    suffix = "" if seq == 1 else f":{seq}"
    return uuid.uuid5(NAMESPACE, f"meeting:{body}:{date.isoformat()}{suffix}")


def action_id(meeting: uuid.UUID, minute: str, part: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"action:{meeting}:{minute}:{part}")


def import_id(sha256: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"import:{sha256}")


def body_alias_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"body-alias:{slug}")
