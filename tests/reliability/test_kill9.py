"""kill -9 during concurrent writes: every acknowledged write survives, nothing is half-written.

A writer process (``ops/faults/writer.py``) records items from several clerks and
prints each acknowledgement only after its commit; it is killed with SIGKILL at
random moments, several times, then the store is reopened and checked.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.app import Minutebook
from service.audit.auditor import verify
from service.store.url import parse_store_url

ROOT = Path(__file__).resolve().parents[2]
BODY, DAY = "Kill Board", dt.date(2024, 2, 1)


def run_and_kill(url: str, start: int, count: int, after: float) -> set[int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ops.faults.writer",
            url,
            BODY,
            DAY.isoformat(),
            str(start),
            str(count),
            "4",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    time.sleep(after)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return {int(line.split()[1]) for line in out.splitlines() if line.startswith("ack ")}


def test_acknowledged_writes_survive_repeated_kill_9(store_url: str) -> None:
    rng = random.Random(9)
    acknowledged: set[int] = set()
    for round_ in range(4):
        acknowledged |= run_and_kill(store_url, round_ * 10_000, 5_000, rng.uniform(1.5, 3.0))
    assert acknowledged, "the writer acknowledged nothing before being killed"
    app = Minutebook(parse_store_url(store_url))
    try:
        doc = app.minutes(BODY, DAY)
        stored = [int(i.number) for i in doc.items]
        assert len(stored) == len(set(stored))  # nothing twice
        assert acknowledged <= set(stored)  # every acknowledged write is there
        body = app.find_body(BODY)
        assert sorted(body.numbers[2023]) == sorted(str(n) for n in stored)  # no half-write
        assert verify(app).ok
    finally:
        app.close()
