"""Scenario's fields, typed, for the type checker only: generated from the registry
(assumptions/defaults.toml) by scripts/regenerate. Do not edit; a test checks it is current.
"""

from __future__ import annotations

from typing import Literal

from calculator.inputs import Claim, Uncertain, _ScenarioRules


class Scenario(_ScenarioRules):
    """One option, with every input the model uses (see assumptions/defaults.toml)."""

    fte: Uncertain
    salary: Uncertain
    service: Uncertain
    stat_weeks: Uncertain
    lg_multiplier: Uncertain
    voluntary_share: Uncertain
    overhead: Uncertain
    overhead_released: Uncertain
    pay_growth: Uncertain
    ni_rate: Uncertain
    ni_threshold: Uncertain
    pension_trust: Uncertain
    pension_public: Uncertain
    pension_provider: Uncertain
    levy: Uncertain
    offshore: Uncertain
    offshore_price: Uncertain
    productivity: Uncertain
    ramp_months: Uncertain
    ramp_output: Uncertain
    efficiency_offshore: Uncertain
    efficiency_onshore: Uncertain
    margin: Uncertain
    risk_premium: Uncertain
    change_control: Uncertain
    supplier_bears: Uncertain
    indexation: Uncertain
    contract_mgmt: Uncertain
    capability: Uncertain
    other_savings: Uncertain
    other_realised: Uncertain
    transition: Uncertain
    overrun: Uncertain
    procurement: Uncertain
    dual_months: Uncertain
    dual_overlap: Uncertain
    wastage: Uncertain
    redeployed: Uncertain
    exit: Uncertain
    delay: Uncertain
    takeup: Uncertain
    failure: Uncertain
    disruption: Uncertain
    rework: Uncertain
    incident_prob: Uncertain
    incident_inhouse: Uncertain
    incident_cost: Uncertain
    attrition: Uncertain
    leaver_cost: Uncertain
    optimism_bias: Uncertain
    over55: Uncertain
    strain: Uncertain
    net_loss: Uncertain
    months_out: Uncertain
    benefit: Uncertain
    lm3_inhouse: Uncertain
    lm3_contract: Uncertain
    contract_local: Uncertain
    discount: Uncertain
    direction: Literal["outsource", "insource"]
    provider: bool
    contract: Literal["fixed_price", "cost_plus", "public_centre"]
    employer: Literal["nhs", "local_government", "police_staff", "civil_service"]
    ob_on: bool
    years: int
    view: Literal["trust", "public"]
    corr_transition: float
    corr_supplier: float
    claim: Claim | None = None
