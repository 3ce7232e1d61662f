"""Finite column generation over cells (THEORY §2.8): the group Lasso over *all* cells
solved on a working set of cells, with the project's one working-set loop
(:func:`exactgeo.lasso.working_set.working_set`) — its units are cells here.

A round: solve the restricted group Lasso on the cells W (both groups of each cell,
:func:`~exactgeo.cells.group_lasso.solve_groups`); price every cell, i.e. the maximum of
±g_Cᵀu over unit u in the closed cell (g_C = M_Cᵀr; cells with ‖g_C‖ ≤ β(1 + tol) are
skipped, since the maximum is at most ‖g_C‖); add the violating cells; stop when none
exceeds β(1 + tol). There are finitely many cells and each group is solved exactly inside
its cell, so the loop terminates. The answer is floating point; the certificate
(:mod:`exactgeo.cells.certificate`) decides.

>>> import numpy as np
>>> out = solve_cells([[1, 0], [0, 1]], np.array([1.0, 1.0]), 0.1, model="relu", bias=False)
>>> out.stop, round(out.objective, 10)                       # THEORY G1
('optimal', 0.1364213562)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..lasso.working_set import Restricted, working_set
from ..progress import as_progress
from ..sources import Priced
from .group_lasso import GroupSolution, solve_groups
from .table import MAX_CELLS, CellTable, cell_count_bound

__all__ = ["CellsSolution", "solve_cells", "check_cell_count", "TOL"]

#: Relative violation tolerance of the float pricing: stop when every cell's maximum is
#: ≤ β(1 + TOL). Only the certificate decides optimality.
TOL = 1e-8


@dataclass
class CellsSolution:
    """Result of :func:`solve_cells` (floats). ``table`` all cells, ``W`` the working
    cells, ``groups`` the last :class:`GroupSolution` (groups 2k, 2k+1 are cell W[k] with
    signs +1, −1), ``r``, ``xi``, ``objective``, ``sup`` the last priced maximum over all
    cells, ``stop`` ("optimal" | "max-rounds" | "time-limit" | "repeat" | ...), ``rounds``,
    ``history`` [(round, |W|, sup, objective)]."""
    table: CellTable
    W: np.ndarray
    groups: Optional[GroupSolution]
    r: np.ndarray
    xi: float
    objective: float
    sup: float
    stop: str
    rounds: int
    history: list = field(default_factory=list)
    beta: float = 0.0

    def group_weights(self):
        """[(cell index, sign, w (d,))] for every group of the working set."""
        out = []
        if self.groups is None:
            return out
        for k, c in enumerate(self.W.tolist()):
            out.append((c, 1, self.groups.W[2 * k]))
            out.append((c, -1, self.groups.W[2 * k + 1]))
        return out


def check_cell_count(n: int, d: int, bias: bool, max_cells: int = MAX_CELLS) -> int:
    """The general-position bound on the number of cells (an upper bound for any data);
    ValueError naming the count and the alternative when it exceeds ``max_cells``."""
    bound = cell_count_bound(n, d, bias=bias)
    if bound > max_cells:
        raise ValueError(
            f"X: n = {n} points in d = {d} give up to {bound} arrangement cells "
            f"({'with' if bias else 'without'} bias), more than max_cells = {max_cells}; "
            "use the sampled route instead (fit without the cells route: the ℓ2 dictionary "
            "with the sampled certificate, or exactgeo.cells.arrangement.sample_cells)")
    return bound


def _cell_matrices(table: CellTable, c: int):
    """Float M_C (n, d) and cone rows (rows s_i a_i with s_i ≠ 0) of cell c."""
    a = int(table.anchor_of[c])
    A = table.rows[a]
    M = table.mult[c].astype(float)[:, None] * A
    s = table.signs[c]
    if table.sector is not None and not table.sector["whole"][c]:
        # d = 2: the sector's two bounding lines are all the cone needs
        nz = np.unique([table.sector["row1"][c], table.sector["row2"][c]])
    else:
        nz = np.flatnonzero(s)
    C = s[nz].astype(float)[:, None] * A[nz]
    # one row per distinct direction (the cone does not change)
    if len(C):
        U = C / np.linalg.norm(C, axis=1, keepdims=True)
        _, keep = np.unique(np.round(U, 12), axis=0, return_index=True)
        C = C[np.sort(keep)]
    return M, C


def price_table(table: CellTable, X, r, beta: float, *, tol: float = TOL, k: int = 50,
                exclude=()):
    """Float pricing of every cell: returns (sup, [(value, cell, sign)] of the violating
    groups, most violating first, at most ``k`` cells outside ``exclude``, and at most
    ⌈k / anchors⌉ per (anchor, sign): the top cells of one anchor are neighbouring
    sectors with nearly the same neuron, so spreading the picks over the anchors makes
    far fewer rounds (spiral: 26 instead of 87))."""
    from .pricing import CellPricer
    G = table.gradients(r)
    viol = []
    if table.sector is not None:                  # d = 2: all sectors at once
        sup = 0.0
        for s in (1, -1):
            v = table.sector_values(s * G)
            sup = max(sup, float(v.max(initial=0.0)))
            viol += [(float(v[c]), int(c), s) for c in np.flatnonzero(v > beta * (1 + tol))]
    else:
        norms = np.linalg.norm(G, axis=1)
        cand = np.flatnonzero(norms > beta * (1 + tol))
        sup = 0.0
        rf = np.asarray(r, dtype=float)
        pricers = {s: CellPricer(X, table.model, rf, s) for s in (1, -1)} if len(cand) \
            else {}
        for c in cand.tolist():
            for s in (1, -1):
                v = float(pricers[s].price(table.cells[c]).value)
                sup = max(sup, v)
                if v > beta * (1 + tol):
                    viol.append((v, c, s))
        if not len(cand):
            sup = float(norms.max(initial=0.0))   # every cell is below β: ‖g‖ bounds
    ex = set(int(e) for e in exclude)
    viol.sort(key=lambda t: -t[0])
    cap = -(-k // max(1, len(np.unique(table.anchor_of))))
    picked, seen, per = [], set(), {}
    for v, c, s in viol:
        key = (int(table.anchor_of[c]), s)
        if c in ex or c in seen or per.get(key, 0) >= cap:
            continue
        per[key] = per.get(key, 0) + 1
        seen.add(c)
        picked.append((v, c, s))
        if len(picked) >= k:
            break
    return sup, picked


def solve_cells(X, y, beta: float, *, model: str = "relu", bias: bool = True,
                table: Optional[CellTable] = None, max_rounds: int = 100,
                max_cells: int = MAX_CELLS, tol: float = TOL, add_per_round: int = 100,
                max_seconds: Optional[float] = None, progress=False) -> CellsSolution:
    """The ℓ2 two-layer problem on X (n, d), y (n,) as the group Lasso over all cells,
    by finite column generation (module docstring). Floats; ``table`` reuses an
    enumeration; refuses up front when the cell count may exceed ``max_cells``."""
    import time
    Xo = X
    y = np.asarray(np.asarray(y, dtype=object).astype(float), dtype=float)
    beta = float(beta)
    if table is None:
        Xf = np.asarray(np.asarray(X, dtype=object).astype(float))
        check_cell_count(Xf.shape[0], Xf.shape[1], bias, max_cells)
        table = CellTable(X, model, bias)
    prog = as_progress(progress, label="cells")
    t0 = time.perf_counter()
    deadline = None if max_seconds is None else t0 + max_seconds

    def solve(W, z_W, last):
        if len(W) == 0:
            xi = float(y.mean()) if bias else 0.0
            r = y - xi
            return Restricted(np.zeros(0), r, primal=0.5 * float(r @ r),
                              info=GroupSolution(np.zeros((0, table.d)), xi, r,
                                                 0.5 * float(r @ r), "Solved"))
        Ms, Cs, sg = [], [], []
        for c in W.tolist():
            M, C = _cell_matrices(table, c)
            Ms += [M, M]
            Cs += [C, C]
            sg += [1, -1]
        gs = solve_groups(Ms, Cs, sg, y, beta, intercept=bias)
        z = np.linalg.norm(gs.W, axis=1).reshape(-1, 2).sum(axis=1)
        # cells whose groups are both zero leave the working set (they come back if priced
        # above β again): the restricted SOCP stays the size of the support
        keep = z > 1e-6 * max(float(z.max(initial=0.0)), 1e-300)
        return Restricted(z, gs.r, primal=gs.objective, ok=gs.ok, info=gs, keep=keep)

    state = {"sup": np.inf}

    def price(res, W):
        sup, picked = price_table(table, Xo, res.r, beta, tol=tol, k=add_per_round,
                                  exclude=W)
        state["sup"] = sup
        idx = np.array([c for _, c, _ in picked], dtype=np.int64)
        vals = np.array([v for v, _, _ in picked], dtype=float)
        return Priced(idx, vals, sup, kind="float")

    def on_round(rec, res, priced):
        prog.update(lambda: f"round {rec.round}: {rec.size} of {len(table)} cells held, "
                    f"max cell value {rec.sup:.10g} (β = {beta:g}), objective "
                    f"{res.primal:.12g}")

    out = working_set(None, solve, np.zeros(0, dtype=np.int64), price=price,
                      optimal=lambda res, priced: res.ok and priced.sup <= beta * (1 + tol),
                      max_rounds=max_rounds, deadline=deadline, on_round=on_round,
                      solve_last=False)
    res = out.restricted
    gs = res.info
    hist = [(h.round, h.size, h.sup, h.primal) for h in out.history]
    prog.done(f"{out.stop} after {out.rounds} rounds, {len(out.W)} cells held, max cell "
              f"value {state['sup']:.10g} (β = {beta:g})")
    return CellsSolution(table, out.W, gs if len(out.W) else None, gs.r, gs.xi,
                         float(gs.objective), float(state["sup"]), out.stop, out.rounds,
                         hist, beta)
