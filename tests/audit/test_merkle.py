"""RFC 9162 Merkle tree: known answers, frontier, proofs, digests and signatures."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.audit.digest import (
    Digest,
    format_digest,
    generate_signing_key,
    parse_digest,
    sign_digest,
    signing_bytes,
    verify_digest_signature,
)
from service.audit.merkle import (
    EMPTY_ROOT,
    MerkleFrontier,
    consistency_proof,
    consistency_proof_document,
    inclusion_proof,
    inclusion_proof_document,
    leaf_data,
    leaf_hash,
    node_hash,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)

# --- an independent, deliberately naive reference implementation of RFC 9162 2.1 ---


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(entries: Sequence[bytes]) -> bytes:
    """MTH over raw entries (not leaf hashes), straight from the RFC text."""
    n = len(entries)
    if n == 0:
        return _h(b"")
    if n == 1:
        return _h(b"\x00" + entries[0])
    k = _k(n)
    return _h(b"\x01" + ref_mth(entries[:k]) + ref_mth(entries[k:]))


def ref_path(m: int, entries: Sequence[bytes]) -> list[bytes]:
    n = len(entries)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, entries[:k]), ref_mth(entries[k:])]
    return [*ref_path(m - k, entries[k:]), ref_mth(entries[:k])]


def ref_subproof(m: int, entries: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if complete else [ref_mth(entries)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, entries[:k], complete), ref_mth(entries[k:])]
    return [*ref_subproof(m - k, entries[k:], False), ref_mth(entries[:k])]


def entries_of(n: int, seed: int = 0) -> list[bytes]:
    return [f"entry-{seed}-{i}".encode() * (i % 3 + 1) for i in range(n)]


def hashes_of(entries: Sequence[bytes]) -> list[bytes]:
    return [leaf_hash(e) for e in entries]


ENTRIES = entries_of(80)
LEAVES = hashes_of(ENTRIES)
ROOTS = [root_from_leaves(LEAVES[:n]) for n in range(len(LEAVES) + 1)]


def flip(data: bytes, at: int, bit: int = 1) -> bytes:
    at %= len(data)
    return data[:at] + bytes([data[at] ^ bit]) + data[at + 1 :]


# --- hashing and leaf encoding ---


def test_empty_and_single_leaf_known_answers() -> None:
    assert root_from_leaves([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    data = b"minute 42"
    assert root_from_leaves([leaf_hash(data)]) == hashlib.sha256(b"\x00" + data).digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )


def test_root_matches_reference_for_every_size() -> None:
    for n in range(len(ENTRIES) + 1):
        assert ROOTS[n] == ref_mth(ENTRIES[:n]), n


def test_rfc_shape_is_not_padded_balanced_tree() -> None:
    a, b, c = LEAVES[:3]
    assert root_from_leaves([a, b, c]) == node_hash(node_hash(a, b), c)
    assert root_from_leaves([a, b, c]) != node_hash(node_hash(a, b), node_hash(c, c))


def test_leaf_data_layout() -> None:
    data = leaf_data(7, "rec", 2, "Topic", b"\x00state")
    assert data == (
        b"\x01"
        + (7).to_bytes(8, "big")
        + (3).to_bytes(4, "big")
        + b"rec"
        + (2).to_bytes(8, "big")
        + (5).to_bytes(4, "big")
        + b"Topic"
        + (6).to_bytes(4, "big")
        + b"\x00state"
    )
    # Length prefixes make the encoding unambiguous where concatenation would not be.
    assert leaf_data(1, "ab", 1, "c", b"") != leaf_data(1, "a", 1, "bc", b"")
    assert leaf_data(1, "é", 1, "", b"")[9:15] == b"\x00\x00\x00\x02\xc3\xa9"


@pytest.mark.parametrize("bad", [-1, 1 << 64, True])
def test_leaf_data_rejects_out_of_range_integers(bad: int) -> None:
    with pytest.raises(ValueError, match="position"):
        leaf_data(bad, "r", 1, "t", b"")
    with pytest.raises(ValueError, match="version"):
        leaf_data(1, "r", bad, "t", b"")


def test_root_from_leaves_rejects_non_hashes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        root_from_leaves([b"short"])
    with pytest.raises(ValueError, match="32 bytes"):
        root_from_leaves([LEAVES[0], bytearray(32)])  # type: ignore[list-item]


# --- frontier ---


def test_frontier_matches_root_for_sizes_0_to_70() -> None:
    frontier = MerkleFrontier()
    assert frontier.size == 0 and frontier.root() == EMPTY_ROOT
    for n in range(1, 71):
        frontier.append(LEAVES[n - 1] if n <= len(LEAVES) else leaf_hash(b"%d" % n))
        assert frontier.size == n
        assert frontier.root() == ROOTS[n], n


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=3000))
def test_frontier_matches_root_for_random_sizes(n: int) -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]
    frontier = MerkleFrontier()
    frontier.extend(leaves)
    assert frontier.root() == root_from_leaves(leaves)


def test_frontier_serialisation_round_trip_and_resume() -> None:
    for n in range(0, 40):
        frontier = MerkleFrontier()
        frontier.extend(LEAVES[:n])
        blob = frontier.to_bytes()
        assert len(blob) == 12 + 32 * n.bit_count()
        restored = MerkleFrontier.from_bytes(blob)
        assert restored == frontier and restored.size == n and restored.root() == ROOTS[n]
        restored.extend(LEAVES[n:60])
        assert restored.root() == ROOTS[60]


def test_frontier_copy_is_independent() -> None:
    frontier = MerkleFrontier()
    frontier.extend(LEAVES[:5])
    clone = frontier.copy()
    clone.append(LEAVES[5])
    assert frontier.size == 5 and frontier.root() == ROOTS[5]
    assert clone.size == 6 and clone.root() == ROOTS[6]


@pytest.mark.parametrize(
    "blob",
    [b"", b"MBF\x01", b"XXXX" + bytes(8), b"MBF\x01" + (3).to_bytes(8, "big") + bytes(32)],
)
def test_frontier_from_bytes_rejects_garbage(blob: bytes) -> None:
    with pytest.raises(ValueError):
        MerkleFrontier.from_bytes(blob)


def test_frontier_rejects_bad_leaf() -> None:
    with pytest.raises(ValueError):
        MerkleFrontier().append(b"x")


# --- inclusion proofs ---


def test_inclusion_proofs_match_reference_and_verify_for_sizes_1_to_40() -> None:
    for n in range(1, 41):
        for i in range(n):
            proof = inclusion_proof(i, LEAVES[:n])
            assert proof == ref_path(i, ENTRIES[:n]), (i, n)
            assert verify_inclusion(LEAVES[i], i, n, proof, ROOTS[n]), (i, n)


def test_inclusion_wrong_index_with_same_size_fails() -> None:
    for n in range(1, 25):
        for i in range(n):
            proof = inclusion_proof(i, LEAVES[:n])
            for j in range(n + 2):
                if j != i:
                    assert not verify_inclusion(LEAVES[i], j, n, proof, ROOTS[n]), (i, j, n)


def test_inclusion_wrong_size_fails_against_that_sizes_root() -> None:
    for n in range(1, 25):
        for i in range(n):
            proof = inclusion_proof(i, LEAVES[:n])
            for n2 in range(1, 41):
                if n2 != n:
                    assert not verify_inclusion(LEAVES[i], i, n2, proof, ROOTS[n2]), (i, n, n2)


def test_rfc_root_alone_does_not_commit_to_size() -> None:
    # Documented property of RFC 9162: the same path shape exists in trees of size 3
    # and 4, so a proof must be checked against a trusted (size, root) pair, i.e. a digest.
    proof = inclusion_proof(0, LEAVES[:4])
    assert verify_inclusion(LEAVES[0], 0, 3, proof, ROOTS[4])


def test_inclusion_proof_rejects_bad_index() -> None:
    for index in (-1, 5, True):
        with pytest.raises(ValueError):
            inclusion_proof(index, LEAVES[:5])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_inclusion_tampering_fails(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=1, max_value=len(LEAVES)))
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    proof = inclusion_proof(i, LEAVES[:n])
    at = data.draw(st.integers(min_value=0, max_value=31))
    bit = data.draw(st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128]))
    assert verify_inclusion(LEAVES[i], i, n, proof, ROOTS[n])
    assert not verify_inclusion(flip(LEAVES[i], at, bit), i, n, proof, ROOTS[n])
    assert not verify_inclusion(LEAVES[i], i, n, proof, flip(ROOTS[n], at, bit))
    # The leaf data itself: any changed byte changes the leaf hash.
    entry = ENTRIES[i]
    assert not verify_inclusion(
        leaf_hash(flip(entry, data.draw(st.integers(0, 10**6)), bit)), i, n, proof, ROOTS[n]
    )
    if proof:
        k = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        bad = [*proof[:k], flip(proof[k], at, bit), *proof[k + 1 :]]
        assert not verify_inclusion(LEAVES[i], i, n, bad, ROOTS[n])
        assert not verify_inclusion(LEAVES[i], i, n, proof[:-1], ROOTS[n])
    assert not verify_inclusion(LEAVES[i], i, n, [*proof, LEAVES[0]], ROOTS[n])


# --- consistency proofs ---


def test_consistency_proofs_match_reference_and_verify_for_all_m_n_up_to_40() -> None:
    for n in range(1, 41):
        for m in range(1, n + 1):
            proof = consistency_proof(m, LEAVES[:n])
            expected = [] if m == n else ref_subproof(m, ENTRIES[:n], True)
            assert proof == expected, (m, n)
            assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof), (m, n)


def test_consistency_edge_cases() -> None:
    assert consistency_proof(0, LEAVES[:5]) == []
    assert verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    assert not verify_consistency(0, 5, ROOTS[1], ROOTS[5], [])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(5, 5, ROOTS[5], ROOTS[5], [])
    assert not verify_consistency(5, 5, ROOTS[5], ROOTS[4], [])
    assert not verify_consistency(5, 5, ROOTS[5], ROOTS[5], [ROOTS[5]])
    assert not verify_consistency(3, 5, ROOTS[3], ROOTS[5], [])
    assert not verify_consistency(6, 5, ROOTS[6], ROOTS[5], [])
    for m in (-1, 6, True):
        with pytest.raises(ValueError):
            consistency_proof(m, LEAVES[:5])


def test_consistency_wrong_sizes_fail() -> None:
    for n in range(2, 25):
        for m in range(1, n):
            proof = consistency_proof(m, LEAVES[:n])
            for m2 in range(0, n + 1):
                if m2 != m:  # same roots, wrong old size
                    assert not verify_consistency(m2, n, ROOTS[m], ROOTS[n], proof), (m, m2, n)
            for n2 in range(1, 41):
                for m2 in range(1, n2):
                    if (m2, n2) != (m, n):  # the genuine roots of the claimed sizes
                        assert not verify_consistency(m2, n2, ROOTS[m2], ROOTS[n2], proof)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_consistency_tampering_fails(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=2, max_value=len(LEAVES)))
    m = data.draw(st.integers(min_value=1, max_value=n - 1))
    proof = consistency_proof(m, LEAVES[:n])
    at = data.draw(st.integers(min_value=0, max_value=31))
    bit = data.draw(st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128]))
    assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof)
    assert not verify_consistency(m, n, flip(ROOTS[m], at, bit), ROOTS[n], proof)
    assert not verify_consistency(m, n, ROOTS[m], flip(ROOTS[n], at, bit), proof)
    k = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    bad = [*proof[:k], flip(proof[k], at, bit), *proof[k + 1 :]]
    assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], bad)
    assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], proof[:-1])
    assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], [*proof, LEAVES[0]])


# --- verifiers never raise ---

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.lists(st.binary(max_size=40), max_size=5),
    st.lists(st.one_of(st.none(), st.integers(), st.text()), max_size=5),
)


class _Hostile(Sequence[bytes]):
    def __getitem__(self, index: object) -> bytes:  # type: ignore[override]
        raise RuntimeError("boom")

    def __len__(self) -> int:
        raise RuntimeError("boom")

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")


@settings(max_examples=300, deadline=None)
@given(garbage, garbage, garbage, garbage, garbage)
def test_verifiers_return_false_on_garbage(
    a: object, b: object, c: object, d: object, e: object
) -> None:
    assert verify_inclusion(a, b, c, d, e) is False  # type: ignore[arg-type]
    assert verify_consistency(a, b, c, d, e) is False  # type: ignore[arg-type]


def test_verifiers_return_false_on_hostile_sequences() -> None:
    assert verify_inclusion(LEAVES[0], 0, 2, _Hostile(), ROOTS[2]) is False
    assert verify_consistency(1, 2, ROOTS[1], ROOTS[2], _Hostile()) is False
    assert verify_inclusion(LEAVES[0], 0, 2, [b"\x00" * 31], ROOTS[2]) is False
    assert verify_inclusion(LEAVES[0], 0, 2, ["00" * 32], ROOTS[2]) is False  # type: ignore[list-item]
    assert verify_inclusion(LEAVES[0], 0, 2, None, ROOTS[2]) is False  # type: ignore[arg-type]
    assert verify_consistency(1, 2, ROOTS[1], ROOTS[2], None) is False  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(min_size=32, max_size=32), max_size=20), st.integers(), st.integers())
def test_random_proofs_do_not_verify(proof: list[bytes], index: int, size: int) -> None:
    assert not verify_inclusion(LEAVES[3], index, size, proof, ROOTS[17])
    assert not verify_consistency(index, size, ROOTS[5], ROOTS[17], proof)


# --- proof documents ---


def test_inclusion_proof_document() -> None:
    datas = [leaf_data(100 + i, f"rec-{i}", 1, "Minutes.Drafted", b"{}") for i in range(9)]
    leaves = hashes_of(datas)
    root = root_from_leaves(leaves)
    proof = inclusion_proof(4, leaves)
    doc = inclusion_proof_document(104, 4, 9, datas[4], proof, root)
    assert doc == {
        "format": "minutebook-inclusion-proof-v1",
        "tree_size": 9,
        "leaf_index": 4,
        "position": 104,
        "leaf_data": datas[4].hex(),
        "leaf_hash": leaves[4].hex(),
        "audit_path": [p.hex() for p in proof],
        "root": root.hex(),
        "digest": f"mb1-9-{root.hex()}",
    }
    with pytest.raises(ValueError, match="does not verify"):
        inclusion_proof_document(104, 5, 9, datas[4], proof, root)
    with pytest.raises(ValueError, match="position"):
        inclusion_proof_document(105, 4, 9, datas[4], proof, root)


def test_consistency_proof_document() -> None:
    proof = consistency_proof(3, LEAVES[:7])
    doc = consistency_proof_document(3, ROOTS[3], 7, ROOTS[7], proof)
    assert doc["format"] == "minutebook-consistency-proof-v1"
    assert doc["from"] == {"size": 3, "root": ROOTS[3].hex(), "digest": f"mb1-3-{ROOTS[3].hex()}"}
    assert doc["to"]["size"] == 7 and doc["proof"] == [p.hex() for p in proof]
    with pytest.raises(ValueError):
        consistency_proof_document(4, ROOTS[4], 7, ROOTS[7], proof)


# --- digests and signatures ---


@given(st.integers(min_value=0, max_value=2**64 - 1), st.binary(min_size=32, max_size=32))
def test_digest_round_trip(size: int, root: bytes) -> None:
    text = format_digest(size, root)
    assert text == f"mb1-{size}-{root.hex()}"
    assert parse_digest(text) == Digest(size=size, root=root)
    assert str(Digest(size=size, root=root)) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must start with 'mb1-'"),
        ("mb2-1-" + "00" * 32, "must start with 'mb1-'"),
        ("mb1-12", "mb1-<size>-<root hex>"),
        ("mb1--" + "00" * 32, "decimal number"),
        ("mb1-01-" + "00" * 32, "leading zeros"),
        ("mb1-+1-" + "00" * 32, "without sign"),
        ("mb1-x-" + "00" * 32, "decimal number"),
        (f"mb1-{2**64}-" + "00" * 32, "larger than 2\\*\\*64-1"),
        ("mb1-1-" + "00" * 31, "64 lowercase hex digits, got 62"),
        ("mb1-1-" + "AB" * 32, "lowercase hex"),
        ("mb1-1-" + "zz" * 32, "hex"),
        ("mb1-1-" + "00" * 32 + "-", "got 65"),
        (b"mb1-1", "must be a string"),
    ],
)
def test_parse_digest_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_digest(text)


def test_format_digest_errors() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        format_digest(1, b"\x00" * 31)
    with pytest.raises(ValueError, match="tree size"):
        format_digest(-1, b"\x00" * 32)


def test_signatures() -> None:
    private, public = generate_signing_key()
    assert len(private) == 32 and len(public) == 32
    digest = Digest(size=17, root=ROOTS[17])
    assert signing_bytes(digest) == (
        b"minutebook-tree-head-v1\x00" + (17).to_bytes(8, "big") + ROOTS[17]
    )
    signature = sign_digest(private, digest)
    assert len(signature) == 64
    assert verify_digest_signature(public, digest, signature)
    assert not verify_digest_signature(public, Digest(size=16, root=ROOTS[17]), signature)
    assert not verify_digest_signature(public, Digest(size=17, root=ROOTS[16]), signature)
    assert not verify_digest_signature(public, digest, flip(signature, 5))
    assert not verify_digest_signature(generate_signing_key()[1], digest, signature)
    assert not verify_digest_signature(b"short", digest, signature)
    assert not verify_digest_signature(public, digest, b"")
    assert not verify_digest_signature(public, Digest(size=-1, root=b""), signature)
    assert not verify_digest_signature(None, digest, None)  # type: ignore[arg-type]


def test_large_random_tree_against_reference() -> None:
    rng = random.Random(9162)
    entries = [rng.randbytes(rng.randrange(0, 50)) for _ in range(300)]
    leaves = hashes_of(entries)
    assert root_from_leaves(leaves) == ref_mth(entries)
    for _ in range(30):
        n = rng.randrange(1, 301)
        i, m = rng.randrange(n), rng.randrange(1, n + 1)
        root = ref_mth(entries[:n])
        assert verify_inclusion(leaves[i], i, n, inclusion_proof(i, leaves[:n]), root)
        assert verify_consistency(
            m, n, ref_mth(entries[:m]), root, consistency_proof(m, leaves[:n])
        )
