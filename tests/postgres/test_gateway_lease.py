"""Discord's one gateway session: held by one process through a lease, taken over when it lapses."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot import leases
from bot.durations import show_time
from bot.leases import LostLease, iso, serve_while_holding

pytestmark = pytest.mark.both_backends


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setattr(leases, "GATEWAY_LEASE_S", 1.0)
    monkeypatch.setattr(leases, "GATEWAY_RENEW_S", 0.2)


async def _forever(started: list[str], who: str) -> None:
    started.append(who)
    await asyncio.Event().wait()


async def test_standby_takes_over_within_lease_plus_renewal_of_the_holders_death(store):
    now = datetime.now(UTC)
    # Process a:1 held the gateway and died: its lease is no longer renewed.
    assert await store.take_lease("gateway:discord", "a:1", iso(now), iso(now + timedelta(seconds=1)))
    started: list[str] = []
    held = asyncio.Event()
    t0 = time.monotonic()
    task = asyncio.create_task(serve_while_holding(store, "gateway:discord", "b:2",
                                                   lambda: _forever(started, "b:2"), held))
    await asyncio.wait_for(held.wait(), 5)
    assert time.monotonic() - t0 <= 1.0 + 0.2 + 1.0  # lease + one renewal period (+ whole-second times)
    await asyncio.sleep(0.3)
    assert started == ["b:2"]
    assert (await store.lease_holders())["gateway:discord"][0] == "b:2"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "gateway:discord" not in await store.lease_holders()  # a clean stop hands it over at once


async def test_only_one_of_two_processes_serves(store):
    started: list[str] = []
    a = asyncio.create_task(serve_while_holding(store, "gateway:discord", "a:1", lambda: _forever(started, "a")))
    await asyncio.sleep(0.3)
    b = asyncio.create_task(serve_while_holding(store, "gateway:discord", "b:2", lambda: _forever(started, "b")))
    await asyncio.sleep(1.5)  # past a lease: a:1 keeps renewing
    assert started == ["a"]
    a.cancel()
    await asyncio.sleep(1.0)
    assert started == ["a", "b"]
    b.cancel()
    await asyncio.gather(a, b, return_exceptions=True)


async def test_holder_that_loses_its_lease_stops_serving(store):
    started: list[str] = []
    task = asyncio.create_task(serve_while_holding(store, "gateway:discord", "a:1",
                                                   lambda: _forever(started, "a")))
    await asyncio.sleep(0.3)
    await store.drop_lease("gateway:discord", "a:1")  # as if it stalled past expiry and b:2 took it
    now = datetime.now(UTC)
    assert await store.take_lease("gateway:discord", "b:2", iso(now), iso(now + timedelta(seconds=30)))
    with pytest.raises(LostLease):
        await asyncio.wait_for(task, 3)


async def test_source_list_names_the_lease_holders(store, chat):
    src = await store.add_source("http://127.0.0.1:9/feed.xml", label="Wire")
    now = datetime.now(UTC)
    await store.lease_due_sources("host-a:41", iso(now), iso(now + timedelta(seconds=60)))
    await store.take_lease("outbox:console", "host-b:42", iso(now), iso(now + timedelta(seconds=60)))
    text = (await chat("/source list")).text
    assert f"#{src.id}" in text and "being fetched by host-a:41" in text
    assert "Leases: outbox:console by host-b:42 until" in text


async def test_lease_times_are_shown_in_the_channels_zone(store, chat):
    """Lease ends read like every other time: in the zone the channel set, named, to the second."""
    await store.add_source("http://127.0.0.1:9/feed.xml", label="Wire")
    now = datetime.now(UTC).replace(microsecond=0)
    until = now + timedelta(seconds=60)
    await store.lease_due_sources("host-a:41", iso(now), iso(until))
    await store.take_lease("outbox:console", "host-b:42", iso(now), iso(until))
    for tz, zone in (("", "UTC"), ("Asia/Kolkata", "IST")):
        if tz:
            assert (await chat(f"/claim alerts tz={tz}")).ok
        shown = show_time(iso(until), tz or "UTC", seconds=True)
        assert shown.endswith(f":{until:%S} {zone}")
        text = (await chat("/source list")).text
        assert f"being fetched by host-a:41 (lease until {shown})" in text
        assert f"Leases: outbox:console by host-b:42 until {shown}" in text
        assert "+00:00" not in text
