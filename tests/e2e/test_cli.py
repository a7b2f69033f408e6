"""The CLI of CONTRACT.md, run as a real process: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

SWACCA = (
    "That the Minutes of the meeting held on 22 June 2022 be approved as a correct record "
    'subject to the removal of the words "by SWACCA" in the first paragraph of Minute No. 6.'
)


def mb(
    *args: str, stdin: str | None = None, store: str | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "service.cli", *args]
    if store is not None:
        argv += ["--store", store]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120)


def assert_clean_error(result: subprocess.CompletedProcess[str], code: int = 2) -> None:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) >= 1


def test_parse_amendment_prints_the_contract_json() -> None:
    result = mb("parse-amendment", SWACCA)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "approved": True,
        "minutes_of": "2022-06-22",
        "amendments": [
            {"op": "delete", "old": "by SWACCA", "new": None, "minute": "6", "paragraph": 1}
        ],
    }


def test_parse_amendment_reads_stdin_and_refuses_other_resolutions() -> None:
    ok = mb(
        "parse-amendment",
        "-",
        stdin="That the minutes of the last meeting be confirmed as a correct record.",
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["amendments"] == []
    bad = mb("parse-amendment", "That the report be noted.")
    assert_clean_error(bad)
    assert bad.stdout == ""


def test_bad_usage_is_exit_2_with_one_line() -> None:
    assert_clean_error(mb("minutes"))
    assert_clean_error(mb("minutes", "x", "not-a-date"))
    assert_clean_error(mb("frobnicate"))


def test_import_dry_run_json_of_seed_002(tmp_path: Path) -> None:
    result = mb("import", str(SEEDS / "002_6bee98a6ba801922.txt"), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    doc = json.loads(line)
    assert doc["body"] == "Safer Sefton Together"
    assert doc["meeting_date"] == "2022-09-08"
    assert doc["venue"] == "Remote meeting held on Microsoft Teams"
    assert doc["chair"] == "Councillor Hardy"
    assert doc["present"][:2] == ["Councillor Hardy", "Councillor Sonya Kelly"]
    assert doc["also_present"] == ["Mary Mason", "Monica Touhy"]
    assert doc["call_in"] is False
    assert doc["approves_minutes_of"] == "2022-06-22"
    assert doc["amendments"] == [
        {"op": "delete", "old": "by SWACCA", "new": None, "minute": "6", "paragraph": 1}
    ]
    assert doc["next_meeting"] == "2022-12-08T10:00"
    assert set(doc) >= {
        "file",
        "body",
        "meeting_date",
        "venue",
        "chair",
        "present",
        "also_present",
        "apologies",
        "call_in",
        "items",
        "approves_minutes_of",
        "amendments",
        "next_meeting",
    }
    item16 = next(i for i in doc["items"] if i["number"] == "16")
    assert item16["title"] == "Minutes of Previous Meeting"
    assert item16["resolutions"] == [SWACCA]


def test_import_stores_reads_back_and_is_idempotent(tmp_path: Path, store_url: str) -> None:
    files = [str(SEEDS / f) for f in ("001_02de1006946e2546.txt", "002_6bee98a6ba801922.txt")]
    first = mb("import", *files, store=store_url)
    assert first.returncode == 0, first.stderr
    assert "22 June 2022" in first.stderr or "2022-06-22" in first.stderr  # approval warning
    again = mb("import", files[1], store=store_url)
    assert again.returncode == 0 and "already imported" in again.stdout
    shown = mb(
        "minutes", "safer-sefton-together", "2022-09-08", "--format", "json", store=store_url
    )
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["status"] == "circulated" and doc["confirmed_at"] is None
    assert [i["number"] for i in doc["items"]][:3] == ["14", "15", "16"]
    text = mb("minutes", "Safer Sefton Together", "2022-09-08", store=store_url)
    assert "SAFER SEFTON TOGETHER" in text.stdout and "RESOLVED" in text.stdout
    md = mb(
        "minutes", "Safer Sefton Together", "2022-09-08", "--format", "markdown", store=store_url
    )
    assert md.stdout.startswith("# Safer Sefton Together")
    assert_clean_error(mb("minutes", "Nobody", "2022-09-08", store=store_url))
    assert_clean_error(mb("minutes", "Safer Sefton Together", "2022-09-09", store=store_url))


def test_a_bad_file_among_good_ones_stores_nothing_of_itself(
    tmp_path: Path, store_url: str
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    good = str(SEEDS / "000_9ce30ee691b8d9d5.txt")
    result = mb("import", str(empty), good, str(binary), store=store_url)
    assert_clean_error(result)
    assert "empty.txt" in result.stderr and "blob.txt" in result.stderr
    assert "1 of 3" in result.stderr
    shown = mb(
        "minutes",
        "Sefton Safer Communities Partnership",
        "2019-12-05",
        "--format",
        "json",
        store=store_url,
    )
    assert shown.returncode == 0


def test_a_page_without_a_date_needs_date(tmp_path: Path, store_url: str) -> None:
    page = str(SEEDS / "003_419ffd5c63b2908a.txt")
    result = mb("import", page, "--body", "Scrutiny Committee", store=store_url)
    assert_clean_error(result)
    assert "--date" in result.stderr


def test_audit_digest_verify_and_tamper_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    store = f"sqlite:///{db}"
    assert mb("import", str(SEEDS / "000_9ce30ee691b8d9d5.txt"), store=store).returncode == 0
    digest = mb("audit", "digest", store=store)
    assert digest.returncode == 0 and digest.stdout.startswith("mb1-")
    kept = digest.stdout.strip()
    assert mb("audit", "verify", "--digest", kept, store=store).returncode == 0
    proof = mb("audit", "prove", "3", "--digest", kept, store=store)
    assert proof.returncode == 0
    proof_file = tmp_path / "proof.json"
    proof_file.write_text(proof.stdout)
    checked = subprocess.run(
        [sys.executable, "ops/verify_proof.py", str(proof_file)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE stored_events SET state = CAST('{}' AS BLOB) WHERE rowid = 7")
    tampered = mb("audit", "verify", store=store)
    assert tampered.returncode == 1
    assert "first bad position 7" in tampered.stderr
    assert_clean_error(mb("audit", "verify", "--digest", "mb1-nonsense", store=store))


def test_export_then_load_gives_the_same_digest(tmp_path: Path, store_url: str) -> None:
    source = f"sqlite:///{tmp_path / 'src.db'}"
    assert mb("import", str(SEEDS / "000_9ce30ee691b8d9d5.txt"), store=source).returncode == 0
    log = tmp_path / "log.jsonl"
    assert mb("export", str(log), store=source).returncode == 0
    loaded = mb("load", str(log), store=store_url)
    assert loaded.returncode == 0, loaded.stderr
    assert (
        mb("audit", "digest", store=store_url).stdout == mb("audit", "digest", store=source).stdout
    )
    history = mb(
        "audit", "history", "Sefton Safer Communities Partnership/2019-12-05", store=store_url
    )
    lines = [json.loads(x) for x in history.stdout.splitlines()]
    assert lines[0]["event"] == "Meeting.Scheduled"
    assert all(x["source"].startswith("import:") for x in lines)


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite:///", "postgresql://host-only"])
def test_bad_store_urls_are_refused_clearly(url: str) -> None:
    result = mb("audit", "digest", store=url)
    assert_clean_error(result)
    assert "store URL" in result.stderr


def test_signed_digest_checks_and_a_forged_one_fails(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 's.db'}"
    assert mb("import", str(SEEDS / "000_9ce30ee691b8d9d5.txt"), store=store).returncode == 0
    assert mb("audit", "keygen", str(tmp_path / "k")).returncode == 0
    assert oct((tmp_path / "k.key").stat().st_mode & 0o777) == "0o600"
    out = mb("audit", "digest", "--sign", str(tmp_path / "k.key"), store=store).stdout.split()
    digest, signature = out[0], out[2]
    pub = str(tmp_path / "k.pub")
    assert mb("audit", "check-signature", digest, signature, "--public-key", pub).returncode == 0
    forged = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    assert mb("audit", "check-signature", forged, signature, "--public-key", pub).returncode == 1


def test_replay_rebuilds_a_record_from_the_log_as_at_a_time(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'r.db'}"
    assert mb("import", str(SEEDS / "000_9ce30ee691b8d9d5.txt"), store=store).returncode == 0
    now = mb("audit", "replay", "Sefton Safer Communities Partnership/2019-12-05", store=store)
    state = json.loads(now.stdout)
    assert state["type"] == "Meeting" and state["minutes"]["status"] == "circulated"
    assert len(state["minutes"]["items"]) == 12
    before = mb(
        "audit",
        "replay",
        "sefton-safer-communities-partnership/2019-12-05",
        "--as-of",
        "2001-01-01",
        store=store,
    )
    assert_clean_error(before)
    assert "did not exist yet" in before.stderr
