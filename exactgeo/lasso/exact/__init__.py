"""Exact certificates of Lasso solutions (THEORY §5).

``kkt.py`` — :func:`certify_lasso`, the KKT point over ℚ with its repair rounds (the
working-set loop); ``ball.py`` — the same for columns a_k/√q_k in ball arithmetic, and the
exact ℓ2 machinery over Q(√q); ``lp.py`` — :func:`min_l1_interpolation`, the β → 0 limit;
``basis.py`` — what they share (result type, float start, exact basis, repair rule);
``rational.py`` — exact integer/flint helpers and the rigorous violation test.
"""
from .basis import ExactLasso
from .kkt import certify_lasso
from .lp import MinNormSolution, min_l1_interpolation

__all__ = ["ExactLasso", "certify_lasso", "MinNormSolution", "min_l1_interpolation"]
