"""The ℓ2 (weight-decay) two-layer families with the exact cells route (THEORY §2.8).

They are the ℓ2 :class:`~exactgeo.families.twolayer.TwoLayerFamily` (dictionary W2 / T,
features, pricing, reconstruction) plus :meth:`WeightDecayFamily.stages`: with
``certify`` (and not min-norm) ``fit`` runs the cells route — the group Lasso over every
arrangement cell and its Krawczyk certificate (:mod:`exactgeo.cells.route`) — wherever it
applies (d ≤ 3 always; d ≥ 4 when the cell count fits), and the dictionary route
otherwise. Registered for relu / abs, with and without bias.

>>> from exactgeo.families import get_family
>>> fam = get_family("relu", reg="l2", bias=True)
>>> type(fam).__name__, fam.name
('WeightDecayFamily', 'relu-d2-l2-bias')
"""
from __future__ import annotations

from .registry import register
from .twolayer import TwoLayerFamily

__all__ = ["WeightDecayFamily"]


class WeightDecayFamily(TwoLayerFamily):
    """ℓ2 two-layer family (``activation`` relu | abs, ``bias``) with the cells route;
    ``route="dictionary"`` keeps the W2 / T dictionary route (``fit(...,
    family_options={"route": "dictionary"})``)."""

    def __init__(self, activation: str = "relu", bias: bool = True, axes=None,
                 route: str = "cells"):
        super().__init__(activation, "l2", bias=bias, axes=axes)
        if route not in ("cells", "dictionary"):
            raise ValueError(f"route: expected 'cells' or 'dictionary', got {route!r}")
        self.route = route

    def stages(self, data, settings):
        """The cells route's stages when certifying a Lasso (β > 0) where it applies."""
        if self.route != "cells" or not settings.certify or settings.min_norm or \
                settings.colgen:
            return None
        from ..cells.route import applies, stages
        if not applies(data.n, data.d, self.bias):
            return None
        return stages()


for _model in ("relu", "abs"):
    for _bias in (True, False):
        register(_model, 2, "l2", _bias,
                 lambda axes=None, route="cells", _m=_model, _b=_bias:
                 WeightDecayFamily(_m, _b, axes=axes, route=route), replace=True)
