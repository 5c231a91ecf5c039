"""Pay scales by employer family (#27): the NJC spine computed from its rule and awards meets
the published figures; every scale names its source; none is invented where none is held."""

from __future__ import annotations

import pytest

from calculator import views
from calculator.employers import load_employers
from calculator.pay_scales import NJC_HOURS, WEEKS_A_YEAR, in_model_prices, raw_scales, scale, spine


def test_every_family_has_a_scale_or_says_why_not():
    assert set(raw_scales()) == set(load_employers()[1])
    for family in raw_scales():
        s = scale(family)
        assert s.source and s.url.startswith("http") and s.note, family
        assert bool(s.points) == raw_scales()[family].get("held", True), family


@pytest.mark.parametrize("check", raw_scales()["local_government"]["checks"], ids=lambda c: c["what"][:40])
def test_the_computed_njc_spine_meets_each_published_figure(check):
    pay = spine(raw_scales()["local_government"], check["year"])[check["point"]]
    if "hourly" in check:
        assert pay / WEEKS_A_YEAR / NJC_HOURS == pytest.approx(check["hourly"], abs=0.005)
    else:
        assert 100 * check["percent_of"] / pay == pytest.approx(check["percent"], abs=0.005)


def test_njc_point_2_by_hand():
    """Point 2: £17,364 x 1.02 = £17,711 (2019); x 1.0275 = £18,198 (2020); x 1.0175 = £18,516
    (2021); + £1,925 = £20,441 (2022); + £1,925 = £22,366 (2023); + £1,290 = £23,656 (2024);
    x 1.032 = £24,413 (2025)."""
    t = raw_scales()["local_government"]
    assert [spine(t, y)[2] for y in range(2019, 2026)] == [17_711, 18_198, 18_516, 20_441, 22_366,
                                                            23_656, 24_413]
    assert scale("local_government").points["point 2"] == 24_413
    assert in_model_prices(24_413, 2025) == pytest.approx(24_413)  # 2025/26 is the model's year


def test_agenda_for_change_is_the_published_table_the_default_pay_runs_over():
    points = scale("nhs").points
    assert (points["Band 2"], points["Band 4 top"]) == (24_465, 30_162)


def test_the_employer_note_gives_the_scale_or_what_to_use_instead():
    assert "point 2 £24,413 to point 22 £33,700" in views.employer_note("local_government")
    assert "No table" in views.employer_note("police_staff")
    assert "Band 2 £24,465 to Band 4 top £30,162" in views.employer_note("nhs")
