"""Backfill of a new claim: earlier statements matched in both tiers, never an alert; the judge's thresholds."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest

from bot.backfill import Backfilled, backfill_claim
from bot.judge import ClaimRef, JudgeConfig, Reasons, Verdict
from bot.judging import JudgeService
from handlers import Dispatcher, Moderators, Services
from storage import Store
from storage.documents import NewDocument, NewStatement
from tests.conftest import Chat

pytestmark = pytest.mark.both_backends

CLAIM = "The Old Town bridge was closed to traffic on Monday"
# Per statement: (relatedness, stance, alert-worthy); anything else is unrelated.
JUDGED = {
    "The council said the Old Town bridge was closed on Monday.": (0.8, "supports", True),
    "Traffic was slow near the Old Town on Monday.": (0.35, "neutral", False),
}


@dataclass
class TableJudge:
    """A Judge double: fixed verdicts per text; possible-tier ones only when asked, as Judge.match does."""

    config: JudgeConfig
    asked: list[bool]

    def set_claims(self, claims: list[ClaimRef]) -> None:
        self.claim_ids = [c.id for c in claims]

    def match(self, texts: Sequence[str], top_k: int | None = None, possible: bool = False) -> list[list[Verdict]]:
        self.asked.append(possible)
        out = []
        for text in texts:
            score, stance, alert = JUDGED.get(text, (0.0, "neutral", False))
            keep = score > 0 and (alert or possible)
            out.append([Verdict(self.claim_ids[-1], score, stance, 0.7, alert, Reasons(stance_rule="table"))]
                       if keep else [])
        return out


@pytest.fixture
def judge() -> Iterator[JudgeService]:
    svc = JudgeService(TableJudge(JudgeConfig(threshold=0.55, possible_threshold=0.3), []))  # type: ignore[arg-type]
    yield svc
    svc.close()


async def _earlier_article(store: Store) -> None:
    texts = [*JUDGED, "The harbour festival drew record crowds this weekend."]
    await store.store_document(NewDocument(
        source_id=1, url="https://desk.example/x", canonical_url="https://desk.example/x", title="Bridge story",
        text=" ".join(texts), content_hash="h1", statements=[NewStatement(i, t) for i, t in enumerate(texts)],
    ))


async def _tiers(store: Store, claim_id: int) -> dict[str, str]:
    return await store.run(lambda: dict(store.db.execute(
        "SELECT s.text, m.tier FROM matches m JOIN statements s ON s.id = m.statement_id WHERE m.claim_id = ?",
        [claim_id]).fetchall()))


async def test_backfill_keeps_possible_matches_for_review_and_never_alerts(store: Store, judge: JudgeService) -> None:
    await _earlier_article(store)
    claim = await store.add_claim(CLAIM, "test")
    await store.watch(claim.id, "console", "newsroom")
    assert await backfill_claim(store, judge, claim) == Backfilled(matched=1, possible=1)
    assert judge.judge.asked == [True]  # type: ignore[attr-defined]
    assert await _tiers(store, claim.id) == {"The council said the Old Town bridge was closed on Monday.": "alert",
                                             "Traffic was slow near the Old Town on Monday.": "possible"}
    assert await store.stance_counts(claim.id) == {"supports": 1}  # the possible one waits for review
    [waiting] = await store.possible_matches(claim.id)
    assert (waiting.stance, waiting.score) == ("neutral", 0.35) and waiting.detail["stance_rule"] == "table"
    assert await store.pending_deliveries("console", "9999") == []
    # Again: nothing new, nothing alerts.
    assert await backfill_claim(store, judge, claim) == Backfilled()
    assert await store.pending_deliveries("console", "9999") == []


async def test_claim_add_reports_the_possible_band(store: Store, judge: JudgeService) -> None:
    await _earlier_article(store)
    chat = Chat(Dispatcher(Services(store=store, judge=judge, moderators=Moderators(users={"console": {"mod"}}))))
    assert (await chat(f"/claim add {CLAIM}")).ok
    [notice] = await store.pending_deliveries("console", "9999")
    assert notice.alert.content.kind == "notice"
    assert notice.alert.content.text == (
        "Found 1 earlier statement(s) about claim #1 (supports 1, refutes 0, neutral 0). See /claim status 1. "
        "1 possible match(es) await review: /claim possible 1.")
    queue = await chat("/claim possible 1")
    assert "1 possible match(es) awaiting review" in queue.text and "Traffic was slow" in queue.text


async def test_match_passes_possible_through(judge: JudgeService, store: Store) -> None:
    await judge.set_claims([await store.add_claim(CLAIM, "test")])
    text = "Traffic was slow near the Old Town on Monday."
    assert await judge.match([text]) == [[]]
    [[v]] = await judge.match([text], possible=True)
    assert (v.score, v.alert) == (0.35, False)
    assert judge.judge.asked == [False, True]  # type: ignore[attr-defined]


async def test_why_reads_the_thresholds_from_the_judge(store: Store, judge: JudgeService) -> None:
    assert judge.thresholds() == (0.55, 0.3)
    await _earlier_article(store)
    chat = Chat(Dispatcher(Services(store=store, judge=judge, moderators=Moderators(users={"console": {"mod"}}))))
    await chat(f"/claim add {CLAIM}")
    [row] = await store.evidence(1)
    tier = (await chat(f"/claim why {row.match_id}", user="reader")).text.splitlines()[2]
    assert tier == "Tier: alert (alerts and counts), relatedness 0.80; alerts from 0.55, possible from 0.30 (now)"
    await store.update_claim(1, threshold=0.25)  # a claim's own threshold below the band moves both
    tier = (await chat(f"/claim why {row.match_id}", user="reader")).text.splitlines()[2]
    assert tier.endswith("; alerts from 0.25, possible from 0.25 (now)")
