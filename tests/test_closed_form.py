"""Closed-form weights (issue 13): sympy / LaTeX of a fitted network, each neuron written
through the training points spanning it, exact JSON weight strings.

Every exact claim is re-checked by a second route that shares nothing with the code under
test: the JSON strings are read back with ``sympy.sympify`` and the network objective is
recomputed from them alone; the symbolic span is evaluated with sympy on the data; LaTeX
is parsed back with sympy's own parser (lark backend)."""
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

import exactgeo
from exactgeo.closed_form import (Radical, find_span, neuron_form, neuron_forms,
                                  sqrt_radical, to_latex, to_sympy, weight_strings)
from exactgeo.nets import Network, TwoLayerNet

G1_X = [[F(1), F(0)], [F(0), F(1)]]
G1_Y = [F(1), F(1)]
BETA = F(1, 10)
# six rational points in general position, y not affine in x: a few neurons with biases
SMALL_X = [[F(0), F(0)], [F(1), F(0)], [F(0), F(1)], [F(1), F(1)], [F(2), F(1)],
           [F(1, 2), F(3, 2)]]
SMALL_Y = [F(0), F(1), F(1), F(0), F(2), F(-1)]


def _q(v):
    return sympy.Rational(v.numerator, v.denominator)


def _objective_from_strings(neurons, xi, X, y, beta, p):
    """½‖f(X) − y‖² + (β/2)Σ_j(‖w_j‖_p² + α_j²) from the JSON strings alone (sympy)."""
    ws = [[sympy.sympify(s) for s in nj["layers"][0]["w_exact"]] for nj in neurons]
    bs = [sympy.sympify(nj["layers"][0]["b_exact"]) for nj in neurons]
    al = [sympy.sympify(nj["alpha_exact"]) for nj in neurons]
    fit = 0
    for xi_row, yi in zip(X, y):
        f = _q(xi)
        for w, b, a in zip(ws, bs, al):
            f += a * sympy.Max(0, sum(wk * _q(xk) for wk, xk in zip(w, xi_row)) + b)
        fit += (f - _q(yi)) ** 2
    pen = sum((sum(abs(wk) for wk in w) ** 2 if p == 1 else sum(wk ** 2 for wk in w)) + a ** 2
              for w, a in zip(ws, al))
    return sympy.nsimplify(sympy.expand(fit / 2 + _q(beta) * pen / 2))


@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_g1_exact_weight_strings(reg):
    """THEORY §6 G1 (no bias): z = 9/10 on the features e_2, e_1 (both penalties, W1+ and W2
    coincide here), so w = √(9/10)·u = 3√10/10·u and α = 3√10/10; objective 19/100."""
    res = exactgeo.fit(G1_X, G1_Y, reg=reg, bias=False, beta=BETA)
    assert res.objective_exact == F(19, 100)
    js = res.to_json()
    got = sorted((nj["layers"][0]["w_exact"], nj["layers"][0]["b_exact"], nj["alpha_exact"])
                 for nj in js["neurons"])
    assert got == [(["0", "3*sqrt(10)/10"], "0", "3*sqrt(10)/10"),
                   (["3*sqrt(10)/10", "0"], "0", "3*sqrt(10)/10")]
    # second route: the strings alone reproduce the exact objective
    assert _objective_from_strings(js["neurons"], F(0), G1_X, G1_Y, BETA,
                                   1 if reg == "l1" else 2) == sympy.Rational(19, 100)


def test_g1_spans_are_the_named_points():
    res = exactgeo.fit(G1_X, G1_Y, reg="l1", bias=False, beta=BETA)
    forms = res.neuron_forms()
    assert [f.points for f in forms] == [a.points for a in res.atoms]
    for f, a in zip(forms, res.atoms):
        assert f.span is not None and f.span.sign == a.sign and not f.span.augmented
        assert f.span.describe() == f"{'+' if a.sign > 0 else '-'}×(x_{a.points[0]})/‖·‖_1"


# ℓ2 without bias on points whose cross products ×(x_i) have square norms 1, 1, 25: the
# columns are rational, so z and the KKT step are exact (irrational norms are enclosed)
PYTH_X = [[F(1), F(0)], [F(0), F(1)], [F(3), F(4)], [F(-4), F(3)]]
PYTH_Y = [F(1), F(2), F(-1), F(3)]


@pytest.mark.parametrize("reg,model,bias,X,y", [
    ("l1", "relu", True, SMALL_X, SMALL_Y), ("l1", "abs", True, SMALL_X, SMALL_Y),
    ("l1", "relu", False, SMALL_X[1:], SMALL_Y[1:]), ("l2", "relu", False, PYTH_X, PYTH_Y)])
def test_symbolic_neurons_evaluate_to_the_exact_layers(reg, model, bias, X, y):
    """Each neuron's sympy form γ·s·×(x̃_i, …)/‖·‖, evaluated on the named points' exact
    coordinates, equals the network's exact first-layer row (sympy weights of
    ``exact_layers``), and its points are the family's atom's."""
    res = exactgeo.fit(X, y, model=model, reg=reg, bias=bias, beta=F(1, 20))
    assert res.objective_exact is not None
    (W, b), = res.net.exact_layers()[0][:1]
    forms = res.neuron_forms()
    assert len(forms) == res.nnz > 0
    for j, f in enumerate(forms):
        assert f.span is not None, f"neuron {j} ({f.points}, {f.axes}) has no verified span"
        assert f.span.augmented == bias and f.span.points == tuple(res.atoms[j].points)
        w_sym, b_sym, alpha, syms = f.symbolic()
        subs = {s: _q(X[i][k]) for i, row in syms.items() for k, s in enumerate(row)}
        for k in range(2):
            assert sympy.simplify(w_sym[k].subs(subs) - W[j, k]) == 0
        assert sympy.simplify(b_sym.subs(subs) - b[j]) == 0
        # the Radical weights equal the sympy weights, and their strings read back exactly
        assert all(sympy.simplify(v.to_sympy() - W[j, k]) == 0 for k, v in enumerate(f.w))
        strings = weight_strings(f)
        assert all(sympy.simplify(sympy.sympify(s) - W[j, k]) == 0
                   for k, s in enumerate(strings["w_exact"]))
        assert sympy.simplify(sympy.sympify(strings["alpha_exact"]) - alpha) == 0


def test_to_sympy_matches_the_forward_pass_exactly():
    res = exactgeo.fit(SMALL_X, SMALL_Y, reg="l1", bias=True, beta=F(1, 20))
    expr = res.to_sympy()
    xs = sorted(expr.free_symbols, key=lambda s: s.name)
    f = res.net.forward(np.array(SMALL_X, dtype=object))
    for row, fi in zip(SMALL_X, f):
        v = expr.subs({xs[0]: _q(row[0]), xs[1]: _q(row[1])})
        assert sympy.simplify(v - _q(fi)) == 0


def test_latex_names_the_points_and_parses_back():
    pytest.importorskip("lark")
    from sympy.parsing.latex import parse_latex
    res = exactgeo.fit(SMALL_X, SMALL_Y, reg="l1", bias=True, beta=F(1, 20))
    tex = res.to_latex()
    forms = res.neuron_forms()
    for f in forms:
        for i in f.points:
            assert f"\\tilde{{x}}_{{{i}}}" in tex
        for v in f.w + [f.b, f.alpha]:          # every exact number parses back to itself
            assert sympy.simplify(parse_latex(v.latex(), backend="lark") - v.to_sympy()) == 0
    # the explicit f(x) line parses back to the same function (compared at the data)
    line = [ln for ln in tex.splitlines() if ln.startswith("\\[ f(x) = ") and "\\sum" not in ln]
    assert len(line) == 1
    parsed = parse_latex(line[0][len("\\[ f(x) = "):-len(" \\]")], backend="lark")
    names = {s.name: s for s in parsed.free_symbols}
    f = res.net.forward(np.array(SMALL_X, dtype=object))
    for row, fi in zip(SMALL_X, f):
        sub = {names[k]: _q(v) for k, v in (("x_{1}", row[0]), ("x_{2}", row[1]))
               if k in names}
        assert sympy.simplify(parsed.subs(sub) - _q(fi)) == 0


def test_l2_weights_are_algebraic_strings():
    """γ = √(|z|/q): z = 7/10 and q = ‖(1, 1)‖² = 2 give γ = √35/10 (sympy's spelling)."""
    net = TwoLayerNet.from_units([[F(1), F(1)]], [F(-1)], [F(7, 10)], activation="relu",
                                 reg="l2", norm_sq=[F(2)], points=[(1, 2)])
    f = neuron_form(net, 0)
    s = weight_strings(f)
    assert s == {"w_exact": ["sqrt(35)/10", "sqrt(35)/10"], "b_exact": "-sqrt(35)/10",
                 "alpha_exact": "sqrt(70)/10"}
    W, b, alpha = net.units.exact_weights()               # sympy's own factorisation
    assert [sympy.sympify(v) for v in s["w_exact"]] == list(W[0])
    assert sympy.sympify(s["alpha_exact"]) == alpha[0]


def test_span_is_verified_never_assumed():
    X = [[F(1), F(0)], [F(0), F(1)], [F(2), F(3)]]
    # the line through x_0 and x_1 is x + y − 1 = 0: (u, c) = ±(1/2, 1/2, −1/2)
    assert find_span(X, [F(1, 2), F(1, 2)], F(-1, 2), (0, 1), (), norm="l1").sign == -1
    assert find_span(X, [F(-1, 2), F(-1, 2)], F(1, 2), (0, 1), (), norm="l1").sign == 1
    assert find_span(X, [F(1, 2), F(1, 2)], F(-1, 2), (0, 2), (), norm="l1") is None
    assert find_span(X, [F(1, 2), F(1, 2)], F(-1, 4), (0, 1), (), norm="l1") is None
    assert find_span(X, [F(1), F(1)], F(-1), (0, 1), (), norm="l1") is None   # not ℓ1-unit
    assert find_span(X, [F(1), F(1)], F(-1), (0, 1), (), norm="l2", norm_sq=F(2)).sign == -1


def test_sqrt_radical_is_exact():
    for q in [F(0), F(1), F(9, 10), F(7, 10), F(8, 3), F(10 ** 40 + 1, 7 ** 5), F(4, 9)]:
        r = sqrt_radical(q)
        assert r.coef >= 0 and r.coef ** 2 * r.radicand == q
        assert r.rational == (sympy.sqrt(_q(q)).is_Rational is True)
    big = F(3 ** 2 * (10 ** 400 + 7), 11)            # never factored: stays fast
    assert sqrt_radical(big).coef ** 2 * sqrt_radical(big).radicand == big
    assert float(Radical(F(1, 3), 2)) == pytest.approx(2 ** 0.5 / 3, rel=1e-15)


def test_float_and_deep_networks_render_generically():
    net = TwoLayerNet([(np.array([[1.0, -2.0]]), np.array([0.5]))], np.array([3.0]), 0.25)
    forms = neuron_forms(net)
    assert forms[0].exact is False and weight_strings(forms[0])["w_exact"] is None
    x1, x2 = sympy.symbols("x_1 x_2", real=True)
    assert sympy.simplify(to_sympy(net).subs({x1: 1, x2: 0}) - 4.75) == 0   # 3·1.5 + 0.25
    # a deep exact net: the expression equals the exact forward pass at rational points
    I = np.array([[F(1), F(-1)], [F(2), F(1)]], dtype=object)
    deep = Network([(I, [F(0), F(-1)]), (I, [F(1, 2), F(0)])], [F(1), F(-2)], F(1, 3),
                   activation=["relu", "abs"])
    Xd = np.array([[F(1), F(2)], [F(-3), F(1, 2)], [F(0), F(0)]], dtype=object)
    e = to_sympy(deep)
    for row, fi in zip(Xd, deep.forward(Xd)):
        assert e.subs({x1: _q(row[0]), x2: _q(row[1])}) == _q(fi)
    assert "f(x)" in to_latex(deep) and neuron_forms(deep)[0].alpha is None


def test_exact_strings_beyond_pythons_digit_limit():
    """Exact results can exceed Python's 4300-digit str() guard (N = 500 certified fits
    did); their JSON strings must still be complete. Checked against flint's own digits."""
    import flint
    from exactgeo.closed_form import Radical
    from exactgeo.numbers import fraction_str
    p = 7 ** 6000                                   # 5071 digits
    assert fraction_str(F(p, 3)) == f"{flint.fmpz(p)}/3"
    assert str(Radical(F(p, 3), 2)) == f"{flint.fmpz(p)}*sqrt(2)/3"
