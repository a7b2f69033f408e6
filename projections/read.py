"""The read side's public face: what the HTTP API and the CLI ask the views.

Every call reads the live generation of the views it needs, in one read
transaction, on connections of its own (safe to share between threads).
Exempt (Part II) text is withheld unless ``include_exempt`` is given by a
caller entitled to it.  Results are frozen msgspec Structs (or the
``MinutesDocument``); a missing body, meeting, version or action raises
``UnknownRecordError``, a malformed argument ``InvalidValueError``.
"""

from __future__ import annotations

import time

from projections.catalogue import VIEWS
from projections.read_actions import ReadActions
from projections.read_history import ReadHistory
from projections.read_minutes import ReadMinutes
from projections.service import running_service
from projections.status import ViewStatus, view_status, wait_positions


class ReadModels(ReadMinutes, ReadActions, ReadHistory):
    def __enter__(self) -> ReadModels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def status(self) -> list[ViewStatus]:
        with self._read() as c:
            return view_status(c, self.dialect, list(VIEWS))

    def wait_for(self, position: int | None, timeout: float = 5.0) -> bool:
        """True once every view includes ``position``: at once through a runner in this
        process, else by polling the views' tracking records."""
        if position is None:
            return True
        service = running_service(self.store)
        if service is not None and {*service.local, *service.elsewhere} == set(VIEWS):
            return service.wait_for(position, timeout)
        deadline = time.monotonic() + timeout
        return wait_positions(self.datastore, self.dialect, list(VIEWS), position, deadline)
