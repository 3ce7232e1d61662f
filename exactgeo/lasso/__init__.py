"""Lasso solvers over column sources (float, numba) and exact certificates.

``problem`` — the Lasso once: primal, dual, gap, normalisation (``beta_max``,
``duality_gap``); ``working_set`` — THE restricted-solve → price → add loop (also
``column_generation``); inner solvers ``ipm``, ``cd``, ``active``; ``basic`` — basic
solutions from interior ones; ``solver`` — ``solve_lasso`` (the loop with an inner solver);
``path`` — ``lasso_path``; ``exact/`` — ``certify_lasso`` (KKT over ℚ or in ball
arithmetic, THEORY §5) and ``min_l1_interpolation`` (the β → 0 limit as an exact LP).
"""
from .exact import ExactLasso, MinNormSolution, certify_lasso, min_l1_interpolation
from .path import lasso_path
from .problem import beta_max, duality_gap
from .solver import LassoSolution, solve_lasso

__all__ = ["LassoSolution", "solve_lasso", "lasso_path", "beta_max", "duality_gap",
           "ExactLasso", "certify_lasso", "MinNormSolution", "min_l1_interpolation"]
