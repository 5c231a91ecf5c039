"""Inputs that move together: groups declared in ``assumptions/correlations.toml``.

Each group's members are drawn through a one-factor Gaussian copula: every member keeps its own
uniform stream (:func:`calculator.distributions.uniforms`, so adding an input changes no other
input's draws), the uniforms go to normal scores ``z = Phi^-1(u)``, are mixed with the group's
own factor ``f`` (a stream of its own) as ``z' = sign sqrt(rho) f + sqrt(1 - rho) z``, and come
back as ``u' = Phi(z')``. Each ``z'`` is still standard normal, so each input's distribution is
exactly what it was; only how the members line up changes, and a member's draws do not depend
on which other members have a range. The group's strength is a rank (Spearman) correlation ``r``
between every pair (its sign by the members' directions), turned into the normal scores'
correlation that gives it, ``rho = 2 sin(pi r / 6)``. A strength of 0 leaves the draws as they
were, bit for bit.

A member's uniforms depend only on the seed, the rows drawn, its group and the strength (not on
its value), so they are computed once and shared by every option and rerun that uses them.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from calculator.distributions import input_quantile, normal_cdf, normal_quantile, uniforms
from calculator.registry import ASSUMPTIONS, REGISTRY, RegistryError

#: The file the groups are declared in.
CORRELATIONS_FILE = "correlations.toml"


@dataclass(frozen=True)
class Group:
    """One group of inputs that move together."""

    key: str
    label: str
    #: the number switch that sets the group's rank correlation
    strength: str
    #: (input, +1 or -1): -1 moves against the group's bad news
    members: tuple[tuple[str, int], ...]
    note: str


@lru_cache(maxsize=4)
def load_groups(folder: Path = ASSUMPTIONS) -> tuple[Group, ...]:
    """Every group, checked: members are uncertain inputs in one group at most, each with a
    direction of 1 or -1; the strength is a declared number switch."""
    with (folder / CORRELATIONS_FILE).open("rb") as handle:
        data = tomllib.load(handle)
    groups, seen = [], set()
    for key, table in data.get("groups", {}).items():
        where = f"{CORRELATIONS_FILE} [groups.{key}]"
        strength = str(table.get("strength", ""))
        spec = REGISTRY.get(strength)
        if spec is None or spec.kind != "number":
            raise RegistryError(f"{where}: strength must name a number switch in defaults.toml")
        members = tuple((str(k), int(v)) for k, v in dict(table.get("members", {})).items())
        for name, sign in members:
            if name not in REGISTRY or REGISTRY[name].kind != "uncertain":
                raise RegistryError(f"{where}: {name} is not an uncertain input")
            if sign not in (1, -1) or name in seen:
                raise RegistryError(f"{where}: {name} needs a direction of 1 or -1, in one group only")
            seen.add(name)
        groups.append(Group(key=key, label=str(table.get("label", key)), strength=strength,
                            members=members, note=str(table.get("note", ""))))
    return tuple(groups)


GROUPS: tuple[Group, ...] = load_groups()


def normal_correlation(rank: float) -> float:
    """The normal scores' correlation that gives rank (Spearman) correlation ``rank`` under a
    Gaussian copula: ``2 sin(pi r / 6)`` (dimensionless)."""
    return 2.0 * math.sin(math.pi * rank / 6.0)


def mixed_scores(own: np.ndarray, factor: np.ndarray, sign: int, rank: float) -> np.ndarray:
    """A member's normal scores moving with its group: ``sign sqrt(rho) f + sqrt(1 - rho) z``,
    ``rho`` the normal correlation of rank correlation ``rank`` (still standard normal)."""
    rho = normal_correlation(rank)
    return sign * math.sqrt(rho) * factor + math.sqrt(1.0 - rho) * own


@lru_cache(maxsize=64)
def normal_scores(seed: int, name: str, start: int, stop: int) -> np.ndarray:
    """Rows ``start`` to ``stop`` of the stream ``name``'s normal scores, ``Phi^-1(u)`` (kept:
    a group's factor is shared by all its members; read-only)."""
    tiny = 2.0**-60  # a uniform of exactly 0 would be an infinite normal score
    out = normal_quantile(np.clip(uniforms(seed, name, stop - start, start), tiny, 1.0 - tiny))
    out.setflags(write=False)
    return out


@lru_cache(maxsize=256)
def member_uniforms(seed: int, start: int, stop: int, name: str, sign: int, group: str,
                    rank: float) -> np.ndarray:
    """Rows ``start`` to ``stop`` of the input ``name``'s uniforms, moving with its group: one
    factor per group, ``z' = sign sqrt(rho) f + sqrt(1 - rho) z``, ``z`` the input's own normal
    scores and ``f`` the group's (a stream of its own, ``group:KEY``), so every pair of members
    has normal-scores correlation ``rho`` (times their directions) whichever others are drawn;
    read-only, shaped (stop - start,)."""
    own = normal_scores(seed, name, start, stop)
    u = normal_cdf(mixed_scores(own, normal_scores(seed, f"group:{group}", start, stop), sign, rank))
    u.setflags(write=False)
    return u


@lru_cache(maxsize=256)
def correlated_sample(value, name: str, seed: int, start: int, stop: int, sign: int, group: str,
                      rank: float) -> np.ndarray:
    """Rows ``start`` to ``stop`` of the input ``name``'s draws, moving with its group (``value``
    an :class:`~calculator.inputs.Uncertain`; read-only, in the input's unit)."""
    out = input_quantile(value, name, member_uniforms(seed, start, stop, name, sign, group, rank))
    out.setflags(write=False)
    return out


def moving_together(scenario, skip: frozenset[str] = frozenset()) -> dict[str, tuple[int, str, float]]:
    """For each input drawn with its group: its direction, the group and the group's strength
    (only inputs with a range, in a group whose strength is above 0)."""
    out = {}
    for group in GROUPS:
        rank = float(getattr(scenario, group.strength))
        if rank > 0.0:
            out.update({name: (sign, group.key, rank) for name, sign in group.members
                        if name not in skip and getattr(scenario, name).drawn})
    return out


def strengths(scenario) -> tuple[float, ...]:
    """Every group's strength: what, beside an input's own value, its draws depend on."""
    return tuple(float(getattr(scenario, g.strength)) for g in GROUPS)
