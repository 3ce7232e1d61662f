"""Lasso solvers over explicit dictionaries (float, numba) and exact certificates.

``solve_lasso`` / ``lasso_path`` / ``beta_max`` — float coordinate descent;
``certify_lasso`` — exact KKT over ℚ or ball arithmetic (THEORY §5);
``min_l1_interpolation`` — the β → 0 limit as an exact LP.
"""
from .cd import LassoSolution, beta_max, duality_gap, solve_lasso
from .exact import ExactLasso, certify_lasso
from .lp import MinNormSolution, min_l1_interpolation
from .path import lasso_path

__all__ = ["LassoSolution", "solve_lasso", "lasso_path", "beta_max", "duality_gap",
           "ExactLasso", "certify_lasso", "MinNormSolution", "min_l1_interpolation"]
