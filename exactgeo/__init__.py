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
_LAZY = {
    "wedge": "exactgeo.ga",
    "cross": "exactgeo.ga",
    "fit": "exactgeo.fitting",
    "construct_minimizer": "exactgeo.minimizers",
    "get_family": "exactgeo.families",
    "solve_lasso": "exactgeo.lasso",
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
