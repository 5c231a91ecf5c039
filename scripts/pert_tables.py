"""Write ``calculator/pert_tables.npy``, the PERT quantile table of every shape the presets and
the standard options use, computed with scipy (``distributions.build_pert_table``), and
``calculator/range_fits.json``, the fitted ends of every range they read as 5th and 95th
percentiles (``distributions.fit_ends``).

Run after changing a default, a preset or an option: ``.venv/bin/python scripts/pert_tables.py``.
``tests/test_distributions.py`` fails while a shape they use is missing from the file or a
shipped table differs from scipy's. The file is deterministic (a plain ``.npy``, rows sorted).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator.distributions import (
    PERT_NODES,
    SHIPPED_FITS,
    SHIPPED_TABLES,
    build_pert_table,
    drawn_range,
    fit_ends,
    reads_percentiles,
    table_key,
)
from calculator.inputs import UNCERTAIN_KEYS
from calculator.presets import list_presets, load_options, load_preset


def values_used() -> set[tuple[str, object]]:
    """Every ``(input, value)`` of a preset or a standard option built on one."""
    found = set()
    for name in list_presets():
        scenario = load_preset(name).scenario
        for scen in (scenario, *(o.apply(scenario) for o in load_options().values())):
            found |= {(key, getattr(scen, key)) for key in UNCERTAIN_KEYS}
    return found


def fits_used() -> list[tuple[str, float, float, float]]:
    """Every ``(dist, low, central, high)`` read as 5th and 95th percentiles, sorted."""
    used = values_used()
    return sorted({(v.dist, v.low, v.central, v.high) for key, v in used if reads_percentiles(v, key)})


def shapes_used() -> list[tuple[float, float]]:
    """Every ``(alpha, beta)`` drawn by a preset or a standard option built on one, sorted."""
    return sorted({table_key(drawn_range(value, key)) for key, value in values_used()} - {None})


def tables(shapes: list[tuple[float, float]]) -> np.ndarray:
    """One row per shape: alpha, beta, then the PERT_NODES + 1 quantiles."""
    out = np.empty((len(shapes), PERT_NODES + 3))
    for i, (alpha, beta) in enumerate(shapes):
        out[i, :2] = alpha, beta
        out[i, 2:] = build_pert_table(alpha, beta)
    return out


def write_fits() -> int:
    """Write the fits (solved afresh, not read from the file) and return how many."""
    rows = [[*fit, *fit_ends(*fit)] for fit in fits_used()]
    SHIPPED_FITS.write_text("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n")
    return len(rows)


if __name__ == "__main__":
    print(f"{SHIPPED_FITS.name}: {write_fits()} fitted ranges")
    rows = tables(shapes_used())
    np.save(SHIPPED_TABLES, rows, allow_pickle=False)
    print(f"{SHIPPED_TABLES.name}: {len(rows)} shapes, {SHIPPED_TABLES.stat().st_size / 1e6:.2f} MB")
