"""A clock tests move by hand, so retry delays, digests and quiet hours pass with no real waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Callable like `datetime.now(UTC)`; starts now (or at `start`) and moves only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)
