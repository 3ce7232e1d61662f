"""The family registry: (model, depth, reg, bias) → a factory of :class:`Family`.

A new architecture is one new file that defines a family and registers it; ``fit`` and the
CLI find it here. The built-in families register themselves when ``exactgeo.families`` is
imported (which any import of this module does first).

>>> from exactgeo.families import get_family, registered
>>> ("relu", 2, "l1", True) in registered()
True
>>> get_family("abs", depth=2, reg="l2", bias=False).name
'abs-d2-l2-nobias'
"""
from __future__ import annotations

from typing import Callable

__all__ = ["register", "get_family", "registered"]

_FACTORIES: dict[tuple, Callable] = {}
_BY_DIM: dict[tuple, list] = {}          # key → [(dims, factory)]: dimension-specific


def register(model: str, depth: int, reg: str, bias: bool, factory: Callable,
             *, dims=None, replace: bool = False) -> None:
    """Register ``factory(**options) -> Family`` under (model, depth, reg, bias).

    ``dims`` (a container of input dimensions d, e.g. ``range(2, 2**31)``) registers a
    factory for data of those dimensions only: :func:`get_family` with ``d`` in ``dims``
    prefers it over the key's general factory (registered without ``dims``), which serves
    every other d (and ``d=None``)."""
    key = (model, int(depth), reg, bool(bias))
    if dims is not None:
        entries = [e for e in _BY_DIM.get(key, []) if e[0] != dims or not replace]
        if not replace and any(e[0] == dims for e in entries):
            raise ValueError(f"family {key} for d in {dims} is already registered "
                             "(pass replace=True)")
        _BY_DIM[key] = entries + [(dims, factory)]
        return
    if key in _FACTORIES and not replace:
        raise ValueError(f"family {key} is already registered (pass replace=True)")
    _FACTORIES[key] = factory


def registered() -> list:
    """The registered keys (model, depth, reg, bias), sorted."""
    return sorted(set(_FACTORIES) | set(_BY_DIM))


def get_family(model: str = "relu", depth: int = 2, reg: str = "l1", bias: bool = True,
               d=None, **options):
    """The family registered for (model, depth, reg, bias) and data of dimension ``d``
    (a factory registered with ``dims`` containing d first, else the general one; ``d``
    None: the general one); ``options`` go to its factory (e.g. ``axes`` for the two-layer
    families). ValueError naming the argument otherwise."""
    if isinstance(depth, bool) or not isinstance(depth, int):
        raise TypeError(f"depth: expected an int, got {type(depth).__name__} {depth!r}")
    key = (model, depth, reg, bool(bias))
    if d is not None:
        for dims, factory in _BY_DIM.get(key, []):
            if d in dims:
                return factory(**options)
    if key in _FACTORIES:
        return _FACTORIES[key](**options)
    if key in _BY_DIM:
        spans = ", ".join(str(dims) for dims, _ in _BY_DIM[key])
        raise ValueError(f"X: the family {key} needs data of dimension d in {spans}, got "
                         f"d = {d}")
    keys = registered()
    for i, (name, value) in enumerate((("model", model), ("depth", depth), ("reg", reg))):
        known = sorted({k[i] for k in keys})
        if value not in known:
            raise ValueError(f"{name}: expected one of {known}, got {value!r}")
    raise ValueError(f"no family for model={model!r}, depth={depth}, reg={reg!r}, "
                     f"bias={bool(bias)}; registered: {sorted(keys)}")

