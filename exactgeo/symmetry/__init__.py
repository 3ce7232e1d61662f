"""Symmetry measurements of 1-D piecewise-linear fits (THEORY §3.6).

- :mod:`.piecewise` — :class:`PiecewiseLinear` (exact or float) and :func:`from_network`;
- :mod:`.defect` — :func:`defect`, D(f; m, ρ) = max_{0≤t≤ρ} |f(m + t) − f(m − t)|, exactly;
- :mod:`.search` — :func:`symmetric_radius`, :func:`centres`, :func:`best_centre`;
- :mod:`.tree` — multilevel trees: :func:`canonical_tree` of an abs unit, :func:`profile`;
- :mod:`.report` — :func:`reflection_report` (kinks and reflections per neuron and depth),
  :func:`predicted_points` / :func:`nearest_predicted` (samples, reflections, midpoints);
- :mod:`.dd` — d-D (THEORY §3.5, §3.6): :func:`mirror`, :func:`abs_feature`,
  :func:`slab_mirrors` (the exact invariances), :func:`reflection_planes` of a fitted network
  (spanning points, mirrors, nesting levels), :func:`depth_comparison`.

>>> from fractions import Fraction as F
>>> f = PiecewiseLinear([-3, -2, 0, 2, 3], [1, 0, 2, 0, 1])       # G5: ||x| − 2| on [−3, 3]
>>> defect(f, 0, 3).value, symmetric_radius(f, 2)
(Fraction(0, 1), Fraction(2, 1))
>>> profile(f).same_as(canonical_tree([0, 2]))
True
"""
from .defect import Defect, defect, window_points
from .piecewise import PiecewiseLinear, from_network
from .report import (Landing, NeuronKinks, nearest_predicted, predicted_points,
                     reflection_report)
from .search import (Candidate, Symmetry, best_centre, candidate_centres, centres,
                     is_nontrivial, symmetric_radius)
from .tree import SymmetryNode, canonical_tree, profile
from .dd import (DepthRow, MirrorPlane, Slab, abs_feature, comparison_table, depth_comparison,
                 mirror, planes_table, reflection_planes, slab_mirrors, spanned_hyperplane)

__all__ = ["PiecewiseLinear", "from_network", "Defect", "defect", "window_points", "Symmetry",
           "Candidate", "candidate_centres", "symmetric_radius", "centres", "best_centre",
           "is_nontrivial", "SymmetryNode", "canonical_tree", "profile", "NeuronKinks",
           "reflection_report", "predicted_points", "Landing", "nearest_predicted",
           "mirror", "abs_feature", "spanned_hyperplane", "Slab", "slab_mirrors",
           "MirrorPlane", "reflection_planes", "planes_table", "DepthRow", "depth_comparison",
           "comparison_table"]
