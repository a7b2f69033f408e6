"""The record of an imported file: importing the same bytes twice records nothing."""

from __future__ import annotations

import uuid

from domain.base import RecordAggregate


class ImportedFile(RecordAggregate):
    class Imported(RecordAggregate.Created):
        sha256: str
        file_name: str
        meeting_id: uuid.UUID

    def __init__(self, sha256: str, file_name: str, meeting_id: uuid.UUID) -> None:
        self.sha256 = sha256
        self.file_name = file_name
        self.meeting_id = meeting_id
