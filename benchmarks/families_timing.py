"""Timing of the two-layer families on the bundled 160-point spiral (one run).

Dictionary builds (float / exact) and pricing oracles (exact r / float r) for
relu/abs × ℓ1/ℓ2 with bias. Prints a markdown table.

    python benchmarks/families_timing.py
"""
import time
from fractions import Fraction

import numpy as np

from exactgeo.data import dataset_path, read_csv
from exactgeo.families import get_family


def main():
    Xe, _ = read_csv(dataset_path("spiral"), exact=True)
    Xf = np.asarray(Xe, dtype=float)
    n = len(Xf)
    rng = np.random.default_rng(0)
    re = np.array([Fraction(int(v), 997) for v in rng.integers(-500, 500, n)], dtype=object)
    re[-1] -= sum(re)                       # 1ᵀr = 0 (bias families)
    rf = re.astype(float)
    print(f"spiral: n={n}, d={Xf.shape[1]}; residual r: random multiples of 1/997, 1ᵀr = 0\n")
    print("| model | reg | dictionary | columns (zero, dup dropped) | float build s "
          "| exact build s | exact price s (1st / cached) | float price s |")
    print("|---|---|---|---|---|---|---|---|")
    for model in ("relu", "abs"):
        for reg in ("l1", "l2"):
            fam = get_family(model, reg=reg, bias=True)
            t = time.perf_counter(); D = fam.dictionary(Xf); t1 = time.perf_counter() - t
            t = time.perf_counter(); fam.dictionary(Xe, exact=True); t2 = time.perf_counter() - t
            t = time.perf_counter(); fam.price(Xe, re); t3 = time.perf_counter() - t
            t = time.perf_counter(); fam.price(Xe, re); t3b = time.perf_counter() - t
            t = time.perf_counter(); fam.price(Xf, rf); t4 = time.perf_counter() - t
            print(f"| {model} | {reg} | {fam.dictionary_name} | {D.shape[1]} ({D.n_zero}, "
                  f"{D.n_duplicate}) | {t1:.2f} | {t2:.2f} | {t3:.2f} / {t3b:.2f} | {t4:.2f} |")


if __name__ == "__main__":
    main()
