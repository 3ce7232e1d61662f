"""The exact truncation layer of one class (THEORY §4.4, exact variant).

:func:`exact_truncation_layer` gives the cumulative parameters (W, b) — rows
w_k = (−v + tσ_kP_ve_k)ᵀG — whose truncation map τ_{W,b} collapses the points of one class
onto a prescribed apex a and fixes every other point, together with the exact admissible
interval (0, t_max] of the cone parameter t. It is the common step of the κ < 1/2
construction (:mod:`.construct`), of the separability construction (:mod:`.separability`)
and of the rotated family members (:mod:`.family`).

>>> import numpy as np
>>> from fractions import Fraction
>>> from exactgeo.numbers import as_exact_array
>>> from exactgeo.minimizers.truncation import truncate
>>> P = as_exact_array([[0, 1, 4, 4], [0, 1, 0, 3]])        # points as columns
>>> inside = np.array([True, True, False, False])           # the class: the first two
>>> v, a = as_exact_array([-1, 0]), as_exact_array([2, 0])  # v points towards the class
>>> W, b, t, t_max = exact_truncation_layer(v, a, P, inside, t_target=Fraction(8))
>>> t, t_max                                                # 8 halved until t <= t_max
(Fraction(1, 1), Fraction(1, 1))
>>> truncate(W, b, P).tolist() == [[2, 2, 4, 4], [0, 0, 0, 3]]   # class onto a, rest fixed
True
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .truncation import eye

__all__ = ["exact_truncation_layer"]


def exact_truncation_layer(v, a, P, in_class, G=None, t_target=None, frame=None):
    """Exact cumulative (W, b) truncating the columns ``P[:, in_class]`` to the apex ``a`` and
    fixing the others; rows w_k = (−v + tσ_kP_ve_k)ᵀG (THEORY §4.4 exact variant, in the
    metric G; ``frame`` (Q, Q) replaces the rows σ_k(P_ve_k)ᵀ, rows in v^⊥). Returns
    (W, b, t, t_max); t = t_target halved until t ≤ t_max, where (0, t_max] is the exact
    admissible interval. ValueError if no t > 0 works.
    """
    Q = v.shape[0]
    Gm = eye(Q, True) if G is None else G
    Gv = Gm @ v
    hh = v @ Gv
    if frame is None:
        # P_v = I − v vᵀG/h²;  P_vᵀ G = G − Gv vᵀG/h²  (symmetric G)
        sigma = np.array([Fraction(1) if x >= 0 else Fraction(-1) for x in v], dtype=object)
        FG = sigma.reshape(-1, 1) * (Gm - np.outer(Gv, Gv) / hh)
    else:
        FG = frame @ Gm
    Dx = P - a.reshape(-1, 1)
    alpha = -(Gv @ Dx)                     # (N,)
    beta = FG @ Dx                          # (Q, N)
    t_max = None
    al = alpha.tolist()
    for col in range(Dx.shape[1]):
        al_c = al[col]
        inside = bool(in_class[col])
        if inside and al_c > 0 or (not inside and al_c < 0):
            raise ValueError("the separating direction puts a point on the wrong side of the apex")
        for k in range(Q):
            bk = beta[k, col]
            if inside and bk > 0:
                bound = -al_c / bk
            elif not inside and bk < 0:
                bound = al_c / (-bk)
            else:
                continue
            if t_max is None or bound < t_max:
                t_max = bound
    if t_max is not None and t_max <= 0:
        raise ValueError("no admissible cone parameter t > 0 (a point lies on the apex "
                         "hyperplane)")
    t = t_target if t_target is not None else Fraction(1)
    while t_max is not None and t > t_max:  # THEORY 4.4: halve t until every sign holds
        t /= 2
    W = -np.outer(np.array([Fraction(1)] * Q, dtype=object), Gv) + t * FG
    b = -(W @ a)
    return W, b, t, t_max
