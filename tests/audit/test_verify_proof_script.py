"""ops/verify_proof.py as a standalone subprocess: good, tampered and garbage input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from service.audit.merkle import (
    consistency_proof,
    consistency_proof_document,
    inclusion_proof,
    inclusion_proof_document,
    leaf_data,
    leaf_hash,
    root_from_leaves,
)

SCRIPT = Path(__file__).resolve().parents[2] / "ops" / "verify_proof.py"

DATAS = [
    leaf_data(1000 + i, f"0190c1c2-{i:04d}", i % 4 + 1, "Meeting.MinutesConfirmed", b"{}" * i)
    for i in range(13)
]
LEAVES = [leaf_hash(d) for d in DATAS]


def run(tmp_path: Path, content: str | bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "proof.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    # -I: isolated mode, so the script cannot lean on the project being importable.
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def good_inclusion(index: int = 6, size: int = 13) -> dict[str, Any]:
    leaves = LEAVES[:size]
    return inclusion_proof_document(
        1000 + index,
        index,
        size,
        DATAS[index],
        inclusion_proof(index, leaves),
        root_from_leaves(leaves),
    )


def good_consistency(m: int = 5, n: int = 13) -> dict[str, Any]:
    return consistency_proof_document(
        m,
        root_from_leaves(LEAVES[:m]),
        n,
        root_from_leaves(LEAVES[:n]),
        consistency_proof(m, LEAVES[:n]),
    )


@pytest.mark.parametrize(("index", "size"), [(0, 1), (6, 13), (12, 13), (7, 8)])
def test_good_inclusion_proof(tmp_path: Path, index: int, size: int) -> None:
    doc = good_inclusion(index, size)
    result = run(tmp_path, json.dumps(doc))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == (
        f"OK: event at position {1000 + index} is in the log of size {size} with root {doc['root']}"
    )
    assert doc["digest"] in result.stdout


def _tamper_hex(text: str) -> str:
    return ("1" if text[0] == "0" else "0") + text[1:]


@pytest.mark.parametrize(
    ("field", "change", "reason"),
    [
        ("leaf_data", lambda d: d["leaf_data"][:-2] + "7b", "leaf_hash is not"),
        ("leaf_hash", lambda d: _tamper_hex(d["leaf_hash"]), "leaf_hash is not"),
        ("root", lambda d: _tamper_hex(d["root"]), "digest"),
        ("audit_path", lambda d: [_tamper_hex(d["audit_path"][0]), *d["audit_path"][1:]], "path"),
        ("audit_path", lambda d: d["audit_path"][:-1], "path"),
        ("leaf_index", lambda d: d["leaf_index"] + 1, "path"),
        ("leaf_index", lambda d: 13, "not below"),
        ("position", lambda d: d["position"] + 1, "position"),
        ("tree_size", lambda d: 12, "digest"),
        ("digest", lambda d: "mb1-12-" + d["root"], "does not match"),
        ("digest", lambda d: "nonsense", "not of the form"),
    ],
)
def test_tampered_inclusion_proof(tmp_path: Path, field: str, change: Any, reason: str) -> None:
    doc = good_inclusion()
    doc[field] = change(doc)
    result = run(tmp_path, json.dumps(doc))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("FAILED:") and reason in result.stdout


def test_tampered_root_and_digest_together_fails(tmp_path: Path) -> None:
    doc = good_inclusion()
    doc["root"] = _tamper_hex(doc["root"])
    doc["digest"] = f"mb1-13-{doc['root']}"
    result = run(tmp_path, json.dumps(doc))
    assert result.returncode == 1 and "audit path does not lead" in result.stdout


def test_good_and_tampered_consistency_proof(tmp_path: Path) -> None:
    doc = good_consistency()
    result = run(tmp_path, json.dumps(doc))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: the log of size 13 with root")
    doc["proof"][0] = _tamper_hex(doc["proof"][0])
    result = run(tmp_path, json.dumps(doc))
    assert result.returncode == 1 and "not proven to extend" in result.stdout
    doc = good_consistency(8, 13)  # power-of-two old size: old root is not in the proof
    doc["from"]["size"] = 7
    del doc["from"]["digest"]
    assert run(tmp_path, json.dumps(doc)).returncode == 1


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe not utf-8",
        "not json at all",
        "[1, 2, 3]",
        "{}",
        '{"format": "minutebook-inclusion-proof-v2"}',
        '{"format": "minutebook-inclusion-proof-v1"}',
        '{"format": "minutebook-consistency-proof-v1", "from": 1, "to": 2, "proof": []}',
    ],
)
def test_garbage_is_unreadable(tmp_path: Path, content: str | bytes) -> None:
    result = run(tmp_path, content)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "UNREADABLE" in result.stdout


def test_bad_hex_and_types_are_unreadable(tmp_path: Path) -> None:
    doc = good_inclusion()
    doc["audit_path"] = ["zz"]
    assert run(tmp_path, json.dumps(doc)).returncode == 2
    doc = good_inclusion()
    doc["tree_size"] = "13"
    assert run(tmp_path, json.dumps(doc)).returncode == 2


def test_missing_file_and_usage(tmp_path: Path) -> None:
    missing = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    usage = subprocess.run(
        [sys.executable, "-I", str(SCRIPT)], capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2 and "usage" in usage.stderr


def test_reads_standard_input() -> None:
    result = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), "-"],
        input=json.dumps(good_inclusion()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout
