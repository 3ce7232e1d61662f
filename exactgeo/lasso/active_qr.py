"""Active-set Lasso solver on an updated thin QR of the active columns (n ≪ p, warm).

Minimises ½‖y − Az‖² + β‖z‖₁ (no intercept: centre A and y first) over the columns of
A (n, m) by the primal active-set method: on the active set S (independent columns,
signs s) the sign-fixed optimum z* solves A_SᵀA_S z = A_Sᵀy − βs; the iterate moves
towards it and stops where a coefficient reaches zero (that column leaves S), so the
objective never increases; at z* the most violating columns (|A_kᵀr| > β) join S with
the sign of their correlation; a violator that depends on S enters by a simplex pivot
(fit unchanged, ℓ1 lower). The factor A_S = QR is updated, never recomputed: a
block Gram–Schmidt (twice) for joining columns, Givens rotations for a leaving one, so a
step costs O(n·|S|) — against the interior point's O(n²m) per Newton step. The answer
is basic (independent support) and dual feasible on A up to ``tol``: what column
generation's restricted problems and the exact KKT step want.

>>> import numpy as np
>>> A = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]); y = np.array([1.0, 0.5])
>>> z, r, steps = active_lasso(A, y, 0.1)
>>> np.round(z, 12).tolist(), np.round(r, 12).tolist()
([0.4, 0.0, 0.5], [0.1, 0.0])
"""
from __future__ import annotations

import numpy as np
from numba import njit
from scipy.linalg import qr

from ..sources.base import positions

__all__ = ["active_lasso", "Carry"]


@njit(cache=True)
def _qr_delete(Q, R, qy, k, j):
    """Remove column j of the k-column factor A_S = Q[:, :k] R[:k, :k] in place (Givens
    rotations restore the triangle; qy = Qᵀy follows)."""
    n = Q.shape[0]
    for c in range(j, k - 1):
        for i in range(c + 2):
            R[i, c] = R[i, c + 1]
    for i in range(k):
        R[i, k - 1] = 0.0
    for c in range(j, k - 1):
        a, b = R[c, c], R[c + 1, c]
        h = np.hypot(a, b)
        if h == 0.0:
            continue
        cs, sn = a / h, b / h
        for col in range(c, k - 1):
            x1, x2 = R[c, col], R[c + 1, col]
            R[c, col] = cs * x1 + sn * x2
            R[c + 1, col] = cs * x2 - sn * x1
        R[c + 1, c] = 0.0
        for i in range(n):
            q1, q2 = Q[i, c], Q[i, c + 1]
            Q[i, c] = cs * q1 + sn * q2
            Q[i, c + 1] = cs * q2 - sn * q1
        t1, t2 = qy[c], qy[c + 1]
        qy[c] = cs * t1 + sn * t2
        qy[c + 1] = cs * t2 - sn * t1
    qy[k - 1] = 0.0


@njit(cache=True)
def _solve_r(R, k, b, trans):
    """x with R[:k, :k] x = b (or Rᵀx = b with ``trans``), in place of a copy of b: the
    triangle is read where it lies in the larger buffer (column by column)."""
    x = b.copy()
    if trans:
        for j in range(k):
            acc = x[j]
            for i in range(j):
                acc -= R[i, j] * x[i]
            x[j] = acc / R[j, j]
    else:
        for j in range(k - 1, -1, -1):
            x[j] /= R[j, j]
            xj = x[j]
            for i in range(j):
                x[i] -= xj * R[i, j]
    return x


class _Factor:
    """A_S = Q R for the active columns S (positions in A, in factor order)."""

    def __init__(self, A, y, dep_tol, cap):
        n = A.shape[0]
        self.A, self.y, self.dep_tol = A, y, dep_tol
        self.Q = np.zeros((n, cap), order="F")
        self.R = np.zeros((cap, cap), order="F")
        self.qy = np.zeros(cap)
        self.S = np.zeros(0, dtype=np.int64)

    @property
    def k(self):
        return self.S.size

    def rebind(self, A, ids, held):
        """The same active columns in a new matrix A whose columns are ``ids``: the
        columns ``held`` (ids of S) that A no longer has leave the factor."""
        self.A, self.S = A, positions(ids, held)
        for j in np.flatnonzero(self.S < 0)[::-1]:
            self.leave(j)

    def join(self, cols, norms, force=False):
        """Append the columns ``cols`` of A that are independent of S and of each other
        (pivoted QR of their part orthogonal to S, relative threshold ``dep_tol``; all of
        them with ``force``), at most cap − k; returns those appended, in factor order."""
        k, cap = self.k, self.Q.shape[1]
        if cols.size == 0 or k >= cap:
            return cols[:0]
        B = self.A[:, cols]
        Qk = self.Q[:, :k]
        H = Qk.T @ B
        P = B - Qk @ H
        H2 = Qk.T @ P                       # Gram–Schmidt twice: orthogonal to rounding
        P -= Qk @ H2
        H += H2
        Q2, R2, piv = qr(P, mode="economic", pivoting=True, check_finite=False)
        d = np.abs(np.diag(R2))
        ok = d > (0.0 if force else self.dep_tol) * norms[cols[piv[:d.size]]]
        r = min(int(np.argmin(ok)) if not ok.all() else d.size, cap - k)
        take = piv[:r]
        self.Q[:, k:k + r] = Q2[:, :r]
        self.R[:k, k:k + r] = H[:, take]
        self.R[k:k + r, k:k + r] = R2[:r, :r]
        self.qy[k:k + r] = Q2[:, :r].T @ self.y
        self.S = np.r_[self.S, cols[take]]
        return cols[take]

    def leave(self, j):
        """Remove the j-th active column (factor order)."""
        _qr_delete(self.Q, self.R, self.qy, self.k, int(j))
        self.S = np.delete(self.S, j)

    def solve(self, rhs):
        """x with A_SᵀA_S x = A_Sᵀy − rhs."""
        w = _solve_r(self.R, self.k, np.asarray(rhs, dtype=float), True)
        return _solve_r(self.R, self.k, self.qy[:self.k] - w, False)

    def coefficients(self, a):
        """c with a ≈ A_S c (least squares)."""
        return _solve_r(self.R, self.k, self.Q[:, :self.k].T @ a, False)


class Carry:
    """The factor of the active columns, by column id, carried from one
    :func:`active_lasso` call to the next over changing columns (column generation: the
    working set changes every round, its support little), so a warm solve does not
    refactor its support."""

    def __init__(self):
        self.factor, self.ids = None, None


def active_lasso(A, y, beta, *, z0=None, tol=1e-10, dep_tol=1e-9, batch=None,
                 max_steps=None, ids=None, carry=None):
    """Solve min ½‖y − Az‖² + β‖z‖₁ by the active-set method (module docstring).

    A (n, m), y (n,), β > 0; ``z0`` (m,) a warm start (its support, made independent,
    is the first active set, with its signs). Stops when max_k |A_kᵀr| ≤ β(1 + ``tol``)
    at a sign-consistent optimum of the active set, or at the rounding floor (no descent
    in 100 rounds — degenerate pivots then follow Bland's lowest-index rule from the 3rd —
    or only columns a pivot took out violate, by < 1e-7 relative); ``batch`` (default
    max(10, n/20)) violators join at a time; ``max_steps`` caps the steps (default 10·min(n, m) + 1000).
    Returns ``(z, r, steps)``: the basic solution (m,), its residual y − Az (n,) and the
    number of steps taken. With ``carry`` (a :class:`Carry`) and ``ids`` (m,) the ids of
    A's columns, the active set's factor is taken from the last call (its columns that A
    still has; z0 must agree with that call's answer) and left there for the next.
    """
    A = np.asarray(A, dtype=float)
    y = np.asarray(y, dtype=float)
    n, m = A.shape
    z = np.zeros(m)
    if m == 0:
        return z, y.copy(), 0
    norms = np.sqrt(np.einsum("ij,ij->j", A, A))
    valid = norms > 0
    warm = carry is not None and carry.factor is not None and ids is not None and \
        carry.factor.y is y
    if warm:
        f = carry.factor
        f.rebind(A, np.asarray(ids, dtype=np.int64), carry.ids)
    else:
        f = _Factor(A, y, dep_tol, n if carry is not None else min(n, m))
    batch = max(10, n // 20) if batch is None else int(batch)
    max_steps = 10 * min(n, m) + 1000 if max_steps is None else int(max_steps)
    thr = beta * (1 + tol)
    if z0 is not None and np.any(z0):
        z0 = np.asarray(z0, dtype=float)
        sup = np.flatnonzero(z0)
        if f.k:
            sup = sup[~np.isin(sup, f.S)]
        f.join(sup[np.argsort(-np.abs(z0[sup]), kind="stable")], norms)
        z[f.S] = z0[f.S]
    s = np.sign(z[f.S])
    steps, single, last = 0, False, np.inf
    best, stall = np.inf, 0
    pivoted = np.zeros(m, dtype=bool)     # left by a pivot
    while steps < max_steps:
        # move towards the sign-fixed optimum; a coefficient reaching zero leaves S
        while f.k and steps < max_steps:
            steps += 1
            zS = z[f.S]
            d = f.solve(beta * s) - zS
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(d * s < 0, np.maximum(-zS / d, 0.0), np.inf)
            j = int(np.argmin(t))
            if t[j] >= 1.0:
                z[f.S] = zS + d
                break
            z[f.S] = zS + t[j] * d
            z[f.S[j]] = 0.0
            f.leave(j)
            s = np.delete(s, j)
        r = y - A[:, f.S] @ z[f.S]
        g = A.T @ r
        viol = np.abs(g)
        viol[f.S] = 0.0
        viol[~valid] = 0.0
        if viol.max() <= thr or steps >= max_steps:
            break
        value = 0.5 * float(r @ r) + beta * float(np.abs(z[f.S]).sum())
        # degenerate pivots can cycle (as in the simplex method): after 3 rounds without
        # descent the lowest-index violator goes first (Bland's rule); after 100 the
        # descent is below rounding and the loop stops
        best, stall = (value, 0) if value < best * (1 - 1e-15) else (best, stall + 1)
        if stall > 100:
            break
        if last < np.inf:
            # a batch that joined and left at once did not descend: one column at a time
            if value >= last and single:
                break                  # not even one column descends: the rounding floor
            single = value >= last
        cand = np.flatnonzero(viol > thr)
        if stall < 3:
            cand = cand[np.argsort(-viol[cand], kind="stable")]
        cand = cand[:1 if single else batch]
        last = value if cand.size > 1 else np.inf
        new = f.join(cand, norms)
        if new.size:
            s = np.r_[s, np.sign(g[new])]
            pivoted[:] = False
            continue
        # the worst violator depends on S: pivot it in (fit unchanged, ℓ1 lower); a column
        # a pivot took out comes back by a pivot only for a violation above rounding
        # (two such columns would otherwise trade places on rounding noise for ever)
        free = cand[~pivoted[cand] | (viol[cand] > beta * (1 + 1e-7))]
        if free.size == 0:
            break                      # only pivots back: the rounding floor
        k = int(free[0])
        c = f.coefficients(A[:, k])
        tau = np.sign(g[k])
        zS = z[f.S]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(zS * c * tau > 0, zS / (tau * c), np.inf)
        j = int(np.argmin(t))
        if not np.isfinite(t[j]) or 1.0 - tau * float(s @ c) >= 0:
            break                      # rounding: no descent left
        z[f.S] = zS - tau * t[j] * c
        z[f.S[j]] = 0.0
        z[k] = tau * t[j]
        pivoted[f.S[j]] = True
        f.leave(j)
        s = np.delete(s, j)
        f.join(np.array([k]), norms, force=True)
        s = np.r_[s, tau]
        steps += 1
    r = y - A[:, f.S] @ z[f.S]
    if carry is not None and ids is not None:
        carry.factor, carry.ids = f, np.asarray(ids, dtype=np.int64)[f.S]
    return z, r, steps
