"""Float ℓ2 pricing in the plane (THEORY §2.5, §2.8): the reported sup is the value of
the returned atom, and no sampled neuron beats it.

Regression: a zero-width chamber between two parallel rays whose float angles differ
by one ulp (shifted rows x_k − x_j that are exact multiples of each other) has
crr = ρ × ρ′ ≤ 0; the sector rule took that for the angle-π chamber and accepted the
whole half-plane, so a g/‖g‖ far outside the chamber was reported with value ‖g‖.

Everything below that evaluates S(r) is written here with numpy (direct evaluation of
|rᵀσ(Xu + c)| at sampled / refined neurons); it shares no code with the oracle.

Tolerances. Both the oracle's value and a direct evaluation sum n ≤ 12 terms bounded
by scale := Σ|r_i|(‖x_i‖ + R), R = 2 max‖x‖ + 1 the range of the sampled biases (so
|x_iᵀu + c| ≤ ‖x_i‖ + R for every sampled neuron and every anchor), so each is within
a few n·eps·scale ≈ 1e-14·scale of the exact value. We allow 1e-12·sup + 1e-13·scale
for "sup equals the atom's value" (1e-12 relative alone on the reported instance) and
1e-9·sup + 1e-13·scale for "no sample beats the sup" (the brief's 1e-9 relative; the
absolute floor only matters when S ≪ scale, e.g. r = 0 or X = 0). With bias the float
r has 𝟙ᵀr ~ 1e-16 rather than 0, so a random c may add |𝟙ᵀr|·2R on top. The defect
gave errors of order 1 relative (3.0964 reported, 1.0023 attained, 2.0029 true).
"""
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import exactgeo
from exactgeo.families import get_family

ROWS = ("1/4,-3/2,3; -4/3,-1/4,-2/3; -3,4/3,2; -3,7/3,-1; -5/4,-2,-7/4; -1/2,7/3,-5/3; "
        "-3,-7/3,-2/3; -1,1,5/3; 1,-3/2,-2; 7/4,0,11/4; 3,-5/3,1")


def sigma(Z, act):
    return np.maximum(Z, 0.0) if act == "relu" else np.abs(Z)


def atom_value(X, r, atom, act):
    """|rᵀσ(Xu + c)| of a returned atom, from its float (u, c)."""
    u, c = atom.float_u_c()
    return abs(float(r @ sigma(X @ np.asarray(u, float) + float(c), act)))


def c_range(X):
    """Random biases c are drawn from [−R, R] (anchors have |c| ≤ max‖x‖ ≤ R)."""
    return 2.0 * float(np.linalg.norm(X, axis=1).max()) + 1.0


def scale_of(X, r):
    """Σ|r_i|·max|x_iᵀu + c| over the sampled neurons: the size of the terms summed."""
    return float(np.abs(r) @ (np.linalg.norm(X, axis=1) + c_range(X)))


def unit_circle(m, offset=0.0):
    th = offset + 2 * np.pi * np.arange(m) / m
    return np.stack([np.cos(th), np.sin(th)], axis=1)


def sampled_max(X, r, act, bias, U, rng, n_random_c=8):
    """max |rᵀσ(Xu + c)| over the rows u of U, with c = 0 (no bias) or c at every
    anchor −uᵀx_j and at random c (bias)."""
    P = X @ U.T                                    # (n, M): x_iᵀu
    if not bias:
        return float(np.abs(r @ sigma(P, act)).max())
    best = 0.0
    for j in range(X.shape[0]):                    # anchors: c = −uᵀx_j
        best = max(best, float(np.abs(r @ sigma(P - P[j], act)).max()))
    R = c_range(X)
    for _ in range(n_random_c):
        C = rng.uniform(-R, R, size=U.shape[0])
        best = max(best, float(np.abs(r @ sigma(P + C, act)).max()))
    return best


def refined_max_abs_bias(X, r, m=20000, iters=8):
    """A near-exact S for abs with bias, evaluated directly: per anchor j (shifted rows
    Y = X − x_j), dense directions, every kink direction ⟂ y_k, and the chamber-wise
    fixed point u ← ±g(u)/‖g(u)‖, g(u) = Σ_k sign(y_kᵀu) r_k y_k, from every sample.
    Every candidate is a genuine neuron, so this is a lower bound that reaches the
    interior maximisers (and the kinks) to rounding."""
    best = 0.0
    for j in range(X.shape[0]):
        Y = X - X[j]
        nz = np.linalg.norm(Y, axis=1) > 0
        kinks = np.stack([-Y[nz, 1], Y[nz, 0]], axis=1)
        kinks /= np.linalg.norm(kinks, axis=1)[:, None]
        U = np.vstack([unit_circle(m), kinks, -kinks])
        cands = [U]
        for t in (1.0, -1.0):
            V = U
            for _ in range(iters):
                G = (np.sign(Y @ V.T) * r[:, None]).T @ Y          # (M, 2)
                nrm = np.linalg.norm(G, axis=1)
                G = G[nrm > 0] / nrm[nrm > 0, None]
                V = t * G
                cands.append(V)
        for V in cands:
            best = max(best, float(np.abs(r @ np.abs(Y @ V.T)).max()))
    return best


def test_reported_instance_abs_bias():
    D = np.array([[float(F(v)) for v in row.split(",")] for row in ROWS.split(";")])
    X, y = D[:, :2], D[:, 2]
    res = exactgeo.fit(X, y, model="abs", reg="l2", bias=True, beta=2)
    A = np.column_stack([sigma(X @ np.asarray(u, float) + float(c), "abs")
                         for u, c in (a.float_u_c() for a in res.atoms)])
    r = y - A @ np.asarray(res.z, dtype=float) - float(res.intercept)
    assert abs(r.sum()) < 1e-9                     # free intercept: 𝟙ᵀr = 0

    P = get_family("abs", reg="l2", bias=True).price(X, r)
    val = atom_value(X, r, P.atom, "abs")
    assert abs(val - P.sup) <= 1e-12 * P.sup, (P.sup, val)      # was 3.0964 vs 1.0023

    S_ref = refined_max_abs_bias(X, r)
    assert abs(S_ref - 2.0029) < 1e-4              # the value found by the report
    assert abs(P.sup - S_ref) <= 1e-9 * S_ref, (P.sup, S_ref)


# Small cases the defect got wrong (found by search; rows and r are rationals, rounded
# to float): collinear rows whose float shifts are parallel with rounded angles an ulp
# apart. (rows, r, activation, bias, value the defect reported / attained)
REGRESSIONS = [
    ("-11/12,-1/2; 11/3,2; -11/3,-2", "23/7,19/7,-22/7", "abs", True),      # 46.39 vs 22.03
    ("-11/12,-1/2; 11/3,2; -11/3,-2", "23/7,19/7,-22/7", "relu", True),     # 34.21 vs 22.03
    ("2/3,-7/6; 3/2,-21/8; 8/3,4/3; -1/3,10/3; 1,0", "-1/7,4,-30/7,-11/7,1/7", "abs", False),
    ("3/8,-2; 0,0; -3/8,2; -3/4,4; -1/4,4/3", "0,26/7,9/7,3/7,-1", "relu", False),
]


def parse(rows, r):
    X = np.array([[float(F(v)) for v in row.split(",")] for row in rows.split(";")])
    return X, np.array([float(F(v)) for v in r.split(",")])


def check_sup(X, r, act, bias, m=20000, seed=0):
    """The oracle's sup equals its atom's value and no sampled neuron beats it."""
    if bias:
        r = r - r.mean()                           # 𝟙ᵀr = 0 up to rounding
    P = get_family(act, reg="l2", bias=bias).price(X, r)
    scale = scale_of(X, r)
    val = atom_value(X, r, P.atom, act)
    assert abs(val - P.sup) <= 1e-12 * P.sup + 1e-13 * scale, (P.sup, val)
    rng = np.random.default_rng(seed)
    U = unit_circle(m, offset=rng.uniform(0, 2 * np.pi))
    S_smp = sampled_max(X, r, act, bias, U, rng)
    # with bias, 𝟙ᵀr is only ~1e-16, so moving c off the anchors (by ≤ 2R) changes the
    # value by up to |𝟙ᵀr|·2R, which the anchor theory (𝟙ᵀr = 0) leaves out
    slack = abs(float(r.sum())) * 2.0 * c_range(X) if bias else 0.0
    assert S_smp <= P.sup + 1e-9 * P.sup + 1e-13 * scale + slack, (S_smp, P.sup)
    return P


@pytest.mark.parametrize("rows, r, act, bias", REGRESSIONS)
def test_regressions(rows, r, act, bias):
    X, rv = parse(rows, r)
    check_sup(X, rv, act, bias)


@st.composite
def instances(draw):
    """Small-rational points (as correctly rounded floats), several of them on one
    line b + t·d (b sometimes the origin): the shifted rows x_k − x_j along it are
    exact multiples of each other in ℚ but not in float, so their rays are parallel
    or nearly so and their float angles can differ by an ulp — the defect's trigger.
    Hypothesis draws the structure; the values come from numpy with a drawn seed
    (Hypothesis's preference for small/zero values made the trigger rare)."""
    n = draw(st.integers(2, 12))
    on_line = draw(st.integers(0, n))
    origin = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))

    def q():
        return F(int(rng.integers(-12, 13)), int(rng.choice([1, 2, 3, 4])))

    rows = [(q(), q()) for _ in range(n)]
    b = (F(0), F(0)) if origin else (q(), q())
    d = (q() / 2, q() / 2)
    for i in range(on_line):
        t = F(int(rng.integers(-4, 5)), int(rng.choice([1, 2, 3])))
        rows[i] = (b[0] + t * d[0], b[1] + t * d[1])
    X = np.array([[float(a), float(c)] for a, c in rows], dtype=float)
    r = rng.integers(-30, 31, size=n) / 7.0
    return X, r


@settings(max_examples=150, deadline=None, derandomize=True)
@given(instances(), st.sampled_from(["relu", "abs"]), st.booleans())
def test_float_sup_is_attained_and_dominates_samples(inst, act, bias):
    X, r = inst
    check_sup(X, r, act, bias)
