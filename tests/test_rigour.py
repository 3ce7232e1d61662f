"""Rigour of the ℓ2 network certificate (THEORY §2.5, §5 step 8; issue 7 items 2 and 6).

* A violation S(r) > β is claimed only on ball arithmetic from the exact data (or exact
  arithmetic); an interval containing β is a tie (every active column attains β by KKT).
* The exact tie resolution is ball arithmetic first, exact arithmetic over Q(√q) for the
  true ties only, within a time budget.

Every claimed violation is re-verified here independently, with sympy: the exact KKT
residual is rebuilt from the basis (support, signs) and |rᵀφ(witness)| > β is checked.
"""
import pathlib
import sys
from fractions import Fraction as F

import flint
import numpy as np
import pytest
import sympy as sp

from exactgeo.certify import STATUSES, network_certificate
from exactgeo.families.tie_l2_2d import exact_l2_certificate, l2_2d_decide, plane_chambers
from exactgeo.families import get_family
from exactgeo.fitting import fit
from exactgeo.lasso import certify_lasso, solve_lasso
from exactgeo.lasso.exact.ball import Quad, RadicalBasis, ball_atom_value, coprime_base, kkt_exact

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))   # tests/ helpers
from _sympy_sectors import sympy_sup_sq  # noqa: E402


def _rows(text):
    return [[F(v) for v in row.split(",")] for row in text.split(";")]


# issue 7 item 2: 21 points, abs, ℓ2, no bias, β = 2 (was a false "rigorous violation")
REPRO_A = _rows("-1,2,2;-1,-1,2;-2,1,-2;1,2,2;0,2,0;0,-2,1;0,-2,1;-2,2,1;1,2,-2;0,0,-1;"
                "2,1,1;2,-1,2;0,-2,-2;-2,-2,-1;-2,-2,-2;1,1,0;2,-2,-2;1,1,0;2,-2,0;-2,-1,1;"
                "2,-1,-1")
# issue 7 item 6: 11 points, abs, ℓ2, bias, β = 2 (the sympy tie-break took 350 s)
REPRO_B = _rows("1/4,-3/2,3;-4/3,-1/4,-2/3;-3,4/3,2;-3,7/3,-1;-5/4,-2,-7/4;-1/2,7/3,-5/3;"
                "-3,-7/3,-2/3;-1,1,5/3;1,-3/2,-2;7/4,0,11/4;3,-5/3,1")


def _xy(rows):
    X = np.array([r[:2] for r in rows], dtype=object)
    y = np.array([r[2] for r in rows], dtype=object)
    return X, y


def _kkt(rows, bias, beta=F(2), model="abs"):
    """The exact KKT step of fit (dictionary, float Lasso, ball certificate)."""
    X, y = _xy(rows)
    fam = get_family(model, reg="l2", bias=bias)
    D = fam.dictionary(X, exact=True)
    sol = solve_lasso(np.asarray(D.float_matrix(), dtype=float), np.asarray(y, dtype=float),
                      float(beta), intercept=bias)
    ex = certify_lasso(D.A, y, beta, sol, norm_sq=D.norm_sq, intercept=bias)
    return fam, X, y, D, ex


def _sympy_residual(D, y, beta, support, signs, intercept):
    """r = y − Âφ with (ÂᵀÂ)φ = Âᵀy − β(s_k√q_k, 0): the KKT residual of the columns
    a_k/√q_k (MᵀMθ = Mᵀy − (βs, 0) with M = Â·diag(1/√q_k, 1), φ = diag(1/√q_k, 1)θ)."""
    n = len(y)
    cols = [[sp.Rational(str(D.A[i, k])) for i in range(n)] for k in support]
    if intercept:
        cols.append([sp.Integer(1)] * n)
    Ah = sp.Matrix(n, len(cols), lambda i, j: cols[j][i])
    Y = sp.Matrix([sp.Rational(str(v)) for v in y])
    v = sp.Matrix([int(s) * sp.sqrt(sp.Rational(str(D.norm_sq[k]))) for k, s in zip(support, signs)]
                  + ([0] if intercept else []))
    phi = (Ah.T * Ah).inv() * (Ah.T * Y - sp.Rational(str(beta)) * v)
    return [sp.expand(e) for e in (Y - Ah * phi)]


def _assert_true_violation(fam, X, r_sym, beta, atom):
    """|rᵀφ(atom)| > β, from the exact data in sympy (independent of exactgeo's balls)."""
    u = [sp.Rational(str(v)) for v in atom.u]
    c = sp.Rational(str(atom.c or 0))
    feats = []
    for x in X:
        z = sp.Rational(str(x[0])) * u[0] + sp.Rational(str(x[1])) * u[1] + c
        feats.append(abs(z) if fam.activation == "abs" else max(z, 0))
    dot = sp.expand(sum(ri * fi for ri, fi in zip(r_sym, feats)))
    diff = sp.expand(dot ** 2 - sp.Rational(str(beta)) ** 2 * (u[0] ** 2 + u[1] ** 2))
    val = sp.N(diff, 60)
    assert val > sp.Float("1e-40", 60), f"claimed violation not confirmed: {val}"


def _check_no_false_violation(res, rows, bias, beta=F(2)):
    cert = res.certificate
    assert cert.status in STATUSES
    if cert.violating_atom is None:
        return
    fam, X, y, D, ex = _kkt(rows, bias, beta)
    r_sym = _sympy_residual(D, y, beta, list(ex.support), list(ex.signs), bias)
    for rs, rb in zip(r_sym, ex.residual):            # the same KKT point as the fit's
        lo, hi = rb.lower(), rb.upper()
        assert float(lo) - 1e-12 <= float(sp.N(rs, 30)) <= float(hi) + 1e-12
    _assert_true_violation(fam, X, r_sym, beta, cert.violating_atom)


# ------------------------------------------------------------------ reproducers

def test_repro_a_no_false_violation():
    X, y = _xy(REPRO_A)
    res = fit(X, y, model="abs", reg="l2", bias=False, beta=F(2), exact=True, certify=True,
              family_options={"route": "dictionary"})      # the W2 dictionary route
    cert = res.certificate
    assert "rigorous violation" not in cert.message or cert.violating_atom is not None
    _check_no_false_violation(res, REPRO_A, bias=False)
    # decided by the exact tie resolution: S = β, attained at the active column
    assert cert.status == "certified-optimal", cert.message
    assert cert.sup_exact == F(2)
    lo, hi = res.objective_enclosure
    assert F(lo) <= F(hi)
    val = sp.N(cert.objective_algebraic, 40)
    assert float(lo) - 1e-9 <= float(val) <= float(hi) + 1e-9


def test_repro_a_enclosure_maximiser_is_a_tie():
    """The oracle's maximiser is the active column: |rᵀφ| ∋ β on the ball, a tie."""
    fam, X, y, D, ex = _kkt(REPRO_A, bias=False)
    assert ex.status == "enclosed"
    for Xc, b in ((X, F(2)), (np.asarray(X, dtype=float), 2.0)):
        cert = network_certificate(fam, Xc, ex.residual, b, lasso_status="enclosed")
        assert cert.status == "undecided", cert.message
        assert cert.violating_atom is None
    cert = network_certificate(fam, X, ex.residual, F(2), lasso_status="enclosed")
    assert "tie" in cert.message
    cert = network_certificate(fam, X, ex.residual, F(2), lasso_status="not-certified")
    assert cert.status == "upper-bound" and cert.violating_atom is None


def test_repro_b_decided_and_verified():
    X, y = _xy(REPRO_B)
    res = fit(X, y, model="abs", reg="l2", bias=True, beta=F(2), exact=True, certify=True,
              family_options={"route": "dictionary"})      # the T dictionary route
    cert = res.certificate
    _check_no_false_violation(res, REPRO_B, bias=True)
    assert cert.status in ("certified-optimal", "upper-bound", "undecided")
    if cert.status == "undecided":
        assert "budget" in cert.message
    else:   # S = 2.00294725469780… > β: a true violation, with its witness
        assert cert.status == "upper-bound" and cert.violating_atom is not None
        assert abs(cert.sup - 2.0029472546978040) < 1e-9


def test_repro_b_tiny_budget_is_undecided_with_reason(monkeypatch):
    fam, X, y, D, ex = _kkt(REPRO_B, bias=True)
    cert = exact_l2_certificate(fam, X, D.A, D.norm_sq, list(ex.support), list(ex.signs), y,
                                F(2), intercept=True, budget=1e-9)
    assert cert.status == "undecided"
    assert "budget of 1e-09 s exhausted" in cert.message
    # through fit: a decided status or undecided naming the budget
    import exactgeo.families.tie_l2_2d as C
    orig = C.exact_l2_certificate
    monkeypatch.setattr(C, "exact_l2_certificate",
                        lambda *a, **k: orig(*a, **{**k, "budget": 1e-9}))
    X2, y2 = _xy(REPRO_B)
    res = fit(X2, y2, model="abs", reg="l2", bias=True, beta=F(2), exact=True, certify=True,
              family_options={"route": "dictionary"})  # the T dictionary route
    _check_no_false_violation(res, REPRO_B, bias=True)
    if res.certificate.status == "undecided":
        assert "budget" in res.certificate.message or "tie" in res.certificate.message
    else:
        assert res.certificate.violating_atom is not None


def test_repro_b_default_budget_decides():
    fam, X, y, D, ex = _kkt(REPRO_B, bias=True)
    cert = exact_l2_certificate(fam, X, D.A, D.norm_sq, list(ex.support), list(ex.signs), y,
                                F(2), intercept=True)
    assert cert.status == "upper-bound" and cert.evidence in ("ball", "exact")
    r_sym = _sympy_residual(D, y, F(2), list(ex.support), list(ex.signs), True)
    _assert_true_violation(fam, X, r_sym, F(2), cert.violating_atom)
    # the algebraic objective lies in the ball enclosure of the KKT step
    lo, hi = ex.objective_enclosure
    assert float(lo) - 1e-9 <= float(sp.N(cert.objective_algebraic, 40)) <= float(hi) + 1e-9


# ------------------------------------------------------------------ unit tests

def test_ball_straddling_beta_is_a_tie():
    """r = (β ± δ, 0): |rᵀφ| ∋ β at the maximiser e1 → tie, never a violation."""
    fam = get_family("relu", reg="l1", bias=False)
    X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
    b = F(1, 10)
    r = [flint.arb(flint.fmpq(1, 10), 1e-15), flint.arb(0)]
    atom = fam.atom_from_direction([F(1), F(0)])
    _, val, state = ball_atom_value(fam, X, atom, r, b)
    assert state == "tie" and val.contains(flint.arb(flint.fmpq(1, 10)))
    cert = network_certificate(fam, X, np.array(r, dtype=object), b, lasso_status="enclosed")
    assert cert.status == "undecided" and cert.violating_atom is None
    assert "tie" in cert.message
    # centred just above β, still straddling: still a tie
    r = [flint.arb(0.1 + 1e-17, 1e-15), flint.arb(0)]
    cert = network_certificate(fam, X, np.array(r, dtype=object), b, lasso_status="enclosed")
    assert cert.status == "undecided" and cert.violating_atom is None


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_clear_violation_found_rigorously(model):
    """THEORY G1 with an enclosed residual r = (1/10, 1/10) ± 1e-20: S = √2/10 > β."""
    fam = get_family(model, reg="l2", bias=False)
    X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
    b = F(1, 10)
    r = np.array([flint.arb(flint.fmpq(1, 10), 1e-20)] * 2, dtype=object)
    cert = network_certificate(fam, X, r, b, lasso_status="enclosed")
    assert cert.status == "upper-bound" and cert.evidence == "ball"
    a = cert.violating_atom
    assert a is not None and a.exact
    # independently: (rᵀσ(Xu))² > β²‖u‖² with r = 1/10 exactly, and with the radius
    feats = [max(x[0] * a.u[0] + x[1] * a.u[1], 0) if model == "relu" else
             abs(x[0] * a.u[0] + x[1] * a.u[1]) for x in X]
    dot = sum(F(1, 10) * f for f in feats)
    assert dot * dot > b * b * a.norm_sq * (1 + F(1, 10 ** 6))
    # floats with a rigorous radius ‖r − r_float‖₂ ≤ 1e-12 (the floats read exactly)
    cert = network_certificate(fam, X, np.array([0.1, 0.1]), b, lasso_status="enclosed",
                               r_radius=1e-12)
    assert cert.status == "upper-bound" and cert.evidence == "ball"
    # with float X the same evidence is not rigorous: no violation is claimed
    cert = network_certificate(fam, np.eye(2), r, 0.1, lasso_status="enclosed")
    assert cert.violating_atom is None and cert.status == "undecided"
    # the exact oracle's answer on exact r is unchanged
    cert = network_certificate(fam, X, np.array([b, b], dtype=object), b)
    assert cert.status == "upper-bound" and cert.sup_sq_exact == F(2, 100)


def test_radicals_are_canonical():
    B = RadicalBasis([F(2), F(3), F(8), F(1, 2), F(12, 5)])
    s2, s3 = B.sqrt(2), B.sqrt(3)
    x = s2 + s3
    assert (x * x - 5 - 2 * B.sqrt(6)).is_zero()
    assert (B.sqrt(8) * B.sqrt(F(1, 2)) - 2).is_zero()
    assert (B.sqrt(F(12, 5)) * B.sqrt(F(12, 5)) - F(12, 5)).is_zero()
    # a tiny positive difference: sign by balls at growing precision
    approx = F(1414213562373095048801688724209698078569, 10 ** 39)
    assert (s2 - approx).sign() == 1 and (approx - s2).sign() == -1
    assert (s2 * s3 - B.sqrt(6)).sign() == 0
    assert coprime_base([12, 18, 35, 49]) == [2, 3, 5, 7]
    assert coprime_base([6, 10, 15]) == [2, 3, 5]


def test_kkt_exact_matches_ball_enclosure():
    fam, X, y, D, ex = _kkt(REPRO_B, bias=True)
    B, theta, xi, r = kkt_exact(D.A, y, F(2), D.norm_sq, list(ex.support), list(ex.signs), True)
    assert sum(r, xi * 0).is_zero()                          # 𝟙ᵀr = 0 exactly
    for k, s in zip(ex.support, ex.signs):                   # |A_kᵀr| = β exactly on F
        dot = sum((rv * D.A[i, k] for i, rv in enumerate(r)), xi * 0)
        assert (dot * dot - 4 * D.norm_sq[k]).is_zero()
    for rq, rb in zip(r, ex.residual):
        assert rb.overlaps(rq.arb())


def _random_instance(rng, n, bias):
    X = [(F(int(a), 3), F(int(b), 2)) for a, b in rng.integers(-5, 6, (n, 2))]
    B = RadicalBasis([2, 3])
    r = [Quad(B, {0: F(int(a), 7), 1: F(int(b), 11), 2: F(int(c), 13)})
         for a, b, c in rng.integers(-6, 7, (n, 3))]
    if bias:                                   # 𝟙ᵀr = 0 exactly
        tot = sum(r, Quad(B))
        r[-1] = r[-1] - tot
    return X, r


@pytest.mark.parametrize("model", ["relu", "abs"])
@pytest.mark.parametrize("bias", [False, True])
def test_sector_decision_matches_sympy_oracle(model, bias):
    """l2_2d_decide (balls, then exact ties) agrees with the sympy sector walk; β is set
    just below, at (rational S), and above S."""
    fam = get_family(model, reg="l2", bias=bias)
    rng = np.random.default_rng(5 + bias)
    for _ in range(3):
        X, r = _random_instance(rng, 5, bias)
        lam = [q.sympy() for q in r]
        anchors = range(len(X)) if bias else [None]
        S2 = sp.Integer(0)
        for j in anchors:
            Xj = np.array([[x[0] - (X[j][0] if j is not None else 0),
                            x[1] - (X[j][1] if j is not None else 0)] for x in X], dtype=object)
            v, _ = sympy_sup_sq(Xj, lam, model)
            if float(v) > float(S2):
                S2 = v
        S = float(sp.sqrt(S2))
        Xo = np.array(X, dtype=object)
        for beta in (F(S).limit_denominator(10 ** 6) * F(999, 1000),
                     F(S).limit_denominator(10 ** 6) * F(1001, 1000)):
            dec = l2_2d_decide(fam, Xo, r, beta, [])
            want = "violation" if sp.N(S2 - sp.Rational(beta) ** 2, 50) > 0 else "ok"
            assert dec.status == want
            if want == "violation":
                _, val, state = ball_atom_value(fam, Xo, dec.atom, r, beta)
                assert state == "violation"


def test_exact_tie_is_decided_exactly():
    """A rational residual whose S is attained at an axis ray: β = S is a true tie (no
    active columns are given), decided exactly as S ≤ β, never as a violation."""
    fam = get_family("relu", reg="l2", bias=False)
    X = np.array([[F(1), F(0)], [F(0), F(1)], [F(1), F(1)]], dtype=object)
    B = RadicalBasis([])
    r = [Quad(B, {0: F(1, 10)}), Quad(B, {0: F(-1, 10)}), Quad(B, {0: F(0)})]
    lam = [q.sympy() for q in r]
    S2, _ = sympy_sup_sq(X, lam, "relu")
    assert S2.is_Rational
    beta = F(int(sp.numer(sp.sqrt(S2))), int(sp.denom(sp.sqrt(S2)))) if sp.sqrt(S2).is_Rational \
        else None
    assert beta is not None
    dec = l2_2d_decide(fam, X, r, beta, [])
    assert dec.status == "ok" and dec.equal and dec.counts["exact"] >= 1
    dec = l2_2d_decide(fam, X, r, beta * F(99, 100), [])
    assert dec.status == "violation"


def test_plane_chambers_patterns():
    """The incrementally flipped patterns equal the signs at an interior point."""
    rng = np.random.default_rng(2)
    for _ in range(5):
        P = [(F(int(a)), F(int(b))) for a, b in rng.integers(-3, 4, (7, 2))]
        rays, on, ch = plane_chambers(P)
        assert len(rays) == len(ch) and len(rays) % 2 == 0
        for a, b, half, pattern in ch:
            uc = (-a[1], a[0]) if half else (a[0] + b[0], a[1] + b[1])
            want = [(x0 * uc[0] + x1 * uc[1] > 0) - (x0 * uc[0] + x1 * uc[1] < 0) for x0, x1 in P]
            assert pattern == want
