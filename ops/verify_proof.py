#!/usr/bin/env python3
"""Check a Minutebook Merkle proof with nothing but the Python standard library.

Usage::

    python ops/verify_proof.py proof.json      (or "-" to read standard input)

Exit status: 0 the proof verifies; 1 the document is well formed but does not
verify (the reason is printed); 2 the input is unreadable (missing file, not JSON,
not an object, unknown "format", missing fields, wrong JSON types, invalid hex).

The log is an RFC 9162 (Certificate Transparency v2) Merkle tree, SHA-256::

    leaf hash = SHA-256(0x00 || leaf data)
    node hash = SHA-256(0x01 || left || right)
    root of 0 leaves = SHA-256(b"")

Leaf data (integers unsigned big-endian)::

    0x01 | position u64 | len u32 + record id UTF-8 | version u64
         | len u32 + topic UTF-8 | len u32 + stored event bytes

A tree digest is "mb1-<size>-<root as 64 lowercase hex digits>".  A root alone does
not fix the tree size, so the size is always checked together with the root.  A
proof only shows membership in the tree named by its digest: compare that digest
with one the log published (or signed) independently; the script prints it.

Inclusion proof document::

    {"format": "minutebook-inclusion-proof-v1",
     "tree_size": n, "leaf_index": i, "position": p,
     "leaf_data": hex, "leaf_hash": hex, "audit_path": [hex, ...],
     "root": hex, "digest": "mb1-<n>-<root>"}

Checks: leaf_data decodes and its position equals "position"; leaf_hash equals
SHA-256(0x00 || leaf_data); the digest names the same size and root; and the audit
path (RFC 9162 2.1.3.2) leads from the leaf hash to the root:

    require i < n; fn = i; sn = n - 1; r = leaf_hash
    for p in audit_path:
        fail if sn == 0
        if fn is odd or fn == sn:
            r = H(0x01 || p || r)
            if fn is even: shift fn and sn right until fn is odd or fn == 0
        else:
            r = H(0x01 || r || p)
        shift fn and sn right once
    succeed iff sn == 0 and r == root

Consistency proof document (the "digest" members are optional and, if present,
must agree with size and root)::

    {"format": "minutebook-consistency-proof-v1",
     "from": {"size": m, "root": hex}, "to": {"size": n, "root": hex},
     "proof": [hex, ...]}

Checked by RFC 9162 2.1.4.2 (0 < m < n), with the conventions: m == n needs an
empty proof and equal roots; m == 0 needs an empty proof and the empty-tree root:

    fail if proof is empty
    if m is a power of two: prepend the old root to proof
    fn = m - 1; sn = n - 1; while fn is odd: shift fn and sn right
    fr = sr = proof[0]
    for c in proof[1:]:
        fail if sn == 0
        if fn is odd or fn == sn:
            fr = H(0x01 || c || fr); sr = H(0x01 || c || sr)
            if fn is even: shift fn and sn right until fn is odd or fn == 0
        else:
            sr = H(0x01 || sr || c)
        shift fn and sn right once
    succeed iff fr == old root, sr == new root and sn == 0
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from typing import Any

INCLUSION = "minutebook-inclusion-proof-v1"
CONSISTENCY = "minutebook-consistency-proof-v1"
EMPTY_ROOT = hashlib.sha256(b"").digest()
DIGEST_RE = re.compile(r"mb1-(0|[1-9][0-9]*)-([0-9a-f]{64})")


class Unreadable(Exception):
    """The document cannot be interpreted (exit 2)."""


class Failed(Exception):
    """The document is well formed but does not verify (exit 1)."""


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def get(doc: dict[str, Any], key: str, kind: type) -> Any:
    if key not in doc:
        raise Unreadable(f"missing field {key!r}")
    value = doc[key]
    if kind is int and (type(value) is not int or value < 0):
        raise Unreadable(f"field {key!r} must be a non-negative integer")
    if not isinstance(value, kind):
        raise Unreadable(f"field {key!r} must be a JSON {kind.__name__}")
    return value


def unhex(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise Unreadable(f"{what} must be a hex string")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise Unreadable(f"{what} is not valid hex") from None


def hash32(value: bytes, what: str) -> bytes:
    if len(value) != 32:
        raise Failed(f"{what} is {len(value)} bytes, not 32")
    return value


def check_digest(digest: Any, size: int, root: bytes, what: str) -> None:
    if not isinstance(digest, str):
        raise Unreadable(f"{what} must be a string")
    match = DIGEST_RE.fullmatch(digest)
    if not match:
        raise Failed(f"{what} {digest!r} is not of the form mb1-<size>-<64 hex digits>")
    if int(match.group(1)) != size or match.group(2) != root.hex():
        raise Failed(f"{what} {digest} does not match size {size} and root {root.hex()}")


def decode_leaf(data: bytes) -> tuple[int, str, int, str, int]:
    """(position, record id, version, topic, state length), or Failed."""
    at = 0

    def take(count: int) -> bytes:
        nonlocal at
        if at + count > len(data):
            raise Failed("leaf data is truncated")
        at += count
        return data[at - count : at]

    def number(width: int) -> int:
        return int.from_bytes(take(width), "big")

    if number(1) != 1:
        raise Failed("leaf data has an unknown layout version")
    position, record_id = number(8), take(number(4))
    version, topic, state = number(8), take(number(4)), take(number(4))
    if at != len(data):
        raise Failed("leaf data has trailing bytes")
    try:
        return position, record_id.decode(), version, topic.decode(), len(state)
    except UnicodeDecodeError:
        raise Failed("leaf data record id or topic is not UTF-8") from None


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(m: int, n: int, old: bytes, new: bytes, proof: list[bytes]) -> bool:
    if m > n:
        return False
    if m == 0 or m == n:
        return not proof and old == (EMPTY_ROOT if m == 0 else new)
    if not proof:
        return False
    path = [old, *proof] if m & (m - 1) == 0 else list(proof)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old and sr == new and sn == 0


def check_inclusion(doc: dict[str, Any]) -> str:
    size, index = get(doc, "tree_size", int), get(doc, "leaf_index", int)
    position = get(doc, "position", int)
    data = unhex(get(doc, "leaf_data", str), "leaf_data")
    claimed = unhex(get(doc, "leaf_hash", str), "leaf_hash")
    path = [unhex(p, "audit_path entry") for p in get(doc, "audit_path", list)]
    root = unhex(get(doc, "root", str), "root")
    digest = get(doc, "digest", str)
    hash32(root, "root")
    path = [hash32(p, f"audit_path[{i}]") for i, p in enumerate(path)]
    leaf_position, record_id, version, topic, state_len = decode_leaf(data)
    if leaf_position != position:
        raise Failed(f"leaf data is for position {leaf_position}, not {position}")
    leaf = hashlib.sha256(b"\x00" + data).digest()
    if claimed != leaf:
        raise Failed("leaf_hash is not SHA-256(0x00 || leaf_data)")
    check_digest(digest, size, root, "digest")
    if index >= size:
        raise Failed(f"leaf index {index} is not below tree size {size}")
    if not verify_inclusion(leaf, index, size, path, root):
        raise Failed(f"audit path does not lead from leaf {index} to root {root.hex()}")
    return (
        f"OK: event at position {position} is in the log of size {size} with root {root.hex()}\n"
        f"event: record {record_id} version {version}, {topic}, {state_len} bytes\n"
        f"compare {digest} with the digest the log published"
    )


def check_consistency(doc: dict[str, Any]) -> str:
    ends = []
    for key in ("from", "to"):
        head = get(doc, key, dict)
        size = get(head, "size", int)
        root = hash32(unhex(get(head, "root", str), f"{key}.root"), f"{key}.root")
        if "digest" in head:
            check_digest(head["digest"], size, root, f"{key}.digest")
        ends.append((size, root))
    proof = [unhex(p, "proof entry") for p in get(doc, "proof", list)]
    proof = [hash32(p, f"proof[{i}]") for i, p in enumerate(proof)]
    (m, old), (n, new) = ends
    if not verify_consistency(m, n, old, new, proof):
        raise Failed(f"the log of size {n} is not proven to extend the log of size {m}")
    return (
        f"OK: the log of size {n} with root {new.hex()} extends the log of size {m} "
        f"with root {old.hex()}\n"
        f"compare mb1-{m}-{old.hex()} and mb1-{n}-{new.hex()} with the published digests"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: verify_proof.py PROOF.json  (or - for standard input)", file=sys.stderr)
        return 2
    try:
        try:
            if argv[1] == "-":
                text = sys.stdin.read()
            else:
                with open(argv[1], encoding="utf-8") as handle:
                    text = handle.read()
            doc = json.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise Unreadable(f"cannot read {argv[1]}: {exc}") from None
        if not isinstance(doc, dict):
            raise Unreadable("the document is not a JSON object")
        kind = doc.get("format")
        if kind == INCLUSION:
            print(check_inclusion(doc))
        elif kind == CONSISTENCY:
            print(check_consistency(doc))
        else:
            raise Unreadable(f"unknown format {kind!r}")
    except Unreadable as exc:
        print(f"UNREADABLE: {exc}")
        return 2
    except Failed as exc:
        print(f"FAILED: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
