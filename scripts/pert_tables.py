"""Write ``calculator/pert_tables.npy``: the PERT quantile table of every shape the presets and
the standard options use, computed with scipy (``distributions.build_pert_table``).

Run after changing a default, a preset or an option: ``.venv/bin/python scripts/pert_tables.py``.
``tests/test_distributions.py`` fails while a shape they use is missing from the file or a
shipped table differs from scipy's. The file is deterministic (a plain ``.npy``, rows sorted).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator.distributions import PERT_NODES, SHIPPED_TABLES, build_pert_table, table_key
from calculator.inputs import UNCERTAIN_KEYS
from calculator.presets import list_presets, load_options, load_preset


def shapes_used() -> list[tuple[float, float]]:
    """Every ``(alpha, beta)`` drawn by a preset or a standard option built on one, sorted."""
    found = set()
    for name in list_presets():
        scenario = load_preset(name).scenario
        for scen in (scenario, *(o.apply(scenario) for o in load_options().values())):
            found |= {table_key(getattr(scen, key)) for key in UNCERTAIN_KEYS}
    return sorted(found - {None})


def tables(shapes: list[tuple[float, float]]) -> np.ndarray:
    """One row per shape: alpha, beta, then the PERT_NODES + 1 quantiles."""
    out = np.empty((len(shapes), PERT_NODES + 3))
    for i, (alpha, beta) in enumerate(shapes):
        out[i, :2] = alpha, beta
        out[i, 2:] = build_pert_table(alpha, beta)
    return out


if __name__ == "__main__":
    rows = tables(shapes_used())
    np.save(SHIPPED_TABLES, rows, allow_pickle=False)
    print(f"{SHIPPED_TABLES.name}: {len(rows)} shapes, {SHIPPED_TABLES.stat().st_size / 1e6:.2f} MB")
