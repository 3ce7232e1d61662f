"""Internal helpers shared by the two-layer families: batched cross products over
any numeric dtype (float64 or object arrays of Python ints/Fractions), integer
scaling of exact data, combination enumeration."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb, gcd, lcm

import numpy as np


def cross_rows(Q) -> np.ndarray:
    """Generalized cross product of the k rows of every Q[m] (shape (m, k, k+1)) →
    (m, k+1), THEORY §0 convention; works on float64 and on object arrays (exact ints
    or Fractions), vectorised over m by Laplace expansion along the rows (float64 with
    2 ≤ k ≤ 13: the same operations per subset in numba). The Laplace expansion keeps
    ~2^k arrays, so for k ≥ :data:`_MINORS_MIN_K` the components are computed as the
    maximal minors instead (LU determinants for floats, one exact elimination per
    subset for objects): polynomial in k.

    >>> cross_rows(np.array([[[1, 2]]], dtype=object)).tolist()
    [[-2, 1]]
    >>> cross_rows(np.array([[[1., 0, 0], [0, 1, 0]]]))
    array([[0., 0., 1.]])
    """
    Q = np.asarray(Q)
    m, k, D = Q.shape
    if D != k + 1:
        raise ValueError(f"Q: expected shape (m, k, k+1), got {Q.shape}")
    if m == 0:
        return np.zeros((0, D), dtype=object if Q.dtype == object else np.float64)
    if k >= _MINORS_MIN_K:
        return _cross_by_minors(Q)
    if Q.dtype == np.float64 and 2 <= k <= _NUMBA_MAX_K and m >= 64:
        from ._kernels import laplace_cross       # same operations, per subset (fast)
        return laplace_cross(np.ascontiguousarray(Q), *_laplace_tables(k))
    if Q.dtype == object:
        one = np.empty(m, dtype=object)
        one[:] = 1
    else:
        one = np.ones(m, dtype=np.float64)
    prev = {(): one}
    for t in range(1, k + 1):
        cur = {}
        for S in combinations(range(D), t):
            acc = None
            for p, col in enumerate(S):
                term = Q[:, t - 1, col] * prev[S[:p] + S[p + 1:]]
                if acc is None:
                    acc = term if (t - 1 + p) % 2 == 0 else -term
                elif (t - 1 + p) % 2 == 0:
                    acc = acc + term
                else:
                    acc = acc - term
            cur[S] = acc
        prev = cur
    out = np.empty((m, D), dtype=Q.dtype if Q.dtype == object else np.float64)
    for j in range(D):
        minor = prev[tuple(c for c in range(D) if c != j)]
        out[:, j] = minor if (D + j + 1) % 2 == 0 else -minor
    if out.dtype != object:
        out += 0.0  # no negative zeros
    return out


_MINORS_MIN_K = 14        # cross_rows: maximal minors instead of the Laplace expansion


def _cross_by_minors(Q) -> np.ndarray:
    """:func:`cross_rows` for large k: component j is ±det(Q without column j)."""
    m, k, D = Q.shape
    sign = np.array([1 if (D + j + 1) % 2 == 0 else -1 for j in range(D)])
    if Q.dtype != object:
        Q = np.asarray(Q, dtype=np.float64)
        out = np.empty((m, D))
        for j in range(D):
            out[:, j] = sign[j] * np.linalg.det(np.delete(Q, j, axis=2))
        return out + 0.0
    out = np.empty((m, D), dtype=object)
    for i in range(m):
        out[i] = _exact_cross(Q[i], sign)
    return out


def _exact_cross(M, sign):
    """Exact generalized cross product of the k rows of M (k, k+1) by one Gaussian
    elimination: the null vector v (v_f = 1 at the free column f) times the minor
    ±det(M without column f) (pivots × row-swap sign). Zero when rank M < k."""
    k, D = M.shape
    ints = all(isinstance(v, (int, np.integer)) for v in M.flat)
    R = [[Fraction(v) for v in row] for row in M]
    piv_cols, det, row = [], Fraction(1), 0
    free = None
    for c in range(D):
        if row == k:
            if free is None:
                free = c
            continue
        p = next((i for i in range(row, k) if R[i][c] != 0), None)
        if p is None:
            if free is not None:
                return [0] * D if ints else [Fraction(0)] * D     # rank < k
            free = c
            continue
        if p != row:
            R[row], R[p] = R[p], R[row]
            det = -det
        pv = R[row][c]
        det *= pv
        R[row] = [v / pv for v in R[row]]
        for i in range(k):
            if i != row and R[i][c] != 0:
                f = R[i][c]
                R[i] = [a - f * b for a, b in zip(R[i], R[row])]
        piv_cols.append(c)
        row += 1
    if row < k:
        return [0] * D if ints else [Fraction(0)] * D
    scale = sign[free] * det                      # component `free` of the cross product
    w = [Fraction(0)] * D
    w[free] = scale
    for i, c in enumerate(piv_cols):
        w[c] = -R[i][free] * scale
    return [int(v) for v in w] if ints else w


_MAX_PREFIXES = 2 ** 16   # combos_chunks: Python-level prefixes before a bigger table
_NUMBA_MAX_K = 13        # the numba Laplace tables have 2^(k+1) rows


@lru_cache(maxsize=None)
def _laplace_tables(k: int):
    """Index tables of the Laplace expansion of :func:`cross_rows` for k rows of length
    D = k + 1 (see :func:`exactgeo.families._kernels.laplace_cross`)."""
    D = k + 1
    levels = [[()]] + [list(combinations(range(D), t)) for t in range(1, k + 1)]
    pos = [{S: i for i, S in enumerate(L)} for L in levels]
    level_start = np.zeros(k + 2, dtype=np.int64)
    for t in range(1, k + 1):
        level_start[t + 1] = level_start[t] + len(levels[t])
    level_start[1] = 0
    level_start[0] = 0
    rows = int(level_start[k + 1])
    cols = np.zeros((max(rows, 1), k), dtype=np.int64)
    child = np.zeros((max(rows, 1), k), dtype=np.int64)
    neg = np.zeros((max(rows, 1), k), dtype=np.bool_)
    for t in range(1, k + 1):
        for i, S in enumerate(levels[t]):
            s = level_start[t] + i
            for p, col in enumerate(S):
                cols[s, p] = col
                child[s, p] = pos[t - 1][S[:p] + S[p + 1:]]
                neg[s, p] = (t - 1 + p) % 2 != 0
    last_idx = np.array([pos[k][tuple(c for c in range(D) if c != j)] for j in range(D)],
                        dtype=np.int64)
    out_neg = np.array([(D + j + 1) % 2 != 0 for j in range(D)], dtype=np.bool_)
    return cols, child, neg, level_start, last_idx, out_neg


def integer_scale(X):
    """Exact (n, d) array → (Xint object ints, D) with X = Xint / D, D > 0 an int.

    >>> Xi, D = integer_scale(np.array([[Fraction(1, 2), 1]], dtype=object))
    >>> Xi.tolist(), D
    ([[1, 2]], 2)
    """
    flat = [Fraction(v) for v in np.asarray(X, dtype=object).flat]
    D = lcm(*[v.denominator for v in flat]) if flat else 1
    ints = np.empty(len(flat), dtype=object)
    ints[:] = [v.numerator * (D // v.denominator) for v in flat]
    return ints.reshape(np.shape(X)), D


def primitive(v):
    """Integer sequence divided by the gcd of its entries (zero stays zero)."""
    g = gcd(*[int(a) for a in v])
    if g <= 1:
        return [int(a) for a in v]
    return [int(a) // g for a in v]


def n_combos(n_points: int, n_axes: int, k: int, need_point: bool) -> int:
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
    while (s < k and comb(N, k - s) > _MAX_PREFIXES
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


# ------------------------------------------------------------- pricing memory budget

PRICING_MAX_BYTES = 2 ** 28          # default peak-memory budget of one pricing call
PRICING_MAX_CANDIDATES = 10 ** 9     # default refusal threshold (pool subsets per call)


class PricingTooLarge(MemoryError):
    """A pricing oracle refused before allocating: one block does not fit the memory
    budget, or the enumeration is too large to finish (the message gives the sizes)."""


def fmt_bytes(b) -> str:
    """Human-readable size: ``fmt_bytes(3 * 2**30)`` → '3.00 GiB'."""
    b = float(b)
    for unit, sc in (("EiB", 2 ** 60), ("PiB", 2 ** 50), ("TiB", 2 ** 40), ("GiB", 2 ** 30),
                     ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if b >= sc:
            return f"{b / sc:.3g} {unit}" if b / sc < 1e6 else f"{b:.3g} bytes"
    return f"{int(b)} bytes"


def laplace_peak(dim: int, k: int) -> int:
    """Peak number of (m,)-arrays alive in :func:`cross_rows` for k rows of length
    ``dim`` (two adjacent levels of the Laplace expansion, plus temporaries)."""
    if k <= 0:
        return 1
    return max(comb(dim, t) + comb(dim, t - 1) for t in range(1, k + 1)) + 2


def pricing_subset_bytes(n: int, k: int, dim: int, exact: bool) -> int:
    """Estimated peak bytes per pool subset in one block of the ℓ1 enumeration
    pricing (subsets of k pool vectors in ℝ^dim, n samples): the subset indices (block,
    generator buffer), the gathered pool rows and their squares (Hadamard bound), the
    cross product's work arrays (Laplace levels, numba tiles or LU copies, see
    :func:`cross_rows`), the hyperplane and its copies, per-candidate scalars, and for
    exact pricing the pre-activations and activity patterns (n per subset). Object
    entries count 48 bytes (pointer + Python int).

    >>> pricing_subset_bytes(40, 8, 9, False) > pricing_subset_bytes(40, 4, 5, False)
    True
    >>> pricing_subset_bytes(40, 13, 14, True) > 2 ** 18      # exact Laplace: ~2^k arrays
    True
    """
    e = 48 if exact else 8
    # float cross products of 2 ≤ k ≤ _NUMBA_MAX_K rows run per subset in numba
    # (buffers per 64-subset tile); otherwise the numpy Laplace levels are arrays over m
    if k >= _MINORS_MIN_K:
        lap = 3 * k * k if not exact else 2       # LU copies per minor / one subset at a time
    elif not exact and 2 <= k <= _NUMBA_MAX_K:
        lap = 2
    else:
        lap = laplace_peak(dim, k)
    b = 24 * k + 2 * k * dim * e + lap * e + 5 * dim * e + 160
    if exact:
        b += 64 * n
    return int(b)


def pricing_chunk(n: int, k: int, dim: int, *, exact: bool, max_bytes: int,
                  cap_entries: int, n_pool: int = 0) -> int:
    """Subsets per pricing block so that the block's peak memory (estimated by
    :func:`pricing_subset_bytes`, plus the pool and the combination table of
    :func:`combos_chunks`, which gets ``max_bytes // 8``) stays within ``max_bytes``,
    and the block's kernel work n × subsets stays ≤ ``cap_entries`` (granularity for
    progress reports and time limits). 0 when not even one subset fits.

    >>> [pricing_chunk(40, d, d + 1, exact=False, max_bytes=2**24, cap_entries=2**26)
    ...  for d in (2, 4, 8)]
    [33363, 18535, 7808]
    """
    per = pricing_subset_bytes(n, k, dim, exact)
    fixed = max_bytes // 8 + n_pool * dim * (48 if exact else 8)
    avail = max_bytes - fixed
    if avail < per:
        return 0
    return int(max(1, min(avail // per, cap_entries // max(1, n))))
