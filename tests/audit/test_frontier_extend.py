"""``MerkleFrontier.extend`` (whole perfect subtrees at a time) grows the RFC 9162 tree."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.audit.merkle import MerkleFrontier, root_from_leaves

LEAVES = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(300)]


@given(st.lists(st.integers(0, 70), max_size=12))
def test_runs_of_any_length_build_the_same_tree_as_leaf_by_leaf(runs: list[int]) -> None:
    extended, appended, done = MerkleFrontier(), MerkleFrontier(), 0
    for n in runs:
        run = LEAVES[done : done + n]
        extended.extend(run)
        for leaf in run:
            appended.append(leaf)
        done += len(run)
        assert extended == appended and extended.size == done
        assert extended.root() == root_from_leaves(LEAVES[:done])


@given(st.integers(0, 5), st.integers(0, 300))
def test_single_appends_after_a_perfect_subtree_match(height: int, more: int) -> None:
    tree = MerkleFrontier()
    first = LEAVES[: 1 << height]
    tree.extend(first)
    for leaf in LEAVES[len(first) : len(first) + more]:
        tree.append(leaf)
    assert tree.root() == root_from_leaves(LEAVES[: min(300, len(first) + more)])


def test_extend_refuses_what_is_not_a_leaf_hash() -> None:
    tree = MerkleFrontier()
    with pytest.raises(ValueError, match="32 bytes"):
        tree.extend([LEAVES[0], b"short"])
    assert tree.size == 0
