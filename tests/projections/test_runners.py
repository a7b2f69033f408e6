"""Running the views: lag, read-your-writes, one runner per view, and a runner killed mid-stream."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ops.bench.history import generate
from projections.locks import ViewLockedError
from projections.read import ReadModels
from projections.rebuild import rebuild
from projections.service import ProjectionService
from service import commands as c
from service.app import Minutebook
from service.store.url import StoreConfig
from tests.projections.builders import SST, all_view_rows, caught_up, seeds

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import sys, time
from projections.runner import ViewRunner
from projections.service import ProjectionService
from service.store.url import parse_store_url

ViewRunner.batch_size = int(sys.argv[2])
service = ProjectionService(parse_store_url(sys.argv[1]), worker=True)
service.start()
print("started", flush=True)
time.sleep(600)
"""


def test_status_shows_each_views_lag_behind_the_log(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    seeds(app)
    head = app.recorder.max_notification_id()
    assert head
    assert [(s.position, s.head, s.lag) for s in read.status()] == [(0, head, head)] * 4
    with ProjectionService(store) as views:
        caught_up(app, views)
        assert [(s.position, s.lag) for s in read.status()] == [(head, 0)] * 4


def test_a_clerk_reads_their_own_write_at_once(
    app: Minutebook, views: ProjectionService, read: ReadModels
) -> None:
    seeds(app)
    caught_up(app, views)
    waits = []
    for n in range(5):
        result = app.minute_item(
            c.MinuteItem(body=SST, date=read.meetings(SST).meetings[-1].date, title=f"AOB {n}")
        )
        started = time.monotonic()
        assert read.wait_for(result.position, timeout=10)
        waits.append(time.monotonic() - started)
        titles = [i.title for i in read.minutes(SST, read.meetings(SST).meetings[-1].date).items]
        assert titles[-1] == f"AOB {n}"
    assert sorted(waits)[2] < 0.5, waits  # typically a few milliseconds
    assert views.wait_for(None)
    assert not views.wait_for((result.position or 0) + 1000, timeout=0.05)


def test_a_second_worker_is_refused_and_the_service_defers_to_a_worker(
    app: Minutebook, store: StoreConfig, read: ReadModels
) -> None:
    seeds(app)
    with ProjectionService(store, worker=True) as worker:
        caught_up(app, worker)
        second = ProjectionService(store, worker=True)
        with pytest.raises(ViewLockedError, match=r"'minutes'.*already has a runner"):
            second.start()
        with ProjectionService(store) as in_service:  # the service process, beside a worker
            assert in_service.local == [] and len(in_service.elsewhere) == 4
            result = app.minute_item(
                c.MinuteItem(body=SST, date=read.meetings(SST).meetings[-1].date, title="AOB")
            )
            assert in_service.wait_for(result.position, timeout=10)
            assert worker.wait_for(result.position, timeout=1)
    with ProjectionService(store, worker=True) as again:  # the locks went with the worker
        assert again.local


def test_a_worker_killed_mid_stream_resumes_with_no_row_missing_or_doubled(
    app: Minutebook, store: StoreConfig, store_url: str, read: ReadModels
) -> None:
    generate(app, 4000, bodies=3)
    head = app.recorder.max_notification_id() or 0
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, store_url, "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            positions = [s.position for s in read.status()]
            if max(positions) >= head // 10:
                break
            time.sleep(0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert min(positions) < head, "the worker finished before it could be killed"
    with ProjectionService(store, worker=True) as views:
        caught_up(app, views, timeout=120)
        resumed = all_view_rows(read)
    rebuild(store)
    assert all_view_rows(read) == resumed
