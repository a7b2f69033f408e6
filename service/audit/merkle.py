"""RFC 9162 (Certificate Transparency v2, section 2.1) Merkle tree over the event log.

Every stored event is one leaf, in the log's global order (leaf index = 0-based
rank in that order).  Hashes are SHA-256::

    leaf hash = SHA-256(0x00 || leaf data)
    node hash = SHA-256(0x01 || left || right)
    MTH([])   = SHA-256(b"")
    MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k = largest power of two < n

Leaf data layout (all integers unsigned big-endian; ``leaf_data`` builds it)::

    offset  size  field
    0       1     layout version, 0x01
    1       8     position        (global log position, u64)
    9       4     L1 = length of record id (u32)
    13      L1    record id, UTF-8
    13+L1   8     version         (record version, u64)
    21+L1   4     L2 = length of topic (u32)
    25+L1   L2    topic (event type), UTF-8
    25+L1+L2 4    L3 = length of state (u32)
    29+L1+L2 L3   state: the exact stored event bytes

Inclusion proofs follow RFC 9162 2.1.3 (audit path, leaf-most sibling first) and
consistency proofs 2.1.4; ``verify_inclusion``/``verify_consistency`` are the
algorithms of 2.1.3.2 / 2.1.4.2.  A root does not commit to the tree size: always
check proofs against a trusted (size, root) pair, i.e. a ``Digest``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from service.audit.digest import format_digest

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
LEAF_LAYOUT_VERSION = 1
INCLUSION_FORMAT = "minutebook-inclusion-proof-v1"
CONSISTENCY_FORMAT = "minutebook-consistency-proof-v1"
_FRONTIER_MAGIC = b"MBF\x01"
_U32 = (1 << 32) - 1
_U64 = (1 << 64) - 1
_sha256 = hashlib.sha256
_new_frontier = object.__new__


def _field(data: bytes, name: str) -> bytes:
    if len(data) > _U32:
        raise ValueError(f"{name} is longer than 2**32-1 bytes")
    return len(data).to_bytes(4, "big") + data


def _u64(value: int, name: str) -> bytes:
    if type(value) is not int or not 0 <= value <= _U64:
        raise ValueError(f"{name} must be an integer in 0..2**64-1, got {value!r}")
    return value.to_bytes(8, "big")


def leaf_data(position: int, record_id: str, version: int, topic: str, state: bytes) -> bytes:
    """The canonical leaf encoding of one stored event (layout in the module docstring)."""
    return b"".join(
        (
            bytes((LEAF_LAYOUT_VERSION,)),
            _u64(position, "position"),
            _field(record_id.encode("utf-8"), "record id"),
            _u64(version, "version"),
            _field(topic.encode("utf-8"), "topic"),
            _field(bytes(state), "state"),
        )
    )


def leaf_hash(data: bytes) -> bytes:
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def _is_hash(value: object) -> bool:
    return type(value) is bytes and len(value) == HASH_SIZE


class MerkleFrontier:
    """Append-only tree state: the roots of the perfect subtrees, largest first.

    Their sizes are the set bits of ``size``, so storage is O(log n) and an append
    costs one hash on average.  ``root()`` folds them right to left, which is
    exactly the RFC 9162 root.
    """

    __slots__ = ("_size", "_stack")

    def __init__(self) -> None:
        self._size = 0
        self._stack: list[bytes] = []

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        # ``_is_hash`` inline: appended for every stored event, and on every verify.
        if type(leaf_hash) is not bytes or len(leaf_hash) != HASH_SIZE:
            raise ValueError("leaf hash must be exactly 32 bytes")
        self._push(leaf_hash, 0)

    def _push(self, root: bytes, height: int) -> None:
        """Add a perfect subtree of ``2**height`` leaves; ``size`` must be a multiple of it."""
        stack, n, h = self._stack, self._size >> height, root
        while n & 1:
            h = _sha256(b"\x01" + stack.pop() + h).digest()
            n >>= 1
        stack.append(h)
        self._size += 1 << height

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append the leaves in order, as the largest perfect subtrees that fit each place.

        The same tree as appending them one by one (RFC 9162's left subtrees are the
        largest perfect powers of two), each perfect subtree hashed level by level:
        about a third of the cost of one call per leaf (``audit verify`` extends by
        batches of 4,096 that start on a multiple of that).
        """
        _check_leaves(leaf_hashes)
        done, total = 0, len(leaf_hashes)
        while done < total:
            height = (total - done).bit_length() - 1
            if self._size:
                height = min(height, (self._size & -self._size).bit_length() - 1)
            width = 1 << height
            chunk = leaf_hashes[done : done + width]
            self._push(chunk[0] if width == 1 else _root(chunk), height)
            done += width

    def root(self) -> bytes:
        stack = self._stack
        if not stack:
            return EMPTY_ROOT
        h = stack[-1]
        for left in reversed(stack[:-1]):
            h = _sha256(b"\x01" + left + h).digest()
        return h

    def to_bytes(self) -> bytes:
        """``b"MBF\\x01" || size (u64 BE) || subtree roots, largest first``."""
        return _FRONTIER_MAGIC + self._size.to_bytes(8, "big") + b"".join(self._stack)

    @classmethod
    def from_bytes(cls, data: bytes) -> MerkleFrontier:
        data = bytes(data)
        if data[:4] != _FRONTIER_MAGIC or len(data) < 12:
            raise ValueError("not a serialised Merkle frontier (bad magic or too short)")
        size = int.from_bytes(data[4:12], "big")
        hashes = data[12:]
        if len(hashes) != HASH_SIZE * size.bit_count():
            raise ValueError(f"frontier of size {size} needs {size.bit_count()} hashes")
        frontier = cls()
        frontier._size = size
        frontier._stack = [hashes[i : i + HASH_SIZE] for i in range(0, len(hashes), HASH_SIZE)]
        return frontier

    def copy(self) -> MerkleFrontier:
        other = _new_frontier(MerkleFrontier)  # every append copies the head: no __init__ call
        other._size, other._stack = self._size, list(self._stack)
        return other

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MerkleFrontier):
            return NotImplemented
        return self._size == other._size and self._stack == other._stack

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MerkleFrontier(size={self._size}, root={self.root().hex()})"


def _root(leaves: Sequence[bytes]) -> bytes:
    # Pairing bottom-up and carrying an odd last node up unchanged builds exactly
    # the RFC 9162 tree (left subtrees are the largest perfect power of two).
    if not leaves:
        return EMPTY_ROOT
    level = leaves
    p = b"\x01"
    while len(level) > 1:
        it = iter(level)
        nxt = [_sha256(p + a + b).digest() for a, b in zip(it, it, strict=False)]
        if len(level) & 1:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def _check_leaves(leaves: Sequence[bytes]) -> None:
    if len(leaves) and (set(map(type, leaves)) != {bytes} or set(map(len, leaves)) != {32}):
        raise ValueError("every leaf hash must be exactly 32 bytes")


def root_from_leaves(leaves: Sequence[bytes]) -> bytes:
    """MTH over the given leaf hashes (iterative, one pass per tree level)."""
    _check_leaves(leaves)
    return _root(leaves)


def _split(n: int) -> int:
    """Largest power of two strictly less than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 PATH(index, D[n]) for the tree over ``leaves`` (n = len(leaves))."""
    _check_leaves(leaves)
    if type(index) is not int or not 0 <= index < len(leaves):
        raise ValueError(f"leaf index {index!r} out of range for tree size {len(leaves)}")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            path.append(_root(leaves[mid:hi]))
            hi = mid
        else:
            path.append(_root(leaves[lo:mid]))
            lo = mid
    path.reverse()
    return path


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 PROOF(m, D[n]); empty when m == 0 or m == n."""
    _check_leaves(leaves)
    n = len(leaves)
    if type(m) is not int or not 0 <= m <= n:
        raise ValueError(f"old tree size {m!r} out of range 0..{n}")
    if m in (0, n):
        return []
    proof: list[bytes] = []
    lo, hi, complete = 0, n, True
    while m - lo != hi - lo:
        mid = lo + _split(hi - lo)
        if m <= mid:
            proof.append(_root(leaves[mid:hi]))
            hi = mid
        else:
            proof.append(_root(leaves[lo:mid]))
            lo, complete = mid, False
    if not complete:
        proof.append(_root(leaves[lo:hi]))
    proof.reverse()
    return proof


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2; False (never an exception) on any malformed input."""
    try:
        if not (_is_hash(leaf_hash) and _is_hash(root)) or type(index) is not int:
            return False
        if type(size) is not int or not 0 <= index < size:
            return False
        fn, sn, r = index, size - 1, leaf_hash
        for p in proof:
            if sn == 0 or not _is_hash(p):
                return False
            if fn & 1 or fn == sn:
                r = _sha256(b"\x01" + p + r).digest()
                while not fn & 1 and fn:
                    fn, sn = fn >> 1, sn >> 1
            else:
                r = _sha256(b"\x01" + r + p).digest()
            fn, sn = fn >> 1, sn >> 1
        return sn == 0 and r == root
    except Exception:  # a hostile Sequence must not make verification raise
        return False


def verify_consistency(
    m: int, n: int, root_m: bytes, root_n: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2, plus: m == n needs an empty proof and equal roots; m == 0 an
    empty proof and root_m == SHA-256(b""). False (never an exception) on bad input."""
    try:
        if type(m) is not int or type(n) is not int or not 0 <= m <= n:
            return False
        if not (_is_hash(root_m) and _is_hash(root_n)):
            return False
        path = list(proof)
        if not all(_is_hash(p) for p in path):
            return False
        if m == 0 or m == n:
            return not path and root_m == (EMPTY_ROOT if m == 0 else root_n)
        if not path:
            return False
        if m & (m - 1) == 0:
            path.insert(0, root_m)
        fn, sn = m - 1, n - 1
        while fn & 1:
            fn, sn = fn >> 1, sn >> 1
        fr = sr = path[0]
        for c in path[1:]:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                fr = _sha256(b"\x01" + c + fr).digest()
                sr = _sha256(b"\x01" + c + sr).digest()
                while not fn & 1 and fn:
                    fn, sn = fn >> 1, sn >> 1
            else:
                sr = _sha256(b"\x01" + sr + c).digest()
            fn, sn = fn >> 1, sn >> 1
        return fr == root_m and sr == root_n and sn == 0
    except Exception:  # a hostile Sequence must not make verification raise
        return False


def inclusion_proof_document(
    position: int, index: int, size: int, leaf_data: bytes, proof: Sequence[bytes], root: bytes
) -> dict[str, Any]:
    """The JSON-ready ``minutebook-inclusion-proof-v1`` document ``ops/verify_proof.py``
    checks. Raises ``ValueError`` if the proof does not verify."""
    lh = leaf_hash(leaf_data)
    if not verify_inclusion(lh, index, size, proof, root):
        raise ValueError("inclusion proof does not verify against the given root")
    if leaf_data[1:9] != _u64(position, "position"):
        raise ValueError("position does not match the position encoded in leaf_data")
    return {
        "format": INCLUSION_FORMAT,
        "tree_size": size,
        "leaf_index": index,
        "position": position,
        "leaf_data": leaf_data.hex(),
        "leaf_hash": lh.hex(),
        "audit_path": [p.hex() for p in proof],
        "root": root.hex(),
        "digest": format_digest(size, root),
    }


def consistency_proof_document(
    m: int, root_m: bytes, n: int, root_n: bytes, proof: Sequence[bytes]
) -> dict[str, Any]:
    """The JSON-ready ``minutebook-consistency-proof-v1`` document. Raises
    ``ValueError`` if the proof does not verify."""
    if not verify_consistency(m, n, root_m, root_n, proof):
        raise ValueError("consistency proof does not verify against the given roots")
    return {
        "format": CONSISTENCY_FORMAT,
        "from": {"size": m, "root": root_m.hex(), "digest": format_digest(m, root_m)},
        "to": {"size": n, "root": root_n.hex(), "digest": format_digest(n, root_n)},
        "proof": [p.hex() for p in proof],
    }
