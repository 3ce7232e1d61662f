"""The cells route of ``fit`` for the ℓ2 (weight-decay) two-layer families (THEORY §2.8):
the pipeline stages these families supply through ``Family.stages`` (DESIGN, "The family
protocol").

    cells_lasso        finite column generation over all cells (group Lasso, Clarabel)
    cells_certificate  Krawczyk on the square KKT system + every cell checked on the box
    network            the pipeline's own stage: the network of (atoms, z, ξ)

The stages fill the same :class:`~exactgeo.pipeline.FitState` fields as the dictionary
route (``solution``, ``atoms``, ``certificate``, ``route``), so results, JSON and
``check_reported`` need nothing special. Each reported neuron is a :class:`CellAtom`: its
JSON says its kind (interior / face / ray), the training rows spanning it and, for a
ray, the wedge product of anchored samples it is.

>>> from fractions import Fraction as F
>>> from exactgeo import fit
>>> res = fit([[F(1), F(0)], [F(0), F(1)]], [F(1), F(1)], reg="l2", bias=False,
...           beta=F(1, 10), certify=True)
>>> res.certificate.status, res.to_json()["certificate"]["method"]
('certified-optimal', 'cells: group Lasso + Krawczyk')
>>> [n["atom"]["kind"] for n in res.to_json()["neurons"]]
['interior']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..certify import Certificate
from ..families.base import Atom
from ..solution import Solution

__all__ = ["CellAtom", "CellsNetworkCertificate", "cells_lasso", "cells_certificate",
           "stages", "METHOD", "applies"]

METHOD = "cells: group Lasso + Krawczyk"


def applies(n: int, d: int, bias: bool, max_cells=None) -> bool:
    """Does the cells route run for n points in dimension d? Never for d = 1 (the ramp
    dictionary R is exact there, THEORY §2.4); always for d = 2, 3 (it refuses up front
    beyond the cell limit); for d ≥ 4 when the general-position cell count fits."""
    from .table import MAX_CELLS, cell_count_bound
    if d < 2:
        return False
    return d <= 3 or cell_count_bound(n, d, bias=bias) <= (max_cells or MAX_CELLS)


@dataclass(frozen=True, eq=False)
class CellAtom(Atom):
    """A neuron of the cells route: the unit atom (u, c) (float) plus what the certificate
    says of it — ``kind`` "interior" | "face" | "ray", ``face`` the anchored rows it lies
    on, ``anchor`` (None without bias), ``wedge`` the primitive integer direction of a ray
    (a wedge product of anchored samples), ``w_enclosure`` [lo, hi] strings per entry."""
    kind: str = ""
    face: tuple = ()
    anchor: Any = None
    wedge: tuple = ()
    w_enclosure: tuple = ()

    def to_json(self) -> dict:
        out = super().to_json()
        out.update({"kind": self.kind, "face_rows": [int(i) for i in self.face],
                    "anchor": self.anchor, "spanning_rows": [int(p) for p in self.points]})
        if self.wedge:
            out["wedge_direction"] = list(self.wedge)
        if self.w_enclosure:
            out["w_enclosure"] = [list(v) for v in self.w_enclosure]
        return out


@dataclass
class CellsNetworkCertificate(Certificate):
    """The network certificate of the cells route: a :class:`~exactgeo.certify.Certificate`
    plus the ``method``, the objective ``enclosure`` and its ``width``, the working
    precision and how the cell groups were checked."""
    method: str = METHOD
    enclosure: Any = None
    width: Any = None
    prec: int = 0
    checks: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        from ..numbers import fraction_str
        out = super().to_json()
        out["method"] = self.method
        out["objective_enclosure"] = None if self.enclosure is None else \
            [fraction_str(v) for v in self.enclosure]
        out["enclosure_width"] = self.width
        out["precision_bits"] = self.prec
        out["cell_checks"] = self.checks
        return out


def cells_lasso(state):
    """Stage: finite column generation over every cell (:func:`.solve.solve_cells`)."""
    from .solve import check_cell_count, solve_cells
    from .table import CellTable
    data, st, fam = state.data, state.settings, state.family
    # the same up-front refusals as the dictionary route's columns stage, then the cells
    fam.pricer().check_sizes(data.n, data.d, samples=st.samples, max_bytes=st.max_bytes)
    check_cell_count(data.n, data.d, fam.bias)
    table = CellTable(data.X, fam.activation, fam.bias)
    sol = solve_cells(data.X, data.y_float, float(st.beta), model=fam.activation,
                      bias=fam.bias, table=table, max_seconds=st.max_seconds,
                      progress=st.progress, max_rounds=max(st.max_rounds, 100))
    state.program = sol
    state.route = {"route": "cells", "description": METHOD, "cells": len(table),
                   "rounds": sol.rounds, "held": int(len(sol.W)), "stop": sol.stop}
    state.atoms, state.solution = _float_solution(state, sol)
    return state


def _float_solution(state, sol):
    """The float answer (before the certificate): (atoms, Solution)."""
    from .certificate import active_neurons
    neurons = active_neurons(sol) if sol.stop == "optimal" else []
    if not neurons:                 # fall back on the groups themselves
        neurons = _groups_as_neurons(sol)
    atoms, z = _atoms(state, sol.table, neurons, None)
    return atoms, _solution(state, atoms, z, None, "float", None,
                            f"floating point (column generation over cells: {sol.stop})")


def _groups_as_neurons(sol):
    from .certificate import ActiveNeuron
    out = []
    groups = sol.group_weights()
    top = max([float(np.linalg.norm(w)) for _, _, w in groups] + [0.0])
    for c, s, w in groups:
        if np.linalg.norm(w) > 1e-9 * top:
            a = int(sol.table.anchor_of[c])
            out.append(ActiveNeuron(c, None if a < 0 else a, s, (), np.asarray(w)))
    return out


def _atoms(state, table, neurons, box_xi):
    atoms, z = [], []
    Xf = table.Xf
    for nr in neurons:
        if nr.w_ball is not None:
            w = np.array([float(v.mid()) for v in nr.w_ball])
            rho = float(nr.norm_ball.mid())
        else:
            w = np.asarray(nr.w, dtype=float)
            rho = float(np.linalg.norm(w))
        u = w / np.linalg.norm(w)
        c = -float(Xf[nr.anchor] @ u) if nr.anchor is not None else 0.0
        if getattr(nr, "pattern", None) is not None:     # unanchored: feature σ(Xw + b)
            b = float(nr.b_ball.mid()) if nr.b_ball is not None else float(nr.b)
            c = b / float(np.linalg.norm(w))
        wedge = ()
        if nr.kind == "ray" and nr.basis is not None:
            wedge = tuple(str(v) for v in nr.basis[:, 0])
        enc = ()
        if nr.w_ball is not None:
            from .kkt import arb_fraction
            enc = tuple((str(arb_fraction(v.lower())), str(arb_fraction(v.upper())))
                        for v in nr.w_ball)
        kind, points = ("interior" if nr.kind == "free" else nr.kind), tuple(nr.points)
        if not kind:                          # uncertified: the float structure guess
            A = table.rows[-1 if nr.anchor is None else nr.anchor]
            k = np.linalg.matrix_rank(A[list(nr.face)], tol=1e-9) if nr.face else 0
            kind = "interior" if k == 0 else ("ray" if k == table.d - 1 else "face")
            points = tuple(sorted(set(nr.face) | ({nr.anchor} if nr.anchor is not None
                                                  else set())))
        atoms.append(CellAtom(u, c, None, points, (), 1, kind, tuple(nr.face),
                              nr.anchor, wedge, enc))
        z.append(nr.sign * rho)
    return atoms, np.array(z, dtype=float)


def _solution(state, atoms, z, xi, status, enclosure, message):
    data, st, fam = state.data, state.settings, state.family
    Xf, y = data.X_float, data.y_float
    F = np.asarray(fam.features(Xf, atoms), dtype=float) if atoms else np.zeros((data.n, 0))
    fit0 = F @ z if len(z) else np.zeros(data.n)
    if xi is None:
        xi = float(np.mean(y - fit0)) if fam.bias else 0.0
    r = y - fit0 - xi
    obj = 0.5 * float(r @ r) + float(st.beta) * float(np.abs(z).sum())
    return Solution(z, xi, r, obj, status, enclosure=enclosure, message=message)


def cells_certificate(state):
    """Stage: the rigorous certificate (:func:`.certificate.certify_cells`) → the
    solution (enclosed when certified) and the network certificate."""
    from .certificate import certify_cells
    data, st = state.data, state.settings
    sol = state.program
    cert = certify_cells(sol, data.X, data.y, st.beta, progress=st.progress)
    beta = st.beta
    if cert.status == "certified-optimal":
        atoms, z = _atoms(state, sol.table, cert.neurons, cert.xi)
        xi = float(cert.xi.mid())
        lo, hi = cert.enclosure
        state.solution = _solution(state, atoms, z, xi, "enclosed", (lo, hi),
                                   f"{METHOD}: objective enclosure width {cert.width:.3g}")
        state.atoms = atoms
    sup = cert.sup if cert.status == "certified-optimal" else float(sol.sup)
    if cert.status == "certified-optimal" and cert.neurons:
        # cert.sup bounds the *other* cells; the active neurons attain β (KKT), so S = β
        sup = max(float(beta), float(sup or 0.0))
    msg = cert.message
    if cert.width is not None:
        msg += f"; objective enclosure width {cert.width:.3g}"
    state.certificate = CellsNetworkCertificate(
        cert.status, sup, beta, 0, "enclosure" if cert.status == "certified-optimal"
        else "float", message=msg, enclosure=cert.enclosure, width=cert.width,
        prec=cert.prec, checks={"groups": cert.checked, "by_norm": cert.by_norm,
                                "by_ball": cert.by_ball, "by_multiplier": cert.by_multiplier,
                                "by_identity": cert.by_identity})
    return state


def stages():
    """The stages of the cells route (``Family.stages``)."""
    from ..pipeline import network
    return (cells_lasso, cells_certificate, network)
