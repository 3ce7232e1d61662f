"""Networks: the one network type (rows are samples), its penalties, reconstruction, trainer.

- :mod:`.network` — :class:`Network` (hidden layers H ← σ(HWᵀ + b) on rows, then α, ξ or
  (W_out, b_out); exact or float) and its two-layer case :class:`TwoLayerNet`;
- :mod:`.penalties` — the regulariser as a strategy: :class:`WeightDecay` ("l2"),
  :class:`L1Inner` ("l1"), :class:`LLL` (ℓ_L^L of parallel chains);
- :mod:`.units` — the exact factorisation of a reconstructed two-layer net;
- :mod:`.reconstruct` — :func:`from_lasso` (THEORY §2.6);
- :mod:`.trainer` — :func:`train`, the non-convex Adam baseline;
- :mod:`.chain_trainer` — :func:`train_chains`, Adam on depth-L chains (ℓ_L^L, THEORY §3.1);
- :mod:`.activations`, :mod:`.exact` — σ by name, exact number normal form.

>>> import numpy as np
>>> net = Network([(np.eye(2), np.zeros(2)), (np.array([[1.0, 1.0]]), np.array([-1.0]))],
...               np.array([2.0]), 0.5)
>>> net.depth, net.forward(np.array([[1.0, 2.0]])).tolist()    # 2·relu(1 + 2 − 1) + 1/2
(3, [4.5])
>>> net.objective(np.array([[1.0, 2.0]]), [4.0], 0.1, reg=WeightDecay())  # ½·½² + 0.1·½(2 + 2 + 4)
0.525
"""
from .network import Network, Trace, TwoLayerNet
from .penalties import LLL, L1Inner, Penalty, WeightDecay, get_penalty
from .reconstruct import from_lasso
from .trainer import TrainResult, train
from .chain_trainer import ChainTrainResult, train_chains
from .units import Units

__all__ = ["Network", "TwoLayerNet", "Trace", "Units", "from_lasso", "Penalty", "WeightDecay",
           "L1Inner", "LLL", "get_penalty", "train", "TrainResult", "train_chains",
           "ChainTrainResult"]
