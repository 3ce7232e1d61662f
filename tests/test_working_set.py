"""One column-source interface and one working-set loop (issue "Architecture", item 4):
the loop over an explicit and over a generated source reaches the direct solve's optimum,
the interior point honours warm starts, sources follow the protocol, and lasso/ has no
import cycles nor private names imported across modules."""
import ast
import pathlib
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.families import get_family
from exactgeo.lasso import certify_lasso, lasso_path, problem, solve_lasso
from exactgeo.lasso.ipm import ipm_lasso
from exactgeo.lasso.working_set import Restricted, working_set
from exactgeo.sources import ColumnSource, ExplicitSource, GeneratedSource


def _data(n=12, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 - 0.3
    return X, y


def _loop(source, y, beta):
    """The same loop, the same plain inner solver (IPM on the columns W, warm-started),
    the same pricing call — only the source differs."""
    def solve(W, z0, _last):
        A = source.columns(W)
        z, lam, it = ipm_lasso(A, y, beta, z0=z0)
        return Restricted(z, y - A @ z, duals=(lam,), work=it)

    def price(res, W):
        return source.price(res.r, k=8, beta=beta, exclude=W, threshold=beta * (1 + 1e-9))

    return working_set(source, solve, [], beta=beta, y=y, tol=1e-10, price=price,
                       max_rounds=500)


@pytest.mark.parametrize("act", ["relu", "abs"])
def test_one_loop_two_sources_same_optimum_as_direct_solve(act):
    X, y = _data()
    beta = 0.02
    fam = get_family(act, reg="l1", bias=False)        # W1+: the oracle is exact (THEORY §2.4)
    D = fam.dictionary(X)
    direct = solve_lasso(D.float_matrix(), y, beta, intercept=False, tol=1e-12)
    explicit = _loop(ExplicitSource.from_dictionary(D), y, beta)
    generated = _loop(GeneratedSource(fam, X, atoms=[]), y, beta)
    for out in (explicit, generated):
        assert out.stop == "optimal" and out.rel_gap <= 1e-10
        assert abs(out.primal - direct.objective) <= 1e-9 * direct.objective
    # the generated source holds only the columns the oracle asked for
    assert generated.W.size < D.shape[1]
    # and the certified optimum over ℚ agrees (the float data read exactly)
    from exactgeo.numbers import as_exact_array
    Dq = fam.dictionary(as_exact_array(X), exact=True)
    cert = certify_lasso(Dq.A, as_exact_array(y), F(beta), direct, intercept=False)
    assert cert.status == "exact"
    assert abs(float(cert.objective_exact) - generated.primal) <= 1e-9 * direct.objective


def test_column_generation_is_the_loop_over_a_generated_source():
    from exactgeo.certify import column_generation
    X, y = _data()
    fam = get_family("relu", reg="l1", bias=True)
    D = fam.dictionary(X)
    direct = solve_lasso(D.float_matrix(), y, 0.02, tol=1e-12)
    cg = column_generation(fam, X, y, 0.02, atoms=[], tol=1e-9, max_rounds=300,
                           progress=False)
    assert cg.stop == "no-violation-float"
    assert abs(cg.objective - direct.objective) <= 1e-8 * direct.objective
    assert cg.lasso_work > 0 and cg.to_json()["lasso_work"] == cg.lasso_work


def _normalised_problem(seed, n, m, beta):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, m))
    y = rng.standard_normal(n)
    return A / np.abs(A).max(), y / np.abs(y).max(), beta


@pytest.mark.parametrize("case", [(0, 20, 300, 0.5), (1, 40, 400, 0.05), (2, 10, 50, 1e-3),
                                  (3, 8, 400, 0.01)])
def test_ipm_warm_start_from_the_optimum_takes_at_most_two_iterations(case):
    A, y, beta = _normalised_problem(*case)
    opt = solve_lasso(A, y, beta, intercept=False, tol=1e-12, method="ipm")
    _, _, cold = ipm_lasso(A, y, beta)
    z, _, it = ipm_lasso(A, y, beta, z0=opt.z)
    assert it <= 2 < cold                               # iterations, not seconds
    p = problem.primal(y - A @ z, z, beta)
    assert p <= opt.objective * (1 + 1e-12)


def test_ipm_warm_start_near_the_optimum_saves_iterations():
    A, y, beta = _normalised_problem(1, 40, 400, 0.05)
    opt = solve_lasso(A, y, beta, intercept=False, tol=1e-12, method="ipm")
    rng = np.random.default_rng(7)
    z0 = opt.z * (1 + 1e-4 * rng.standard_normal(opt.z.size))
    _, _, cold = ipm_lasso(A, y, beta)
    z, _, warm = ipm_lasso(A, y, beta, z0=z0)
    assert warm < cold
    assert problem.primal(y - A @ z, z, beta) <= opt.objective * (1 + 1e-10)
    # a poor start still converges (to the same optimum)
    z, _, _ = ipm_lasso(A, y, beta, z0=rng.standard_normal(A.shape[1]))
    assert problem.primal(y - A @ z, z, beta) <= opt.objective * (1 + 1e-10)


def test_solve_lasso_ipm_honours_z0():
    X, y = _data(n=30, seed=5)
    A = get_family("relu", reg="l1", bias=True).dictionary(X).float_matrix()
    cold = solve_lasso(A, y, 0.01, method="ipm")
    warm = solve_lasso(A, y, 0.01, method="ipm", z0=cold.z)
    assert warm.converged and warm.n_epochs < cold.n_epochs and warm.rounds <= cold.rounds
    assert abs(warm.objective - cold.objective) <= 2e-9 * cold.objective
    # the path warm-starts every solve from the previous one
    betas = [0.04, 0.02, 0.01]
    path = lasso_path(A, y, betas, method="ipm")
    assert [s.converged for s in path] == [True] * 3
    cold_iters = sum(solve_lasso(A, y, b, method="ipm").n_epochs for b in betas)
    assert sum(s.n_epochs for s in path) < cold_iters


def test_sources_follow_the_protocol():
    X, y = _data(n=6)
    fam = get_family("relu", reg="l1", bias=True)
    Xq = np.array([[F(v) for v in row] for row in X], dtype=object)
    Dq = fam.dictionary(Xq, exact=True)
    ex = ExplicitSource.from_dictionary(Dq)
    gen = GeneratedSource(fam, X, atoms=list(Dq.atoms)[:3])
    for src in (ex, gen, ExplicitSource(Dq.float_matrix())):
        assert isinstance(src, ColumnSource)
    assert ex.size == Dq.shape[1] and ex.n == 6 and gen.size == 3
    idx = [0, 5, 7]
    assert (ex.columns(idx, exact=True) == Dq.columns(idx)).all()
    assert np.array_equal(ex.columns(idx), Dq.float_matrix()[:, idx])
    assert ex.atoms(idx) == [Dq.atoms[k] for k in idx]
    # exact pricing (rigorous) and float pricing name the same violators here
    r = np.array([F(v).limit_denominator(1000) for v in y - np.mean(y)], dtype=object)
    r = r - sum(r, F(0)) / len(r)
    beta = F(1, 20)
    pe = ex.price(r, k=ex.size, beta=beta)
    pf = ex.price(r.astype(float), k=ex.size, threshold=float(beta))
    assert pe.kind == "exact" and sorted(pe.idx.tolist()) == sorted(pf.idx.tolist())
    assert all(abs(v) > beta for v in pe.values)
    assert abs(pe.sup - pf.sup) <= 1e-12 * pf.sup
    # the oracle prices over the whole family: at least the held columns' maximum
    pr = gen.price(r.astype(float))
    assert pr.sup >= np.abs(gen.correlate(r.astype(float))[:3]).max() - 1e-12


def _imports(path):
    """(module-level imports, all imports) of a module as (module, names) pairs."""
    tree = ast.parse(path.read_text())
    top, every = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            entry = (node.level, node.module or "", [a.name for a in node.names])
            every.append(entry)
            if node in tree.body:
                top.append(entry)
    return top, every


def test_lasso_has_no_import_cycles_and_no_private_cross_imports():
    root = pathlib.Path(__file__).resolve().parents[1] / "exactgeo"
    mods = {}
    for pkg in ("lasso", "sources"):
        for path in (root / pkg).rglob("*.py"):
            rel = path.relative_to(root.parent).with_suffix("")
            name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
            mods[name] = path

    def resolve(name, level, module, is_pkg):
        base = name.split(".")
        base = base if is_pkg else base[:-1]
        base = base[:len(base) - (level - 1)] if level else []
        return ".".join(base + ([module] if module else [])) if level else module

    graph = {}
    for name, path in mods.items():
        top, every = _imports(path)
        is_pkg = path.name == "__init__.py"
        for level, module, names in every:
            for n in names:
                assert not (n.startswith("_") and n != "__future__"), \
                    f"{name} imports the private name {n}"
        deps = set()
        for level, module, names in top + [e for e in every if e not in top]:
            target = resolve(name, level, module, is_pkg)
            for cand in [target] + [f"{target}.{n}" for n in names]:
                if cand in mods and cand != name and name.startswith("exactgeo.lasso"):
                    deps.add(cand)
        graph[name] = deps
    # cycles among lasso modules (package __init__ re-exports aside)
    inits = {n for n, p in mods.items() if p.name == "__init__.py"}

    def visit(node, stack):
        for nxt in graph.get(node, ()):
            if nxt in inits:
                continue
            assert nxt not in stack, f"import cycle: {' -> '.join(stack + [nxt])}"
            visit(nxt, stack + [nxt])

    for node in graph:
        if node not in inits:
            visit(node, [node])
