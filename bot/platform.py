"""The Platform protocol and the neutral command, reply and message types adapters translate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(slots=True)
class Actor:
    """Who sent a command, in neutral terms."""

    platform: str
    user_id: str
    display_name: str = ""
    roles: tuple[str, ...] = ()
    is_admin: bool = False


@dataclass(slots=True)
class Command:
    """An inbound slash command: `/claim status 3` is group 'claim', text 'status 3'."""

    group: str
    text: str
    actor: Actor
    channel: str


@dataclass(slots=True)
class Reply:
    """A handler's answer; adapters render it."""

    text: str
    ok: bool = True
    ephemeral: bool = True
    image: bytes | None = None
    image_name: str | None = None
    attachments: dict[str, bytes] = field(default_factory=dict)


@dataclass(slots=True)
class Destination:
    """Where an alert goes."""

    platform: str
    channel: str


@dataclass(slots=True)
class OutboundMessage:
    """A neutral alert message each adapter renders (Block Kit, embed, plain text)."""

    alert_id: int
    kind: str  # statement | conflict | status | source_paused | digest
    title: str
    text: str
    stance: str | None = None
    claim_id: int | None = None
    claim_text: str = ""
    speaker: str | None = None
    source: str | None = None
    link: str | None = None
    published_at: str | None = None
    outlets: int = 1
    fields: list[tuple[str, str]] = field(default_factory=list)
    image: bytes | None = None


@dataclass(slots=True)
class DeliveryReceipt:
    """What the platform said about a delivered message."""

    platform: str
    channel: str
    message_id: str = ""
    thread_id: str | None = None


class DeliveryError(Exception):
    """A delivery that failed; `retry_after` asks the outbox to wait before retrying."""

    def __init__(self, reason: str, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


Dispatch = Callable[[Command], Awaitable[Reply]]


class Platform(Protocol):
    """A chat platform: serve inbound commands until cancelled; deliver outbound alerts."""

    name: str

    async def serve(self, dispatch: Dispatch) -> None: ...

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt: ...
