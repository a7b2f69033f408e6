"""``minutebook projections status|rebuild|run`` (parsed and run as the CLI does)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.errors import InvalidValueError
from projections.catalogue import VIEWS
from projections.service import ProjectionService
from service.app import Minutebook
from service.cli import _Parser, add_store_option, projections_cmd
from service.store.url import StoreConfig
from tests.projections.builders import seeds

ROOT = Path(__file__).resolve().parents[2]
CLI = """
import argparse, sys
from service.cli import _Parser, add_store_option
from service.cli import projections_cmd
parser = _Parser(prog="minutebook")
projections_cmd.register(parser.add_subparsers(dest="command", required=True), add_store_option)
args = parser.parse_args(sys.argv[1:])
sys.exit(args.handler(args))
"""


def cli(*argv: str) -> int:
    parser = _Parser(prog="minutebook")
    projections_cmd.register(parser.add_subparsers(dest="command", required=True), add_store_option)
    args: argparse.Namespace = parser.parse_args(list(argv))
    code: int = args.handler(args)
    return code


def test_status_prints_each_views_position_head_and_lag(
    app: Minutebook, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds(app)
    head = app.recorder.max_notification_id()
    assert cli("projections", "status", "--store", store_url) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["view", "position", "head", "lag", "generation"]
    assert [line.split()[:4] for line in lines[1:]] == [
        [name, "0", str(head), str(head)] for name in VIEWS
    ]
    assert cli("projections", "status", "--json", "--store", store_url) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["lag"]) for r in rows] == [(name, head) for name in VIEWS]


def test_rebuild_replays_into_fresh_tables_and_reports_the_speed(
    app: Minutebook, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds(app)
    head = app.recorder.max_notification_id()
    assert cli("projections", "rebuild", "minutes", "--store", store_url) == 0
    out = capsys.readouterr().out
    assert f"minutes: generation 2 is live (was 1), at position {head}" in out
    assert "events/s" in out
    assert cli("projections", "rebuild", "--json", "--store", store_url) == 0
    report = json.loads(capsys.readouterr().out)
    assert [v["name"] for v in report["views"]] == list(VIEWS)
    with pytest.raises(InvalidValueError, match="no projection called 'agenda'"):  # exit 2
        cli("projections", "rebuild", "agenda", "--store", store_url)


def test_run_refuses_a_second_runner_clearly(
    app: Minutebook, store: StoreConfig, store_url: str
) -> None:
    with ProjectionService(store, worker=True):
        done = subprocess.run(
            [sys.executable, "-c", CLI, "projections", "run", "minutes", "--store", store_url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert done.returncode == 1
    assert "minutebook: projections run: the projection 'minutes'" in done.stderr
    assert "already has a runner" in done.stderr


def test_run_follows_the_log_until_interrupted(
    app: Minutebook, store_url: str, store: StoreConfig
) -> None:
    seeds(app)
    head = app.recorder.max_notification_id() or 0
    worker = subprocess.Popen(
        [sys.executable, "-c", CLI, "projections", "run", "--store", store_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert worker.stdout is not None
        assert (
            "running projections: minutes, actions, meetings, threads" in worker.stdout.readline()
        )
        reader = ProjectionService(store)  # defers to the worker, waits by polling
        reader.start()
        try:
            assert reader.elsewhere == list(VIEWS)
            assert reader.wait_for(head, timeout=30)
        finally:
            reader.stop()
        worker.terminate()
        assert worker.wait(30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
