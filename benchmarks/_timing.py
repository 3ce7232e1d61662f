"""Shared timing for the benchmark scripts (run as ``python benchmarks/NAME.py``, so this
folder is on sys.path)."""
import statistics
import time


def timed(fn, reps):
    """(median wall seconds over ``reps`` calls of ``fn``, the last result)."""
    ts, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out
