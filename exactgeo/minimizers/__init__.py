"""Explicit minimizers of deep ReLU networks on clustered data (THEORY §4).

Truncation maps (:mod:`.truncation`), clustered data and their geometry (:mod:`.clusters`),
the exact truncation layer of one class (:mod:`.truncation_layer`), the result type and its
assembly and verification (:mod:`.result`), exact step-wise separability
(:mod:`.separability`), the zero-cost construction (:mod:`.construct`), its degenerate family
(:mod:`.family`), a numpy gradient-descent baseline (:mod:`.gd`), local minima
(:mod:`.local`), gradient descent vs the family (:mod:`.comparison`) and shallow relations
(:mod:`.shallow`). Every module imports only modules listed before it (the construction's
``method="lp"`` uses separability, not the other way round); scipy is imported lazily
(separability only).

>>> import numpy as np
>>> X = np.array([[0., 0], [0.1, 0], [2, 0], [2, 0.1]])
>>> construct_minimizer(X, [0, 0, 1, 1], layers=2, exact=True).cost_exact
Fraction(0, 1)
"""
from .clusters import cluster_geometry, prepare_data
from .comparison import gd_comparison
from .construct import construct_minimizer
from .family import family_member, output_null_direction
from .local import (active_neuron_network, affine_least_squares, local_minima_report,
                    no_truncation_minimum, rrr_costs, subset_truncation_probe)
from .result import MinimizerResult
from .separability import check_truncation
from .shallow import shallow_relations
from .truncation import apex, cumulative_params, forward, layers_from_cumulative, truncate

__all__ = ["construct_minimizer", "MinimizerResult", "prepare_data", "cluster_geometry",
           "family_member", "output_null_direction", "check_truncation",
           "affine_least_squares", "no_truncation_minimum", "rrr_costs",
           "active_neuron_network", "local_minima_report", "subset_truncation_probe",
           "shallow_relations", "gd_comparison",
           "truncate", "apex", "cumulative_params", "layers_from_cumulative", "forward"]
