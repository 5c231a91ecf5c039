"""Assumptions and presets: provenance on every value, valid presets, parsing of user text."""

from __future__ import annotations

import re
import shutil

import pytest

from calculator import overrides as O  # noqa: N812 - short names for much-used modules
from calculator import presets as P  # noqa: N812
from calculator import run, summary
from calculator.inputs import SWITCH_KEYS, UNCERTAIN_KEYS, Uncertain, field_unit

NAMES = ("nhs-defaults", "east-midlands-2010", "gp-consortia-2010", "gp-appointment-centres-2010",
         "remote-therapy-2014", "police-sscl-2015", "barnet-capita-2013", "lincolnshire-police-g4s-2012",
         "barnet-csg-insourcing-2022")


def test_the_named_presets_exist():
    assert set(NAMES) == set(P.list_presets())


def test_every_default_has_a_source_or_an_estimate_flag():
    defaults = P.load_defaults()
    assert set(defaults) == set(UNCERTAIN_KEYS) | set(SWITCH_KEYS)
    for key, a in defaults.items():
        assert (a.source and a.url.startswith("http")) or (a.estimate and a.note), key
        assert a.label and a.group, key
        if key in UNCERTAIN_KEYS:
            assert a.unit == field_unit(key) and a.year, key


@pytest.mark.parametrize("name", NAMES)
def test_every_preset_value_has_provenance_and_the_preset_runs(name):
    preset = P.load_preset(name)
    scheme = P.employer_assumptions(preset.scenario.employer)  # what its employer's scheme set
    for key in (*preset.overridden, *scheme):
        a = preset.assumptions[key]
        assert (a.source and a.url.startswith("http")) or (a.estimate and a.note), (name, key)
    assert preset.title and preset.summary and preset.sources
    out = summary(run(preset.scenario, draws=500, seed=1))
    npv = out["net_savings_npv"]
    assert npv["p5"] <= npv["p10"] <= npv["p50"] <= npv["p90"] <= npv["p95"]
    assert out["years"] == preset.scenario.years


def test_east_midlands_encodes_the_case():
    p = P.load_preset("east-midlands-2010")
    s = p.scenario
    assert s.fte.central == 152 and s.years == 6 and s.provider
    assert s.claim.amount == 9_000_000 and s.claim.years == 6 and s.claim.basis == "cash"
    assert p.claim_source[1].startswith("https://")
    # 152 FTE, 40% offshored, 28.7% onshore efficiency -> about 65 UK posts remain.
    uk_after = 152 * (1 - s.offshore.central / 100) * (1 - s.efficiency_onshore.central / 100)
    assert uk_after == pytest.approx(65, abs=0.5)


def test_remote_therapy_says_it_is_clinical():
    p = P.load_preset("remote-therapy-2014")
    assert p.kind == "clinical"
    assert "clinical work, not back office" in p.warning


def test_gp_appointment_centres_carries_no_claim():
    # The £616m covered all back-office proposals, not call centres alone.
    p = P.load_preset("gp-appointment-centres-2010")
    assert p.scenario.claim is None and "616" in p.summary


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(P.InputError) as err:
        P.load_preset("nope")
    assert err.value.key == "preset" and "east-midlands-2010" in str(err.value)


@pytest.mark.parametrize("bad,problem", [
    ('[set.fte]\nlow = 1\ncentral = 2\nhigh = 3\n', "source"),
    ('[set.fte]\nlow = 1\ncentral = 2\nhigh = 3\nestimate = true\n', "note"),
    ('[set.fte]\nlow = 1\ncentral = 2\nhigh = 3\nsource = "x"\n', "url"),
    ('[set.fte]\nlow = 3\ncentral = 2\nhigh = 1\nestimate = true\nnote = "n"\n', "low <= central"),
    ('[set.fte]\nlow = 1\ncentral = 2\nhigh = 3\nunit = "£"\nestimate = true\nnote = "n"\n', "unit"),
    ('[set.nonsense]\nvalue = 1\nestimate = true\nnote = "n"\n', "unknown input"),
    ('[set.salary]\nlow = 1\ncentral = 2\nhigh = 3\nestimate = true\nnote = "n"\n', "allowed 5000"),
    ('[claim]\namount = 5\npercent = 5\nestimate = true\nnote = "n"\n', "exactly one"),
    ("this is = not toml [", "cannot read"),
])
def test_malformed_preset_files_are_refused(tmp_path, monkeypatch, bad, problem):
    shutil.copy(P.ASSUMPTIONS / "defaults.toml", tmp_path / "defaults.toml")
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "broken.toml").write_text('title = "t"\n' + bad, encoding="utf-8")
    monkeypatch.setattr(P, "ASSUMPTIONS", tmp_path)
    P.load_preset.cache_clear()
    try:
        with pytest.raises(P.InputError) as err:
            P.load_preset("broken")
        assert problem in str(err.value)
    finally:
        P.load_preset.cache_clear()


BASE = P.load_preset("nhs-defaults").scenario


def test_fixed_value_and_range():
    s = O.apply_overrides(BASE, {"fte": "152", "salary": "24465:26598:30162"})
    assert s.fte == Uncertain.fixed(152)
    assert s.salary == Uncertain(low=24465, central=26598, high=30162, dist="pert")


def test_range_keeps_the_base_distribution_unless_told():
    s = O.apply_overrides(BASE, {"optimism_bias": "0:10:30"})
    assert s.optimism_bias.dist == "uniform"  # the default is uniform
    s = O.apply_overrides(BASE, {"optimism_bias": "0:10:30:triangular"})
    assert s.optimism_bias.dist == "triangular"
    s = O.apply_overrides(BASE, {"offshore": "10:50:90"})  # default fixed -> PERT
    assert s.offshore.dist == "pert"


def test_switches_and_claims():
    s = O.apply_overrides(BASE, {"provider": "no", "ob_on": "off", "years": "6", "view": "public",
                                 "claim": "9000000", "claim_years": "6"})
    assert (s.provider, s.ob_on, s.years, s.view) == (False, False, 6, "public")
    assert s.claim.amount == 9e6 and s.claim.years == 6 and s.claim.basis == "cash"
    s2 = O.apply_overrides(s, {"claim_pct": "25", "claim_basis": "npv"})
    assert s2.claim.percent == 25 and s2.claim.amount is None and s2.claim.basis == "npv"
    assert O.apply_overrides(s, {"claim": "none"}).claim is None


@pytest.mark.parametrize("key,text,fragment", [
    ("offshore", "95", "'95' is out of range; allowed 0 to 90 %, as X or LOW:CENTRAL:HIGH[:DIST]"),
    ("offshore", "-5", "allowed 0 to 90 %"),
    ("salary", "abc", "is not a number"),
    ("salary", "nan", "is not a number"),
    ("salary", "inf", "is not a number"),
    ("salary", "1e400", "is not a finite number"),
    ("salary", "1e309", "is not a finite number"),
    ("salary", "__import__('os')", "is not a number"),
    ("salary", "\u0663\u0660\u0660\u0660\u0660", "is not a number"),  # Arabic-Indic: float() takes it
    ("salary", "3:2:1", "LOW <= CENTRAL <= HIGH"),
    ("salary", "1:2", "malformed"),
    ("salary", "20000:25000:30000:weibull", "not a known distribution; allowed pert, triangular"),
    ("offshore", "20:40:60:fixed", "a range marked fixed"),
    ("years", "0", "1 to 30"),
    ("years", "2.5", "not a whole number; allowed a whole number of years, 1 to 30"),
    ("years", "\u00b2", "'\u00b2' is not a whole number"),  # superscript two: isdigit() says yes, int() no
    ("years", "9" * 60, "too long for a number"),
    ("provider", "maybe", "true or false"),
    ("view", "board", "trust or public"),
    ("claim", "-1", "out of range"),
    ("claim_pct", "101", "out of range; allowed 0 to 100 %"),
    ("claim_includes", "redundancy,<b>", "'<b>' is not a cost line"),
    ("rework", "1" * 200, "too long"),
])
def test_bad_values_name_the_key_and_what_is_allowed(key, text, fragment):
    with pytest.raises(P.InputError) as err:
        O.apply_overrides(BASE, {key: text})
    assert err.value.key == key
    assert fragment in str(err.value)
    assert re.fullmatch(rf"{key}: (['\"]).*\1 is [^;]+; allowed .+", str(err.value)), str(err.value)


def test_unknown_keys_and_claim_years_beyond_the_period():
    with pytest.raises(P.InputError, match="bogus: unknown input; allowed keys: fte, salary"):
        O.apply_overrides(BASE, {"bogus": "1"})
    em = P.load_preset("east-midlands-2010").scenario  # 6 years, with a claim
    with pytest.raises(P.InputError) as err:
        O.apply_overrides(em, {"claim_years": "12"})
    assert str(err.value) == ("claim_years: '12' is out of range; allowed a whole number of years, "
                              "1 to 6")


def test_shorter_period_than_the_claim_is_refused():
    em = P.load_preset("east-midlands-2010").scenario
    with pytest.raises(P.InputError) as err:
        O.apply_overrides(em, {"years": "3"})
    assert err.value.key == "years" and "claim_years" in str(err.value)
    assert O.apply_overrides(em, {"years": "3", "claim_years": "3"}).claim.years == 3


def test_parse_assignments():
    assert O.parse_assignments(["fte=10", "salary=1:2:3", "fte=12"]) == {"fte": "12", "salary": "1:2:3"}
    with pytest.raises(P.InputError):
        O.parse_assignments(["fte"])


def test_scenario_params_round_trip():
    changed = O.apply_overrides(BASE, {"fte": "152", "optimism_bias": "0:10:30:triangular",
                                       "rework": "0:3:10", "years": "6", "claim": "9000000"})
    params = O.scenario_params(changed, BASE)
    assert set(params) >= {"fte", "optimism_bias", "rework", "years", "claim"}
    assert "salary" not in params
    assert O.apply_overrides(BASE, params) == changed
    assert O.scenario_params(BASE, BASE) == {}


def test_a_claim_a_year_from_text_and_back():
    s = O.apply_overrides(BASE, {"claim_annual": "1500000", "claim_includes": "transition"})
    assert (s.claim.annual, s.claim.amount, s.claim.percent) == (1_500_000, None, None)
    params = O.scenario_params(s, BASE)
    assert params["claim_annual"] == "1500000" and "claim" not in params
    assert O.apply_overrides(BASE, params) == s
    assert O.apply_overrides(s, {"claim": "9000000"}).claim.annual is None  # one form at a time
    with pytest.raises(P.InputError, match="claim_annual: '-5' is out of range; allowed 0 to 1e"):
        O.apply_overrides(BASE, {"claim_annual": "-5"})


# ------------------------------------------------------------------ a scheme's pension rates (#27)

FAMILIES = ("nhs", "local_government", "police_staff", "civil_service")
RATES = ("pension_trust", "pension_public", "pension_provider")


def test_choosing_an_employer_family_sets_its_schemes_pension_rates():
    """The rates a council, police force or department pays, not the NHS's (each as declared in
    employers.toml with its source); the NHS family gives the defaults' back."""
    expected = {"local_government": (19.8, 19.8, 21.1), "police_staff": (19.8, 19.8, 21.1),
                "civil_service": (28.97, 28.97, 28.97), "nhs": (14.38, 23.78, 23.78)}
    police = P.load_preset("police-sscl-2015").scenario
    for family, centrals in expected.items():
        for base in (BASE, police):
            s = O.apply_overrides(base, {"employer": family})
            assert tuple(getattr(s, k).central for k in RATES) == centrals, (family, base.employer)
    # a rate given with the choice wins; nothing else moves
    s = O.apply_overrides(BASE, {"employer": "local_government", "pension_trust": "22.5"})
    assert (s.pension_trust.central, s.pension_public.central) == (22.5, 19.8)
    assert all(getattr(s, k) == getattr(BASE, k) for k in UNCERTAIN_KEYS if k not in RATES)
    # the same family again changes nothing (a rate the user set stays)
    assert O.apply_overrides(s, {"employer": "local_government"}) == s


def test_a_preset_on_another_employers_terms_takes_its_schemes_rates_with_their_source():
    preset = P.load_preset("police-sscl-2015")
    assert preset.scenario.employer == "civil_service"
    assert preset.scenario.pension_trust == Uncertain.fixed(28.97)
    assert "EPN 698" in preset.assumptions["pension_trust"].source
    lgps = P.sourced(preset, "local_government")
    assert "Triennial valuation 2022" in lgps["pension_trust"].source and lgps["pension_provider"].estimate
    assert P.sourced(preset, "nhs")["pension_trust"].source == P.load_defaults()["pension_trust"].source


@pytest.mark.parametrize("name", P.list_presets())
@pytest.mark.parametrize("family", FAMILIES)
def test_a_link_that_chooses_an_employer_round_trips_and_stays_short(name, family):
    base = P.load_preset(name).scenario
    chosen = O.apply_overrides(base, {"employer": family})
    params = O.scenario_params(chosen, base)
    assert O.apply_overrides(base, params) == chosen
    assert not set(params) & set(RATES)  # the scheme's rates need no keys of their own
    mixed = O.apply_overrides(base, {"employer": family, "pension_provider": "30", "fte": "40"})
    assert O.apply_overrides(base, O.scenario_params(mixed, base)) == mixed


def test_the_council_preset_is_on_local_government_terms_with_its_derivations_by_hand():
    """#27: Barnet-Capita (2013). The fee's saving is 18% of the services' existing cost, and the fee
    about £32m a year (£320m over ten years): existing cost 32 / 0.82 = £39.0m a year, fee saving
    £7.02m a year; the rest of the £125.4m guaranteed over ten years is £5.52m a year in 2012/13
    money, x the GDP deflator's 2012 -> 2025/26 factor (1.4355) = £7.93m a year, the preset's
    other savings (£7.95m, rounded from 5.54m)."""
    from calculator.price_years import DEFLATOR

    preset = P.load_preset("barnet-capita-2013")
    s = preset.scenario
    assert (s.employer, s.contract, s.years, s.offshore.central) == ("local_government", "fixed_price", 10, 0)
    assert s.pension_trust == Uncertain.fixed(19.8)  # the LGPS's, not the NHS's
    existing = 32e6 / 0.82
    other = (125.4e6 - 10 * 0.18 * existing) / 10 * DEFLATOR.factor(2012)
    assert s.other_savings.central == pytest.approx(other, rel=0.005)
    assert s.claim.price_year == 2012 and s.claim.amount == 125.4e6
    # 175 of the 514 posts to go lies inside the efficiency gain's range
    assert s.efficiency_onshore.low < 100 * 175 / 514 < s.efficiency_onshore.high


@pytest.mark.parametrize(("name", "charge"), [("barnet-capita-2013", 0.82),
                                             ("lincolnshire-police-g4s-2012", 0.864)])
def test_a_contracted_charge_is_what_the_presets_bid_reproduces(name, charge):
    """Barnet's fee was 18% below the services' cost (Computer Weekly), Lincolnshire's charge 13.6%
    below (G4S's guarantee): each preset's efficiency gain is solved so that the model's fixed-price
    bid, in a running year of the central case, is that share of the in-house cost."""
    import numpy as np

    from calculator.model import central_case
    from calculator.rules import load_rules

    flows = central_case(P.load_preset(name).scenario, load_rules())
    year = 3  # a running year after the ramp-up
    assert np.ravel(flows.line("uk_provider"))[year] / np.ravel(flows.baseline)[year] == pytest.approx(
        charge, abs=0.001)


def test_the_police_staff_preset_is_on_police_staff_terms():
    s = P.load_preset("lincolnshire-police-g4s-2012").scenario
    assert (s.employer, s.fte.central, s.pension_trust.central) == ("police_staff", 575, 19.8)
    # £5m over ten years from the new station, in 2012/13 money, in the model's prices
    from calculator.price_years import DEFLATOR

    assert s.other_savings.central == pytest.approx(5e6 / 10 * DEFLATOR.factor(2012), rel=0.001)
    assert (s.claim.amount, s.claim.price_year, s.claim.years) == (28e6, 2012, 10)
