"""dask.distributed pricing of implicit (streamed) column sources — the ``dask`` extra.

The candidates of an :class:`~exactgeo.sources.ImplicitSource` are split into rank
ranges aligned to its blocks; each range is a picklable task
(:func:`exactgeo.sources.implicit.price_range` on the source's :meth:`spec`), mapped over
the workers and reduced by max (:func:`~exactgeo.sources.implicit.merge_priced`: the max
of the sups, ties to the lower column, top-k of the union). Every candidate is computed
in the same block as in the serial run, so the answer is identical to it.

The core never imports dask: only :func:`client_for` does, when asked. An unreachable
scheduler raises ``OSError`` after ``timeout`` seconds (default 5), never hangs.

>>> check_settings(None, None)          # no dask needed when not asked for
>>> with client_for(None, None) as c:
...     c is None
True
"""
from __future__ import annotations

import contextlib
from typing import Optional

import numpy as np

__all__ = ["check_settings", "client_for", "price_distributed", "CONNECT_TIMEOUT"]

CONNECT_TIMEOUT = 5.0          #: seconds to reach a scheduler before giving up


def check_settings(scheduler, workers) -> None:
    """Validate ``scheduler`` (None or an address string) and ``workers`` (None or an
    int ≥ 1); not both."""
    if scheduler is not None and not (isinstance(scheduler, str) and scheduler.strip()):
        raise TypeError(f"scheduler: expected a dask scheduler address such as "
                        f"'tcp://host:8786', got {scheduler!r}")
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)):
            raise TypeError(f"workers: expected an integer >= 1, got {workers!r}")
        if workers < 1:
            raise ValueError(f"workers: expected an integer >= 1, got {workers}")
    if scheduler is not None and workers is not None:
        raise ValueError("scheduler/workers: give an existing cluster's address (scheduler) "
                         "or a number of local workers (workers), not both")


def _dask():
    try:
        import distributed
    except ImportError:
        raise ValueError("scheduler/workers: dask pricing needs the dask extra: "
                         "pip install 'exactgeo[dask]'") from None
    return distributed


@contextlib.contextmanager
def client_for(scheduler: Optional[str] = None, workers: Optional[int] = None, *,
               timeout: float = CONNECT_TIMEOUT, processes: bool = True):
    """A dask Client for the run, closed afterwards: connected to ``scheduler``, or on a
    LocalCluster of ``workers`` single-threaded workers (``processes`` False: threads), or
    None when neither is given. Raises OSError naming the address when the scheduler
    cannot be reached within ``timeout`` seconds."""
    check_settings(scheduler, workers)
    if scheduler is None and workers is None:
        yield None
        return
    dd = _dask()
    cluster = None
    if scheduler is not None:
        try:
            client = dd.Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise OSError(f"scheduler: could not connect to the dask scheduler at "
                          f"{scheduler!r} within {timeout:g} s ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:200]})") from None
    else:
        cluster = dd.LocalCluster(n_workers=int(workers), threads_per_worker=1,
                                  processes=processes, dashboard_address=None)
        client = dd.Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


_SOURCES: dict = {}


def _price_task(spec, r, start, stop, k, exclude, threshold, rank_beta, per_anchor):
    """Worker side: price one rank range (the source is rebuilt once per worker)."""
    from .sources.implicit import ImplicitSource, price_range
    from .families import get_family
    key = (spec["model"], spec["reg"], spec["bias"], spec["axes"], spec["X"].tobytes(),
           spec["X"].shape, spec["block_size"], spec["max_bytes"])
    src = _SOURCES.get(key)
    if src is None:
        fam = get_family(spec["model"], reg=spec["reg"], bias=spec["bias"], axes=spec["axes"])
        src = ImplicitSource(fam, spec["X"], max_bytes=spec["max_bytes"])
        src.block_size = spec["block_size"]
        _SOURCES.clear()
        _SOURCES[key] = src
    return price_range(spec, r, start, stop, k, exclude=exclude, threshold=threshold,
                       rank_beta=rank_beta, per_anchor=per_anchor, source=src)


def price_distributed(client, source, r, k: int, *, exclude=None, threshold=None,
                      rank_beta=None, per_anchor=None, tasks_per_worker: int = 4):
    """``source.price(r, k, exclude=..., threshold=...)`` with the rank ranges mapped
    over ``client``'s workers and reduced by max; identical to the serial answer."""
    from .sources.implicit import merge_priced
    nw = max(1, len(client.scheduler_info().get("workers", {})))
    total, blk = source.candidates, source.block_size
    n_blocks = -(-total // blk)
    per = max(1, -(-n_blocks // (nw * tasks_per_worker)))       # blocks per task
    starts = list(range(0, total, per * blk))
    stops = [min(total, s + per * blk) for s in starts]
    spec = source.spec()
    excl = None if exclude is None else np.asarray(exclude, dtype=np.int64)
    # unique keys (hash=False): a content-hashed key of an earlier call may still be in
    # release on the workers, and a task depending on it is then cancelled
    [spec_f, r_f] = client.scatter([spec, np.asarray(r, dtype=float)], broadcast=True,
                                   hash=False)
    futs = client.map(_price_task, [spec_f] * len(starts), [r_f] * len(starts), starts,
                      stops, [k] * len(starts), [excl] * len(starts),
                      [threshold] * len(starts), [rank_beta] * len(starts),
                      [per_anchor] * len(starts), pure=False)
    return merge_priced(client.gather(futs), k)
