"""Which matches count in a claim's ledger: the one SQL condition every ledger read shares.

A match counts as a side when the judge put it in the alert tier and no moderator rejected it,
or when a moderator confirmed it (a possible-tier match counts once confirmed). Possible-tier
matches awaiting review and rejected ones never count. Queries alias `matches` as `m`.
"""

from __future__ import annotations

COUNTED = "((m.tier = 'alert' AND m.review IS NOT 'rejected') OR m.review = 'confirmed')"
AWAITING = "(m.tier = 'possible' AND m.review IS NULL)"

TIERS = ("alert", "possible")


def tier_of(alert: bool) -> str:
    """The tier of a judge's verdict: alert-worthy ones are 'alert', the rest 'possible'."""
    return "alert" if alert else "possible"


def counts(tier: str, review: str | None) -> bool:
    """COUNTED in Python, for one match (tests hold the SQL to it)."""
    return (tier == "alert" and review != "rejected") or review == "confirmed"
