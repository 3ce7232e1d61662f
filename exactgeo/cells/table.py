"""All cells of a data set as arrays, for vectorised pricing (THEORY §2.8).

:class:`CellTable` holds every cell of every anchor (from
:func:`exactgeo.cells.arrangement.all_cells`) as one int8 sign matrix (cells × n) and the
anchored rows per anchor in float64, so that g_C = M_Cᵀr for *all* cells is one matrix
product per anchor. ‖g_C‖ bounds the cell's maximum of gᵀu over unit u from above, so it
discards most cells before the per-cell pricing (:func:`exactgeo.cells.pricing.cell_max`).
:meth:`CellTable.norm_upper` does the same with rigorous bounds for a residual given as
balls (midpoints and radii), by a priori bounds on every floating-point rounding.

:func:`cell_count_bound` is the general-position count (THEORY I13), an upper bound for
any data, used to refuse too large problems before enumerating.

>>> cell_count_bound(160, 2, bias=True), cell_count_bound(2, 2, bias=False)
(50880, 4)
"""
from __future__ import annotations

from math import comb
from typing import Sequence

import numpy as np

__all__ = ["CellTable", "cell_count_bound", "MAX_CELLS"]

#: Default limit on the number of cells (the int8 sign matrix is cells × n bytes).
MAX_CELLS = 2_000_000

_U = 2.0 ** -53          # unit roundoff of float64


def cell_count_bound(n: int, d: int, *, bias: bool) -> int:
    """Upper bound on the number of cells: 2Σ_{k<d} C(m − 1, k) per anchor, with m = n
    hyperplanes through the origin without bias and m = n − 1 per anchor (n anchors)
    with bias (THEORY I13; attained in general position)."""
    m = n - 1 if bias else n
    per = 2 * sum(comb(max(m - 1, 0), k) for k in range(d)) if m > 0 else 1
    return per * (n if bias else 1)


class CellTable:
    """The cells of ``X`` (n, d) for ``model`` ("relu" | "abs"), one anchor per sample
    with ``bias`` (else the single anchor None).

    ``cells`` the :class:`~exactgeo.cells.arrangement.Cell` objects, ``anchor_of`` (C,)
    anchor index (−1 for None), ``mult`` (C, n) int8: the multiplier m_i of row i in
    M_C (relu: 1 where the sign is +1; abs: the sign), ``rows[j]`` (n, d) float64 anchored
    data of anchor j, ``by_anchor[j]`` the cell indices of anchor j."""

    def __init__(self, X, model: str, bias: bool, cells: Sequence = None):
        from .arrangement import all_cells
        self.X = X
        self.model = model
        self.bias = bool(bias)
        Xf = np.asarray(np.asarray(X, dtype=object).astype(float), dtype=float)
        self.Xf = Xf
        self.n, self.d = Xf.shape
        self.cells = list(all_cells(X, bias)) if cells is None else list(cells)
        C = len(self.cells)
        self.anchor_of = np.array([-1 if c.anchor is None else c.anchor for c in self.cells],
                                  dtype=np.int64)
        self.signs = np.array([c.signs for c in self.cells], dtype=np.int8).reshape(C, self.n)
        self.mult = (self.signs > 0).astype(np.int8) if model == "relu" else self.signs
        self.by_anchor = {}
        for k, a in enumerate(self.anchor_of.tolist()):
            self.by_anchor.setdefault(a, []).append(k)
        self.by_anchor = {a: np.asarray(v, dtype=np.int64) for a, v in self.by_anchor.items()}
        self.rows = {a: (Xf if a < 0 else Xf - Xf[a][None, :]) for a in self.by_anchor}
        self.sector = self._sectors() if self.d == 2 else None

    # ------------------------------------------------------------------ 2-D sectors
    def _sectors(self):
        """d = 2: per cell the bounding rays ρ1 (clockwise side) and ρ2 (unit, float), the
        rows whose lines they are (−1: none), and flags half-plane / whole plane.

        Exact: the cells of one anchor are streamed in angular order (the sector walk), so
        the rows whose signs differ between consecutive cells are the lines between them;
        each bounding ray ±(−a_2, a_1) is oriented by an exact integer test against the
        cell's interior point (cross(ρ1, p) > 0 > cross(ρ2, p))."""
        from .arrangement import anchored_int
        C = len(self.cells)
        rho1, rho2 = np.zeros((C, 2)), np.zeros((C, 2))
        row1, row2 = -np.ones(C, dtype=np.int64), -np.ones(C, dtype=np.int64)
        for a, idx in self.by_anchor.items():
            if len(idx) < 2:
                continue                       # one cell: the whole plane
            rows, _ = anchored_int(self.X, None if a < 0 else int(a))
            m = len(idx)
            for t in range(m):
                c = int(idx[t])
                p = self.cells[c].point
                den = 1
                for v in p:
                    den = den * v.denominator
                P = [int(v * den) for v in p]
                for side, other in ((1, int(idx[(t - 1) % m])), (2, int(idx[(t + 1) % m]))):
                    diff = np.flatnonzero(self.signs[c] != self.signs[other])
                    if not len(diff):
                        continue
                    i = int(diff[0])
                    ax, ay = rows[i]
                    ray = (-ay, ax)
                    cr = ray[0] * P[1] - ray[1] * P[0]        # cross(ray, p)
                    sgn = 1 if cr > 0 else -1
                    if side == 2:
                        sgn = -sgn                           # cross(p, ρ2) > 0
                    v = np.array([sgn * ray[0], sgn * ray[1]], dtype=float)
                    v /= np.linalg.norm(v)
                    if side == 1:
                        rho1[c], row1[c] = v, i
                    else:
                        rho2[c], row2[c] = v, i
        # both rays lie in their closed cell (a gross check of the angular stream order:
        # the rays themselves are exact lines, exactly oriented)
        for a, idx in self.by_anchor.items():
            A = self.rows[a]
            an = np.linalg.norm(A, axis=1)
            an[an == 0] = 1.0
            for rho in (rho1, rho2):
                t = (self.signs[idx] * (rho[idx] @ A.T)) / an[None, :]
                if len(idx) > 1 and t.min(initial=0.0) < -1e-9:
                    raise RuntimeError("cells: the 2-D cells of an anchor are not streamed in "
                                       "angular order (exactgeo.cells.arrangement contract)")
        cr = rho1[:, 0] * rho2[:, 1] - rho1[:, 1] * rho2[:, 0]
        dot = (rho1 * rho2).sum(axis=1)
        half = (np.abs(cr) < 1e-12) & (dot < 0)
        whole = (row1 < 0) | (row2 < 0)
        return {"rho1": rho1, "rho2": rho2, "row1": row1, "row2": row2, "half": half,
                "whole": whole}

    def sector_values(self, G) -> np.ndarray:
        """d = 2: the float maximum of gᵀu over each closed sector with ‖u‖ = 1 (0 when
        negative): ‖g‖ if g lies in the sector, else the larger boundary value (THEORY
        §2.5). G (C, 2) → (C,)."""
        S = self.sector
        r1, r2 = S["rho1"], S["rho2"]
        c1 = r1[:, 0] * G[:, 1] - r1[:, 1] * G[:, 0]
        c2 = G[:, 0] * r2[:, 1] - G[:, 1] * r2[:, 0]
        inside = (c1 >= 0) & ((c2 >= 0) | S["half"]) | S["whole"]
        norm = np.linalg.norm(G, axis=1)
        edge = np.maximum(np.maximum((G * r1).sum(axis=1), (G * r2).sum(axis=1)), 0.0)
        return np.where(inside, norm, edge)

    def sector_upper(self, r_mid, r_rad) -> np.ndarray:
        """d = 2: rigorous upper bounds on every sector's maximum for every r in the box
        |r − r_mid| ≤ r_rad. The maximum is ‖Π_K g‖, 1-Lipschitz in g, so the float value
        at r_mid errs by at most the bound E on ‖g − g̃‖ (:meth:`norm_upper`'s terms) plus
        the effect of the float boundary rays: each is the normal of an anchored row
        computed with relative error ≤ 2u(‖x_i‖ + ‖x_j‖)/‖a_i‖ in angle, which moves the
        value by at most ‖g̃‖ times that angle (times 4, with the normalisations); the sum
        is inflated by (1 + 1e-12) for its own rounding."""
        G = self.gradients(r_mid)
        E = self._grad_error(r_mid, r_rad)
        val = self.sector_values(G)
        S = self.sector
        xn = np.linalg.norm(self.Xf, axis=1)
        anc = np.where(self.anchor_of >= 0, self.anchor_of, 0)
        xa = np.where(self.anchor_of >= 0, xn[anc], 0.0)
        dth = np.zeros(len(self))
        for rows in (S["row1"], S["row2"]):
            ok = rows >= 0
            i = np.where(ok, rows, 0)
            an = np.array([np.linalg.norm(self.rows[int(a)][int(k)]) for a, k in
                           zip(self.anchor_of, i)]) if len(self) else np.zeros(0)
            an = np.where(an > 0, an, np.inf)
            dth = np.maximum(dth, np.where(ok, 2 * _U * (xn[i] + xa) / an, 0.0))
        gn = np.linalg.norm(G, axis=1)
        up = val + np.linalg.norm(E, axis=1) + gn * (4 * dth + 64 * _U)
        return up * (1 + 1e-12) + 1e-300

    def __len__(self):
        return len(self.cells)

    def gradients(self, r) -> np.ndarray:
        """g_C = M_Cᵀr (float64, (C, d)) for every cell."""
        r = np.asarray(r, dtype=float)
        G = np.empty((len(self), self.d))
        for a, idx in self.by_anchor.items():
            G[idx] = self.mult[idx].astype(float) @ (r[:, None] * self.rows[a])
        return G

    def _grad_error(self, r_mid, r_rad) -> np.ndarray:
        """(C, d) bounds on |g_true − g̃| entrywise (see :meth:`norm_upper`)."""
        r_mid = np.asarray(r_mid, dtype=float)
        r_rad = np.asarray(r_rad, dtype=float)
        E = np.empty((len(self), self.d))
        slack = r_rad + (self.n + 3) * _U * np.abs(r_mid)
        for a, idx in self.by_anchor.items():
            E[idx] = np.abs(self.mult[idx]).astype(float) @ (slack[:, None]
                                                            * np.abs(self.rows[a]))
        return E * (1 + 4 * (self.n + 2) * _U)

    def norm_upper(self, r_mid, r_rad) -> np.ndarray:
        """Rigorous upper bounds on ‖M_Cᵀr‖ for every r with |r − r_mid| ≤ r_rad, and
        the exact anchored data (float data are exact binary values; anchoring rounds once).

        Each entry of g = Σ_i m_i r_i a_i is computed in float64; the error against the
        exact value is at most Σ_i |m_i| (rad_i + (n + 3)u|mid_i|)|a_i| (data rounding,
        the sum's rounding, the radius), and the bound itself is inflated by a factor
        (1 + 16(n + d)u) for its own rounding. Returns (C,) float64."""
        G = self.gradients(r_mid)
        E = self._grad_error(r_mid, r_rad)
        up = np.sqrt(((np.abs(G) + E) ** 2).sum(axis=1))
        return up * (1 + 16 * (self.n + self.d) * _U) + 1e-300
