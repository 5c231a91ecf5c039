"""Income tax and National Insurance on a salary (vectorised; rules from assumptions/)."""

from __future__ import annotations

import numpy as np

from calculator.inputs import TaxRules


def _pct(x: float) -> float:
    return x / 100.0


def income_tax(salary, rules: TaxRules):
    """Income tax on employment income alone (£/year), England.

    The personal allowance tapers by £1 for every £2 above ``taper_from``; the
    basic band is ``basic_limit - personal_allowance`` of taxable income, the
    higher band runs to ``higher_limit`` of taxable income, the additional rate above.
    """
    salary = np.asarray(salary, dtype=float)
    allowance = np.maximum(rules.personal_allowance - np.maximum(salary - rules.taper_from, 0.0) / 2.0, 0.0)
    taxable = np.maximum(salary - allowance, 0.0)
    basic_band = rules.basic_limit - rules.personal_allowance
    basic = np.minimum(taxable, basic_band)
    higher = np.clip(taxable - basic_band, 0.0, rules.higher_limit - basic_band)
    additional = np.maximum(taxable - rules.higher_limit, 0.0)
    return (_pct(rules.basic_rate) * basic + _pct(rules.higher_rate) * higher
            + _pct(rules.additional_rate) * additional)


def employee_ni(salary, rules: TaxRules):
    """Employee Class 1 NI (£/year): main rate between the thresholds, upper rate above."""
    salary = np.asarray(salary, dtype=float)
    main = np.clip(salary - rules.ni_primary_threshold, 0.0,
                   rules.ni_upper_limit - rules.ni_primary_threshold)
    upper = np.maximum(salary - rules.ni_upper_limit, 0.0)
    return _pct(rules.employee_ni_main) * main + _pct(rules.employee_ni_upper) * upper


def employer_ni(salary, rules: TaxRules):
    """Employer Class 1 NI (£/year) above the secondary threshold."""
    salary = np.asarray(salary, dtype=float)
    return _pct(rules.employer_ni) * np.maximum(salary - rules.ni_secondary_threshold, 0.0)


def tax_and_ni(salary, rules: TaxRules):
    """Income tax + employee NI + employer NI on a salary (£/year); arrays welcome."""
    return income_tax(salary, rules) + employee_ni(salary, rules) + employer_ni(salary, rules)
