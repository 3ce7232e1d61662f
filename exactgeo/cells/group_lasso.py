"""The restricted group Lasso with cone constraints (THEORY §2.8), solved by Clarabel.

    min ½‖Σ_g s_g M_g w_g + ξ𝟙 − y‖² + β Σ_g ‖w_g‖₂   s.t.  C_g w_g ≥ 0

over signed groups g (a cell gives two: s = +1 and s = −1 with the same M_g and cone
C_g). ``M_g`` (n, d) is the cell's linear feature map, ``C_g`` (m, d) the rows whose
signs define the closed cone K_g = {u : C_g u ≥ 0}. The problem is an SOCP: one
second-order cone (t_g, w_g) per group, the cone rows as non-negative slacks, the
squared loss as the quadratic part of the objective (Clarabel takes it directly).

Returns floats only; the rigorous statement is made by :mod:`exactgeo.cells.certificate`.

>>> import numpy as np
>>> M = np.eye(2); C = np.eye(2)                     # G1: one cell, the positive quadrant
>>> sol = solve_groups([M, M], [C, C], [1, -1], np.array([1.0, 1.0]), 0.1)
>>> round(sol.objective, 9), np.round(sol.W[0], 6).tolist()
(0.136421356, [0.929289, 0.929289])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["GroupSolution", "solve_groups"]


@dataclass
class GroupSolution:
    """Answer of :func:`solve_groups`: ``W`` (G, d) the group weights w_g, ``xi`` the
    intercept (0 without), ``r`` (n,) the residual y − fit, ``objective`` the primal
    value, ``status`` Clarabel's status word, ``iterations``, ``seconds``."""
    W: np.ndarray
    xi: float
    r: np.ndarray
    objective: float
    status: str
    iterations: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("Solved", "AlmostSolved")


def _csc(rows, cols, vals, shape):
    import scipy.sparse as sp
    return sp.csc_matrix((np.asarray(vals, dtype=float), (np.asarray(rows, dtype=np.int64),
                          np.asarray(cols, dtype=np.int64))), shape=shape)


def solve_groups(Ms: Sequence[np.ndarray], Cs: Sequence[np.ndarray], signs: Sequence[int],
                 y: np.ndarray, beta: float, *, intercept: bool = False,
                 tol: float = 1e-10, max_iter: int = 200) -> GroupSolution:
    """Solve the restricted group Lasso (module docstring) over the groups
    (Ms[g] (n, d), Cs[g] (m_g, d), signs[g] ±1); y (n,), β > 0 floats.

    Variables: e = y − fit (n), ξ (with ``intercept``), then per group (t_g, w_g).
    ``tol``: Clarabel's gap and feasibility tolerances (the certificate polishes further
    by Newton's method, so 1e-10 is plenty).
    """
    import time

    import clarabel
    t0 = time.perf_counter()
    y = np.asarray(y, dtype=float)
    n = y.shape[0]
    G = len(Ms)
    d = Ms[0].shape[1] if G else 0
    off = n + (1 if intercept else 0)
    nvar = off + G * (d + 1)
    rows, cols, vals = [], [], []
    # zero cone: e + Σ s_g M_g w_g + ξ𝟙 = y
    rows += list(range(n)); cols += list(range(n)); vals += [1.0] * n
    if intercept:
        rows += list(range(n)); cols += [n] * n; vals += [1.0] * n
    for g, (M, s) in enumerate(zip(Ms, signs)):
        M = np.asarray(M, dtype=float)
        ii, jj = np.nonzero(M)
        rows += ii.tolist(); cols += (off + g * (d + 1) + 1 + jj).tolist()
        vals += (s * M[ii, jj]).tolist()
    row = n
    cones = [clarabel.ZeroConeT(n)]
    # non-negative cone: C_g w_g >= 0  (slack s = C_g w_g, i.e. A = −C_g, b = 0)
    m_tot = 0
    for g, C in enumerate(Cs):
        C = np.asarray(C, dtype=float)
        ii, jj = np.nonzero(C)
        rows += (row + ii).tolist(); cols += (off + g * (d + 1) + 1 + jj).tolist()
        vals += (-C[ii, jj]).tolist()
        row += C.shape[0]
        m_tot += C.shape[0]
    if m_tot:
        cones.append(clarabel.NonnegativeConeT(m_tot))
    # second-order cones (t_g, w_g)
    for g in range(G):
        base = off + g * (d + 1)
        rows += list(range(row, row + d + 1)); cols += list(range(base, base + d + 1))
        vals += [-1.0] * (d + 1)
        row += d + 1
        cones.append(clarabel.SecondOrderConeT(d + 1))
    A = _csc(rows, cols, vals, (row, nvar))
    b = np.zeros(row)
    b[:n] = y
    P = _csc(range(n), range(n), [1.0] * n, (nvar, nvar))
    q = np.zeros(nvar)
    for g in range(G):
        q[off + g * (d + 1)] = beta
    st = clarabel.DefaultSettings()
    st.verbose = False
    st.max_iter = max_iter
    for name in ("tol_gap_abs", "tol_gap_rel", "tol_feas", "tol_ktratio"):
        setattr(st, name, tol)
    sol = clarabel.DefaultSolver(P, q, A, b, cones, st).solve()
    x = np.asarray(sol.x, dtype=float)
    W = np.array([x[off + g * (d + 1) + 1: off + (g + 1) * (d + 1)] for g in range(G)],
                 dtype=float).reshape(G, d)
    xi = float(x[n]) if intercept else 0.0
    fit = np.full(n, xi)
    for M, s, w in zip(Ms, signs, W):
        fit += s * (np.asarray(M, dtype=float) @ w)
    r = y - fit
    obj = 0.5 * float(r @ r) + beta * float(np.linalg.norm(W, axis=1).sum()) if G else \
        0.5 * float(r @ r)
    return GroupSolution(W, xi, r, obj, str(sol.status), int(sol.iterations),
                         time.perf_counter() - t0)
