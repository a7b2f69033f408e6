"""The tree verify regrows by perfect subtrees is the RFC 9162 tree, at every size."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from service.audit.merkle import MerkleFrontier, root_from_leaves
from service.audit.verify_tree import Subtrees, perfect_root

LEAVES = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(300)]


@given(st.lists(st.integers(0, 70), max_size=12))
def test_runs_of_any_length_build_the_same_tree_as_leaf_by_leaf(runs: list[int]) -> None:
    tree, frontier, done = Subtrees(), MerkleFrontier(), 0
    for n in runs:
        run = LEAVES[done : done + n]
        tree.extend(run)
        frontier.extend(run)
        done += len(run)
        assert tree.size == frontier.size == done
        assert tree.root() == frontier.root() == root_from_leaves(LEAVES[:done])


@given(st.integers(0, 5), st.integers(0, 300))
def test_single_appends_after_a_perfect_subtree_match(height: int, more: int) -> None:
    tree = Subtrees()
    first = LEAVES[: 1 << height]
    tree.extend(first)
    for leaf in LEAVES[len(first) : len(first) + more]:
        tree.append(leaf)
    assert tree.root() == root_from_leaves(LEAVES[: min(300, len(first) + more)])


def test_empty_and_perfect_roots() -> None:
    assert Subtrees().root() == hashlib.sha256(b"").digest()
    for height in range(9):
        assert perfect_root(LEAVES[: 1 << height]) == root_from_leaves(LEAVES[: 1 << height])
