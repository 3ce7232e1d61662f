"""Pool subsets: the k-subsets of a pool of vectors (samples first, then axes), each
spanning one candidate hyperplane, counted and enumerated in lexicographic order — all
at once or in bounded blocks.

>>> n_combos(3, 1, 2, need_point=True), combos_array(3, 1, 2, need_point=True).tolist()
(6, [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
"""
from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

__all__ = ["n_combos", "combos_array", "combos_chunks", "MAX_PREFIXES"]

#: combos_chunks: Python-level prefixes before it uses a bigger suffix table
MAX_PREFIXES = 2 ** 16


def n_combos(n_points: int, n_axes: int, k: int, need_point: bool) -> int:
    """Number of k-subsets of a pool of n_points samples and n_axes axes (with
    ``need_point``: those containing at least one sample)."""
    total = comb(n_points + n_axes, k)
    if need_point:
        total -= comb(n_axes, k)
    return total


def combos_array(n_points: int, n_axes: int, k: int, need_point: bool) -> np.ndarray:
    """All k-subsets of range(n_points + n_axes) in lexicographic order, as an (m, k)
    int64 array; with ``need_point`` only those containing an index < n_points."""
    N = n_points + n_axes
    m = comb(N, k)
    if k == 0:
        return np.zeros((1, 0), dtype=np.int64)
    flat = np.fromiter((i for c in combinations(range(N), k) for i in c),
                       dtype=np.int64, count=m * k)
    C = flat.reshape(m, k)
    if need_point:
        C = C[C[:, 0] < n_points]
    return C


def combos_chunks(n_points: int, n_axes: int, k: int, need_point: bool, step: int,
                  *, suffix_bytes: int = 2 ** 24):
    """The rows of :func:`combos_array` in consecutive (≤ step, k) int64 blocks (same
    lexicographic order), generated lazily: memory O(step·k) plus a table of the
    s-subsets of the pool (s ≤ k grows while there are more than 2^16 prefixes and the
    table stays within ``suffix_bytes``).
    Every row is a prefix (k − s indices, a Python loop) followed by a table row
    (vectorised), so the Python work is per prefix, not per subset.

    >>> [b.tolist() for b in combos_chunks(2, 1, 2, True, 2)]
    [[[0, 1], [0, 2]], [[1, 2]]]
    """
    N = n_points + n_axes
    if k == 0:
        yield np.zeros((1, 0), dtype=np.int64)
        return
    if k > N:
        return
    step = max(1, int(step))
    s = 1                     # grow the table only while there are many prefixes
    while (s < k and comb(N, k - s) > MAX_PREFIXES
           and comb(N, s + 1) * (s + 1) * 8 <= suffix_bytes):
        s += 1
    T = combos_array(N, 0, s, False)                       # (C(N, s), s), lexicographic
    first = np.searchsorted(T[:, 0], np.arange(N + 1), side="left")
    p = k - s
    buf = np.empty((step, k), dtype=np.int64)
    fill = 0
    if p == 0:
        segments = iter([((), 0, int(first[n_points]) if need_point else len(T))])
    else:
        segments = ((P, int(first[P[-1] + 1]), len(T)) for P in combinations(range(N - s), p))
    for P, lo, hi in segments:
        if need_point and p and P[0] >= n_points:
            break                                          # lexicographic: no point after
        while lo < hi:
            take = min(hi - lo, step - fill)
            if p:
                buf[fill:fill + take, :p] = P
            buf[fill:fill + take, p:] = T[lo:lo + take]
            fill += take
            lo += take
            if fill == step:
                yield buf
                buf = np.empty((step, k), dtype=np.int64)  # consumers may keep blocks
                fill = 0
    if fill:
        yield buf[:fill]
