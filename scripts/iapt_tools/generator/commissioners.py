"""Which commissioners send each provider its referrals (one seeded plan per era).

A real IAPT service is commissioned by one main CCG (a PCT before April 2013) and takes a
small share of referrals from a few neighbouring areas. Spreading every provider over
every commissioner gave ~10x too many Commissioner/Provider combinations nationally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_COMMISSIONERS = 4  # the main commissioner and up to 3 secondaries
MAIN_SHARE = (0.85, 0.95)  # range of the main commissioner's share when it has secondaries
SECONDARIES_P = [0.3, 0.3, 0.25, 0.15]  # 0..3 secondaries, before coverage needs


@dataclass(frozen=True)
class CommissionerPlan:
    """Per provider (row): commissioner indices, main first (-1 = unused slot), and the
    cumulative share of referrals up to each slot (1.0 from the last used slot on)."""

    codes: np.ndarray  # (providers, MAX_COMMISSIONERS) int64
    cum_share: np.ndarray  # (providers, MAX_COMMISSIONERS) float64
    n_codes: int  # commissioners in the code list

    def assign(self, provider: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Commissioner index of each referral, from its provider and a uniform draw."""
        slot = np.zeros(provider.size, dtype=np.int64)
        for j in range(MAX_COMMISSIONERS - 1):  # u < 1 never passes the last used slot
            slot += u >= self.cum_share[provider, j]
        return self.codes[provider, slot]


def providers_per_region(n_providers: int, sizes: np.ndarray) -> np.ndarray:
    """Providers given to each region: ceil(size / 4) first when there are enough providers
    (each then covers at most 4 commissioners, so all are covered), the rest in
    proportion to the regions' commissioners (largest remainder)."""
    need = -(-sizes // MAX_COMMISSIONERS)
    base = need if n_providers >= need.sum() else np.zeros_like(sizes)
    quota = (n_providers - base.sum()) * sizes / sizes.sum()
    alloc = base + np.floor(quota).astype(np.int64)
    left = n_providers - int(alloc.sum())
    alloc[np.argsort(np.floor(quota) - quota, kind="stable")[:left]] += 1
    return alloc


def plan_commissioners(
    rng: np.random.Generator,
    n_providers: int,
    region: Sequence[str],
    area: Sequence[str],
) -> CommissionerPlan:
    """Each provider's main commissioner and 0-3 secondaries in the same region.

    region/area: per commissioner (in code-list order). Within a region the commissioners
    are ordered by area (seeded order inside it) and cut into one run per provider: the
    first of a run is the provider's main commissioner, the rest (when the run has at most
    4) its secondaries, so that every commissioner serves some provider. Further
    secondaries, up to a seeded target, come from the main commissioner's area, then region.
    """
    region_a, area_a = np.asarray(region), np.asarray(area)
    groups = sorted(set(region))
    sizes = np.array([int((region_a == g).sum()) for g in groups], dtype=np.int64)
    alloc = providers_per_region(n_providers, sizes)
    provider_group = np.repeat(np.arange(len(groups)), alloc)[rng.permutation(n_providers)]
    codes = np.full((n_providers, MAX_COMMISSIONERS), -1, dtype=np.int64)
    cum_share = np.ones((n_providers, MAX_COMMISSIONERS))
    for g, name in enumerate(groups):
        members = np.flatnonzero(region_a == name)
        ordered = members[np.lexsort((rng.random(members.size), area_a[members]))]
        for i, p in enumerate(np.flatnonzero(provider_group == g)):
            run = _run_of(ordered, i, int(alloc[g]))
            chosen = [int(c) for c in run] if run.size <= MAX_COMMISSIONERS else [int(run[0])]
            target = max(int(rng.choice(len(SECONDARIES_P), p=SECONDARIES_P)), len(chosen) - 1)
            chosen += _neighbours(rng, ordered, area_a, chosen, 1 + target - len(chosen))
            codes[p, : len(chosen)] = chosen
            cum_share[p] = _cumulative_shares(rng, len(chosen))
    return CommissionerPlan(codes, cum_share, len(region_a))


def _run_of(ordered: np.ndarray, i: int, n: int) -> np.ndarray:
    """The i-th of n near-equal runs of the ordered commissioners (one each when n > len)."""
    c = ordered.size
    if n > c:  # more providers than commissioners: mains go round the region
        return ordered[i % c : i % c + 1]
    return ordered[i * c // n : (i + 1) * c // n]


def _neighbours(
    rng: np.random.Generator, ordered: np.ndarray, area: np.ndarray, chosen: list[int], k: int
) -> list[int]:
    """k more commissioners of the region: the main one's area first, in a seeded order."""
    if k <= 0:
        return []
    rest = ordered[~np.isin(ordered, chosen)]
    rest = rest[rng.permutation(rest.size)]
    rest = rest[np.argsort(area[rest] != area[chosen[0]], kind="stable")]
    return [int(c) for c in rest[:k]]


def _cumulative_shares(rng: np.random.Generator, n_used: int) -> np.ndarray:
    """Main share drawn from MAIN_SHARE, the rest split equally; padded with 1.0."""
    shares = np.zeros(MAX_COMMISSIONERS)
    if n_used == 1:
        shares[0] = 1.0
    else:
        shares[0] = rng.uniform(*MAIN_SHARE)
        shares[1:n_used] = (1.0 - shares[0]) / (n_used - 1)
    cum = np.cumsum(shares)
    cum[n_used - 1 :] = 1.0  # exact, so a draw u < 1 never lands on an unused slot
    return cum
