"""Weight decay by arrangement cells (THEORY §2.8): the exact cells of the anchored
hyperplane arrangements and the exact pricing of one cell group (M_C, K_C).

==================  ==========================================================
``arrangement``     :class:`Cell`, :func:`anchored`, :func:`cells`, :func:`all_cells`,
                    :func:`count_cells`, :func:`sample_cells`: exact, streamed enumeration
``pricing``         :func:`cell_matrix`, :func:`cell_max` (:class:`CellMax`),
                    :func:`price_cells`, :func:`best_cell`, :func:`cells_above`
==================  ==========================================================

>>> from exactgeo.cells import cells, cell_max
>>> [c.signs for c in cells([[1, 0], [0, 1]])]
[(1, 1), (-1, 1), (-1, -1), (1, -1)]
"""
from .arrangement import (DEFAULT_MAX_CELLS, Cell, SampledCells, all_cells, anchored,
                          anchored_int, cell_bound, cells, check_cells, count_anchor_cells,
                          count_cells, integer_rows, anchor_rows, sample_cells)
from .pricing import (CellMax, CellPricer, PricedCell, best_cell, cell_matrix, cell_max,
                      cells_above, price_cells, project_cone_exact)

__all__ = ["Cell", "SampledCells", "DEFAULT_MAX_CELLS", "anchored", "anchored_int", "cells",
           "all_cells", "count_cells", "count_anchor_cells", "cell_bound", "sample_cells",
           "check_cells", "integer_rows", "anchor_rows", "CellMax", "PricedCell",
           "CellPricer", "cell_matrix", "cell_max", "price_cells", "best_cell", "cells_above",
           "project_cone_exact"]
