"""Articles judged as a whole through the real pipeline: one alert per (article, claim), every verdict kept."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.alerts import Outbox
from bot.judge import ArticleVerdict, ClaimRef, DocumentJudgement, Reasons, Verdict
from bot.judging import JudgeService
from bot.pipeline import Pipeline, PipelineOptions
from bot.policy import parse_changes
from bot.sources.http import make_client
from storage import Store
from tests.clock import Clock
from tests.ledger.stories import RecordingPlatform

pytestmark = pytest.mark.both_backends

CLAIM = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"
OTHER = "The port of Riga was closed to cargo ships in March"
HEADLINE = "Statement by the High Representative on Russian claims about the Novgorod residence"
DENIAL_1 = "Kallas said the claim of a drone attack on the residence was a fabrication."
DENIAL_2 = "The presidential office denied that any Ukrainian drones were sent towards the residence."
ASIDE = "The statement was issued in Brussels on Tuesday."

Script = Callable[[list[str], dict[str, str]], DocumentJudgement]


@dataclass
class ScriptedJudge:
    """A Judge double: each article gets the judgement the test scripted for its texts."""

    script: Script
    ids: dict[str, str] = field(default_factory=dict)  # claim text -> id
    calls: list[tuple[list[str], bool]] = field(default_factory=list)

    def set_claims(self, claims: list[ClaimRef]) -> None:
        """Map claim texts to ids."""
        self.ids = {c.text: c.id for c in claims}

    def match_document(self, texts: list[str], title_first: bool = True) -> DocumentJudgement:
        """What the script says, noting how it was asked."""
        self.calls.append((list(texts), title_first))
        return self.script(list(texts), self.ids)


def v(claim_id: str, stance: str, alert: bool = True, score: float = 0.8, reasons: Reasons | None = None) -> Verdict:
    """A statement verdict."""
    return Verdict(claim_id, score, stance, 0.9, alert, reasons)


@dataclass
class Rig:
    """A pipeline over a folder source with a scripted judge."""

    store: Store
    judge: ScriptedJudge
    pipeline: Pipeline
    folder: Path
    claim_ids: dict[str, int]

    def drop(self, name: str, title: str, *sentences: str) -> None:
        """Drop (or rewrite) an article in the watched folder: first line title, then its body."""
        (self.folder / f"{name}.txt").write_text(title + "\n" + " ".join(sentences), encoding="utf-8")

    async def cycle(self) -> int:
        """Make the source due and run one poll cycle; returns the alerts it queued."""
        for s in await self.store.list_sources():
            await self.store.update_source(s.id, next_fetch_at="2000-01-01T00:00:00+00:00")
        stats = await self.pipeline.run_cycle()
        assert stats.errors == 0, stats
        return stats.alerts

    async def rows(self, sql: str, args: list[Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a query, as dicts."""
        return await self.store.run(lambda: [dict(r) for r in self.store.db.query(sql, args or [])])

    async def alerts(self) -> list[dict[str, Any]]:
        """Statement alerts, oldest first, payload decoded."""
        rows = await self.rows("SELECT * FROM alerts WHERE kind = 'statement' ORDER BY id")
        return [r | {"payload": json.loads(r["payload"])} for r in rows]


@pytest.fixture
async def rig(store: Store, tmp_path: Path) -> AsyncIterator[Rig]:
    ids = {}
    for text in (CLAIM, OTHER):
        claim = await store.add_claim(text, "test")
        await store.watch(claim.id, "console", f"desk-{claim.id}")
        ids[text] = claim.id
    folder = tmp_path / "drop"
    folder.mkdir()
    await store.add_source(str(folder), kind="folder", quiet_first=False, label="Drop box")
    judge = ScriptedJudge(lambda texts, ids: DocumentJudgement([[] for _ in texts], []))
    service = JudgeService(judge)
    client = make_client()
    yield Rig(store, judge, Pipeline(store, service, client, PipelineOptions(max_item_age_s=86400)), folder, ids)
    await client.aclose()
    service.close()


async def test_topic_headline_and_two_denials_make_one_alert_quoting_the_denials(rig: Rig) -> None:
    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        # The headline alone would alert SUPPORTS; the article, read whole, refutes on its two denials.
        return DocumentJudgement([[v(c, "supports", score=0.7)], [v(c, "refutes")], [v(c, "refutes", score=0.9)], []],
                                 [ArticleVerdict(c, 0.9, "refutes", 0.85, True, (2, 1))])

    rig.judge.script = script
    rig.drop("eeas", HEADLINE, DENIAL_1, DENIAL_2, ASIDE)
    assert await rig.cycle() == 1
    assert rig.judge.calls == [([HEADLINE, DENIAL_1, DENIAL_2, ASIDE], True)]  # the title is statement 0
    [alert] = await rig.alerts()
    p = alert["payload"]
    assert (p["title"], p["stance"], p["confidence"]) == (f"REFUTES: claim #{rig.claim_ids[CLAIM]}", "refutes", 0.85)
    assert p["quotes"] == [{"text": DENIAL_2, "speaker": "presidential office", "stance": "refutes"},
                           {"text": DENIAL_1, "speaker": "Kallas", "stance": "refutes"}]
    assert (p["text"], p["speaker"]) == (DENIAL_2, "presidential office")  # the lead quote, for digests and folds
    assert p["doc_title"] == HEADLINE and p["source"] == "Drop box" and p["story_key"]
    # Every verdict is in the ledger, the headline's too; the alert rides on its lead statement's match.
    matches = await rig.rows("SELECT m.id, s.text, m.stance, m.tier FROM matches m "
                             "JOIN statements s ON s.id = m.statement_id ORDER BY s.seq")
    assert [(m["text"], m["stance"], m["tier"]) for m in matches] == [
        (HEADLINE, "supports", "alert"), (DENIAL_1, "refutes", "alert"), (DENIAL_2, "refutes", "alert")]
    assert alert["match_id"] == matches[2]["id"]
    deliveries = await rig.rows("SELECT channel FROM deliveries WHERE alert_id = ?", [alert["id"]])
    assert [d["channel"] for d in deliveries] == [f"desk-{rig.claim_ids[CLAIM]}"]


async def test_statements_about_two_claims_make_two_alerts(rig: Rig) -> None:
    port = "The harbour office said the port of Riga stayed shut to cargo ships all of March."

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c, o = ids[CLAIM], ids[OTHER]
        return DocumentJudgement([[], [v(c, "refutes")], [v(c, "refutes")], [v(o, "supports")]],
                                 [ArticleVerdict(c, 0.8, "refutes", 0.9, True, (1, 2)),
                                  ArticleVerdict(o, 0.8, "supports", 0.7, True, (3,))])

    rig.judge.script = script
    rig.drop("roundup", "Tuesday's news in brief", DENIAL_1, DENIAL_2, port)
    assert await rig.cycle() == 2
    by_claim = {a["claim_id"]: a for a in await rig.alerts()}
    assert set(by_claim) == {rig.claim_ids[CLAIM], rig.claim_ids[OTHER]}
    drone, riga = by_claim[rig.claim_ids[CLAIM]]["payload"], by_claim[rig.claim_ids[OTHER]]["payload"]
    assert [q["text"] for q in drone["quotes"]] == [DENIAL_1, DENIAL_2] and drone["stance"] == "refutes"
    assert [q["text"] for q in riga["quotes"]] == [port] and riga["stance"] == "supports"
    assert riga["claim_text"] == OTHER and riga["confidence"] == 0.7
    for claim_id, a in by_claim.items():  # each goes to its own claim's watchers
        rows = await rig.rows("SELECT channel FROM deliveries WHERE alert_id = ?", [a["id"]])
        assert [r["channel"] for r in rows] == [f"desk-{claim_id}"]


async def test_possible_tier_verdict_is_kept_for_review_and_never_alerts(rig: Rig) -> None:
    why = Reasons(parts={"similarity": 0.41}, shared_names=("Novgorod",), stance_rule="no cue")

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        return DocumentJudgement([[], [v(c, "neutral", alert=False, score=0.4, reasons=why)], []],
                                 [ArticleVerdict(c, 0.4, "neutral", 0.5, False, (1,))])

    rig.judge.script = script
    rig.drop("maybe", "Regional round-up for Tuesday", "Residents near Valdai reported a loud noise overnight.", ASIDE)
    assert await rig.cycle() == 0
    assert await rig.alerts() == [] and await rig.rows("SELECT * FROM deliveries") == []
    [m] = await rig.rows("SELECT tier, stance, score, detail FROM matches")
    assert (m["tier"], m["stance"], m["score"]) == ("possible", "neutral", 0.4)
    assert json.loads(m["detail"]) == json.loads(json.dumps(why.as_dict()))  # kept for /claim why


async def test_possible_tier_figures_bring_no_conflict(rig: Rig) -> None:
    first = "The ministry said 91 drones were shot down over the Novgorod region overnight."
    maybe = "A ministry spokesman later said 120 drones were shot down over the Novgorod region overnight."
    later = "Officials said 120 drones were shot down over the Novgorod region that night."
    tiers = {first: True, maybe: False, later: True}

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        per = [[v(c, "supports", alert=tiers[t])] if t in tiers else [] for t in texts]
        hits = tuple(i for i, t in enumerate(texts) if tiers.get(t))
        return DocumentJudgement(per, [ArticleVerdict(c, 0.8, "supports", 0.9, bool(hits), hits)])

    rig.judge.script = script
    rig.drop("a", "Bulletin", first)
    await rig.cycle()
    rig.drop("b", "Briefing", maybe)
    assert await rig.cycle() == 0  # possible tier: no statement alert, no conflict
    assert rig.judge.calls[0] == ([first], False)  # a title too short to be a statement is not statement 0
    assert await rig.store.conflicts(rig.claim_ids[CLAIM]) == []
    rig.drop("c", "Update", later)
    assert await rig.cycle() == 2  # the statement alert and one conflict (91 then 120)
    [k] = await rig.store.conflicts(rig.claim_ids[CLAIM])
    assert (k.value_a, k.value_b, k.b.text) == (91, 120, later)


async def test_figures_of_an_alerting_article_count_for_its_claim(rig: Rig) -> None:
    """A toll the judge did not match by itself ('context') or only as possible counts for the
    claim's figures when its article alerts for the claim; it is never a side and never awaits review."""
    first = "The ministry said 91 drones were shot down over the Novgorod region overnight."
    lead = "Moscow repeated that Kyiv had attacked the residence."
    aside = "Later that day 120 drones were reported shot down over the Novgorod region."
    maybe = "Another 130 drones were shot down over the Novgorod region by Friday, a ministry source said."
    alerting = {first, lead}

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        per = [[v(c, "supports")] if t in alerting else [v(c, "neutral", alert=False)] if t == maybe else []
               for t in texts]
        hits = tuple(i for i, t in enumerate(texts) if t in alerting)
        return DocumentJudgement(per, [ArticleVerdict(c, 0.8, "supports", 0.9, bool(hits), hits)])

    rig.judge.script = script
    rig.drop("a", "Bulletin", first)
    await rig.cycle()
    rig.drop("b", "Briefing", lead, aside, maybe)
    assert await rig.cycle() == 3  # the statement alert and two conflicts (91 then 120, 120 then 130)
    claim_id = rig.claim_ids[CLAIM]
    found = await rig.store.conflicts(claim_id)
    assert sorted((k.value_a, k.value_b) for k in found) == [(91, 120), (120, 130)]
    tiers = await rig.rows("SELECT s.text, m.tier FROM matches m JOIN statements s ON s.id = m.statement_id")
    assert {r["text"]: r["tier"] for r in tiers} == {first: "alert", lead: "alert", aside: "context", maybe: "possible"}
    assert await rig.store.possible_count(claim_id) == 1  # the possible one only
    assert await rig.store.stance_counts(claim_id) == {"supports": 2}  # the alert-tier statements are the sides
    assert await rig.store.evidence_count(claim_id) == 2


async def test_a_statement_revising_its_own_toll_is_a_conflict(rig: Rig) -> None:
    revised = "The regional governor said the toll had risen to 14, up from 9 reported in the morning."

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        per = [[v(c, "supports")] if t == revised else [] for t in texts]
        return DocumentJudgement(per, [ArticleVerdict(c, 0.8, "supports", 0.9, True, (texts.index(revised),))])

    rig.judge.script = script
    rig.drop("toll", "Update", revised)
    assert await rig.cycle() == 2  # the statement alert and the conflict
    [k] = await rig.store.conflicts(rig.claim_ids[CLAIM])
    assert (k.value_a, k.value_b, k.a.text, k.b.text) == (9, 14, revised, revised)
    rig.drop("toll", "Update", revised, ASIDE)  # a new version with the same figures: no second alert
    assert await rig.cycle() == 0


async def test_a_revision_that_meets_an_earlier_statement_alerts_once(rig: Rig) -> None:
    first = "The regional governor said 8 people were killed in the floods."
    revised = "The regional governor said the toll had risen to 14, up from 9 reported in the morning."

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        hits = tuple(i for i, t in enumerate(texts) if t in (first, revised))
        return DocumentJudgement([[v(c, "supports")] if i in hits else [] for i in range(len(texts))],
                                 [ArticleVerdict(c, 0.8, "supports", 0.9, True, hits)])

    rig.judge.script = script
    rig.drop("a", "Morning", first)
    await rig.cycle()
    rig.drop("b", "Evening", revised)
    assert await rig.cycle() == 2  # the statement alert and one conflict: 8 then 14, not also 9 then 14
    [k] = await rig.store.conflicts(rig.claim_ids[CLAIM])
    assert (k.value_a, k.value_b) == (8, 14)


async def test_a_round_up_naming_the_claim_once_lends_it_no_figures(rig: Rig) -> None:
    """A live blog that mentions the claim in one statement: its other figures stay its own."""
    items = [f"Item {k}: the council said {100 + k} ferries ran late on the northern route." for k in range(18)]

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        per = [[v(c, "refutes")] if t == DENIAL_1 else [] for t in texts]
        return DocumentJudgement(per, [ArticleVerdict(c, 0.8, "refutes", 0.9, True, (texts.index(DENIAL_1),))])

    rig.judge.script = script
    rig.drop("live", "Live: the day's news", DENIAL_1, *items)
    assert await rig.cycle() == 1  # the statement alert only
    tiers = await rig.rows("SELECT tier FROM matches")
    assert [r["tier"] for r in tiers] == ["alert"]


async def test_edited_article_alerts_only_when_a_deciding_statement_is_new(rig: Rig) -> None:
    update = "Zelensky said on Wednesday that no Ukrainian drone had flown anywhere near the residence."

    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        deciding = [i for i, t in enumerate(texts) if t in (DENIAL_1, update)]
        per = [[v(c, "refutes")] if i in deciding else [] for i in range(len(texts))]
        return DocumentJudgement(per, [ArticleVerdict(c, 0.8, "refutes", 0.9, True, tuple(deciding))])

    rig.judge.script = script
    rig.drop("story", HEADLINE, DENIAL_1)
    assert await rig.cycle() == 1
    rig.drop("story", HEADLINE, DENIAL_1, ASIDE)  # a new version, but nothing new decides it
    assert await rig.cycle() == 0
    rig.drop("story", HEADLINE, DENIAL_1, ASIDE, update)  # a new deciding statement: it leads the alert
    assert await rig.cycle() == 1
    versions = await rig.rows("SELECT version FROM documents ORDER BY id")
    assert [r["version"] for r in versions] == [1, 2, 3]
    first, edit = await rig.alerts()
    assert [q["text"] for q in first["payload"]["quotes"]] == [DENIAL_1]
    assert [q["text"] for q in edit["payload"]["quotes"]] == [update, DENIAL_1]
    assert edit["payload"]["text"] == update and edit["payload"]["story_key"] != first["payload"]["story_key"]


async def test_quiet_first_fetch_records_matches_without_alerts(rig: Rig) -> None:
    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        return DocumentJudgement([[], [v(c, "refutes")]], [ArticleVerdict(c, 0.8, "refutes", 0.9, True, (1,))])

    rig.judge.script = script
    quiet = rig.folder.parent / "quiet"
    quiet.mkdir()
    (quiet / "old.txt").write_text(f"{HEADLINE}\n{DENIAL_1}", encoding="utf-8")
    await rig.store.add_source(str(quiet), kind="folder")  # quiet_first by default
    assert await rig.cycle() == 0
    assert await rig.alerts() == [] and len(await rig.rows("SELECT * FROM matches")) == 1


async def test_article_holding_the_first_official_denial_escalates(rig: Rig) -> None:
    def script(texts: list[str], ids: dict[str, str]) -> DocumentJudgement:
        c = ids[CLAIM]
        # The surer denial comes second: the alert rides on it, not on the article's first denial.
        return DocumentJudgement([[], [v(c, "refutes", score=0.6)], [v(c, "refutes", score=0.9)]],
                                 [ArticleVerdict(c, 0.9, "refutes", 0.9, True, (2, 1))])

    rig.judge.script = script
    official = rig.folder.parent / "official"
    official.mkdir()
    (official / "eeas.txt").write_text(f"{HEADLINE}\n{DENIAL_1} {DENIAL_2}", encoding="utf-8")
    await rig.store.add_source(str(official), kind="folder", quiet_first=False, speaker_kind="official")
    channel = ("console", f"desk-{rig.claim_ids[CLAIM]}")
    await rig.store.set_policy_settings(*channel, None, parse_changes(["mode=daily@08:00"]))
    assert await rig.cycle() == 1
    platform = RecordingPlatform()
    await Outbox(rig.store, {"console": platform}, Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))).deliver_once("console")
    [(_, sent)] = platform.sent  # held for the digest but for the escalation
    assert sent.escalation == "first official source denying the claim"
    assert [q.text for q in sent.alert.quotes] == [DENIAL_2, DENIAL_1] and sent.alert.speaker == "presidential office"
