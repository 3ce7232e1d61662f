"""Independent re-verification of ``exactgeo.fit`` results (used by test_soundness.py).

Nothing here imports exactgeo: the checks read only the JSON of a FitResult
(``FitResult.to_json()``) and recompute everything with numpy / scipy / fractions:

* :func:`network_from_json` – the reported network f(x) = ξ + Σ_j α_j σ(w_jᵀx + b_j)
  (``neurons[*].layers[0].{w, b}``, ``neurons[*].alpha``, ``intercept``);
* :func:`unit_columns` – unit neurons (u, c) = (w, b)/‖w‖_p and their features σ(Xu + c);
* :func:`sample_neurons` – a dense random neuron dictionary (‖u‖_p = 1; with biases,
  hyperplanes through or near the data) plus hyperplanes through data points and axes
  computed here by SVD null spaces;
* :func:`lasso_bracket` / :func:`lp_bracket` – our own solvers for the Lasso
  ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ (its dual projection as a least-distance problem, solved
  exactly by one NNLS, Lawson–Hanson) and for the min-ℓ1 interpolation LP
  (scipy ``linprog(method="highs")``). Both return a *bracket* [lb, ub] of the optimum
  over the given columns: ub is the value of an explicit z (a realizable network), lb
  the value of a dual-feasible point. So "ub < certified − tol" proves the certified
  value is not optimal, and "lb > reported + tol" proves the reported value is not
  attained, whatever the accuracy of our solvers (inaccuracy only widens the bracket).

Float tolerance (see :func:`tol`): data are small rationals (|x|, |y| ≲ 10, n ≤ 8), so
evaluating ½‖r‖² + β‖z‖₁ or rᵀa in float64 is accurate to ~1e-14 relative; we allow
1e-9 relative (absolute for values below 1), five orders of magnitude above rounding,
and many orders below the gaps that matter here (e.g. 2/3 vs 0.745 vs 1.217).
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog, minimize

REL_TOL = 1e-9


def tol(v) -> float:
    """Float tolerance for comparing objective values of size |v| (see module doc)."""
    return REL_TOL * max(1.0, abs(float(v)))


# ------------------------------------------------------------------ activations / norms

def sigma(t, model):
    if model == "relu":
        return np.maximum(t, 0.0)
    if model == "abs":
        return np.abs(t)
    raise ValueError(model)


def pnorm(W, reg):
    W = np.atleast_2d(np.asarray(W, dtype=float))
    if reg == "l1":
        return np.abs(W).sum(axis=1)
    return np.sqrt((W * W).sum(axis=1))


def frac(s):
    """JSON exact string "p/q" (or int-like) → Fraction; None stays None."""
    if s is None:
        return None
    return Fraction(str(s))


# ------------------------------------------------------------------ the reported network

class Net:
    """The network read from the JSON: W (m, d), b (m,), alpha (m,), xi."""

    def __init__(self, W, b, alpha, xi):
        self.W, self.b, self.alpha, self.xi = W, b, alpha, float(xi)

    @property
    def m(self):
        return self.W.shape[0]

    def forward(self, X, model):
        X = np.asarray(X, dtype=float)
        if self.m == 0:
            return np.full(X.shape[0], self.xi)
        return sigma(X @ self.W.T + self.b, model) @ self.alpha + self.xi

    def penalty(self, reg):
        """Σ_j (‖w_j‖_p² + α_j²) (THEORY §2.1, without the factor β/2)."""
        if self.m == 0:
            return 0.0
        return float((pnorm(self.W, reg) ** 2).sum() + (self.alpha ** 2).sum())

    def path_norm(self, reg):
        """Σ_j |α_j|‖w_j‖_p: the rescaling-invariant penalty (THEORY §2.2)."""
        if self.m == 0:
            return 0.0
        return float((np.abs(self.alpha) * pnorm(self.W, reg)).sum())

    def objective(self, X, y, model, reg, beta):
        r = self.forward(X, model) - np.asarray(y, dtype=float)
        return 0.5 * float(r @ r) + 0.5 * float(beta) * self.penalty(reg)


def network_from_json(js, d) -> Net:
    W, b, alpha = [], [], []
    for nj in js["neurons"]:
        layers = nj["layers"]
        assert len(layers) == 1, f"expected one hidden layer per neuron, got {layers!r}"
        w = np.asarray(layers[0]["w"], dtype=float).reshape(-1)
        assert w.shape == (d,), f"neuron weight of shape {w.shape}, expected ({d},)"
        W.append(w)
        b.append(float(layers[0]["b"]))
        alpha.append(float(nj["alpha"]))
    W = np.array(W, dtype=float).reshape(len(W), d)
    return Net(W, np.array(b, dtype=float), np.array(alpha, dtype=float),
               js.get("intercept", 0.0) or 0.0)


def unit_columns(X, U, c, model):
    """Features σ(XU_kᵀ + c_k) of unit neurons, shape (n, k)."""
    X = np.asarray(X, dtype=float)
    U = np.asarray(U, dtype=float).reshape(-1, X.shape[1])
    return sigma(X @ U.T + np.asarray(c, dtype=float)[None, :], model)


def net_units(net: Net, reg):
    """The reported neurons as unit neurons: (U, c, z) with ‖U_k‖_p = 1 and
    α σ(wᵀx + b) = z σ(uᵀx + c), z = α‖w‖_p (positive homogeneity). Neurons with
    w = 0 (a constant) are returned separately as their constant value."""
    if net.m == 0:
        return np.zeros((0, net.W.shape[1])), np.zeros(0), np.zeros(0), 0.0
    nw = pnorm(net.W, reg)
    ok = nw > 0
    U = net.W[ok] / nw[ok, None]
    c = net.b[ok] / nw[ok]
    z = net.alpha[ok] * nw[ok]
    return U, c, z, nw


def witness_from_certificate(cert):
    """The violating neuron of an ``upper-bound`` certificate, as (u, c) floats, or None.
    Supports ``certificate.violating_atom`` and its new name ``certificate.violation``."""
    v = cert.get("violation")
    if v is None:
        v = cert.get("violating_atom")
    if v is None:
        return None
    if "u" not in v:                  # nested form, e.g. {"neuron": {"u", "c"}, "sup"}
        for key in ("neuron", "atom"):
            if isinstance(v.get(key), dict) and "u" in v[key]:
                v = v[key]
                break
    u = np.asarray(v["u"], dtype=float).reshape(-1)
    c = float(v.get("c", 0.0) or 0.0)
    return u, c


# ------------------------------------------------------------------ exact JSON reading

def exact_atoms(js):
    """[(coef, u, c, norm_sq)] as Fractions from the JSON exact strings, or None when
    some neuron has no exact data."""
    out = []
    for nj in js["neurons"]:
        a = nj.get("atom") or {}
        if nj.get("coef_exact") is None or a.get("u_exact") is None:
            return None
        out.append((frac(nj["coef_exact"]), [frac(v) for v in a["u_exact"]],
                    frac(a.get("c_exact", "0")), frac(a.get("norm_sq_exact"))))
    return out


def rational_sqrt(q: Fraction):
    import math
    if q < 0:
        return None
    a, b = math.isqrt(q.numerator), math.isqrt(q.denominator)
    return Fraction(a, b) if a * a == q.numerator and b * b == q.denominator else None


def exact_forward(X, atoms, xi, model):
    """f(X) over ℚ from exact atoms (columns σ(uᵀx + c)/√norm_sq); None if some
    norm_sq is not a rational square."""
    f = [xi] * len(X)
    for coef, u, c, q in atoms:
        s = Fraction(1)
        if q is not None:
            s = rational_sqrt(q)
            if s is None:
                return None
        for i, x in enumerate(X):
            t = sum((ui * xi_ for ui, xi_ in zip(u, x)), Fraction(0)) + c
            t = max(t, Fraction(0)) if model == "relu" else abs(t)
            f[i] += coef * t / s
    return f


# ------------------------------------------------------------------ sampled dictionary

def _unit(U, reg):
    n = pnorm(U, reg)
    ok = n > 1e-12
    return U[ok] / n[ok, None]


def _null_vector(M):
    """A unit vector spanning the null space of M (k, m) when it is one-dimensional."""
    if M.shape[0] == 0:
        return None
    _, s, vt = np.linalg.svd(M)
    m = M.shape[1]
    rank = int((s > 1e-10 * max(1.0, s[0])).sum())
    if rank != m - 1:
        return None
    return vt[-1]


def geometric_neurons(X, bias, reg):
    """Hyperplanes through data points and axes, computed here (numpy SVD):
    no bias: u ⟂ d−1 vectors of {x_i} ∪ {e_k}; bias: (u, c) ⟂ d vectors of
    {(x_i, 1)} ∪ {(e_k, 0)} with at least one data point. Both signs, ‖u‖_p = 1."""
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    if bias:
        pool = [np.append(x, 1.0) for x in X] + [np.append(np.eye(d)[k], 0.0) for k in range(d)]
        k = d
    else:
        pool = [x for x in X if np.any(x != 0)] + [np.eye(d)[k] for k in range(d)]
        k = d - 1
    Us, cs = [], []
    if k == 0:
        Us, cs = [np.ones(d)], [0.0]
    else:
        for S in itertools.combinations(range(len(pool)), k):
            if bias and min(S) >= n:
                continue
            v = _null_vector(np.array([pool[i] for i in S]))
            if v is None:
                continue
            w, c = (v[:d], v[d]) if bias else (v, 0.0)
            nw = pnorm(w, reg)[0]
            if nw < 1e-10:
                continue
            Us.append(w / nw)
            cs.append(c / nw)
    U = np.array(Us, dtype=float).reshape(-1, d)
    c = np.array(cs, dtype=float)
    return np.vstack([U, -U]), np.concatenate([c, -c])


def sample_neurons(X, reg, bias, m, seed):
    """A dense random dictionary of about m unit neurons (u, c), ‖u‖_p = 1, plus
    :func:`geometric_neurons`. Directions: a uniform angular grid (d = 2), ±1 (d = 1),
    uniform on the ℓ2 sphere / the ℓ1 sphere (Laplace / ‖·‖₁) in d = 3. Biases:
    c = −uᵀx_j at a random data point (hyperplanes through the data), the same with a
    small or a wide random shift, and far biases (nearly linear / constant features)."""
    rng = np.random.default_rng(seed)
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    scale = max(1.0, float(np.abs(X).max()))
    if d == 1:
        U = np.array([[1.0], [-1.0]])
    elif d == 2:
        k = m if not bias else max(256, m // max(1, n))
        th = (np.arange(k) + rng.random()) * (2 * np.pi / k)
        U = _unit(np.column_stack([np.cos(th), np.sin(th)]), reg)
    else:
        k = m if not bias else max(256, m // max(1, n))
        G = rng.standard_normal((k, d)) if reg == "l2" else rng.laplace(size=(k, d))
        U = _unit(G, reg)
    if not bias:
        U_all, c_all = U, np.zeros(len(U))
    else:
        Ul, cl = [], []
        for j in range(n):                          # hyperplanes through every x_j
            Ul.append(U)
            cl.append(-(U @ X[j]))
        reps = max(1, m // max(1, len(U)) - n)
        for _ in range(reps):                       # shifted / wide / far biases
            j = rng.integers(0, n, size=len(U))
            base = -np.einsum("kd,kd->k", U, X[j])
            kind = rng.integers(0, 4, size=len(U))
            shift = np.where(kind == 0, rng.normal(0, 0.05 * scale, len(U)),
                    np.where(kind == 1, rng.normal(0, 0.5 * scale, len(U)),
                    np.where(kind == 2, rng.uniform(-3 * scale, 3 * scale, len(U)),
                             rng.choice([-1, 1], len(U)) * rng.uniform(5, 50) * scale)))
            Ul.append(U)
            cl.append(base + shift)
        U_all, c_all = np.vstack(Ul), np.concatenate(cl)
    Ug, cg = geometric_neurons(X, bias, reg)
    return np.vstack([U_all, Ug]), np.concatenate([c_all, cg])


def refine_neurons(X, r, U, c, model, reg, bias, top=6, iters=150):
    """Local ascent of |rᵀσ(Xu + c)| over unit neurons (Nelder–Mead on the
    unnormalised (u, c), renormalised in the p-norm), from the ``top`` best of (U, c).
    Returns extra unit neurons (to be added as columns; any unit neuron is realizable)."""
    X = np.asarray(X, dtype=float)
    d = X.shape[1]
    if d == 1 and not bias:
        return np.zeros((0, d)), np.zeros(0)
    A = unit_columns(X, U, c, model)
    score = np.abs(A.T @ r)
    idx = np.argsort(-score)[:top]
    out_U, out_c = [], []

    def unpack(v):
        u = v[:d]
        nu = pnorm(u, reg)[0]
        if nu < 1e-12:
            return None
        u = u / nu
        if not bias:
            return u, 0.0
        # beyond |c| > max|Xu| the feature is affine (or 0) on the data, the same
        # column up to a constant: clip, so that columns stay of moderate size
        R = float(np.abs(X @ u).max()) + 1.0
        return u, float(np.clip(v[d] / nu, -R, R))

    def negval(v):
        uc = unpack(v)
        if uc is None:
            return 0.0
        col = sigma(X @ uc[0] + uc[1], model)
        return -abs(float(col @ r))

    for k in idx:
        v0 = np.append(U[k], c[k]) if bias else U[k].copy()
        res = minimize(negval, v0, method="Nelder-Mead",
                       options={"maxiter": iters, "xatol": 1e-10, "fatol": 1e-14})
        uc = unpack(res.x)
        if uc is not None:
            out_U.append(uc[0])
            out_c.append(uc[1])
    return np.array(out_U, dtype=float).reshape(-1, d), np.array(out_c, dtype=float)


# ------------------------------------------------------------------ our Lasso solver

def _centre(A, y, intercept):
    A = np.asarray(A, dtype=float)
    y = np.asarray(y, dtype=float)
    if not intercept:
        return A, y, None, None
    ma, my = A.mean(axis=0), y.mean()
    return A - ma, y - my, ma, my


def _lasso_nnls(Ac, yc, beta):
    """Lasso min ½‖Ac z − yc‖² + β‖z‖₁ through its dual, the projection of yc onto the
    polytope {r : |a_kᵀr| ≤ β}, a least-distance problem min ‖x‖ s.t. Gx ≥ h
    (x = r − yc) solved exactly by one NNLS (Lawson & Hanson, *Solving Least Squares
    Problems*, Alg. 23.27): NNLS min ‖Eu − f‖, u ≥ 0, E = [Gᵀ; hᵀ], f = e_{n+1}; then
    x = −ρ_{1:n}/ρ_{n+1} for ρ = Eu − f, and the multipliers λ = u/(1 − hᵀu) of the
    two constraints ±a_kᵀr ≤ β are z_k = λ⁺_k − λ⁻_k (KKT: r = yc − Ac z)."""
    from scipy.optimize import nnls
    n, p = Ac.shape
    if p == 0:
        return np.zeros(0)
    ay = Ac.T @ yc
    # rows: −a_kᵀx ≥ a_kᵀyc − β (a_kᵀr ≤ β) and a_kᵀx ≥ −a_kᵀyc − β (−a_kᵀr ≤ β)
    G = np.vstack([-Ac.T, Ac.T])
    h = np.concatenate([ay - beta, -ay - beta])
    E = np.vstack([G.T, h[None, :]])
    f = np.zeros(n + 1)
    f[n] = 1.0
    u, _ = nnls(E, f, maxiter=50 * (2 * p + n + 1))
    den = 1.0 - float(h @ u)
    if not den > 0:
        return np.zeros(p)
    lam = u / den
    return lam[:p] - lam[p:]


class Bracket:
    """Optimum of a convex problem over given columns: lb ≤ opt ≤ ub. ``z``/``xi`` attain
    ub (an explicit realizable solution); ``feasible`` False for an infeasible LP."""

    def __init__(self, lb, ub, z=None, xi=0.0, feasible=True, info=""):
        self.lb, self.ub, self.z, self.xi, self.feasible, self.info = lb, ub, z, xi, feasible, info

    def __repr__(self):
        return f"Bracket(lb={self.lb!r}, ub={self.ub!r}, feasible={self.feasible}, {self.info})"


def lasso_bracket(A, y, beta, intercept, base=None, z0=None):
    """min_{z, ξ} ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ over the columns of A (n, P) with
    :func:`_lasso_nnls` (ξ eliminated by centring); ``z0`` on the columns ``base`` (the
    reported solution) is kept instead if it is better. ub = the value of the returned explicit (z, ξ), evaluated directly;
    lb = the dual value yᵀr̂ − ½‖r̂‖² of the scaled residual r̂ = r·min(1, β/‖Aᵀr‖_∞)
    (𝟙ᵀr̂ = 0 when ξ is free)."""
    beta = float(beta)
    A = np.asarray(A, dtype=float)
    y = np.asarray(y, dtype=float)
    n, P = A.shape
    Ac, yc, ma, my = _centre(A, y, intercept)
    start = None
    if z0 is not None and base is not None:
        start = np.zeros(P)
        start[np.asarray(list(base), dtype=int)] = np.asarray(z0, dtype=float)
    cands = [_lasso_nnls(Ac, yc, beta)]
    if start is not None:                       # the reported solution, if better
        cands.append(start)

    def val(z):
        r = Ac @ z - yc
        return 0.5 * float(r @ r) + beta * float(np.abs(z).sum())
    z = min(cands, key=val)
    r = yc - Ac @ z
    mx = float(np.abs(Ac.T @ r).max()) if P else 0.0
    rh = r * min(1.0, beta / mx) if mx > 0 else r
    lb = float(yc @ rh) - 0.5 * float(rh @ rh)
    xi = float(my - ma @ z) if intercept else 0.0
    rr = A @ z + xi - y                      # ub from the explicit (z, ξ), uncentred
    ub = 0.5 * float(rr @ rr) + beta * float(np.abs(z).sum())
    return Bracket(lb, ub, z, xi, True, f"{int((z != 0).sum())} active of {P} columns")


def lp_bracket(A, y, intercept):
    """min ‖z‖₁ s.t. Az + ξ𝟙 = y (ξ only with ``intercept``) with HiGHS.
    ub = ‖z‖₁ of the primal solution (its interpolation residual is reported in
    ``info``; it is accepted only below 1e-9·(1 + ‖y‖∞)); lb = yᵀλ̂ for the HiGHS dual λ
    made exactly dual feasible (centred when ξ is free, scaled so ‖Aᵀλ̂‖∞ ≤ 1)."""
    A = np.asarray(A, dtype=float)
    y = np.asarray(y, dtype=float)
    n, P = A.shape
    cols = [A, -A] + ([np.ones((n, 1))] if intercept else [])
    Aeq = np.hstack(cols) if cols else np.zeros((n, 0))
    cost = np.concatenate([np.ones(2 * P), np.zeros(1 if intercept else 0)])
    bounds = [(0, None)] * (2 * P) + ([(None, None)] if intercept else [])
    if Aeq.shape[1] == 0:
        feas = bool(np.all(y == 0))
        return Bracket(0.0 if feas else np.inf, 0.0 if feas else np.inf, np.zeros(0), 0.0,
                       feas, "no columns")
    res = linprog(cost, A_eq=Aeq, b_eq=y, bounds=bounds, method="highs")
    if res.status == 2:
        return Bracket(np.inf, np.inf, None, 0.0, False, "infeasible: " + res.message)
    if res.status != 0:
        return Bracket(-np.inf, np.inf, None, 0.0, True, "LP failed: " + res.message)
    z = res.x[:P] - res.x[P:2 * P]
    xi = float(res.x[-1]) if intercept else 0.0
    resid = float(np.abs(A @ z + xi - y).max())
    # polish: re-solve the interpolation equations on the support (keeping the signs)
    F = np.flatnonzero(np.abs(z) > 1e-12 * (1 + (np.abs(z).max() if P else 0.0)))
    M = np.hstack([A[:, F]] + ([np.ones((n, 1))] if intercept else []))
    if M.shape[1]:
        sol, *_ = np.linalg.lstsq(M, y, rcond=None)
        z2 = np.zeros(P)
        z2[F] = sol[:len(F)]
        xi2 = float(sol[-1]) if intercept else 0.0
        resid2 = float(np.abs(A @ z2 + xi2 - y).max())
        if (np.all(np.sign(z2[F]) == np.sign(z[F])) and resid2 < resid
                and np.abs(z2).sum() <= np.abs(z).sum() * (1 + 1e-12) + 1e-15):  # noqa: E129
            z, xi, resid = z2, xi2, resid2
    ok = resid <= 1e-9 * (1 + float(np.abs(y).max()))
    ub = float(np.abs(z).sum()) if ok else np.inf
    lam = np.asarray(res.eqlin.marginals, dtype=float)
    if intercept:
        lam = lam - lam.mean()
    mx = float(np.abs(A.T @ lam).max()) if P else 0.0
    lam = lam / max(1.0, mx)
    lb = float(y @ lam)
    br = Bracket(lb, ub, z, xi, True, f"interpolation residual {resid:.2e}")
    br.lam = lam
    return br
