"""#22 point 1: a claim made in one year's money is tested in the model's prices."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from calculator import load_preset, run, summary, views
from calculator.__main__ import main
from calculator.inputs import Claim
from calculator.overrides import apply_overrides, scenario_params
from calculator.price_years import DEFLATOR, year_label
from calculator.reading import InputError

ROOT = Path(__file__).resolve().parent.parent


def test_the_factor_is_the_product_of_the_published_yearly_changes():
    """By hand from the file: £1 in 2010/11 is prod(1 + change) over 2011/12 .. 2025/26."""
    changes = tomllib.loads((ROOT / "assumptions" / "price_years.toml").read_text())["deflator"]
    by_hand = 1.0
    for year in range(2011, 2026):
        by_hand *= 1.0 + changes[str(year)] / 100.0
    assert DEFLATOR.factor(2010) == pytest.approx(by_hand, rel=1e-12)
    assert DEFLATOR.factor(2025) == 1.0 and DEFLATOR.index[2025] == pytest.approx(100.0)
    assert year_label(2010) == "2010/11" and year_label(1999) == "1999/00"


def test_the_deflator_series_names_its_source_and_release():
    assert "HM Treasury" in DEFLATOR.source and DEFLATOR.url.startswith("https://www.gov.uk/")
    assert DEFLATOR.release and DEFLATOR.note  # marked as an estimate, with its reasoning
    assert DEFLATOR.estimate


def test_an_amount_and_a_saving_a_year_are_converted_and_a_share_is_not():
    f = DEFLATOR.factor(2010)
    assert Claim(amount=9e6, years=6, price_year=2010).in_base_prices == pytest.approx(9e6 * f)
    assert Claim(annual=1.5e6, price_year=2010).in_base_prices == pytest.approx(1.5e6 * f)
    assert Claim(percent=25, price_year=2010).price_factor == 1.0
    assert Claim(amount=9e6).in_base_prices == 9e6  # no price year: the model's prices


def test_east_midlands_claim_is_tested_in_2025_26_prices_and_says_so():
    """£9.0m in 2010/11 prices is about £13.4m in 2025/26 prices; on its own terms the chance falls
    from about 15% (the 2010 amount read as 2025/26 money) to under 1% (75% and 0.7% before a
    fixed price carried its risk premium and variations, #22 point 8)."""
    scenario = load_preset("east-midlands-2010").scenario
    s = summary(run(scenario, 4000, 20260401))
    c = s["claim"]
    assert c["price_year"] == 2010 and c["target"] == pytest.approx(9e6 * DEFLATOR.factor(2010))
    assert round(c["target"] / 1e5) == 134
    assert views.claim_stated(c) == "£9.0m in 2010/11 prices = £13.4m in 2025/26 prices, cash over 6 years"
    assert "claim_pct" in views.price_year_sentence(c)
    as_if_today = summary(run(apply_overrides(scenario, {"claim_price_year": "base"}), 4000, 20260401))
    assert as_if_today["claim"]["target"] == 9e6
    assert as_if_today["prob_meets_claim_own_basis"] > 0.1 > 0.01 > s["prob_meets_claim_own_basis"]


def test_the_command_line_and_the_link_carry_the_price_year(capsys):
    outs = []
    for year in ("2010", "2020"):
        assert main(["--preset", "east-midlands-2010", "--set", f"claim_price_year={year}", "--json",
                     "--draws", "2000"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0]["claim"]["target"] > outs[1]["claim"]["target"] > 9e6
    assert outs[0]["prob_meets_claim_own_basis"] < outs[1]["prob_meets_claim_own_basis"]
    base = load_preset("nhs-defaults").scenario
    s = apply_overrides(base, {"claim": "5000000", "claim_price_year": "2015"})
    assert scenario_params(s, base)["claim_price_year"] == "2015"
    assert apply_overrides(base, scenario_params(s, base)) == s


@pytest.mark.parametrize("text", ["1990", "2030", "last year", "2010.5"])
def test_a_price_year_outside_the_series_is_refused_in_one_line(text):
    base = load_preset("east-midlands-2010").scenario
    with pytest.raises(InputError) as err:
        apply_overrides(base, {"claim_price_year": text})
    assert str(err.value).startswith(f"claim_price_year: '{text}' is ")
    assert f"{min(DEFLATOR.index)} to {DEFLATOR.base_year}" in str(err.value)


def test_claim_from_and_claim_exit_travel_by_link_and_command_line(capsys):
    """#22 point 12: "£400k a year from year 2 over 7 years" can be entered, and read back."""
    base = load_preset("nhs-defaults").scenario
    s = apply_overrides(base, {"claim_annual": "400000", "claim_from": "2", "claim_years": "7"})
    assert (s.claim.from_year, s.claim.years, s.claim.annual_years(s.years)) == (2, 7, 6)
    params = scenario_params(s, base)
    assert params["claim_from"] == "2" and params["claim_years"] == "7"
    assert apply_overrides(base, params) == s
    assert main(["--preset", "nhs-defaults", "--set", "claim_annual=400000", "--set", "claim_from=2",
                 "--set", "claim_years=7", "--json", "--draws", "1000"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["claim"]["target"] == pytest.approx(2_400_000.0)
    assert views.claim_stated(out["claim"]).startswith("£400k a year from year 2 to year 7 (£2.4m in all")
    excluded = apply_overrides(base, {"claim": "1000000", "claim_exit": "exclude"})
    assert scenario_params(excluded, base)["claim_exit"] == "exclude"
    for bad, said in (("claim_from", "only for a saving a year"), ("claim_exit", "not allowed")):
        with pytest.raises(InputError, match=said):
            apply_overrides(base, {"claim": "1000000", bad: "2" if bad == "claim_from" else "maybe"})
