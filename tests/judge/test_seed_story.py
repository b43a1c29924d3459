"""The seed story in other words, through the real pipeline and the SHIPPED judge (no keywords on the claim)."""

from __future__ import annotations

import pytest

from bot.judge import load_judge
from bot.judging import JudgeService
from bot.ledger.service import load_ledger
from handlers import Dispatcher, Moderators, Services
from tests.conftest import Chat
from tests.ledger.stories import feed


@pytest.fixture
def shipped_judge() -> JudgeService:
    judge = load_judge()
    if judge.encoder is None:
        pytest.skip("shipped model files missing")
    svc = JudgeService(judge)
    yield svc
    svc.close()


async def test_reworded_story_shows_both_sides_and_the_changing_count(store, feed_server, shipped_judge) -> None:
    fed = await feed(store, feed_server, shipped_judge, "drone_residence_reworded")
    story = fed.story
    ledger, rows = await load_ledger(store, fed.claim)
    got = {r.text: r.stance for r in rows}
    for doc in story["documents"]:
        for stance, sentence in doc["sentences"]:
            if stance is None:
                assert sentence not in got, f"off-topic statement matched: {sentence}"
            else:
                assert got.get(sentence) == stance, f"{sentence!r}: {got.get(sentence)} (want {stance})"
    assert ledger.by_stance["supports"] >= 3 and ledger.by_stance["refutes"] >= 3
    assert any({k.value_a, k.value_b} == {89, 91} for k in ledger.conflicts), ledger.conflicts
    chat = Chat(Dispatcher(Services(store=store, judge=shipped_judge, moderators=Moderators())))
    text = (await chat("/claim status 1", user="reader")).text
    assert "Asserting" in text and "Denying" in text and "89" in text and "91" in text, text
