"""Which process holds what: one identity per process, and how long each kind of lease lasts."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

# host:pid names the holder in the log and in /source list; unique while the process lives.
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}"

SOURCE_LEASE_S = 120.0  # longer than one source's fetch, judge and store; a dead holder's expire then
OUTBOX_LEASE_S = 30.0  # renewed before every send; a dead deliverer's platform moves on within this
GATEWAY_LEASE_S = 20.0  # Discord's one gateway session: renewed every GATEWAY_RENEW_S
GATEWAY_RENEW_S = 5.0


def iso(t: datetime) -> str:
    """The stored time format (UTC ISO-8601, seconds)."""
    return t.isoformat(timespec="seconds")


def until(now: datetime, seconds: float) -> str:
    """A lease expiry `seconds` after `now`."""
    return iso(now + timedelta(seconds=seconds))
