"""Price years: money stated in one financial year's prices, restated in the model's base year.

The model works in the base year's prices (``assumptions/price_years.toml`` ``base_year``,
2025/26). A claim made in an earlier year's money is converted once, before it is tested:

    amount in base-year prices = amount x index[base year] / index[stated year]

where the index is the GDP deflator at market prices (HM Treasury's series, financial years),
built from the yearly changes the file holds (base year = 100). A claim stated as a share of
the in-house cost is the same share in any year's prices and needs no conversion.

Years are financial years named by the calendar year they start in: 2010 is 2010/11.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from calculator.registry import ASSUMPTIONS, RegistryError

#: The file the deflator series is read from.
PRICE_YEARS_FILE = "price_years.toml"


@dataclass(frozen=True)
class Deflator:
    """The GDP deflator series: index by financial year (base year = 100) and its source."""

    base_year: int
    index: dict[int, float]
    label: str
    source: str
    url: str
    release: str
    estimate: bool
    note: str

    def factor(self, year: int) -> float:
        """What £1 in ``year``'s prices is in base-year prices (dimensionless)."""
        if year not in self.index:
            raise ValueError(f"no deflator for {year_label(year)}; allowed {self.allowed()}")
        return self.index[self.base_year] / self.index[year]

    def allowed(self) -> str:
        """The years it covers, in words: "2004/05 to 2025/26"."""
        return f"{year_label(min(self.index))} to {year_label(max(self.index))}"


def year_label(year: int) -> str:
    """A financial year in words: 2010 -> "2010/11"."""
    return f"{year}/{(year + 1) % 100:02d}"


@lru_cache(maxsize=4)
def load_deflator(folder: Path = ASSUMPTIONS) -> Deflator:
    """The series in ``price_years.toml``: each year's index from the yearly changes, compounded
    from the year before the first change (the changes are percent on the year before)."""
    import tomllib

    with (folder / PRICE_YEARS_FILE).open("rb") as handle:
        data = tomllib.load(handle)
    meta, changes = data["meta"], {int(k): float(v) for k, v in data["deflator"].items()}
    years = sorted(changes)
    if years != list(range(years[0], years[-1] + 1)):
        raise RegistryError(f"{PRICE_YEARS_FILE}: the deflator needs every year, {years[0]} to {years[-1]}")
    level = {years[0] - 1: 1.0}
    for year in years:
        level[year] = level[year - 1] * (1.0 + changes[year] / 100.0)
    base = int(meta["base_year"])
    if base not in level:
        raise RegistryError(f"{PRICE_YEARS_FILE}: the base year {base} has no index")
    index = {year: 100.0 * x / level[base] for year, x in level.items()}
    return Deflator(base_year=base, index=index, label=str(meta["label"]), source=str(meta["source"]),
                    url=str(meta["url"]), release=str(meta.get("release", "")),
                    estimate=bool(meta.get("estimate", False)), note=str(meta.get("note", "")))


DEFLATOR: Deflator = load_deflator()
