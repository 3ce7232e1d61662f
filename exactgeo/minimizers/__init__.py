"""Explicit minimizers of deep ReLU networks on clustered data (THEORY §4).

Truncation maps (:mod:`.truncation`), the zero-cost construction (:mod:`.construct`), its
degenerate family (:mod:`.family`), exact step-wise separability (:mod:`.separability`),
local minima (:mod:`.local`), shallow relations (:mod:`.shallow`) and a gradient-descent
baseline (:mod:`.gd`).
"""
from .construct import MinimizerResult, cluster_geometry, construct_minimizer, prepare_data
from .truncation import apex, cumulative_params, forward, layers_from_cumulative, truncate

__all__ = ["construct_minimizer", "MinimizerResult", "prepare_data", "cluster_geometry",
           "truncate", "apex", "cumulative_params", "layers_from_cumulative", "forward"]
