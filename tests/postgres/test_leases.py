"""Work leased, not owned: sources, named leases and the claims version across two stores."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.judge import load_judge
from bot.judging import JudgeService
from bot.leases import iso
from storage import Store
from tests.conftest import NO_MODEL

pytestmark = pytest.mark.both_backends
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> str:
    return iso(T0 + timedelta(seconds=seconds))


async def _sources(store: Store, n: int) -> list[int]:
    ids = []
    for i in range(n):
        src = await store.add_source(f"http://127.0.0.1:9/feed{i}.xml")
        await store.update_source(src.id, next_fetch_at=at(0))
        ids.append(src.id)
    return ids


async def test_two_processes_leasing_at_once_split_the_due_sources(store, other):
    ids = await _sources(store, 40)
    a, b = await asyncio.gather(store.lease_due_sources("a:1", at(1), at(121), limit=25),
                                other.lease_due_sources("b:2", at(1), at(121), limit=25))
    got_a, got_b = {s.id for s in a}, {s.id for s in b}
    assert not got_a & got_b
    assert got_a | got_b == set(ids)
    assert {s.lease_owner for s in a} == {"a:1"} and {s.lease_until for s in b} == {at(121)}
    assert await store.lease_due_sources("c:3", at(2), at(122)) == []


async def test_a_dead_holders_sources_go_to_another_after_expiry(store, other):
    ids = await _sources(store, 3)
    assert [s.id for s in await store.lease_due_sources("a:1", at(1), at(121))] == ids
    assert await other.lease_due_sources("b:2", at(60), at(180)) == []  # still held
    taken = await other.lease_due_sources("b:2", at(121), at(241))  # a:1 died: its leases expired
    assert [s.id for s in taken] == ids


async def test_finishing_a_fetch_gives_the_lease_back(store):
    (sid,) = await _sources(store, 1)
    await store.lease_due_sources("a:1", at(1), at(121))
    await store.update_source(sid, next_fetch_at=at(600), etag='"x"')
    src = await store.get_source(sid)
    assert (src.lease_owner, src.lease_until, src.etag) == (None, None, '"x"')
    await store.lease_due_sources("a:1", at(600), at(720))
    assert await store.release_sources("a:1") == 1
    assert (await store.get_source(sid)).lease_owner is None


async def test_named_lease_has_one_holder_until_it_expires(store, other):
    assert await store.take_lease("outbox:slack", "a:1", at(0), at(30))
    assert not await other.take_lease("outbox:slack", "b:2", at(10), at(40))
    assert await store.take_lease("outbox:slack", "a:1", at(20), at(50))  # renewal
    assert not await other.take_lease("outbox:slack", "b:2", at(49), at(79))
    assert await other.take_lease("outbox:slack", "b:2", at(50), at(80))  # a:1 stopped renewing
    assert (await store.lease_holders())["outbox:slack"] == ("b:2", at(80))
    assert not await store.take_lease("outbox:slack", "a:1", at(60), at(90))
    await other.drop_lease("outbox:slack", "b:2")
    assert await store.take_lease("outbox:slack", "a:1", at(61), at(91))


async def test_racing_for_one_named_lease_gives_exactly_one_holder(store, other):
    won = await asyncio.gather(*(s.take_lease("digest", f"p:{i}", at(0), at(30))
                                 for i, s in enumerate([store, other, store, other])))
    assert sum(won) == 1


async def test_claim_added_in_one_process_reaches_the_others_judge_within_5s(store, other):
    judge = JudgeService(load_judge(NO_MODEL))
    follower = asyncio.create_task(judge.follow_claims(other, interval_s=0.2))
    try:
        before = await store.claims_version()
        claim = await store.add_claim("The harbour bridge closed to lorries after the inspection")
        assert await store.claims_version() == before + 1
        started = time.monotonic()
        while not any(v.claim_id == str(claim.id) for vs in await judge.match(
                ["The harbour bridge closed to lorries after the inspection, officials said."]) for v in vs):
            assert time.monotonic() - started < 5, "claim never reached the other process's judge"
            await asyncio.sleep(0.1)
        await store.remove_claim(claim.id)
        started = time.monotonic()
        while judge._claims:
            assert time.monotonic() - started < 5
            await asyncio.sleep(0.1)
    finally:
        follower.cancel()
        judge.close()


async def test_store_reconnects_after_the_server_drops_its_connection(pg_url, pg_server):
    import psycopg

    store = Store(pg_url)
    await store.open()
    try:
        pid = await store.run(lambda: store.db.execute("SELECT pg_backend_pid()").fetchone()[0])
        with psycopg.connect(pg_server.url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        claim = await store.add_claim("A claim written after the connection was cut")  # reconnects first
        assert [c.text for c in await store.list_claims()] == [claim.text]
    finally:
        await store.close()
