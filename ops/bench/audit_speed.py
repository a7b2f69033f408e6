"""6. Audit verify: events/s for a full verification of a generated history."""

from __future__ import annotations

import time

from ops.bench.common import sqlite_store
from ops.bench.history import generate
from service.app import Minutebook
from service.audit.auditor import verify
from service.store.url import parse_store_url


def measure(events: int) -> dict[str, float | None]:
    with sqlite_store() as (url, _):
        app = Minutebook(parse_store_url(url))
        start = time.perf_counter()
        written = generate(app, events)
        import_rate = written / (time.perf_counter() - start)
        start = time.perf_counter()
        report = verify(app)
        elapsed = time.perf_counter() - start
        app.close()
    assert report.ok, report
    return {
        "verify_events_per_s": report.size / elapsed,
        "history_events": float(written),
        "import_events_per_s": import_rate,
    }
