"""Which process holds what: one identity per process, and how long each kind of lease lasts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)

# host:pid names the holder in the log and in /source list; unique while the process lives.
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}"

# Defaults; [bot] lease sets both. A source's lease must outlast its fetch, judge and store.
SOURCE_LEASE_S = 60.0
OUTBOX_LEASE_S = 60.0  # renewed before every send and every pass
GATEWAY_LEASE_S = 20.0  # Discord's one gateway session (at most; [bot] lease if shorter)
GATEWAY_RENEW_S = 5.0  # at most; a quarter of the lease if that is shorter


def iso(t: datetime) -> str:
    """Lease times: UTC ISO-8601 to the millisecond (whole seconds would cut a lease short by up to
    one); they still compare as text with the seconds-only times of other columns."""
    return t.isoformat(timespec="milliseconds")


def until(now: datetime, seconds: float) -> str:
    """A lease expiry `seconds` after `now`."""
    return iso(now + timedelta(seconds=seconds))


class LostLease(RuntimeError):
    """Another process took a lease this one still needed (it stalled past the expiry)."""


async def serve_while_holding(store: Any, name: str, owner: str, serve: Callable[[], Awaitable[None]],
                              held: asyncio.Event | None = None, lease_s: float | None = None) -> None:
    """Wait for the named lease, then run `serve` while renewing it; LostLease if it is taken.

    Discord allows one gateway session per bot: every process runs this, one serves, the others wait
    and take over within GATEWAY_LEASE_S + GATEWAY_RENEW_S (25 s) of the holder's death.
    """
    lease_s = GATEWAY_LEASE_S if lease_s is None else lease_s
    renew_s = min(GATEWAY_RENEW_S, lease_s / 4)
    waited = False
    while not await store.take_lease(name, owner, iso(_now()), until(_now(), lease_s)):
        if not waited:
            holder = (await store.lease_holders()).get(name, ("?", ""))[0]
            log.info("%s waits for %s (held by %s)", owner, name, holder)
            waited = True
        await asyncio.sleep(renew_s)
    log.info("%s holds %s", owner, name)
    if held is not None:
        held.set()
    task = asyncio.create_task(serve())
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=renew_s)
            if not task.done() and not await store.take_lease(name, owner, iso(_now()),
                                                              until(_now(), lease_s)):
                raise LostLease(f"{owner} lost {name} to another process")
        await task
    finally:
        if held is not None:
            held.clear()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(Exception):
            await store.drop_lease(name, owner)


def _now() -> datetime:
    return datetime.now(UTC)
