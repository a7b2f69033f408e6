"""4. Projection lag under sustained writes and 5. rebuild speed vs raw read-and-decode."""

from __future__ import annotations

import time
from typing import Any

from ops.bench.history import generate
from ops.measure_projections import best_rebuild, lag_under_load, store_of
from service.app import Minutebook


def _raw_read_and_decode(app: Minutebook) -> float:
    """Events/s for reading the whole log and decoding every event (the reference)."""
    start, count, after = time.perf_counter(), 0, 0
    while True:
        batch = app.recorder.select_notifications(after, 5000, inclusive_of_start=False)
        for n in batch:
            app.mapper.to_domain_event(n)
        count += len(batch)
        if len(batch) < 5000:
            break
        after = batch[-1].id
    return count / (time.perf_counter() - start)


def measure(kind: str, events: int, seconds: float) -> dict[str, Any]:
    with store_of(kind) as store:
        app = Minutebook(store)
        generate(app, events)
        raw = max(_raw_read_and_decode(app) for _ in range(2))
        app.close()
        out: dict[str, Any] = {
            f"lag_p99_ms_{kind}": lag_under_load(store, seconds)["lag"]["p99_ms"]
        }
        if kind == "sqlite":
            rebuilt = best_rebuild(store, None, tries=2)["events_per_second"]
            out.update(
                rebuild_events_per_s=rebuilt,
                rebuild_raw_decode_per_s=raw,
                rebuild_ratio=rebuilt / raw,
            )
        return out
