"""The incremental conflict check finds exactly what re-parsing every figure statement finds, parsing only new ones."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bot.extract import extract_statements
from bot.ledger import figure_index
from bot.ledger.conflicts import conflict_alert, find_conflicts, record_new_conflicts
from bot.models import Claim
from storage import Store
from storage.documents import NewDocument, NewMatch, NewStatement

pytestmark = pytest.mark.both_backends

PEOPLE = ["Peskov", "Kallas", "the ministry", "the governor", "Zelensky"]
PLACES = ["Novgorod", "Kursk", "Belgorod"]
# Few distinct values, so equal values, near values (approximate) and real conflicts all occur.
VALUES = [18, 41, 88, 89, 90, 91, 95, 100]
SENTENCES = [
    "{p} said {n} drones were shot down over the {c} region overnight.",
    "{p} said about {n} drones were intercepted in total.",
    "{p} said {n} drones were shot down in total.",
    "{p} reported that {n} drones were launched at {c}.",
    "{n} people were injured in {c}, {p} said.",
    "{p} said {n} drones have been destroyed since January.",
    "{p} said {n} drones were shot down in total and {m} over the {c} region.",
    "{p} said {n} drones were shot down in total, not {m} drones shot down in total.",  # one statement, two values
    "{p} said nothing about the numbers.",
]
TIMES = [None, "2025-12-29T05:10:00+00:00", "2025-12-29T08:00:00+00:00", "2025-12-30T09:30:00+00:00"]


class Spy:
    """Records what record_new_conflicts asks the store to record, then records it."""

    def __init__(self, store: Store) -> None:
        self.record = store.record_conflict
        self.calls: list[tuple[Any, ...]] = []

    async def __call__(self, claim_id, quantity, label, a, value_a, b, value_b, payload, sort_key):
        self.calls.append((claim_id, quantity, label, a.statement_id, value_a, b.statement_id, value_b, payload))
        return await self.record(claim_id, quantity, label, a, value_a, b, value_b, payload, sort_key)


async def store_doc(store: Store, rng: random.Random, source_id: int, n: int, claim_ids: list[int]) -> list[int]:
    """A random document whose statements match random claims; returns its statement ids."""
    text = " ".join(
        rng.choice(SENTENCES).format(p=rng.choice(PEOPLE), c=rng.choice(PLACES), n=rng.choice(VALUES),
                                     m=rng.choice(VALUES))
        for _ in range(rng.randint(1, 4))
    )
    statements = extract_statements(f"Report {n}", text)
    matches = [NewMatch(s.seq, c, 0.9, "supports", 0.9) for s in statements for c in claim_ids if rng.random() < 0.7]
    doc = NewDocument(
        source_id=source_id, url=f"https://example.test/{n}", canonical_url=f"https://example.test/{n}",
        title=f"Report {n}", text=text, content_hash=f"hash-{n}", published_at=rng.choice(TIMES),
        statements=[NewStatement(s.seq, s.text, s.speaker, figures=s.figures) for s in statements],
        matches=matches,
    )
    stored = await store.store_document(doc)
    return list(stored.statement_ids.values())


async def expected(store: Store, claims: dict[int, Claim], statement_ids: list[int], quiet: bool) -> list[tuple]:
    """What the re-parse-everything check would record: find_conflicts(new, every figure statement)."""
    out = []
    for claim_id in sorted(claims):
        new = await store.figure_statements(claim_id, statement_ids)
        if not new:
            continue
        for qa, a, qb, b in find_conflicts(new, await store.figure_statements(claim_id), claims[claim_id].text):
            payload = None if quiet else conflict_alert(claims[claim_id], qa, a, qb, b)
            out.append((claim_id, qa.key, qa.label, a.statement_id, qa.value, b.statement_id, qb.value, payload))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_same_conflicts_as_reparsing_everything(store: Store, monkeypatch, seed: int) -> None:
    rng = random.Random(seed)
    claims = {c.id: c for c in [await store.add_claim("Drones were shot down over Novgorod"),
                                await store.add_claim("Drones were launched at Kursk")]}
    src = await store.add_source("https://example.test/feed", label="Example")
    spy = Spy(store)
    monkeypatch.setattr(store, "record_conflict", spy)
    skipped: list[int] = []
    for n in range(120):
        ids = await store_doc(store, rng, src.id, n, list(claims))
        if n < 25 or rng.random() < 0.1:
            skipped += ids  # stored before the index existed, or the step did not run: caught up later
            continue
        if n == 60:
            # Matches found after the fact (a newly added claim's backfill) join what is compared.
            await store.add_matches(list(claims)[1], [(i, 0.8, "supports", 0.8) for i in skipped])
        quiet = rng.random() < 0.2
        want = await expected(store, claims, ids, quiet)
        spy.calls.clear()
        await record_new_conflicts(store, claims, list(claims), ids, quiet, "2025-12-31T00:00:00+00:00")
        assert spy.calls == want, n
    assert await store.conflicts(list(claims)[0])  # the data does produce conflicts


async def test_only_new_statements_are_parsed(store: Store, monkeypatch) -> None:
    rng = random.Random(7)
    claim = await store.add_claim("Drones were shot down over Novgorod")
    src = await store.add_source("https://example.test/feed")
    for n in range(40):
        await store_doc(store, rng, src.id, n, [claim.id])
    parsed: list[int] = []
    real = figure_index.quantities

    def counting(text, figures, claim=""):
        parsed.append(1)
        return real(text, figures, claim)

    monkeypatch.setattr(figure_index, "quantities", counting)
    first = await store.figure_statements(claim.id)
    await record_new_conflicts(store, {claim.id: claim}, [claim.id], [], False, "")
    assert len(parsed) == len(first)  # first use of the claim: every figure statement, once
    indexed = await store.figure_index_size(claim.id)
    for n in range(40, 50):
        parsed.clear()
        ids = await store_doc(store, rng, src.id, n, [claim.id])
        await record_new_conflicts(store, {claim.id: claim}, [claim.id], ids, False, "")
        assert len(parsed) == len(await store.figure_statements(claim.id, ids))
    # The same document again: already indexed, nothing parsed.
    parsed.clear()
    await record_new_conflicts(store, {claim.id: claim}, [claim.id], ids, False, "")
    assert parsed == []
    # A changed parser re-indexes the claim once, replacing the old rows.
    monkeypatch.setattr(figure_index, "PARSER", "another-parser")
    parsed.clear()
    await record_new_conflicts(store, {claim.id: claim}, [claim.id], ids, False, "")
    assert len(parsed) == len(await store.figure_statements(claim.id))
    assert await store.figure_index_size(claim.id) > indexed
    parsed.clear()
    await record_new_conflicts(store, {claim.id: claim}, [claim.id], ids, False, "")
    assert parsed == []
