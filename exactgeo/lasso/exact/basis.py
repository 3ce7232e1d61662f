"""What the exact certificates share (THEORY §5 steps 2, 3 and 6): the result type, the
float start (equicorrelation set, signs, a basic guess), the exact choice of an
independent basis, and the repair rule of the working-set loop (drop sign-inconsistent
columns, add violating ones with their signs).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ..basic import crossover, purify
from .rational import (ULP, column_ints, exact_products, float_prefilter, frac_int_vec,
                       pivot_columns)

__all__ = ["ExactLasso", "float_start", "basic_guess", "choose_basis", "drop_columns",
           "Repair", "equicorrelation_set", "equicorrelation_basis"]


@dataclass
class ExactLasso:
    """Result of :func:`exactgeo.lasso.certify_lasso`.

    ``status``: "exact" (rational dictionary: KKT verified over ℚ), "enclosed" (columns
    a_k/√q_k: every inequality verified strictly on rigorous balls), "undecided" (all
    checks passed except ties |A_kᵀr| ∋ β that could not be resolved; see ``undecided``)
    or "not-certified" (see ``message``).
    ``support`` F (indices of the basis), ``signs`` s_F; ``z`` (p,) object array of
    Fractions (rational case) or float64 (ball case, with ``z_enclosure`` a list of flint
    ``arb`` balls on F); ``xi`` Fraction (or arb); ``residual`` r (n,) Fractions (or
    arbs); ``objective_exact`` Fraction or None; ``objective_enclosure`` (lo, hi) as
    Fractions, rigorous; ``objective`` float; ``max_violation`` = max_k |A_kᵀr| − β as a
    float (≤ 0 when certified) at column ``argmax_violation``; ``rounds`` repair rounds;
    ``precision`` bits used (ball case).
    """
    status: str
    support: np.ndarray
    signs: np.ndarray
    z: np.ndarray
    xi: Any
    residual: np.ndarray
    objective_exact: Optional[Fraction]
    objective_enclosure: Optional[tuple]
    objective: float
    max_violation: float
    argmax_violation: int
    rounds: int
    message: str
    z_enclosure: Optional[list] = None
    undecided: list = field(default_factory=list)
    precision: int = 0
    seconds: float = 0.0

    @property
    def certified(self) -> bool:
        return self.status in ("exact", "enclosed")


def basic_guess(Af, zt, E, intercept, yf, rt, signs, beta, trust_primal=True):
    """A basic float guess supported on E (independent columns), for the greedy basis.
    When ``trust_primal`` and z̃ is itself a float KKT point (its own residual r:
    |A_kᵀr| ≤ β(1 + 10⁻⁶) for every k, ≥ β(1 − 10⁻⁶) on its support, inside E), its
    part on E purified along null directions (fit and signs kept,
    :func:`exactgeo.lasso.basic.purify`); else the LP crossover onto y − r̃
    (:func:`exactgeo.lasso.basic.crossover`), which trusts the dual point instead."""
    idx = np.array(sorted(E), dtype=int)
    out = np.zeros_like(zt)
    if not idx.size:
        return out
    s = np.array([signs[k] for k in idx])
    supp = np.flatnonzero(zt)
    r = yf - Af @ zt
    if intercept:
        r = r - r.mean()
    c = np.abs(Af.T @ r)
    kkt = trust_primal and supp.size and np.isin(supp, idx).all() and \
        c.max() <= beta * (1 + 1e-6) and c[supp].min() >= beta * (1 - 1e-6)
    lp = None if kkt else crossover(Af, yf, rt, idx, s, intercept)
    if lp is not None:
        return lp
    out[idx] = purify(Af[:, idx], np.where(zt[idx] * s > 0, zt[idx], 0.0),
                      intercept=intercept)
    return out


def float_start(Af, yf, sol, zt, beta, tau, intercept, trust_primal=True):
    """Equicorrelation set E = {k : |A_kᵀr̃| ≥ β(1 − τ)} (and z̃'s support within
    10⁻⁴ of β), signs (z̃'s, else r̃'s) and a basic guess on E.

    r̃ is the solver's dual point when it has one: it estimates the unique optimal
    residual best (for an interior-point solution far better than y − Az̃).
    Returns (Aᵀr̃, E, signs dict, guess (p,)).
    """
    guess = getattr(sol, "lam", None)
    if guess is None:
        guess = getattr(sol, "residual", None)
    rt = np.asarray(guess, dtype=float) if guess is not None else yf - Af @ zt
    if intercept:
        rt = rt - rt.mean()
    corr_t = Af.T @ rt
    near = np.abs(corr_t) >= beta * (1 - tau)
    # the solver's own support is equicorrelated at its residual, which r̃ (a dual point
    # of the working set) may place a little further below β
    near |= (zt != 0) & (np.abs(corr_t) >= beta * (1 - 1e-4))
    E = set(np.flatnonzero(near).tolist())
    signs = {k: int(np.sign(zt[k])) or int(np.sign(corr_t[k])) or 1 for k in E}
    return corr_t, E, signs, basic_guess(Af, zt, E, intercept, yf, rt, signs, beta,
                                         trust_primal)


def drop_columns(E, bad, Af):
    """Remove ``bad`` from the set E, and every candidate with the same float column (exact
    duplicates of a dropped column would otherwise re-enter the basis with the same sign)."""
    if not bad:
        return
    cand = np.array(sorted(E), dtype=int)
    for k in bad:
        same = np.all(Af[:, cand] == Af[:, [k]], axis=0)
        for j in cand[same]:
            E.discard(int(j))
        E.discard(k)


def choose_basis(A, Af, cand, zt, intercept, n, ints=None):
    """Greedy independent basis from ``cand`` ordered by |z̃| (𝟙 first with intercept):
    a float pre-selection, confirmed (or redone) by exact pivots. ``ints(k)`` gives
    column k as (integers, denominator) (default: :func:`.rational.column_ints` of A)."""
    ints = ints or column_ints(A)
    order = sorted(cand, key=lambda k: (-abs(zt[k]), k))
    Fl = np.array(Af[:, order], dtype=float) if order else np.zeros((n, 0))
    if intercept:
        Fl = np.column_stack([np.ones(n), Fl])
    pre = float_prefilter(Fl, n, range(Fl.shape[1]), tol=1e-10)
    # exact confirmation: pivots of the pre-selected columns, then of all candidates
    cols = []
    idx = []
    for j in pre:
        if intercept and j == 0:
            cols.append([1] * n)
            idx.append(-1)
        else:
            k = order[j - (1 if intercept else 0)]
            cols.append(ints(k)[0])
            idx.append(k)
    piv = pivot_columns(cols, n)
    chosen = [idx[j] for j in piv]
    if len(piv) < len(cols):
        # float pre-selection was fooled: run the exact greedy on all candidates
        cols = ([[1] * n] if intercept else []) + [ints(k)[0] for k in order]
        idx = ([-1] if intercept else []) + list(order)
        piv = pivot_columns(cols, n)
        chosen = [idx[j] for j in piv]
    return [k for k in chosen if k >= 0]


def equicorrelation_set(A, Af, r, beta, ints=None):
    """The exact equicorrelation set of an exact residual r (n,): every column k with
    |A_kᵀr| = β over ℚ, and its sign. A float filter with an a-priori rounding bound skips
    the columns that are surely below β; the rest are decided exactly. Returns
    (indices list, signs list).

    >>> from fractions import Fraction as F
    >>> A = np.array([[F(1), F(1), F(0)], [F(0), F(1), F(1)]], dtype=object)
    >>> equicorrelation_set(A, A.astype(float), [F(1, 2), F(-1, 2)], F(1, 2))
    ([0, 2], [1, -1])
    """
    n = Af.shape[0]
    rf = np.array([float(q) for q in r])
    corr = np.abs(Af.T @ rf)
    bound = 2.0 * (n + 4) * ULP * (np.abs(Af).T @ np.abs(rf)) + n * 1e-300
    near = np.flatnonzero(corr + bound >= float(beta) * (1 - 4 * ULP))
    ints = ints or column_ints(A)
    r_int, r_den = frac_int_vec(list(r))
    E, signs = [], []
    for k, v in zip(near.tolist(), exact_products(ints, near, r_int, r_den)):
        if abs(v) == beta:
            E.append(k)
            signs.append(1 if v > 0 else -1)
    return E, signs


def equicorrelation_basis(A, Af, y, r, beta, intercept, ints=None):
    """A basis for the KKT solve from an exact residual r that may be optimal although its
    basis gave sign-inconsistent coefficients. The fit Az is unique, z is not (THEORY
    §2.7): in a dictionary with many exact linear relations a basis of the equicorrelation
    span can represent the fit with wrong signs while another one does not. A
    sign-consistent representation of y − r on the exact equicorrelation set E(r) is a
    vertex of {w ≥ 0 : Σ_k s_k w_k A_k + ξ𝟙 = y − r}: found in floats (HiGHS crossover),
    its support made an exact independent basis. Returns (F, s) or None; the caller solves
    the KKT equations on F exactly and checks everything (nothing here is trusted)."""
    n = A.shape[0]
    ints = ints or column_ints(A)
    E, sg = equicorrelation_set(A, Af, r, beta, ints)
    if not E:
        return None
    rf = np.array([float(q) for q in r])
    yf = np.array([float(q) for q in y])
    zc = crossover(Af, yf, rf, np.array(E, dtype=int), sg, intercept)
    if zc is None:
        return None
    signs = dict(zip(E, sg))
    support = [k for k in E if zc[k] != 0]
    F = choose_basis(A, Af, support, zc, intercept, n, ints)
    return F, np.array([signs[k] for k in F], dtype=int)


class Repair:
    """The repair rule of THEORY §5.6 as the working-set loop's ``select``: the working set
    is the candidate set E; a round drops the sign-inconsistent basis columns (and their
    exact duplicates; their float guess becomes 0) and adds the priced violators with their
    signs (at most ``cap`` per round). ``signs`` (dict) and the float guess ``zt`` (p,) are
    the state the exact KKT solve reads; ``message`` describes the last repair
    (``describe(round, bad, priced)``)."""

    def __init__(self, signs, zt, Af, *, cap=None, describe=None):
        self.signs, self.zt, self.Af, self.cap = signs, zt, Af, cap
        self.describe = describe
        self.message = ""
        self.round = 0          # KKT solves so far (the exact solve counts them)

    def __call__(self, W, res, priced):
        bad = res.info["bad"]
        E = set(int(k) for k in W)
        before = (set(E), {k: self.signs[k] for k in E})
        drop_columns(E, bad, self.Af)
        if bad:
            self.zt = self.zt.copy()
            self.zt[bad] = 0.0
        idx = priced.idx if self.cap is None else priced.idx[:self.cap]
        for k, sg in zip(idx.tolist(), priced.signs):
            E.add(int(k))
            self.signs[int(k)] = sg
        if self.describe is not None:
            self.message = self.describe(self.round, bad, priced)
        if (E, {k: self.signs[k] for k in E}) == before:
            return None, "repeat"          # nothing changes: the next round would repeat
        return np.array(sorted(E), dtype=np.int64), None
