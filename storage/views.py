"""Narrow views of the store: what each outer layer may read and write, as typing protocols."""

from __future__ import annotations

from typing import Protocol

from bot.models import Claim, Source


class AdapterStore(Protocol):
    """What the Slack and Discord adapters use: threads for alerts, and lookups for choices and buttons."""

    async def get_claim(self, claim_id: int) -> Claim | None:
        """A live claim by id."""

    async def list_claims(self) -> list[Claim]:
        """Every live claim (autocomplete)."""

    async def list_sources(self) -> list[Source]:
        """Every source (autocomplete)."""

    async def stance_counts(self, claim_id: int) -> dict[str, int]:
        """Counted statements per stance (a claim's summary line)."""

    async def get_thread(self, platform: str, channel: str, claim_id: int) -> str | None:
        """The thread holding a claim's alerts in a channel."""

    async def set_thread(self, platform: str, channel: str, claim_id: int, thread_id: str) -> None:
        """Remember that thread."""
