"""Fault runs over HTTP: a real server process, and clerks that remember what it acknowledged.

Used by ``ops/faults/kill_server.py`` and ``fuzz.py``, by ``tests/reliability``, and
by the API tests' server fixture (``tests/api/conftest.py``), so there is one way to
start a server and wait for it.  Standard library and httpx only, but for
:func:`check_store` (which opens the store once the server is gone); the server is
``python -m service.cli serve`` in a subprocess, tokens are made with
``python -m service.cli token create``.

:class:`Clerks` runs ``clients`` threads, each recording items with numbers of its
own (never reused) on one meeting and keeping, per number, the HTTP status it got
— or the error, when no answer came (server killed, refused, timed out).  Only a
2xx answer is an acknowledgement; a number with no answer may or may not be
stored, but never twice.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str, store: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args, "--store", store],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=timeout,
    )


def make_token(store: str, role: str, name: str) -> str:
    made = cli("token", "create", "--role", role, "--name", name, store=store)
    if made.returncode != 0:
        raise RuntimeError(f"token create failed: {made.stderr.strip()}")
    return made.stdout.strip()


@dataclass
class ServerProcess:
    store: str
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def start_server(
    store: str, workdir: Path, *, timeout: float = 60, env: dict[str, str] | None = None
) -> ServerProcess:
    """``minutebook serve`` on a free loopback port; returns once /ready answers 200.

    The one way the fault runs and the tests (``tests/api/conftest.py``) start a
    server.  Its output goes to ``workdir/server-<port>.log``; if it exits or is not
    ready in ``timeout`` seconds, the error carries the end of that log, and the
    process is never left running when this raises (whatever the reason).
    """
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"server-{port}.log"
    environ = {
        **os.environ,
        "MINUTEBOOK_LOG_JSON": "true",
        "MINUTEBOOK_TOKEN_CACHE_SECONDS": "1",
        **(env or {}),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--store", store, "--port", str(port)],
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = ServerProcess(store, f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server, timeout)
    except BaseException:
        server.kill9()
        raise
    return server


def _wait_ready(server: ServerProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log_text()[-4000:]}")
        try:
            if httpx.get(server.base + "/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not become ready:\n{server.log_text()[-4000:]}")


def meeting_path(body: str, date: str) -> str:
    return f"/api/bodies/{quote(body, safe='')}/meetings/{date}"


def ensure_meeting(base: str, token: str, body: str, date: str) -> None:
    """The body and its meeting, created unless there already."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as c:
        r = c.post("/api/bodies", json={"name": body})
        if r.status_code not in (201, 409):
            raise RuntimeError(f"register body: {r.status_code} {r.text}")
        r = c.post(f"/api/bodies/{quote(body, safe='')}/meetings", json={"date": date})
        if r.status_code not in (201, 409):
            raise RuntimeError(f"schedule meeting: {r.status_code} {r.text}")


@dataclass
class Tally:
    """What the clerks saw: per item number, the status answered (or the error)."""

    acked: set[int] = field(default_factory=set)
    unanswered: set[int] = field(default_factory=set)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> dict[str, Any]:
        return {
            "acknowledged": len(self.acked),
            "unanswered": len(self.unanswered),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": dict(self.errors),
        }


class Clerks:
    """``clients`` threads recording items on one meeting until :meth:`stop`."""

    def __init__(
        self,
        base: str,
        token: str,
        body: str,
        date: str,
        *,
        clients: int = 4,
        numbers: itertools.count[int] | None = None,
        tally: Tally | None = None,
        timeout: float = 15.0,
        pause_after_error: float = 0.05,
    ) -> None:
        self.base = base
        self.token = token
        self.url = meeting_path(body, date) + "/items"
        self.clients = clients
        self.numbers = numbers if numbers is not None else itertools.count(1)
        self.tally = tally if tally is not None else Tally()
        self.timeout = timeout
        self.pause_after_error = pause_after_error
        self._stop = threading.Event()
        self._numbers_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _next(self) -> int:
        with self._numbers_lock:
            return next(self.numbers)

    def _clerk(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        tally = self.tally
        with httpx.Client(base_url=self.base, headers=headers, timeout=self.timeout) as client:
            while not self._stop.is_set():
                n = self._next()
                try:
                    r = client.post(self.url, json={"number": str(n), "title": f"Item {n}"})
                except httpx.HTTPError as e:
                    with tally.lock:
                        tally.unanswered.add(n)
                        tally.errors[type(e).__name__] += 1
                    self._stop.wait(self.pause_after_error)
                    continue
                with tally.lock:
                    tally.statuses[r.status_code] += 1
                    if 200 <= r.status_code < 300:
                        tally.acked.add(n)
                if r.status_code >= 500:
                    self._stop.wait(self.pause_after_error)

    def start(self) -> Clerks:
        self._threads = [
            threading.Thread(target=self._clerk, name=f"clerk-{k}", daemon=True)
            for k in range(self.clients)
        ]
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(self.timeout + 5)


def projections_caught_up(base: str, token: str, timeout: float = 60) -> list[dict[str, Any]]:
    """Wait until every view has applied the whole log; the views' status (lag 0), or raise."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + timeout
    views: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        try:
            r = httpx.get(base + "/api/projections", headers=headers, timeout=10)
            if r.status_code == 200:
                views = r.json()
                if views and all(v["lag"] == 0 and v["position"] == v["head"] for v in views):
                    return views
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the projections did not catch up within {timeout} s: {views}")


def item_numbers(base: str, token: str, body: str, date: str) -> tuple[list[str], list[str]]:
    """The meeting's item numbers: from the record itself, and from the minutes view."""
    headers = {"Authorization": f"Bearer {token}"}
    path = meeting_path(body, date)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as c:
        record = c.get(path)
        record.raise_for_status()
        view = c.get(path + "/minutes", headers={"Accept": "application/json"})
        view.raise_for_status()
    return (
        [i["number"] for i in record.json()["items"]],
        [i["number"] for i in view.json()["items"]],
    )


def check_record(base: str, token: str, body: str, date: str, acked: set[int]) -> dict[str, Any]:
    """Every acknowledged item present, none twice, the view equal to the record."""
    record, view = item_numbers(base, token, body, date)
    stored = {int(n) for n in record}
    missing = sorted(acked - stored)
    duplicates = sorted({n for n in record if record.count(n) > 1})
    return {
        "stored": len(record),
        "acknowledged_found": len(acked & stored),
        "acknowledged_missing": missing[:50],
        "duplicates": duplicates[:50],
        "view_matches_record": sorted(view) == sorted(record),
        "ok": not missing and not duplicates and sorted(view) == sorted(record),
    }


def audit_verify(store: str) -> tuple[int, str]:
    """``minutebook audit verify``: its exit code and output."""
    done = cli("audit", "verify", store=store, timeout=300)
    return done.returncode, (done.stdout + done.stderr).strip()


def check_store(store: str, body: str, date: str) -> dict[str, Any]:
    """Read the store itself (no server running): nothing half-written.

    Every item is whole (its title is the one its clerk sent), and the body's
    minute-number allocation for the year holds exactly the meeting's items — an
    item and its number are committed together or not at all.  Items stored but
    never acknowledged (the server died before answering) are counted: present
    whole, at most once.
    """
    from service.runtime import open_app

    app = open_app(store)
    try:
        day = dt.date.fromisoformat(date)
        found = app.find_body(body)
        doc = app.minutes(body, day)
        numbers = [i.number for i in doc.items]
        allocated = found.numbers.get(found.municipal_year(day), [])
        torn = [i.number for i in doc.items if i.title != f"Item {i.number}" or i.paragraphs]
        return {
            "half_written": sorted(set(numbers) ^ set(allocated))[:50] + torn[:50],
            "allocation_matches_items": sorted(allocated) == sorted(numbers),
            "ok": sorted(allocated) == sorted(numbers) and not torn,
        }
    finally:
        app.close()
