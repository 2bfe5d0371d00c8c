"""CORE: rank eligible submissions and apply the threshold and the quota.

Order: evidenced total (核定分) descending, then claimed total (自评分) descending, then company
name (Unicode order) — stated in the summary table. Only eligible submissions are ranked. A
submission is recommended when it is eligible, its evidenced total reaches the threshold
(inclusive) and its rank is within the quota.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from docgen.numbers import fmt, fmt_fixed
from docgen.text.labels import TEXT
from docgen.text.punctuation import SEMICOLON


@dataclass(frozen=True)
class Candidate:
    """One scored submission as the ranking sees it."""

    index: int
    company: str
    evidenced: Fraction
    claimed: Fraction
    eligible: bool
    failed: list[str]


@dataclass(frozen=True)
class Decision:
    """Rank (None when not ranked), recommendation and its reason."""

    index: int
    rank: int | None
    recommended: bool
    reason: str


def rank_candidates(
    candidates: list[Candidate], threshold: Fraction | None, quota: int | None
) -> list[Decision]:
    """Returns one decision per candidate."""
    eligible = sorted(
        (c for c in candidates if c.eligible), key=lambda c: (-c.evidenced, -c.claimed, c.company)
    )
    decisions = [
        Decision(c.index, None, False, TEXT["review_ineligible"].format(failed=SEMICOLON.join(c.failed)))
        for c in candidates
        if not c.eligible
    ]
    places = 0
    for rank, c in enumerate(eligible, 1):
        if threshold is not None and c.evidenced < threshold:
            decisions.append(
                Decision(
                    c.index,
                    rank,
                    False,
                    TEXT["review_below_threshold"].format(
                        total=fmt_fixed(c.evidenced), threshold=fmt(threshold)
                    ),
                )
            )
        elif quota is not None and places >= quota:
            decisions.append(
                Decision(c.index, rank, False, TEXT["review_over_quota"].format(rank=rank, quota=quota))
            )
        else:
            places += 1
            decisions.append(Decision(c.index, rank, True, TEXT["review_recommended"].format(rank=rank)))
    return sorted(decisions, key=lambda d: d.index)
