"""exactgeo: the exact geometry of neural networks.

>>> import exactgeo
>>> from fractions import Fraction as F
>>> exactgeo.cross([[F(1), F(0), F(0)], [F(0), F(1), F(0)]]).tolist()
[Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]

Heavy parts (solvers, sympy, clifford) load on first use, so ``import exactgeo`` stays light.
"""
from importlib import import_module

__version__ = "0.1.0"

# public name → module that defines it (imported on first access)
_GA = ["wedge", "cross", "blade_indices", "hodge_dual", "volume", "gram_norm2",
       "linear_hyperplane", "affine_hyperplane", "signed_distance", "signed_distance_squared",
       "reflect_across_point", "reflect_across_hyperplane", "to_clifford", "from_clifford"]
_LAZY = {
    **{name: "exactgeo.ga" for name in _GA},
    "fit": "exactgeo.pipeline",
    "ConvexNet": "exactgeo.estimator",
    "construct_minimizer": "exactgeo.minimizers",
    "check_truncation": "exactgeo.minimizers",
    "shallow_relations": "exactgeo.minimizers",
    "local_minima_report": "exactgeo.minimizers",
    "get_family": "exactgeo.families",
    "solve_lasso": "exactgeo.lasso",
    "certify_lasso": "exactgeo.lasso",
    "min_l1_interpolation": "exactgeo.lasso",
    "network_certificate": "exactgeo.certify",
    "column_generation": "exactgeo.certify",
    "TwoLayerNet": "exactgeo.nets",
    "Network": "exactgeo.nets",
    "load": "exactgeo.data",
    "read_csv": "exactgeo.data",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exactgeo' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
