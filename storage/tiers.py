"""Which matches count in a claim's ledger: the one SQL condition every ledger read shares.

A match counts as a side when the judge put it in the alert tier and no moderator rejected it,
or when a moderator confirmed it (a possible-tier match counts once confirmed). Possible-tier
matches awaiting review and rejected ones never count. Queries alias `matches` as `m`.

A claim's figures (the conflict check) come from a wider set: its counted statements, and the
other statements of an article that counts for it (one with a counted statement for the claim),
possible-tier or 'context' (a figure statement the judge did not match by itself: "the death
toll rose to 1,644" seldom names the earthquake). A 'context' match is not a side and never
awaits review, unless a moderator confirms it (it is then about the claim, as a confirmed possible
match is); a moderator's rejection takes any statement out.
"""

from __future__ import annotations


def counted(alias: str) -> str:
    """COUNTED for `matches` aliased as `alias`."""
    return f"(({alias}.tier = 'alert' AND {alias}.review IS NOT 'rejected') OR {alias}.review = 'confirmed')"


COUNTED = counted("m")
AWAITING = "(m.tier = 'possible' AND m.review IS NULL)"
CONTEXT = "context"
# The article's statements first, then each one's match for the claim (CROSS JOIN keeps SQLite to
# that order: read from the claim's side, it scanned every match of the claim for each row).
FIGURES = (
    f"({COUNTED} OR (m.tier IN ('possible', '{CONTEXT}') AND m.review IS NULL AND EXISTS ("
    "SELECT 1 FROM statements fa CROSS JOIN matches fm "
    "WHERE fa.document_id = (SELECT fs.document_id FROM statements fs WHERE fs.id = m.statement_id) "
    f"AND fm.statement_id = fa.id AND fm.claim_id = m.claim_id AND {counted('fm')})))"
)

TIERS = ("alert", "possible")


def tier_of(alert: bool) -> str:
    """The tier of a judge's verdict: alert-worthy ones are 'alert', the rest 'possible'."""
    return "alert" if alert else "possible"


def counts(tier: str, review: str | None) -> bool:
    """COUNTED in Python, for one match (tests hold the SQL to it)."""
    return (tier == "alert" and review != "rejected") or review == "confirmed"
