"""Explicit minimizers of deep ReLU networks on clustered data (THEORY §4).

Truncation maps (:mod:`.truncation`), the zero-cost construction (:mod:`.construct`), its
degenerate family (:mod:`.family`), exact step-wise separability (:mod:`.separability`),
local minima (:mod:`.local`), shallow relations (:mod:`.shallow`) and a numpy
gradient-descent baseline (:mod:`.gd`). scipy is imported lazily (separability only).

>>> import numpy as np
>>> X = np.array([[0., 0], [0.1, 0], [2, 0], [2, 0.1]])
>>> construct_minimizer(X, [0, 0, 1, 1], layers=2, exact=True).cost_exact
Fraction(0, 1)
"""
from .construct import MinimizerResult, cluster_geometry, construct_minimizer, prepare_data
from .family import family_member, output_null_direction
from .gd import gd_comparison
from .local import (active_neuron_network, affine_least_squares, local_minima_report,
                    no_truncation_minimum, rrr_costs, subset_truncation_probe)
from .separability import check_truncation
from .shallow import shallow_relations
from .truncation import apex, cumulative_params, forward, layers_from_cumulative, truncate

__all__ = ["construct_minimizer", "MinimizerResult", "prepare_data", "cluster_geometry",
           "family_member", "output_null_direction", "check_truncation",
           "affine_least_squares", "no_truncation_minimum", "rrr_costs",
           "active_neuron_network", "local_minima_report", "subset_truncation_probe",
           "shallow_relations", "gd_comparison",
           "truncate", "apex", "cumulative_params", "layers_from_cumulative", "forward"]
