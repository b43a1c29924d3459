"""The three fixture stories through the real pipeline: ledger, conflicts, confirmation, status, chart."""

from __future__ import annotations

import struct
from collections import Counter

import pytest

from bot.judging import JudgeService
from bot.ledger.conflicts import find_conflicts
from bot.ledger.quantities import quantities
from bot.ledger.service import load_ledger
from handlers import Dispatcher, Moderators, Services
from tests.conftest import NO_MODEL, Chat
from tests.ledger.stories import (
    NAMES,
    StoryJudge,
    add_story,
    cycle,
    feed,
    load_story,
    make_pipeline,
    publish,
)

pytestmark = pytest.mark.both_backends

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def annotated(story: dict) -> Counter[str]:
    """Stance counts the story's annotations imply (every annotated sentence is a statement)."""
    return Counter(stance for d in story["documents"] for stance, _ in d["sentences"] if stance)


@pytest.fixture
def story_judge() -> JudgeService:
    svc = JudgeService(StoryJudge([load_story(n) for n in NAMES]))
    yield svc
    svc.close()


async def test_drone_story_ledger(store, feed_server, story_judge) -> None:
    fed = await feed(store, feed_server, story_judge, "drone_residence")
    ledger, rows = await load_ledger(store, fed.claim)
    assert ledger.by_stance == annotated(fed.story)
    assert ledger.total == len(rows) == 15
    # Source kinds come from each source's speaker_kind.
    assert ledger.by_kind["official"]["refutes"] == 3  # Zelensky, the presidential office, Kallas
    assert ledger.by_kind["social"] == Counter(refutes=1)
    sup, ref = ledger.sides["supports"], ledger.sides["refutes"]
    assert (sup.first.speaker, sup.first.source_label) == ("Lavrov", "Russian Foreign Ministry")
    assert ref.first.speaker == "Zelensky"
    assert ref.latest.source_label == "Northern Daily"
    assert sup.voices[0].name == "Lavrov" and sup.voices[0].kind == "official"
    assert {v.name for v in ref.voices} >= {"Zelensky", "Kallas", "Local residents"}
    # The wire's supporting sentence is Lavrov's, relayed: no confirmation.
    assert not ledger.confirmation.confirmed
    assert "relay" in ledger.confirmation.reason
    assert ledger.first_seen.startswith("2025-12-29T05:10") and ledger.last_activity.startswith("2025-12-31T09:30")
    assert [d for d, _ in ledger.daily] == ["2025-12-29", "2025-12-30", "2025-12-31"]
    assert ledger.trend.startswith("shifting toward denial")
    found = {(k.quantity, k.value_a, k.value_b) for k in ledger.conflicts}
    assert found == {(q, a, b) for q, a, b in fed.story["expect"]["conflicts"]}


async def test_conflicts_recorded_and_alerted_once(store, feed_server, story_judge) -> None:
    story = load_story("drone_residence")
    docs = story["documents"]
    await add_story(store, feed_server, story, docs=docs[:1])  # the 89 / 18 bulletin only
    pipeline = make_pipeline(store, story_judge)
    try:
        await cycle(pipeline)
        assert await store.conflicts(1) == []
        publish(feed_server, story, docs)  # the revised bulletin (91 / 41) and the rest arrive
        await cycle(pipeline)
        publish(feed_server, story, docs + [dict(docs[4], slug="revised-again", title="Figures repeated")])
        await cycle(pipeline)  # the revision is repeated in a new article: known conflict, no new alert
    finally:
        await pipeline.client.aclose()
    conflicts = await store.conflicts(1)
    assert sorted((k.value_a, k.value_b) for k in conflicts) == [(18, 41), (89, 91)]
    alerts = await store.run(lambda: list(store.db.query("SELECT * FROM alerts WHERE kind = 'conflict'")))
    assert len(alerts) == 2
    by_values = {(k.value_a, k.value_b): k for k in conflicts}
    k = by_values[(89, 91)]
    assert k.a.source_label == k.b.source_label == "Russian Defence Ministry"
    assert k.a.at < k.b.at


async def test_other_stories(store, feed_server, story_judge) -> None:
    blackout = await feed(store, feed_server, story_judge, "iberian_blackout")
    cable = await feed(store, feed_server, story_judge, "baltic_cable")
    lb, _ = await load_ledger(store, blackout.claim)
    assert lb.by_stance == annotated(blackout.story)
    assert lb.conflicts == []  # about 50 million vs 55 million people: approximate, within 10%
    assert not lb.confirmation.confirmed
    assert lb.sides["supports"].first.source_label == "Trending Posts"
    lc, _ = await load_ledger(store, cable.claim)
    assert lc.conflicts == []  # 8 crew questioned vs 7 barred from leaving: different quantities
    assert lc.confirmation.confirmed and lc.confirmation.evidence.source_label == "Maritime Weekly"


def test_conflict_detection_on_fixtures() -> None:
    """Measure: figures, same-unit pairs (what a unit-only rule would flag), conflicts found vs expected."""
    from bot.extract import extract_statements
    from storage.conflicts import FigureStatement

    totals = Counter()
    for name in NAMES:
        story = load_story(name)
        sts = []
        for i, d in enumerate(story["documents"]):
            text = " ".join(s for _, s in d["sentences"])
            for st in extract_statements(d["title"], text):
                sts.append(FigureStatement(100 * i + st.seq, st.text, st.figures, st.speaker, d["source"], "",
                                           d["published"]))
        qs = [(s, q) for s in sts for q in quantities(s.text, s.figures, story["claim"]["text"])]
        totals["figures"] += sum(len(s.figures) for s in sts)
        totals["countable"] += len(qs)
        pairs = [(a, b) for i, a in enumerate(qs) for b in qs[i + 1:] if a[0] is not b[0]]
        totals["same_unit_different_value"] += sum(
            1 for (_, qa), (_, qb) in pairs if qa.unit == qb.unit and qa.value != qb.value)
        found = {(qa.key, min(qa.value, qb.value), max(qa.value, qb.value))
                 for qa, _, qb, _ in find_conflicts(sts, sts, story["claim"]["text"])}
        expected = {(k, a, b) for k, a, b in story["expect"]["conflicts"]}
        assert found == expected, name
        totals["conflicts"] += len(found)
    print("conflict measurement:", dict(totals))
    assert totals["same_unit_different_value"] > totals["conflicts"]


async def test_status_screen_and_chart(store, feed_server, story_judge) -> None:
    await feed(store, feed_server, story_judge, "drone_residence")
    chat = Chat(Dispatcher(Services(store=store, judge=story_judge, moderators=Moderators())))
    reply = await chat("/claim status drone residence", user="reader")
    text = reply.text
    assert text.startswith("Claim #1: Ukraine launched a drone attack")
    for expected in ("Status: unverified", "Statements: 15 (supports 6, refutes 6, neutral 3)",
                     "By source: official", "Independent confirmation: no", "Asserting (6; first 2025-12-29 11:30 UTC Lavrov)",
                     "Denying (6; first 2025-12-29 14:00 UTC Zelensky)", "Conflicting figures (2):",
                     "drones downed: 89 (", ") vs 91 (", "drones downed (Novgorod): 18 (", ") vs 41 (",
                     "First seen 2025-12-29 05:10 UTC, last activity 2025-12-31 09:30 UTC", "/article/kallas"):
        assert expected in text, expected
    # Short lines: every line but the claim heading fits 160 characters (links sit on their own lines).
    long = [line for line in text.splitlines()[1:] if len(line) > 160 and "://" not in line]
    assert not long, long
    # each voice's count and time are whole, however long its name: only the quote is clipped
    import re

    voices = [line for line in text.splitlines() if line.startswith("  - ") and "x, latest" in line]
    assert voices and all(re.search(r" \d+x, latest \d{4}-\d\d-\d\d \d\d:\d\d UTC: ", v) for v in voices), voices
    assert png_size(reply.image) == (900, 360)
    assert reply.image_name == "claim-1-timeline.png"


async def test_lexical_judge_end_to_end(store, feed_server) -> None:
    """The shipped fast judge (no model files) on the drone story: the screen renders from real verdicts."""
    from bot.judge import load_judge

    judge = JudgeService(load_judge(NO_MODEL))
    try:
        fed = await feed(store, feed_server, judge, "drone_residence")
    finally:
        judge.close()
    ledger, rows = await load_ledger(store, fed.claim)
    assert rows, "the lexical judge matched nothing"
    assert sum(ledger.by_stance.values()) == ledger.total == len(rows)


def test_independent_confirmation_needs_the_outlets_own_voice() -> None:
    from bot.ledger.model import confirmation
    from storage.ledger import LedgerRow

    def row(text: str, speaker: str | None, kind: str = "independent", cue: str | None = "asserts",
            confidence: float = 0.9) -> LedgerRow:
        return LedgerRow(1, 1, "supports", confidence, text, speaker, None, cue, "u", 1, "Wire", kind,
                         "2025-12-29T10:00:00+00:00")

    relays = [
        row("Lavrov said Kyiv launched 91 drones at the residence.", "Lavrov"),
        row("In a later statement the Russian defence ministry said 91 drones were launched.", None, cue=None),
        row("Officials alleged the drones targeted the residence.", "Officials", cue="alleges"),
        row("Our survey found debris near the residence.", None, kind="social"),
        row("Our survey found debris near the residence.", None, confidence=0.3),
    ]
    assert not confirmation(relays).confirmed
    assert "relay" in confirmation(relays[:3]).reason
    for own in (row("Our survey of the seabed found anchor drag marks along the route.", None, cue=None),
                row("Our reporters said they saw drone debris near the residence.", "Our reporters")):
        result = confirmation([*relays, own])
        assert result.confirmed and result.evidence is own


def test_a_weak_match_confirms_only_once_a_moderator_confirms_it() -> None:
    from dataclasses import replace

    from bot.ledger.model import confirmation
    from storage.ledger import LedgerRow

    own = LedgerRow(1, 1, "supports", 0.9, "Our survey found debris near the residence.", None, None, None, "u", 1,
                    "Wire", "independent", "2025-12-29T10:00:00+00:00", score=0.3)
    weak = confirmation([own])
    assert not weak.confirmed and "weak match" in weak.reason and "/claim confirm" in weak.reason
    assert confirmation([replace(own, confirmed=True)]).confirmed
    assert confirmation([replace(own, score=0.8)]).confirmed
    # a context match a moderator set to supports keeps the judge's 0.0 confidence, and still counts
    assert confirmation([replace(own, score=0.0, confidence=0.0, confirmed=True)]).confirmed
