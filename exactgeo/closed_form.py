"""Closed-form weights: a fitted network as sympy expressions and as LaTeX, each first-layer
neuron written in terms of the training points whose (augmented) cross product spans it.

A Lasso neuron is a unit atom (u, c) = s·×(V)/‖×(V)_{1:d}‖_p (THEORY §0, §2.3): V lists the
augmented training points x̃_i = (x_i, 1) (bias) or the points x_i (no bias), then basis
directions e_k, and s = ±1. The network weights are w = γu, b = γc, α = sign(z)γ with
γ = √|z| (THEORY §2.6), so they are algebraic: a rational times the square root of an
integer, :class:`Radical`. :func:`neuron_forms` reads each neuron of a network (generic
over ``net.layers``: the span is read from a neuron's ``points``/``axes`` and *verified*
exactly against the data, never assumed); :func:`to_sympy` gives the network function,
:func:`to_latex` the whole closed form, and :func:`weight_strings` the exact JSON strings.

THEORY G1 (ℓ1, no bias): two neurons, each the cross product of one training point,
with z = 9/10, hence w = √(9/10)·u = 3√10/10·u.

>>> from fractions import Fraction as F
>>> import exactgeo
>>> X = [[F(1), F(0)], [F(0), F(1)]]
>>> res = exactgeo.fit(X, [F(1), F(1)], reg="l1", bias=False, beta=F(1, 10))
>>> forms = neuron_forms(res.net, X)
>>> forms[0].span.describe(), [str(v) for v in forms[0].w], str(forms[0].alpha)
('+×(x_0)/‖·‖_1', ['0', '3*sqrt(10)/10'], '3*sqrt(10)/10')
>>> to_sympy(res.net)
3*sqrt(10)*Max(0, 3*sqrt(10)*x_1/10)/10 + 3*sqrt(10)*Max(0, 3*sqrt(10)*x_2/10)/10
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import Any, Optional

import numpy as np

from .numbers import fraction_str, int_str, is_exact_scalar, to_fraction

__all__ = ["Radical", "sqrt_radical", "Span", "find_span", "NeuronForm", "neuron_form", "neuron_forms",
           "to_sympy", "to_latex", "weight_strings"]

_SMALL_PRIMES = [p for p in range(2, 1000) if all(p % q for q in range(2, isqrt(p) + 1))]
_SYMPY_SQRT_BITS = 256      # larger radicands stay an unevaluated sympy sqrt (no factoring)


# ------------------------------------------------------------------ algebraic numbers

@dataclass(frozen=True)
class Radical:
    """The exact real number ``coef``·√``radicand`` (coef a Fraction, radicand an int ≥ 1
    free of square factors below 1000, so radicand = 1 exactly when the value is rational).

    >>> r = sqrt_radical(Fraction(7, 10)); str(r), r.latex(), float(r)
    ('sqrt(70)/10', '\\\\frac{\\\\sqrt{70}}{10}', 0.8366600265340756)
    >>> str(Radical(Fraction(-3, 7)))
    '-3/7'
    """
    coef: Fraction
    radicand: int = 1

    @property
    def rational(self) -> bool:
        return self.radicand == 1 or self.coef == 0

    def __mul__(self, q) -> "Radical":
        """Times an exact rational."""
        return Radical(self.coef * to_fraction(q), self.radicand)

    __rmul__ = __mul__

    def __neg__(self) -> "Radical":
        return Radical(-self.coef, self.radicand)

    def __float__(self) -> float:
        if self.rational:
            return float(self.coef)
        # √radicand to 2^-60 relative in integers: radicands may exceed the float range
        s = isqrt(self.radicand << 120)
        f = Fraction(self.coef.numerator * s, self.coef.denominator << 60)
        return float(f)

    def __str__(self) -> str:
        """sympy's spelling ("3*sqrt(10)/10", "-sqrt(70)/10", "3/7"): ``sympy.sympify``
        reads it back."""
        if self.rational:
            return fraction_str(self.coef)
        p, q, rad = self.coef.numerator, self.coef.denominator, int_str(self.radicand)
        num = f"sqrt({rad})" if abs(p) == 1 else f"{int_str(abs(p))}*sqrt({rad})"
        num = ("-" if p < 0 else "") + num
        return num if q == 1 else f"{num}/{int_str(q)}"

    def latex(self) -> str:
        if self.rational:
            return _latex_fraction(self.coef)
        p, q = self.coef.numerator, self.coef.denominator
        root = f"\\sqrt{{{int_str(self.radicand)}}}"
        num = root if abs(p) == 1 else f"{int_str(abs(p))} {root}"
        body = num if q == 1 else f"\\frac{{{num}}}{{{int_str(q)}}}"
        return ("-" if p < 0 else "") + body

    def to_sympy(self):
        """The sympy number (a radicand beyond 256 bits stays an unevaluated sqrt, so
        sympy does not try to factor it)."""
        import sympy
        c = sympy.Rational(self.coef.numerator, self.coef.denominator)
        if self.rational:
            return c
        M = sympy.Integer(self.radicand)
        if self.radicand.bit_length() <= _SYMPY_SQRT_BITS:
            return c * sympy.sqrt(M)
        # unevaluated: sympy would otherwise run primality tests on the radicand
        root = sympy.Pow(M, sympy.S.Half, evaluate=False)
        return root if c == 1 else sympy.Mul(c, root, evaluate=False)


def sqrt_radical(q) -> Radical:
    """√q for an exact q ≥ 0 as a :class:`Radical`, without factoring q: √(a/b) = √(ab)/b,
    then square factors below 1000 and an exact square remainder are pulled out.

    >>> sqrt_radical(Fraction(9, 10)), str(sqrt_radical(Fraction(4, 9)))
    (Radical(coef=Fraction(3, 10), radicand=10), '2/3')
    """
    q = to_fraction(q, "q")
    if q < 0:
        raise ValueError(f"q: expected an exact number >= 0, got {q}")
    if q == 0:
        return Radical(Fraction(0))
    n, b = q.numerator * q.denominator, q.denominator
    out = 1
    for p in _SMALL_PRIMES:
        pp = p * p
        if pp > n:
            break
        while n % pp == 0:
            n //= pp
            out *= p
    r = isqrt(n)
    if r * r == n:
        out, n = out * r, 1
    return Radical(Fraction(out, b), n)


def _latex_fraction(q) -> str:
    q = to_fraction(q)
    p, d = q.numerator, q.denominator
    if d == 1:
        return int_str(p)
    return ("-" if p < 0 else "") + f"\\frac{{{int_str(abs(p))}}}{{{int_str(d)}}}"


def _value_str(v) -> str:
    if isinstance(v, Radical):
        return str(v)
    if is_exact_scalar(v):
        return fraction_str(v)
    return str(v)


def _value_latex(v) -> str:
    if isinstance(v, Radical):
        return v.latex()
    if is_exact_scalar(v):
        return _latex_fraction(v)
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.6g}"
    import sympy
    return sympy.latex(v)


def _value_sympy(v):
    import sympy
    if isinstance(v, Radical):
        return v.to_sympy()
    if isinstance(v, (float, np.floating)):
        return sympy.Float(float(v))
    if is_exact_scalar(v):
        f = to_fraction(v)
        return sympy.Rational(f.numerator, f.denominator)
    return sympy.sympify(v)


# ------------------------------------------------------------------------- spans

@dataclass(frozen=True)
class Span:
    """The unit neuron (u, c) = ``sign``·×(V)/‖×(V)_{1:d}‖_``norm`` (THEORY §0), V the rows
    x̃_i (``augmented``: (x_i, 1), else x_i) for i in ``points`` then e_k (augmented:
    (e_k, 0)) for k in ``axes``, both ascending; indices are 0-based training rows / axes,
    as in the JSON ``points``/``axes``. Found by :func:`find_span`, which checks it exactly.
    """
    points: tuple
    axes: tuple
    sign: int
    augmented: bool
    norm: str                 # "l1" | "l2"

    def describe(self) -> str:
        """Plain text, e.g. ``-×(x̃_3, x̃_7)/‖·‖_1``."""
        tilde = "\u0303" if self.augmented else ""
        names = [f"x{tilde}_{i}" for i in self.points] + [f"e_{k}" for k in self.axes]
        return f"{'+' if self.sign > 0 else '-'}×({', '.join(names)})/‖·‖_{self.norm[1]}"

    def vector_names_latex(self) -> list:
        x = "\\tilde{x}" if self.augmented else "x"
        return [f"{x}_{{{i}}}" for i in self.points] + [f"e_{{{k}}}" for k in self.axes]

    def latex(self) -> str:
        """``-\\frac{\\times(\\tilde{x}_{3}, \\tilde{x}_{7})}{\\lVert …\\rVert_{1}}``."""
        cr = f"\\times({', '.join(self.vector_names_latex())})"
        p = self.norm[1]
        return (("-" if self.sign < 0 else "") +
                f"\\frac{{{cr}}}{{\\lVert {cr}_{{1:d}} \\rVert_{{{p}}}}}")

    def vectors(self, X) -> np.ndarray:
        """The rows of V as an exact object array (k, d or d + 1)."""
        Xq = np.asarray(X, dtype=object)
        d = Xq.shape[1]
        dim = d + 1 if self.augmented else d
        rows = []
        for i in self.points:
            rows.append([to_fraction(v) for v in Xq[i]] + ([Fraction(1)] if self.augmented
                                                           else []))
        for k in self.axes:
            e = [Fraction(0)] * dim
            e[k] = Fraction(1)
            rows.append(e)
        return np.array(rows, dtype=object).reshape(len(rows), dim)

    def symbolic(self, d: int):
        """(u, c) as sympy expressions in the coordinate symbols x_{i,k} of the named points
        (k = 1 … d): a sympy Matrix (d,) and c (0 without augmentation), with the symbols."""
        import sympy
        from .ga import cross
        syms = {i: [sympy.Symbol(f"x_{{{i},{k}}}", real=True) for k in range(1, d + 1)]
                for i in self.points}
        dim = d + 1 if self.augmented else d
        rows = [syms[i] + ([sympy.Integer(1)] if self.augmented else []) for i in self.points]
        for k in self.axes:
            rows.append([sympy.Integer(1 if t == k else 0) for t in range(dim)])
        cr = list(cross(np.array(rows, dtype=object).reshape(len(rows), dim)))
        u = cr[:d]
        norm = (sum(sympy.Abs(v) for v in u) if self.norm == "l1"
                else sympy.sqrt(sum(v ** 2 for v in u)))
        c = cr[d] if self.augmented else sympy.Integer(0)
        return sympy.Matrix([self.sign * v / norm for v in u]), self.sign * c / norm, syms


def find_span(X, u, c, points, axes, *, norm: str, norm_sq=None) -> Optional[Span]:
    """The :class:`Span` of the exact neuron (u, c) (divided by √norm_sq when given) on the
    exact data X (n, d), if its ``points``/``axes`` span it, else None. Decided exactly:
    ×(V) must be a non-zero multiple t·(u, c), sign = sign(t), and the unit neuron must
    equal sign·×(V)/‖×(V)_{1:d}‖_norm (for ℓ2 compared by squares).

    >>> X = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
    >>> find_span(X, [Fraction(1, 2), Fraction(1, 2)], Fraction(-1, 2), (0, 1), (), norm="l1")
    Span(points=(0, 1), axes=(), sign=-1, augmented=True, norm='l1')
    """
    from .ga import cross
    if norm not in ("l1", "l2") or not (points or axes):
        return None
    vals = list(u) + [c]
    if not all(is_exact_scalar(v) for v in vals):
        return None
    Xq = np.asarray(X, dtype=object)
    if Xq.ndim != 2 or not all(is_exact_scalar(v) for v in Xq.flat):
        return None
    n, d = Xq.shape
    k = len(points) + len(axes)
    if k not in (d - 1, d) or len(vals) != d + 1 or any(not 0 <= i < n for i in points) \
            or any(not 0 <= a < d for a in axes) or d < 1:
        return None
    augmented = k == d
    if d == 1 and not augmented:
        return None
    span = Span(tuple(sorted(points)), tuple(sorted(axes)), 1, augmented, norm)
    cr = [to_fraction(v) for v in cross(span.vectors(Xq))]
    theta = [to_fraction(v) for v in vals] if augmented else [to_fraction(v) for v in u]
    if not augmented and to_fraction(c) != 0:
        return None
    piv = next((i for i, v in enumerate(theta) if v != 0), None)
    if piv is None or cr[piv] == 0:
        return None
    t = cr[piv] / theta[piv]                      # ×(V) = t·(u, c)
    if any(a != t * b for a, b in zip(cr, theta)):
        return None
    sign = 1 if t > 0 else -1
    if norm == "l1":
        s = sum((abs(v) for v in cr[:d]), Fraction(0))      # unit: ×/s = sign·(u, c)/|t|·…
        ok = norm_sq is None and s == abs(t)                 # (u, c) is ℓ1-unit already
    else:
        q = to_fraction(norm_sq) if norm_sq is not None else \
            sum((v * v for v in theta[:d]), Fraction(0))
        ok = sum((v * v for v in cr[:d]), Fraction(0)) == t * t * q
        if norm_sq is None:                       # (u, c) itself must then be ℓ2-unit
            ok = ok and q == 1
    return Span(span.points, span.axes, sign, augmented, norm) if ok else None


# ----------------------------------------------------------------------- neurons

@dataclass
class NeuronForm:
    """Neuron j of the first hidden layer of a network, in closed form.

    ``w`` (d,), ``b``, ``alpha``: exact (:class:`Radical` for a factorised two-layer net,
    Fractions or sympy numbers for exact nets) or floats. ``z``, ``u``, ``c``, ``norm_sq``:
    the Lasso coefficient and atom of a factorised net (else None); ``alpha`` is None when
    the net has deeper layers (read them from :func:`to_sympy`). ``span``: the
    :class:`Span` when the neuron's ``points``/``axes`` verifiably span it, else None.
    """
    index: int
    points: tuple
    axes: tuple
    w: list
    b: Any
    alpha: Any
    exact: bool
    span: Optional[Span] = None
    z: Any = None
    u: Any = None
    c: Any = None
    norm_sq: Any = None

    def gamma(self) -> Optional[Radical]:
        """γ = √|z|/√norm_sq, the factor with w = γu, b = γc (factorised nets)."""
        if self.z is None or not self.exact:
            return None
        q = to_fraction(self.norm_sq) if self.norm_sq is not None else Fraction(1)
        return sqrt_radical(abs(to_fraction(self.z)) / q)

    def symbolic(self):
        """(w, b, alpha, subs): w (sympy Matrix (d,)) and b written through the named
        training points' coordinate symbols x_{i,k} (√|z|·sign·×(V)/‖×(V)_{1:d}‖), α a number,
        and ``subs`` the exact coordinates of those points; None without a span. So
        ``w.subs(subs)`` is the network's exact first-layer row j."""
        if self.span is None or self.gamma() is None:
            return None
        d = len(self.w)
        u, c, syms = self.span.symbolic(d)
        g = sqrt_radical(abs(to_fraction(self.z))).to_sympy()    # the span is unit already
        return u * g, c * g, _value_sympy(self.alpha), syms

    def latex(self) -> str:
        """One display line: the span (when known) with its exact numbers, z, w, b, α."""
        j = self.index + 1
        vec = lambda vs: "\\left(" + ", ".join(_value_latex(v) for v in vs) + "\\right)"
        parts = []
        if self.u is not None:
            uc = vec(self.u) if not self.span or not self.span.augmented else \
                "\\left(" + ", ".join(_value_latex(v) for v in self.u) + ";\\ " + \
                _value_latex(self.c) + "\\right)"
            lhs = f"(u_{{{j}}}, c_{{{j}}})" if self.span is None or self.span.augmented \
                else f"u_{{{j}}}"
            unit = "" if self.norm_sq is None else \
                f"\\Big/\\sqrt{{{_latex_fraction(self.norm_sq)}}}"
            if self.span is not None:
                parts.append(f"{lhs} = {self.span.latex()} = {uc}{unit}")
            else:
                parts.append(f"{lhs} = {uc}{unit}")
            parts.append(f"z_{{{j}}} = {_value_latex(self.z)}")
            parts.append(f"w_{{{j}}} = \\sqrt{{|z_{{{j}}}|}}\\,u_{{{j}}} = {vec(self.w)}")
        else:
            pts = ""
            if self.points or self.axes:
                pts = (" \\text{ (points " + ", ".join(map(str, self.points)) +
                       ("; axes " + ", ".join(map(str, self.axes)) if self.axes else "") +
                       ")}")
            parts.append(f"w_{{{j}}} = {vec(self.w)}{pts}")
        parts.append(f"b_{{{j}}} = {_value_latex(self.b)}")
        if self.alpha is not None:
            parts.append(f"\\alpha_{{{j}}} = {_value_latex(self.alpha)}")
        return ",\\quad ".join(parts)


def _units(net):
    """The two-layer factorisation (:class:`~exactgeo.nets.units.Units`) of ``net``, or None
    (float nets, nets with explicit exact weights, other factorisations such as deep
    chains: those are read through ``net.exact_layers()``)."""
    from .nets.units import Units
    return net.units if isinstance(net.units, Units) else None


def _reg_name(net) -> Optional[str]:
    reg = net.reg if isinstance(net.reg, str) else getattr(net.reg, "name", None)
    return reg if reg in ("l1", "l2") else None


def neuron_forms(net, X=None) -> list:
    """One :class:`NeuronForm` per first-layer neuron of ``net`` (a
    :class:`~exactgeo.nets.Network`). With the exact training data ``X`` (n, d) each
    neuron's named ``points``/``axes`` are checked to span it (:func:`find_span`).
    Exact weights of a factorised net are :class:`Radical` (no integer factoring)."""
    layers = None
    if _units(net) is None and net.exact:
        layers = net.exact_layers()            # once: sympy weights may be costly
    return [neuron_form(net, j, X, _exact_layers=layers) for j in range(net.width)]


def neuron_form(net, j: int, X=None, *, _exact_layers=None) -> NeuronForm:
    """:class:`NeuronForm` of first-layer neuron ``j`` of ``net`` (see :func:`neuron_forms`).

    >>> from exactgeo.nets import TwoLayerNet
    >>> net = TwoLayerNet.from_units([[Fraction(3, 5), Fraction(-2, 5)]], [Fraction(1, 5)],
    ...                              [Fraction(7, 10)], activation="relu", reg="l1")
    >>> f = neuron_form(net, 0); [str(v) for v in f.w], str(f.b), str(f.alpha)
    (['3*sqrt(70)/50', '-sqrt(70)/25'], 'sqrt(70)/50', 'sqrt(70)/10')
    """
    if not 0 <= j < net.width:
        raise ValueError(f"j: expected a neuron index 0..{net.width - 1}, got {j}")
    units = _units(net)
    reg = _reg_name(net)
    if units is not None:
        U, c, z, ns = units
        q = to_fraction(ns[j]) if ns is not None else None
        zf = to_fraction(z[j])
        g = sqrt_radical(abs(zf) / (q if q is not None else 1))
        w = [g * to_fraction(v) for v in U[j]]
        b = g * to_fraction(c[j])
        a = sqrt_radical(abs(zf))
        alpha = a if zf > 0 else (-a if zf < 0 else Radical(Fraction(0)))
        span = None
        if X is not None and reg is not None:
            span = find_span(X, U[j], c[j], net.points[j], net.axes[j], norm=reg, norm_sq=q)
        return NeuronForm(j, tuple(net.points[j]), tuple(net.axes[j]), w, b, alpha, True,
                          span, zf, list(U[j]), c[j], q)
    W, bvec = net.layers[0]
    exact = net.exact
    last = None
    if exact:
        layers, last = _exact_layers if _exact_layers is not None else net.exact_layers()
        W, bvec = layers[0]
    shallow = len(net.layers) == 1 and net.alpha is not None
    conv = (lambda v: v) if exact else float
    w = [conv(v) for v in W[j]]
    alpha = (last[j] if exact else float(net.alpha[j])) if shallow else None
    span = None
    if exact and X is not None and reg is not None:
        # a row proportional to sign·×(V): the scale is free for a deep net's first layer
        span = _span_up_to_scale(X, W[j], bvec[j], net.points[j], net.axes[j], reg)
    return NeuronForm(j, tuple(net.points[j]), tuple(net.axes[j]), w, conv(bvec[j]), alpha,
                      exact, span)


def _span_up_to_scale(X, Wj, bj, points, axes, reg):
    """Span of an exact rational row (w, b) after rescaling it to unit norm (rows of a deep
    net's first layer carry any positive scale)."""
    if not all(is_exact_scalar(v) for v in list(Wj) + [bj]):
        return None
    wq = [to_fraction(v) for v in Wj]
    if reg == "l1":
        s = sum((abs(v) for v in wq), Fraction(0))
        if s == 0:
            return None
        return find_span(X, [v / s for v in wq], to_fraction(bj) / s, points, axes, norm="l1")
    return find_span(X, wq, to_fraction(bj), points, axes, norm="l2",
                     norm_sq=sum((v * v for v in wq), Fraction(0)))


# ------------------------------------------------------------------------ network

def _sigma(name: str, t):
    import sympy
    if name == "relu":
        return sympy.Max(0, t)
    if name == "abs":
        return sympy.Abs(t)
    return t


def _symbols(d: int, symbols):
    import sympy
    if symbols is None:
        return [sympy.Symbol(f"x_{k}", real=True) for k in range(1, d + 1)]
    symbols = list(symbols)
    if len(symbols) != d:
        raise ValueError(f"symbols: expected {d} input symbols (one per feature), got "
                         f"{len(symbols)}")
    return symbols


def to_sympy(net, symbols=None):
    """The network function f(x) as a sympy expression in ``symbols`` (default x_1 … x_d):
    ξ + Σ_j α_jσ(w_jᵀx + b_j) for two-layer nets, the composition of every hidden layer
    otherwise (``net.layers``; relu → Max(0, ·), abs → Abs). Exact nets give exact
    coefficients (square roots for factorised nets), float nets sympy Floats. A matrix
    output gives a sympy Matrix (P,).

    >>> from fractions import Fraction as F
    >>> from exactgeo.nets import Network
    >>> I = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
    >>> to_sympy(Network([(I, [F(0), F(-1)])], [F(1), F(-2)], F(1, 2), activation="abs"))
    Abs(x_1) - 2*Abs(x_2 - 1) + 1/2
    """
    import sympy
    x = _symbols(net.n_features, symbols)
    if _units(net) is not None:
        forms = neuron_forms(net)
        acts = net.activations
        terms = [_value_sympy(f.alpha) * _sigma(acts[0], sum(
            (_value_sympy(wk) * xk for wk, xk in zip(f.w, x)), sympy.Integer(0)) +
            _value_sympy(f.b)) for f in forms]
        return _value_sympy(to_fraction(net.xi)) + sum(terms, sympy.Integer(0))
    if net.exact:
        layers, last = net.exact_layers()
    else:
        layers = net.layers
        last = net.alpha if net.output is None else net.output
    H = list(x)
    for (W, b), act in zip(layers, net.activations):
        H = [_sigma(act, sum((_value_sympy(W[j, k]) * H[k] for k in range(W.shape[1])),
                             sympy.Integer(0)) + _value_sympy(b[j]))
             for j in range(W.shape[0])]
    if net.output is None:
        xi = _value_sympy(net.xi if not net.exact else net._exact_xi())
        return xi + sum((_value_sympy(a) * h for a, h in zip(last, H)), sympy.Integer(0))
    Wo, bo = last
    return sympy.Matrix([_value_sympy(bo[p]) + sum((_value_sympy(Wo[p, j]) * H[j]
                                                   for j in range(Wo.shape[1])),
                                                  sympy.Integer(0))
                         for p in range(Wo.shape[0])])


def weight_strings(form: NeuronForm) -> dict:
    """Exact JSON strings of one neuron: ``w_exact`` [..], ``b_exact``, ``alpha_exact``
    ("3/7" when rational, sympy's spelling "sqrt(70)/10" when algebraic); all None for
    float neurons.

    >>> f = NeuronForm(0, (), (), [sqrt_radical(Fraction(7, 10))], Fraction(0),
    ...                Radical(Fraction(3, 7)), True)
    >>> weight_strings(f)
    {'w_exact': ['sqrt(70)/10'], 'b_exact': '0', 'alpha_exact': '3/7'}
    """
    if not form.exact:
        return {"w_exact": None, "b_exact": None, "alpha_exact": None}
    return {"w_exact": [_value_str(v) for v in form.w], "b_exact": _value_str(form.b),
            "alpha_exact": None if form.alpha is None else _value_str(form.alpha)}


def to_latex(net, X=None, *, explicit: Optional[bool] = None, symbols=None) -> str:
    """The closed form of ``net`` as LaTeX: the network formula, then one display line per
    first-layer neuron (its span through the named training points, checked on the exact
    data ``X``, with the exact numbers beside it), and, for small nets or ``explicit``,
    the expanded f(x) from :func:`to_sympy`. Training rows and axes are 0-based, as in
    the JSON ``points``/``axes``.

    >>> from fractions import Fraction as F
    >>> import exactgeo
    >>> X = [[F(1), F(0)], [F(0), F(1)]]
    >>> res = exactgeo.fit(X, [F(1), F(1)], reg="l1", bias=False, beta=F(1, 10))
    >>> tex = to_latex(res.net, X)
    >>> "\\\\times(x_{0})" in tex and "\\\\frac{3 \\\\sqrt{10}}{10}" in tex
    True
    """
    import sympy
    forms = neuron_forms(net, X)
    acts = net.activations
    sig = {"relu": "\\max(0, {})", "abs": "\\left|{}\\right|", "identity": "{}"}
    head = ["% exactgeo closed-form network; x_i / \\tilde{x}_i = (x_i, 1): training row i "
            "(0-based), e_k: basis direction k (0-based)"]
    m = net.width
    if _units(net) is not None or (len(net.layers) == 1 and net.alpha is not None):
        inner = sig.get(acts[0], "\\sigma({})").format("w_j^\\top x + b_j")
        head.append(f"\\[ f(x) = \\xi + \\sum_{{j=1}}^{{{m}}} \\alpha_j {inner},\\quad "
                    f"\\xi = {_value_latex(net.xi)} \\]")
    else:
        head.append(f"\\[ f(x) = \\text{{{net.depth}-layer network, first layer of width "
                    f"{m}}} \\]")
    lines = head + [f"\\[ {f.latex()} \\]" for f in forms]
    if explicit or (explicit is None and m <= 16):
        body = _explicit_latex(net, forms) if _units(net) is not None else \
            sympy.latex(to_sympy(net, symbols))
        lines.append(f"\\[ f(x) = {body} \\]")
    return "\n".join(lines)


def _signed_join(terms) -> str:
    """LaTeX terms joined with + / − (a term's own leading '-' becomes the operator)."""
    out = ""
    for t in terms:
        if not out:
            out = t
        elif t.startswith("-"):
            out += " - " + t[1:]
        else:
            out += " + " + t
    return out or "0"


def _explicit_latex(net, forms) -> str:
    """ξ + Σ_j α_j·σ(Σ_k w_jk·x_k + b_j) of a factorised two-layer net, with explicit
    ``\\cdot`` products (so sympy's LaTeX parser reads it back)."""
    act = net.activations[0]
    terms = []
    for f in forms:
        inner = [f"{_value_latex(w)} \\cdot x_{{{k + 1}}}" for k, w in enumerate(f.w)
                 if float(w) != 0 or (isinstance(w, Radical) and w.coef != 0)]
        if isinstance(f.b, Radical) and f.b.coef != 0:
            inner.append(_value_latex(f.b))
        arg = _signed_join(inner)
        sig = (f"\\max\\left(0, {arg}\\right)" if act == "relu" else
               f"\\left|{arg}\\right|" if act == "abs" else f"\\left({arg}\\right)")
        terms.append(f"{_value_latex(f.alpha)} \\cdot {sig}")
    xi = to_fraction(net.xi)
    return _signed_join(([_latex_fraction(xi)] if xi != 0 else []) + terms)
