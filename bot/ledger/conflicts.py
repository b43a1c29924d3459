"""Find conflicting figures among a claim's statements and record each conflict (and its alert) once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.alert_types import ConflictAlert
from bot.durations import show_time
from bot.ledger.figure_index import as_quantity, catch_up, conflict_between
from bot.ledger.quantities import Quantity, conflicting, quantities
from bot.models import Claim
from storage.conflicts import FigureStatement

if TYPE_CHECKING:
    from storage import Store


def fmt_value(v: float) -> str:
    """89.0 -> '89'."""
    return str(int(v)) if v == int(v) else f"{v:g}"


def _who(st: FigureStatement) -> str:
    return f"{st.speaker or 'unattributed'}, {st.source_label}, {show_time(st.at)}"


def revisions(st: FigureStatement, claim: str = "") -> list[tuple[Quantity, Quantity]]:
    """(earlier, later) per count the statement revises itself: "the toll rose to 1,644, up from 1,002"."""
    out = []
    for q in quantities(st.text, st.figures, claim):
        if q.was is not None:
            earlier, later = replace(q, value=q.was, was=None), replace(q, was=None)
            if conflicting(earlier, later):
                out.append((earlier, later))
    return out


def unmet_revisions(
    st: FigureStatement, claim: str, met: set[str]
) -> list[tuple[Quantity, FigureStatement, Quantity, FigureStatement]]:
    """The statement's self-revisions as conflicts, for the counts (keys) no other statement's value met:
    the channel hears of a change once."""
    return [(qa, st, qb, st) for qa, qb in revisions(st, claim) if qb.key not in met]


def find_conflicts(
    new: Iterable[FigureStatement], known: list[FigureStatement], claim: str = ""
) -> list[tuple[Quantity, FigureStatement, Quantity, FigureStatement]]:
    """(earlier quantity, its statement, later quantity, its statement) per conflict a new statement brings.

    Each new value is compared with the nearest earlier statement giving a different value for the
    same quantity (else the nearest later one), so a chain of revisions 89 -> 91 -> 93 yields
    89/91 and 91/93, not every pair.
    """
    parsed = [(st, q) for st in known for q in quantities(st.text, st.figures, claim)]
    found = []
    for st in new:
        start = len(found)
        for q in quantities(st.text, st.figures, claim):
            others = [(o, oq) for o, oq in parsed if o.statement_id != st.statement_id and conflicting(q, oq)]
            if not others:
                continue
            order = (st.at, st.statement_id)
            earlier = [x for x in others if (x[0].at, x[0].statement_id) < order]
            if earlier:
                o, oq = earlier[-1]
                found.append((oq, o, q, st))
            else:
                o, oq = min(others, key=lambda x: (x[0].at, x[0].statement_id))
                found.append((q, st, oq, o))
        found += unmet_revisions(st, claim, {q.key for q_a, _, q_b, _ in found[start:] for q in (q_a, q_b)})
    return found


def conflict_alert(claim: Claim, qa: Quantity, a: FigureStatement, qb: Quantity, b: FigureStatement) -> ConflictAlert:
    """The alert for a conflicting figure (an escalation: the gate always sends it)."""
    return ConflictAlert(
        title=f"Conflicting figures: claim #{claim.id}",
        text=f"{qa.label}: {fmt_value(qa.value)} then {fmt_value(qb.value)}",
        claim_id=claim.id,
        claim_text=claim.text,
        link=b.url or a.url or None,
        fields=(
            (f"Earlier: {fmt_value(qa.value)}", f"{_who(a)}: {a.text[:200]}"),
            (f"Later: {fmt_value(qb.value)}", f"{_who(b)}: {b.text[:200]}"),
        ),
    )


async def record_new_conflicts(
    store: Store, claims: Mapping[int, Claim], claim_ids: Iterable[int], statement_ids: list[int],
    quiet: bool, sort_key: str,
) -> list[int]:
    """Check a stored document's statements against each claim's figures; returns alert ids queued.

    Finds what `find_conflicts(new, every figure statement of the claim)` finds, but parses only the
    statements matched since the claim was last indexed and reads earlier figures from the index.
    """
    alerts: list[int] = []
    for claim_id in sorted(set(claim_ids)):
        claim = claims.get(claim_id)
        if claim is None:
            continue
        await catch_up(store, claim_id, claim.text)
        new = await store.indexed_figures(claim_id, statement_ids)
        if not new:
            continue
        pairs = await store.nearest_conflicting(claim_id, new, conflict_between)
        ids = sorted({f.statement_id for pair in pairs for f in pair} | {f.statement_id for f in new})
        by_id = {st.statement_id: st for st in await store.figure_statements(claim_id, ids)}
        found = []
        for f, other in pairs:
            # (earlier, later) in statement order, as find_conflicts gives them.
            first, second = (other, f) if (other.at, other.statement_id) < (f.at, f.statement_id) else (f, other)
            found.append((as_quantity(first), by_id[first.statement_id], as_quantity(second), by_id[second.statement_id]))
        for sid in dict.fromkeys(f.statement_id for f in new):  # the new statements that revise themselves
            if sid in by_id:
                found += unmet_revisions(by_id[sid], claim.text, {f.quantity for f, _ in pairs if f.statement_id == sid})
        for qa, a, qb, b in found:
            alert = None if quiet else conflict_alert(claim, qa, a, qb, b)
            alert_id = await store.record_conflict(
                claim_id, qa.key, qa.label, a, qa.value, b, qb.value, alert, sort_key
            )
            if alert_id is not None:
                alerts.append(alert_id)
    return alerts
