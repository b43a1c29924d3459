"""Two tiers and moderator corrections: what counts in the ledger, the review queue, /claim why and /claim check."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.alert_types import ConflictAlert, Edit, StatementAlert
from bot.extract import extract_statements
from bot.judge import Reasons, Verdict
from bot.models import StatementDraft
from handlers import Dispatcher, Moderators, Services
from storage import Store
from storage.tiers import counts
from tests.conftest import Chat
from tests.matches import Row, store_rows

pytestmark = pytest.mark.both_backends

CLAIM = "The Old Town bridge was closed to traffic on Monday"
DETAIL = Reasons(
    parts={"cos": 0.71, "cov": 0.45, "kw": 0.0, "num": 1.0, "name": 0.5, "fcos": 0.0, "retrieval": 0.12,
           "pair_related": 0.93},
    shared_words=("bridg", "close", "monday"), shared_names=("Old Town",), shared_numbers=(),
    context="the article concerns this claim; the sentence refers back ('the closure')", anchor=("bridg", "monday"),
    stance_rule='denial wording "never closed"', stance_probs=(0.1, 0.8, 0.1),
).as_dict()


async def _set_review(store: Store, match_id: int, review: str | None) -> None:
    def go() -> None:
        with store.tx() as db:
            db.execute("UPDATE matches SET review = ? WHERE id = ?", [review, match_id])
    await store.run(go)


@pytest.fixture
async def claim(store: Store) -> int:
    made = await store.add_claim(CLAIM, "test")
    await store.watch(made.id, "console", "newsroom")
    return made.id


COMBOS = [(tier, review) for tier in ("alert", "possible", "context") for review in (None, "confirmed", "rejected")]


@pytest.mark.parametrize(("tier", "review", "counted"), [
    ("alert", None, True), ("alert", "confirmed", True), ("alert", "rejected", False),
    ("possible", None, False), ("possible", "confirmed", True), ("possible", "rejected", False),
])
def test_the_counting_rule(tier: str, review: str | None, counted: bool) -> None:
    assert counts(tier, review) is counted


async def test_every_ledger_read_uses_the_one_rule(store: Store, claim: int) -> None:
    # One statement per (tier, review) combination, each carrying a figure, from an official source.
    sentences = [f"The council said {80 + i} cars crossed the Old Town bridge on Monday." for i in range(len(COMBOS))]
    drafts = [s for s in extract_statements("", " ".join(sentences))]
    assert len(drafts) == len(COMBOS) and all(d.figures for d in drafts)
    ids = await store_rows(store, [Row(d.text, tier=t) for d, (t, _) in zip(drafts, COMBOS, strict=True)],
                           speaker_kind="official", drafts=drafts)
    for match_id, (_, review) in zip(ids, COMBOS, strict=True):
        await _set_review(store, match_id, review)
    counted = {m for m, (t, r) in zip(ids, COMBOS, strict=True) if counts(t, r)}
    assert len(counted) == 4  # a confirmed context match counts as a moderator's confirmation does
    assert await store.stance_counts(claim) == {"supports": 4}
    assert await store.evidence_count(claim) == await store.evidence_count(claim, "supports") == 4
    assert {r.match_id for r in await store.evidence(claim, limit=50)} == counted
    assert {r.match_id for r in await store.ledger_rows(claim)} == counted
    statement_of = {m: (await store.get_match(m)).statement_id for m in ids}
    # Figures also count from the unreviewed possible and context statements of an article that counts.
    figured = counted | {m for m, (t, r) in zip(ids, COMBOS, strict=True) if t != "alert" and r is None}
    assert {st.statement_id for st in await store.figure_statements(claim)} == {statement_of[m] for m in figured}
    assert await store.first_official_match(claim, "supports") == min(counted)
    assert await store.possible_count(claim) == 1
    # ... but not from an article that does not count for the claim.
    alone = "The council said 95 cars crossed the Old Town bridge on Tuesday."
    [lone] = await store_rows(store, [Row(alone, tier="possible")], drafts=extract_statements("", alone))
    lone_statement = (await store.get_match(lone)).statement_id
    assert lone_statement not in {st.statement_id for st in await store.figure_statements(claim)}


async def test_status_band_and_corrections_change_the_ledger_at_once(chat: Chat, store: Store, claim: int) -> None:
    a, b, p1, p2 = await store_rows(store, [
        Row("The council said the Old Town bridge was closed on Monday."),
        Row("Police said the Old Town bridge closure on Monday was total."),
        Row("Drivers queued near the Old Town on Monday.", tier="possible", score=0.35),
        Row("The bridge toll rises next year.", stance="neutral", tier="possible", score=0.41),
    ])
    status = await chat(f"/claim status {claim}", user="reader")
    assert "Statements: 2 (supports 2, refutes 0, neutral 0)" in status.text
    assert f"2 possible matches awaiting review (/claim possible {claim})" in status.text

    queue = await chat(f"/claim possible {claim}")
    lines = queue.text.splitlines()
    assert lines[0].startswith(f"Claim #{claim}: 2 possible match(es) awaiting review, page 1 of 1")
    assert lines[1].startswith("1. [neutral, relevance 0.41] the council (City wire, ")  # most related first
    assert f"(match {p2})" in lines[1]
    assert lines[2].startswith("2. [supports, relevance 0.35]") and "“Drivers queued" in lines[2]
    assert f"(match {p1})" in lines[2]
    assert "/claim confirm <match id>" in lines[-1]

    confirmed = await chat(f"/claim confirm {p1}")
    assert confirmed.text == f"Match {p1} confirmed by mod (was a possible match): claim #{claim} counts it as supports."
    rejected = await chat(f"/claim reject {a}")
    assert rejected.text == f"Match {a} rejected by mod: not about claim #{claim}; it no longer counts."
    moved = await chat(f"/claim stance {b} refutes")
    assert moved.text == f"Match {b} set to refutes by mod (the judge said supports): claim #{claim} counts it as refutes."
    status = await chat(f"/claim status {claim}", user="reader")
    assert "Statements: 2 (supports 1, refutes 1, neutral 0)" in status.text
    assert f"1 possible match awaiting review (/claim possible {claim})" in status.text

    # Idempotent, with one clear line each; the judge's stance survives a second correction.
    assert (await chat(f"/claim reject {a}")).text == f"Match {a} is already rejected (not about claim #{claim}); nothing changed."
    assert (await chat(f"/claim confirm {p1}")).text.startswith(f"Match {p1} is already confirmed")
    assert (await chat(f"/claim stance {b} refutes")).text.startswith(f"Match {b} already counts as refutes")
    assert (await chat(f"/claim stance {b} neutral")).ok
    info = await store.get_match(b)
    assert (info.stance, info.judged_stance, info.review, info.reviewed_by) == ("neutral", "supports", "confirmed",
                                                                               "console:mod")
    # A rejected match can be confirmed again; then it counts with its stance.
    assert (await chat(f"/claim confirm {a}")).ok
    assert await store.stance_counts(claim) == {"supports": 2, "neutral": 1}

    audit = [(e.action, e.target, e.allowed) for e in await store.audit_log()]
    assert ("/claim reject", str(a), True) in audit and ("/claim stance", f"{b} refutes", True) in audit
    assert ("/claim confirm", str(p1), True) in audit and ("/claim possible", str(claim), True) in audit


@pytest.mark.parametrize(("line", "expected"), [
    ("/claim reject 99", "No match 99. Match ids are shown by /claim evidence and /claim possible."),
    ("/claim confirm", "Which match? Give its id"),
    ("/claim stance 1 sideways", "Unknown stance 'sideways'; use supports, refutes or neutral."),
    ("/claim stance 1", "Give one stance: supports, refutes or neutral."),
    ("/claim stance abc refutes", "match id must be a number, got 'abc'."),
    ("/claim reject alert=77", "No alert 77."),
    ("/claim reject alert=x", "alert id must be a number"),
    ("/claim possible 9", "No claim #9."),
    ("/claim possible 1 9", "Page 9 does not exist"),
    ("/claim possible 1 next", "'next' is not a page number."),
    ("/claim why 42", "No match 42."),
])
async def test_bad_corrections_get_one_line(chat: Chat, store: Store, claim: int, line: str, expected: str) -> None:
    await store_rows(store, [Row("The council said the bridge was closed on Monday."),
                             Row("Maybe the bridge.", tier="possible")])
    reply = await chat(line)
    assert not reply.ok and reply.text.splitlines()[0].startswith(expected)


async def test_empty_queue_and_no_band(chat: Chat, store: Store, claim: int) -> None:
    assert (await chat(f"/claim possible {claim}")).text == f"Claim #{claim} has no possible matches awaiting review."
    assert "awaiting review" not in (await chat(f"/claim status {claim}")).text


async def test_corrections_through_an_alert_id(chat: Chat, store: Store, claim: int) -> None:
    [m] = await store_rows(store, [Row("The council said the bridge was closed on Monday.", alert=True)])
    [alert] = [a.alert for a in await store.pending_deliveries("console", "9999")]
    assert alert.match_id == m
    edit = await store.enqueue_alert(Edit(alert.id, StatementAlert(title="t", text="x", claim_id=claim)))
    conflict = await store.enqueue_alert(ConflictAlert(title="c", text="89 then 91", claim_id=claim))
    assert (await chat(f"/claim stance alert={edit} refutes")).text == (
        f"Alert {edit}: 1 statement(s) set to refutes by mod (match {m}; the judge said supports): "
        f"claim #{claim} counts them as refutes.")
    assert (await chat(f"/claim reject alert={alert.id}")).text == (
        f"Alert {alert.id}: 1 statement(s) rejected by mod (match {m}): not about claim #{claim}; "
        "they no longer count.")
    # A correction reviews the alert too.
    assert (await chat(f"/claim review {alert.id}")).text == f"Alert {alert.id} is unknown or already reviewed."
    no_match = await chat(f"/claim reject alert={conflict}")
    assert not no_match.ok and no_match.text == f"Alert {conflict} is not about a statement; there is no match to look at."
    why = await chat(f"/claim why alert={alert.id}", user="reader")
    assert why.ok and why.text.startswith(f"Match {m}, claim #{claim}: {CLAIM}")


async def test_an_article_alert_corrects_every_alert_tier_statement_of_its_article(
        chat: Chat, store: Store, claim: int) -> None:
    other = (await store.add_claim("Ferries stopped running after the storm", "test")).id
    lead, second, third, maybe, ferry = await store_rows(store, [
        Row("The council said the Old Town bridge was closed on Monday.", alert=True),
        Row("Police said the closure of the bridge lasted all Monday."),
        Row("Drivers were turned back at the bridge, the council said.", stance="neutral"),
        Row("Traffic was heavy in the Old Town.", tier="possible", score=0.33),
        Row("Ferries stopped after the storm.", claim_id=other),
    ])
    [elsewhere] = await store_rows(store, [Row("The bridge was closed on Monday, a resident said.")])
    [alert] = [a.alert for a in await store.pending_deliveries("console", "9999")]
    assert alert.match_id == lead

    # Wrong stance on the alert: every alert-tier statement of the claim in that article, nothing else.
    moved = await chat(f"/claim stance alert={alert.id} refutes")
    assert moved.text == (f"Alert {alert.id}: 3 statement(s) set to refutes by mod (matches {lead}, {second}, "
                          f"{third}; the judge said supports 2, neutral 1): claim #{claim} counts them as refutes.")
    stances = {m: (await store.get_match(m)).stance for m in (lead, second, third, maybe, ferry, elsewhere)}
    assert stances == {lead: "refutes", second: "refutes", third: "refutes", maybe: "supports",
                       ferry: "supports", elsewhere: "supports"}
    assert (await store.get_match(third)).judged_stance == "neutral"
    assert await store.stance_counts(claim) == {"refutes": 3, "supports": 1}
    assert await store.possible_count(claim) == 1

    # A plain match id still corrects one statement; the alert then changes only what differs.
    assert (await chat(f"/claim stance {second} neutral")).text.startswith(f"Match {second} set to neutral")
    again = await chat(f"/claim stance alert={alert.id} refutes")
    assert again.text == (f"Alert {alert.id}: 1 statement(s) set to refutes by mod (match {second}; the judge said "
                          f"supports): claim #{claim} counts them as refutes. 2 already did.")
    assert (await chat(f"/claim stance alert={alert.id} refutes")).text == (
        f"Alert {alert.id}: all 3 statement(s) already count as refutes for claim #{claim}; nothing changed.")

    # Not about this claim: the whole article stops counting; once is enough.
    rejected = await chat(f"/claim reject alert={alert.id}")
    assert rejected.text == (f"Alert {alert.id}: 3 statement(s) rejected by mod (matches {lead}, {second}, {third}): "
                             f"not about claim #{claim}; they no longer count.")
    assert await store.stance_counts(claim) == {"supports": 1}
    assert await store.stance_counts(other) == {"supports": 1}
    assert (await chat(f"/claim reject alert={alert.id}")).text == (
        f"Alert {alert.id}: all 3 statement(s) are already rejected (not about claim #{claim}); nothing changed.")
    assert (await chat(f"/claim reject {elsewhere}")).text.startswith(f"Match {elsewhere} rejected by mod")
    assert await store.stance_counts(claim) == {}

    # Corrected through the alert again, the statements count again with the new stance.
    back = await chat(f"/claim stance alert={alert.id} neutral")
    assert back.text.startswith(f"Alert {alert.id}: 3 statement(s) set to neutral by mod")
    assert "the judge said supports 2, neutral 1" in back.text
    assert await store.stance_counts(claim) == {"neutral": 3}
    audit = [(e.action, e.target, e.allowed) for e in await store.audit_log()]
    assert audit.count(("/claim stance", f"alert={alert.id} refutes", True)) == 3
    assert audit.count(("/claim reject", f"alert={alert.id}", True)) == 2
    assert ("/claim reject", str(elsewhere), True) in audit


async def test_why_shows_the_stored_reasons(chat: Chat, store: Store, claim: int) -> None:
    m, old = await store_rows(store, [
        Row("The council said the bridge never closed on Monday.", stance="refutes", score=0.62, detail=DETAIL),
        Row("The bridge was shut, the council said.", tier="possible", score=0.34),
    ])
    why = await chat(f"/claim why {m}", user="reader")
    lines = why.text.splitlines()
    assert lines[0] == f"Match {m}, claim #{claim}: {CLAIM}"
    assert lines[1].startswith("Statement: “The council said the bridge never closed on Monday.” - the council (City wire")
    assert lines[2].startswith("Tier: alert (alerts and counts), relatedness 0.62; alerts from ")
    assert "possible from 0.30 (now)" in lines[2]
    assert lines[3] == "Stance: refutes (confidence 80%)"
    assert ("Relatedness parts: similarity 0.71, word coverage 0.45, keyword 0.00, numbers 1.00, names 0.50, "
            "fragment similarity 0.00, retrieval 0.12, pair model related 0.93") in lines
    assert "Shared words: bridg, close, monday" in lines and "Shared names: Old Town" in lines
    assert "Shared numbers: none" in lines
    assert "Article context: the article concerns this claim; the sentence refers back ('the closure')" in lines
    assert "Anchored by rare shared words: bridg, monday (the pair model weighed more)" in lines
    assert ('Stance decided by: denial wording "never closed" (model: supports 0.10, refutes 0.80, '
            "neutral 0.10)") in lines
    assert lines[-1] == "Review: none yet"

    await chat(f"/claim stance {old} neutral")
    older = (await chat(f"/claim why {old}", user="reader")).text.splitlines()
    assert older[2].startswith("Tier: possible (kept for review, never alerts), relatedness 0.34")
    assert older[3] == "Stance: neutral (confidence 80%); the judge said supports"
    assert older[4] == "No reasons were stored for this match (it was judged before reasons were kept)."
    assert older[5].startswith("Review: confirmed by console:mod at ")
    assert older[5].endswith("; stance corrected from the judge's supports")


async def test_export_and_evidence_leave_out_uncounted_matches(chat: Chat, store: Store, claim: int) -> None:
    a, _, _ = await store_rows(store, [Row("The council said the bridge was closed on Monday."),
                                       Row("Police said the bridge was closed.", stance="refutes"),
                                       Row("Maybe about the bridge.", tier="possible")])
    await chat(f"/claim reject {a}")
    export = await chat(f"/claim export {claim}", user="reader")
    data = json.loads(export.attachments[f"claim-{claim}-ledger.json"])
    assert data["counts"]["by_stance"] == {"refutes": 1} and len(data["statements"]) == 1
    assert export.attachments[f"claim-{claim}-statements.csv"].decode().count("\n") == 2
    evidence = await chat(f"/claim evidence {claim}", user="reader")
    assert "(1 in all, newest first)" in evidence.text and "Maybe" not in evidence.text
    listing = await chat("/claim list", user="reader")
    assert f"#{claim} [unverified]" in listing.text and "(+0 -1 ~0)" in listing.text


async def test_conflicts_follow_the_review(chat: Chat, store: Store, claim: int) -> None:
    first = extract_statements("", "The council said 89 cars crossed the Old Town bridge on Monday.")
    second = extract_statements("", "The council said 91 cars crossed the Old Town bridge on Monday.")
    [a] = await store_rows(store, [Row(first[0].text)], drafts=first)
    [p] = await store_rows(store, [Row(second[0].text, tier="possible")], drafts=second)
    # Stored as a possible match, the second figure conflicts with nothing (the pipeline checks alert-tier only).
    assert "Conflicting figures: none found" in (await chat(f"/claim status {claim}")).text
    assert (await chat(f"/claim confirm {p}")).ok
    status = await chat(f"/claim status {claim}")
    assert "Conflicting figures (1):" in status.text and ": 89 (council, 2026-11-11 08:00 UTC) vs 91 (council, 2026-11-12 08:00 UTC)" in status.text
    assert [a.alert.content.kind for a in await store.pending_deliveries("console", "9999")] == ["conflict"]
    assert (await chat(f"/claim reject {a}")).ok
    assert "Conflicting figures: none found" in (await chat(f"/claim status {claim}")).text


async def test_confirming_a_match_checks_the_figures_of_its_whole_article(chat: Chat, store: Store, claim: int) -> None:
    first = extract_statements("", "The council said 89 cars crossed the Old Town bridge on Monday.")
    later = extract_statements("", "The council closed the Old Town bridge on Monday. It said 91 cars had crossed before.")
    await store_rows(store, [Row(first[0].text)], drafts=first)
    lead, _ = await store_rows(store, [Row(later[0].text, tier="possible"), Row(later[1].text, tier="possible")],
                               drafts=later)
    assert "Conflicting figures: none found" in (await chat(f"/claim status {claim}")).text
    # Confirming the statement without figures makes the article count, and with it its 91.
    assert (await chat(f"/claim confirm {lead}")).ok
    status = await chat(f"/claim status {claim}")
    assert "Conflicting figures (1):" in status.text and ": 89 (" in status.text and " vs 91 (" in status.text
    assert [a.alert.content.kind for a in await store.pending_deliveries("console", "9999")] == ["conflict"]


async def test_independent_confirmation_needs_a_sure_or_confirmed_match(chat: Chat, store: Store, claim: int) -> None:
    own = [StatementDraft(0, "Our reporters saw the Old Town bridge closed to traffic on Monday.")]
    [weak] = await store_rows(store, [Row(own[0].text, score=0.3)], drafts=own)
    status = (await chat(f"/claim status {claim}")).text
    assert "Independent confirmation: no (1 independent statement(s) in their own voice are weak matches" in status
    assert (await chat(f"/claim confirm {weak}")).ok
    assert "Independent confirmation: yes (City wire supports it in its own reporting)" in (
        await chat(f"/claim status {claim}")).text


class CheckJudge:
    """A judge service double for /claim check: fixed verdicts, with or without reasons."""

    def __init__(self, verdicts: list[Verdict]) -> None:
        self.verdicts = verdicts

    async def set_claims(self, claims: Any) -> None:
        return None

    async def check_article(self, text: str, top_k: int | None = None) -> list[Verdict]:
        return self.verdicts


@pytest.mark.parametrize(("reasons", "why_line"), [
    (None, None),
    (Reasons(), None),
    (Reasons(stance_rule="model p(refutes)=0.71"), "  why: stance: model p(refutes)=0.71"),
    (Reasons(**DETAIL | {"stance_probs": None}),
     "  why: numbers 1.00, pair model related 0.93, similarity 0.71; names: Old Town; words: bridg, close, monday; "
     "context: the article concerns this claim; the sentence refers back ('the closure'); "
     'stance: denial wording "never closed"'),
])
async def test_check_shows_reasons_when_the_judge_gives_them(store: Store, claim: int, reasons: Reasons | None,
                                                             why_line: str | None) -> None:
    verdict = Verdict(str(claim), 0.62, "refutes", 0.84, True, reasons)
    services = Services(store=store, judge=CheckJudge([verdict]),  # type: ignore[arg-type]
                        moderators=Moderators(users={"console": {"mod"}}))
    reply = await Chat(Dispatcher(services))("/claim check The council said the bridge never closed.")
    lines = reply.text.splitlines()
    assert lines[1] == f"#{claim} {CLAIM} -> refutes (confidence 84%, relevance 0.62)"
    assert lines[2:] == ([why_line] if why_line else [])


async def test_backfilled_matches_keep_the_judges_reasons(chat: Chat, store: Store) -> None:
    other = await store.add_claim("Ferries stopped running after the storm", "test")
    await store_rows(store, [Row("The council said the Old Town bridge was closed to traffic on Monday.")],
                     claim_id=other.id)
    added = await chat(f"/claim add {CLAIM}")
    assert "claim #2" in added.text
    [row] = await store.evidence(2)
    why = (await chat(f"/claim why {row.match_id}", user="reader")).text
    assert "Relatedness parts: similarity" in why and "Shared words: " in why and "No reasons" not in why


async def test_why_explains_a_context_match(chat: Chat, store: Store, claim: int) -> None:
    _, ctx_match = await store_rows(store, [
        Row("The council said the Old Town bridge was closed on Monday."),
        Row("Some 4,000 drivers were diverted.", stance="neutral", score=0.0, tier="context"),
    ])
    lines = (await chat(f"/claim why {ctx_match}", user="reader")).text.splitlines()
    assert lines[2].startswith("Tier: context (a statement with figures in an article about the claim; a side only")
    assert any(line.startswith("Kept for its figures: its article alerted for this claim") for line in lines)
