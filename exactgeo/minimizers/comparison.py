"""Gradient descent vs the constructed family (THEORY §4.4–4.6): where does training end?

:func:`gd_comparison` trains the deep ReLU network (:mod:`.gd`, numpy, seeded full-batch
Adam) from random initialisations and from the zero-cost construction (:mod:`.construct`,
slightly perturbed), and places each end point relative to the family: the global value 0 or
one of the active-neuron local values c_N·RRR_k (:func:`~.local.rrr_costs`). The labels are
numerical observations, not proofs.

>>> import numpy as np
>>> X = np.array([[0., 0], [0.1, 0], [2, 0], [2, 0.1]])
>>> rows = gd_comparison(X, [0, 0, 1, 1], layers=2, inits=1, steps=50)
>>> [r["start"] for r in rows]
['random seed 0', 'construction + N(0, 0.001²)']
>>> rows[1]["final_cost"] < 1e-3
True
"""
from __future__ import annotations

import numpy as np

from .clusters import prepare_data
from .construct import construct_minimizer
from .gd import cost, params_from_result, random_init, train
from .local import rrr_costs

__all__ = ["gd_comparison"]


def gd_comparison(X, labels, layers, Y=None, inits=3, steps=1500, lr=5e-3, seed=0,
                  from_construction=True, perturb=1e-3):
    """Train from ``inits`` seeded random initialisations (and from the construction, slightly
    perturbed) and place each end point relative to the family: the global value 0 and the
    active-neuron local values c_N·RRR_k (THEORY §4.6). Returns a list of dict rows.

    Labels: "global (zero cost)" if the final cost ≤ 1e-6·C_0 (C_0 = cost of the constant
    fit c_N·RRR_0), "near RRR_k" if within 1 % of a local value, "below every active-neuron
    value, not yet zero", else "other".
    """
    data = prepare_data(X, labels, Y=Y, exact=False)
    Xf = np.asarray(data.X, dtype=float)
    T = np.asarray(data.Y, dtype=float)[:, data.cls].T
    rrr = rrr_costs(X, labels, Y=Y)
    c0 = rrr[0]
    rows = []
    starts = [(f"random seed {seed + i}", random_init(data.M, data.Q, T.shape[1], layers,
                                                        seed=seed + i)) for i in range(inits)]
    if from_construction:
        res = construct_minimizer(Xf, labels, Y=Y, layers=layers)
        p = params_from_result(res)
        rng = np.random.default_rng(seed)
        p = [(W + perturb * rng.normal(size=W.shape), b + perturb * rng.normal(size=b.shape))
             for W, b in p]
        starts.append((f"construction + N(0, {perturb:g}²)", p))
    for name, p in starts:
        start_cost = cost(p, Xf, T)
        final, hist = train(p, Xf, T, steps=steps, lr=lr)
        fc = hist[-1]
        if fc <= 1e-6 * c0:
            where = "global (zero cost)"
        else:
            near = [k for k, v in enumerate(rrr) if abs(fc - v) <= 0.01 * max(v, 1e-300)]
            if near and near[0] == 0:
                where = "near c_N RRR_0 (constant fit: all neurons dead)"
            elif near:
                where = f"near c_N RRR_{near[0]} (active-neuron family, k = {near[0]})"
            elif fc < 0.99 * min(rrr):
                where = "below every active-neuron value, not yet zero"
            else:
                where = "other"
        rows.append({"start": name, "start_cost": start_cost, "final_cost": fc, "where": where})
    return rows
