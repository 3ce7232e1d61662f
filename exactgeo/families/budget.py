"""The pricing memory budget: how many pool subsets one block of the enumeration
pricing may hold so that its peak memory stays within ``max_bytes``, and the refusal
(:class:`PricingTooLarge`) when not even one fits.

>>> fmt_bytes(3 * 2 ** 30), pricing_chunk(40, 2, 3, exact=False, max_bytes=2 ** 20,
...                                       cap_entries=2 ** 26) > 0
('3 GiB', True)
"""
from __future__ import annotations

from ..ga.cross import cross_work_bytes

__all__ = ["PRICING_MAX_BYTES", "PRICING_MAX_CANDIDATES", "PricingTooLarge", "fmt_bytes",
           "pricing_subset_bytes", "pricing_chunk"]

PRICING_MAX_BYTES = 2 ** 28          # default peak-memory budget of one pricing call
PRICING_MAX_CANDIDATES = 10 ** 9     # default refusal threshold (pool subsets per call)


class PricingTooLarge(MemoryError):
    """A pricing oracle refused before allocating: one block does not fit the memory
    budget, or the enumeration is too large to finish (the message gives the sizes)."""


def fmt_bytes(b) -> str:
    """Human-readable size: ``fmt_bytes(3 * 2**30)`` → '3 GiB'."""
    b = float(b)
    for unit, sc in (("EiB", 2 ** 60), ("PiB", 2 ** 50), ("TiB", 2 ** 40), ("GiB", 2 ** 30),
                     ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if b >= sc:
            return f"{b / sc:.3g} {unit}" if b / sc < 1e6 else f"{b:.3g} bytes"
    return f"{int(b)} bytes"


def pricing_subset_bytes(n: int, k: int, dim: int, exact: bool) -> int:
    """Estimated peak bytes per pool subset in one block of the ℓ1 enumeration
    pricing (subsets of k pool vectors in ℝ^dim, n samples): the subset indices (block,
    generator buffer), the gathered pool rows and their squares (Hadamard bound), the
    cross product's work arrays (:func:`exactgeo.ga.cross.cross_work_bytes`), the
    hyperplane and its copies, per-candidate scalars, and for exact pricing the
    pre-activations and activity patterns (n per subset). Object entries count 48 bytes
    (pointer + Python int).

    >>> pricing_subset_bytes(40, 8, 9, False) > pricing_subset_bytes(40, 4, 5, False)
    True
    >>> pricing_subset_bytes(40, 13, 14, True) < 2 ** 16      # exact: O(k³) elimination
    True
    """
    e = 48 if exact else 8
    work = cross_work_bytes(dim, exact) if k > 0 else 0
    b = 24 * k + 2 * k * dim * e + work + 5 * dim * e + 160
    if exact:
        b += 64 * n
    return int(b)


def pricing_chunk(n: int, k: int, dim: int, *, exact: bool, max_bytes: int,
                  cap_entries: int, n_pool: int = 0) -> int:
    """Subsets per pricing block so that the block's peak memory (estimated by
    :func:`pricing_subset_bytes`, plus the pool and the combination table of
    :func:`exactgeo.families.subsets.combos_chunks`, which gets ``max_bytes // 8``)
    stays within ``max_bytes``, and the block's kernel work n × subsets stays
    ≤ ``cap_entries`` (granularity for progress reports and time limits). 0 when not
    even one subset fits.

    >>> [pricing_chunk(40, d, d + 1, exact=False, max_bytes=2**24, cap_entries=2**26)
    ...  for d in (2, 4, 8)]                 # d + 1 = 9: the O(d³) float cross (QR)
    [33363, 18535, 2876]
    """
    per = pricing_subset_bytes(n, k, dim, exact)
    fixed = max_bytes // 8 + n_pool * dim * (48 if exact else 8)
    avail = max_bytes - fixed
    if avail < per:
        return 0
    return int(max(1, min(avail // per, cap_entries // max(1, n))))
