"""Reconstruction: the two-layer network of a Lasso solution (THEORY §2.6).

For each atom (u_k, c_k) with z_k ≠ 0, γ_k = √|z_k| gives w_k = γ_ku_k, b_k = γ_kc_k and
α_k = sign(z_k)γ_k, so α_kσ(w_kᵀx + b_k) = z_kσ(u_kᵀx + c_k) and (β/2)(‖w_k‖_p² + α_k²) =
β|z_k|: the network objective equals the Lasso objective. Exact atoms and coefficients give
a net that keeps this factorisation (:mod:`.units`), so the identity holds over ℚ.

>>> from fractions import Fraction as F
>>> import numpy as np
>>> from exactgeo.families import get_family
>>> fam = get_family("relu", depth=2, reg="l1", bias=False)
>>> X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> D = fam.dictionary(X, exact=True)
>>> net = from_lasso(fam, [D.atoms[0]], [F(1, 2)])
>>> net.width, net.forward(X).tolist() == (D.columns([0]).dot([F(1, 2)])).tolist()
(1, True)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Optional

import numpy as np

from ..numbers import as_array, is_exact_scalar, to_fraction
from .network import TwoLayerNet

__all__ = ["from_lasso"]


def from_lasso(family, atoms, z, xi=0, *, drop_zero: bool = True,
               n_features: Optional[int] = None) -> TwoLayerNet:
    """The network of THEORY §2.6 from a Lasso solution over ``atoms`` of ``family``.

    ``atoms`` is a sequence of :class:`exactgeo.families.base.Atom`, ``z`` their
    coefficients (exact or float), ``xi`` the intercept (None → 0). Atoms with z = 0 are
    dropped. Each neuron keeps its atom's ``points`` and ``axes``. ``n_features`` d gives
    the input width when there are no atoms (the intercept-only network).
    """
    z_arr, ex = as_array(z, "z")
    if len(atoms) != len(z_arr):
        raise ValueError(f"z: expected {len(atoms)} coefficients (one per atom), got {len(z_arr)}")
    keep = [k for k in range(len(atoms)) if not (drop_zero and z_arr[k] == 0)]
    act = getattr(family, "activation", "relu")
    reg = getattr(family, "reg", "l1")
    d = len(atoms[0].u) if len(atoms) else (n_features or 0)
    if not keep:
        U = np.zeros((0, d), dtype=object if ex else float)
        return TwoLayerNet.from_units(U, np.zeros(0, dtype=U.dtype), np.zeros(0, dtype=U.dtype),
                                      xi=xi, activation=act, reg=reg)
    sel = [atoms[k] for k in keep]
    exact_atoms = ex and all(_is_exact_atom(a) for a in sel)
    if exact_atoms:
        U = np.array([[to_fraction(v) for v in a.u] for a in sel], dtype=object)
        c = np.array([to_fraction(a.c) for a in sel], dtype=object)
        zz = np.array([z_arr[k] for k in keep], dtype=object)
        ns = None
        if any(a.norm_sq is not None for a in sel):
            ns = [to_fraction(a.norm_sq) if a.norm_sq is not None else _norm_sq(a.u) for a in sel]
        xi_v = to_fraction(xi) if xi is not None else Fraction(0)
    else:
        U = np.array([[float(v) for v in a.u] for a in sel], dtype=float)
        c = np.array([float(a.c) for a in sel], dtype=float)
        zz = np.array([float(z_arr[k]) for k in keep], dtype=float)
        ns = None
        if any(a.norm_sq is not None for a in sel):
            ns = [float(a.norm_sq) if a.norm_sq is not None else 1.0 for a in sel]
        xi_v = float(xi) if xi is not None else 0.0
    return TwoLayerNet.from_units(U, c, zz, xi=xi_v, activation=act, reg=reg, norm_sq=ns,
                                  points=[tuple(a.points) for a in sel],
                                  axes=[tuple(a.axes) for a in sel])


def _is_exact_atom(a) -> bool:
    return all(is_exact_scalar(v) for v in np.asarray(a.u, dtype=object).flat) and \
        is_exact_scalar(a.c if a.c is not None else 0)


def _norm_sq(u):
    return sum((to_fraction(v) ** 2 for v in u), Fraction(0))
