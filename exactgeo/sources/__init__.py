"""Column sources: the dictionary of a Lasso as the working-set loop sees it.

``ColumnSource`` (base.py) is the protocol — ``size``, ``columns(idx)`` (float and exact
views), ``correlate(r)``, ``price(r, k)``, ``atoms(idx)``; ``ExplicitSource``
(explicit.py) holds every column (a matrix or a family's ``Dictionary``);
``GeneratedSource`` (generated.py) holds the columns a family's pricing oracle added
(column generation); ``ImplicitSource`` (implicit.py) streams a finite dictionary too
large to store in blocks within a memory budget.
"""
from .base import ColumnSource, Priced, top_k
from .explicit import ExplicitSource, as_source
from .generated import GeneratedSource
from .implicit import ImplicitSource

__all__ = ["ColumnSource", "Priced", "top_k", "ExplicitSource", "GeneratedSource", "ImplicitSource",
           "as_source"]
