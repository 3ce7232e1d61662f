"""Column generation tells the truth (stop reasons, limits), pricing memory stays within
its budget (chunk sizes by n, d and the subset size; refusal before allocating), and
progress is reported on stderr only for slow runs (issue 7, items 5 and 7)."""
import io
import time
import tracemalloc
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.certify import STOP_REASONS, column_generation
from exactgeo.families import get_family
from exactgeo.families import budget as pricing_budget, subsets
from exactgeo.families.twolayer import TwoLayerFamily
from exactgeo.progress import Progress, as_progress


def _data(n=12, d=1, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sin(3 * X.sum(axis=1)) + 0.1 * rng.standard_normal(n)
    return X, y


class _Clock:
    """Fake monotonic clock: every reading advances it by ``step`` seconds."""

    def __init__(self, step=0.0):
        self.t, self.step = 0.0, step

    def __call__(self):
        self.t += self.step
        return self.t


# ------------------------------------------------------------------ stop reasons

def test_max_rounds_says_so_and_claims_nothing():
    X, y = _data()
    fam = get_family("relu", reg="l1", bias=True)
    cg = column_generation(fam, X, y, 0.01, atoms=[], max_rounds=1, progress=False)
    assert cg.stop == "max-rounds" and cg.stop in STOP_REASONS
    assert "max_rounds=1" in cg.message
    assert cg.history[0] > 0.01 * (1 + 1e-6)            # a violation was found ...
    assert len(cg.added) == 1 and cg.rounds == 1        # ... added, and not priced again
    assert not cg.no_violation_float and not cg.converged
    js = cg.to_json()
    assert js["stop"] == "max-rounds" and js["no_violation_float"] is False
    assert js["max_rounds"] == 1 and js["added"] == 1 and "converged" not in js


def test_no_violation_is_float_evidence_not_convergence():
    fam = get_family("relu", reg="l2", bias=False)               # THEORY G1
    cg = column_generation(fam, np.eye(2), np.ones(2), 0.1, intercept=False, progress=False)
    assert cg.stop == "no-violation-float" and cg.no_violation_float
    assert "not a certificate" in cg.message and cg.oracle_kind == "exact"
    assert cg.history[-1] <= 0.1 * (1 + 1e-6)


def test_sampled_oracle_stop_is_named_sampled():
    X, y = _data(n=10, d=3, seed=1)
    fam = get_family("relu", reg="l2", bias=False)
    cg = column_generation(fam, X, y, 0.5, intercept=False, samples=50, progress=False)
    assert cg.oracle_kind == "sampled"
    if cg.stop != "max-rounds":
        assert cg.stop == "no-violation-sampled" and "never certifies" in cg.message


def test_time_limit_between_rounds_is_stated():
    X, y = _data()
    fam = get_family("relu", reg="l1", bias=True)
    clock = _Clock(step=10.0)                       # every reading is 10 s later
    cg = column_generation(fam, X, y, 0.01, atoms=[], max_seconds=15,
                           progress=Progress(False, clock=clock))
    assert cg.stop == "time-limit" and "max_seconds=15" in cg.message
    assert cg.max_seconds == 15 and not cg.no_violation_float
    assert cg.to_json()["max_seconds"] == 15


class _SlowPricing(TwoLayerFamily):
    """Pricing whose progress callback sees the (fake) clock jump past the deadline."""

    def __init__(self, clock, **kw):
        super().__init__(**kw)
        self.clock = clock

    def price(self, X, r, **kw):
        self.clock.t += 1000.0
        return super().price(X, r, **kw)


def test_time_limit_inside_pricing_abandons_the_round(monkeypatch):
    import exactgeo.families.pricing_l1 as pl1
    monkeypatch.setattr(pl1, "_CHUNK_ENTRIES", 16)          # many blocks → many ticks
    X, y = _data(n=20)
    clock = _Clock()
    fam = _SlowPricing(clock, activation="relu", reg="l1", bias=True)
    cg = column_generation(fam, X, y, 0.01, atoms=[], max_seconds=60,
                           progress=Progress(False, clock=clock))
    assert cg.stop == "time-limit" and "during the pricing of round 1" in cg.message
    assert cg.history == [] and cg.added == [] and cg.rounds == 1


# ------------------------------------------------------------------ memory guard

def test_d50_refused_before_allocating():
    X, y = _data(n=40, d=50)
    fam = get_family("relu", reg="l1", bias=True)
    tracemalloc.start()
    t = time.perf_counter()
    try:
        with pytest.raises(MemoryError) as info:
            column_generation(fam, X, y, 0.1, atoms=[], progress=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    msg = str(info.value)
    assert isinstance(info.value, pricing_budget.PricingTooLarge)
    assert "C(90, 50) = 5.99e+25" in msg                # the count
    assert "max_candidates" in msg and "MiB each" in msg  # the limit and the block size
    assert "--reg l2" in msg and "sampling" in msg       # the alternative
    assert peak < 64 * 2 ** 20 and time.perf_counter() - t < 30
    with pytest.raises(MemoryError, match="5.99e"):     # the oracle alone refuses too
        fam.price(X, y - y.mean())
    # a budget too small for even one subset: refused with the per-subset size
    with pytest.raises(MemoryError, match=r"one subset alone needs about [\d.]+ KiB.*"
                                          r"max_bytes=4 KiB"):
        column_generation(fam, X, y, 0.1, atoms=[], max_bytes=4096, progress=False)


def test_too_many_candidates_refused_with_the_count():
    X, y = _data(n=40, d=8)
    fam = get_family("relu", reg="l1", bias=True)
    with pytest.raises(MemoryError, match=r"C\(48, 8\) = 3\.77e\+08.*max_candidates"):
        column_generation(fam, X, y, 0.1, atoms=[], max_candidates=10 ** 6, progress=False)


def test_chunk_sizes_shrink_with_d_and_fit_the_budget():
    budget, n = 2 ** 28, 40
    for exact, cap, dims in ((False, 16 * 2 ** 22, range(2, 51)), (True, 2 ** 22, range(2, 14))):
        sizes = [pricing_budget.pricing_chunk(n, d, d + 1, exact=exact, max_bytes=budget,
                                              cap_entries=cap, n_pool=n + d) for d in dims]
        assert all(a > b for a, b in zip(sizes, sizes[1:])), sizes
        for d, m in zip(dims, sizes):
            assert m * pricing_budget.pricing_subset_bytes(n, d, d + 1, exact) <= budget
    # more samples → smaller exact chunks; float chunks are capped by the kernel work n·m
    chunk = pricing_budget.pricing_chunk
    assert (chunk(400, 3, 4, exact=True, max_bytes=budget, cap_entries=2 ** 40)
            < chunk(40, 3, 4, exact=True, max_bytes=budget, cap_entries=2 ** 40))
    assert chunk(40, 3, 4, exact=False, max_bytes=budget, cap_entries=2 ** 20) \
        == 2 ** 20 // 40
    assert chunk(40, 50, 51, exact=False, max_bytes=2 ** 12,
                 cap_entries=2 ** 26) == 0                      # one subset cannot fit


def test_combos_chunks_are_the_lexicographic_subsets(monkeypatch):
    for limit in (0, 3, 2 ** 16):               # also force bigger suffix tables
        monkeypatch.setattr(subsets, "MAX_PREFIXES", limit)
        for n_pts, n_ax, k, need in ((5, 2, 3, True), (6, 0, 2, False), (3, 3, 4, True),
                                     (4, 2, 1, True), (7, 1, 5, False)):
            ref = subsets.combos_array(n_pts, n_ax, k, need)
            for step in (1, 4, 1000):
                blocks = list(subsets.combos_chunks(n_pts, n_ax, k, need, step, suffix_bytes=64))
                assert all(len(b) <= step for b in blocks)
                assert np.array_equal(np.concatenate(blocks), ref)


def test_float_cross_products_do_not_depend_on_the_block_size():
    # pricing blocks of any size must give the same candidates: ga.cross takes numba
    # kernels for large batches and numpy for small ones, with the same operations
    from exactgeo.ga import cross
    rng = np.random.default_rng(5)
    for k in (2, 3, 6):
        Q = rng.standard_normal((3000, k, k + 1))
        Q[::5, 0] = Q[::5, 1]                                   # dependent rows
        fast = cross(Q)
        slow = cross(Q[:3])                                     # numpy route
        assert np.array_equal(fast[:3], slow)


@pytest.mark.parametrize("act", ["relu", "abs"])
def test_budgeted_l1_pricing_equals_single_pass(act):
    rng = np.random.default_rng(9)
    X = (rng.integers(-9, 10, size=(11, 3)) / 3)
    r = rng.integers(-9, 10, size=11).astype(float)
    r -= r.mean()
    fam = get_family(act, reg="l1", bias=True)
    P1 = fam.price(X, r)
    ticks = []
    P2 = fam.price(X, r, max_bytes=2 ** 16, progress=lambda *a: ticks.append(a))
    assert P1.sup == P2.sup and len(ticks) > 3
    assert ticks[-1] == (fam.n_candidates(11, 3), fam.n_candidates(11, 3), "candidates")
    Xe = np.array([[F(v).limit_denominator(3) for v in row] for row in X], dtype=object)
    re_ = [F(int(v), 7) for v in rng.integers(-9, 10, size=11)]
    re_[-1] -= sum(re_, F(0))                   # 1ᵀr = 0 (free intercept)
    re_ = np.array(re_, dtype=object)
    assert fam.price(Xe, re_).sup_exact == fam.price(Xe, re_, max_bytes=2 ** 18).sup_exact


def test_budgeted_sampled_pricing_equals_default():
    X, y = _data(n=60, d=3, seed=4)
    r = y - y.mean()
    for bias in (True, False):
        fam = get_family("relu", reg="l2", bias=bias)
        P1 = fam.price(X, r, samples=40)
        P2 = fam.price(X, r, samples=40, max_bytes=2 ** 15)    # blocked over both axes
        assert P1.sup == P2.sup
    with pytest.raises(MemoryError, match="single direction"):
        fam.price(X, r, samples=40, max_bytes=100)


# ------------------------------------------------------------------ progress

def test_progress_lines_when_slow():
    X, y = _data()
    fam = get_family("relu", reg="l1", bias=True)
    out = io.StringIO()
    prog = Progress(stream=out, clock=_Clock(step=1.0), interval=0.0)    # "slow" run
    cg = column_generation(fam, X, y, 0.01, atoms=[], max_rounds=3, progress=prog)
    lines = out.getvalue().splitlines()
    assert lines and all(s.startswith("exactgeo: colgen ") for s in lines)
    text = out.getvalue()
    for word in ("round 1", "objective", "S/beta", "columns", "candidates/s"):
        assert word in text, word
    assert "max-rounds" in lines[-1] and cg.stop == "max-rounds"


def test_progress_silent_when_fast_or_disabled(capsys):
    X, y = _data()
    fam = get_family("relu", reg="l1", bias=True)
    out = io.StringIO()
    column_generation(fam, X, y, 0.01, atoms=[], max_rounds=3,
                      progress=Progress(stream=out, clock=_Clock(step=0.0)))    # instant
    assert out.getvalue() == ""
    column_generation(fam, X, y, 0.01, atoms=[], max_rounds=3,
                      progress=Progress(False, stream=out, clock=_Clock(step=5.0)))
    assert out.getvalue() == ""
    column_generation(fam, X, y, 0.01, atoms=[], max_rounds=3, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_reporter_contract():
    out = io.StringIO()
    clock = _Clock()
    p = Progress(stream=out, clock=clock, delay=2.0, interval=5.0)
    assert not p.update("early")                  # before the delay
    clock.t = 3.0
    assert p.update(lambda: "built lazily")       # callables are formatted when printed
    assert not p.update("too soon")               # within the interval
    assert p.update("forced", force=True)
    assert p.done("end")
    assert [s.split(": ", 1)[1] for s in out.getvalue().splitlines()] == [
        "built lazily [3.0 s]", "forced [3.0 s]", "end [3.0 s]"]
    assert as_progress(False).enabled is False and as_progress(None).enabled is True
    assert as_progress(p) is p
