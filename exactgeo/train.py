"""The non-convex trainer's public location ``exactgeo.train`` (it lives in
:mod:`exactgeo.nets.trainer`): :func:`train` and :class:`TrainResult`.

>>> from exactgeo.nets import trainer
>>> train is trainer.train
True
"""
from .nets.trainer import TrainResult, train

__all__ = ["train", "TrainResult"]
