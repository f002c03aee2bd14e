"""The model's constraint rows: named blocks, and the COO triplets that fill them.

Every row of ``A @ v <= b`` belongs to a :class:`RowBlock` named in the
user's words (availability, effect, a resource, a rule), so that duals and
the infeasibility diagnosis can say which. :class:`Rows` collects the blocks
and their entries while the model is built and joins them into one sparse
matrix; what the rows say is in :mod:`planner.model`, :mod:`planner.rules`
and :mod:`planner.posture`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


@dataclass
class RowBlock:
    """A named group of constraint rows ``A[start:stop] @ v <= b[start:stop]``.

    kind: ``availability``, ``base_employment``, ``region_cap``, ``effect``,
    ``resource``, ``rule``, ``move``, ``camp`` or ``camp_limit``.
    key: the resource or rule id, the category of a camp limit (``None`` for
    the structural blocks).
    index: per-row index arrays into the scenario's lists (``capability``,
    ``base`` and ``region`` into the regions, ``task``, ``period``, ``pair``,
    ``zone`` into ``scenario.zones()``; -1 where a row has none) as they apply.
    soft: rows that may give in the infeasibility diagnosis.
    """

    kind: str
    key: str | None
    start: int
    stop: int
    index: dict[str, np.ndarray] = field(default_factory=dict)
    soft: bool = False

    @property
    def rows(self) -> slice:
        return slice(self.start, self.stop)


class Rows:
    """Accumulates COO triplets and named row blocks."""

    def __init__(self):
        self.rows, self.cols, self.vals, self.b = [], [], [], []
        self.blocks: list[RowBlock] = []
        self.n = 0

    def block(self, kind, key, n_rows, b, index=None, soft=False) -> int:
        start = self.n
        self.n += n_rows
        self.b.append(np.broadcast_to(np.asarray(b, float), (n_rows,)))
        self.blocks.append(RowBlock(kind, key, start, self.n, index or {}, soft))
        return start

    def add(self, rows, cols, vals):
        # int32 halves the triplets' memory; indices are computed in int64 first
        rows, cols = np.asarray(rows).astype(np.int32), np.asarray(cols).astype(np.int32)
        self.rows.append(rows)
        self.cols.append(cols)
        self.vals.append(np.broadcast_to(np.asarray(vals, float), rows.shape))

    def add_nonzero(self, rows, cols, vals):
        """Add only the entries whose value is not 0."""
        vals = np.broadcast_to(np.asarray(vals, float), np.shape(rows))
        nz = vals != 0
        self.add(np.asarray(rows)[nz], np.asarray(cols)[nz], vals[nz])

    def matrix(self, n_cols):
        if max(self.n, n_cols) >= 2**31:
            raise ValueError("the model is too large (more than 2^31 rows or variables)")

        def join(parts, dtype):
            out = np.concatenate(parts) if parts else np.zeros(0, dtype)
            parts.clear()  # free the pieces as soon as they are joined
            return out

        r, c, v = join(self.rows, np.int32), join(self.cols, np.int32), join(self.vals, float)
        A = sp.csr_matrix((v, (r, c)), shape=(self.n, n_cols))
        A.sum_duplicates()
        b = np.concatenate(self.b) if self.b else np.zeros(0)
        return A, b
