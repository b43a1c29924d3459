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
    """An inbound slash command: `/claim status 3` is group 'claim', text 'status 3'.

    `values` holds named options where the platform has them (Discord); the text then only names the
    command and shows the call (for the length limit and the audit log), and the values are read instead.
    """

    group: str
    text: str
    actor: Actor
    channel: str
    values: dict[str, str] | None = None


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


@dataclass(frozen=True, slots=True)
class Quote:
    """One statement an alert quotes: its words, who said it and its own stance toward the claim."""

    text: str
    speaker: str | None = None
    stance: str | None = None


@dataclass(slots=True)
class OutboundMessage:
    """A neutral alert message each adapter renders (Block Kit, embed, plain text).

    kind="update" is an edit of an alert already posted: `edit_of` is that alert's id and
    `edit_message_id` the platform message id its delivery recorded (DeliveryReceipt.message_id),
    so adapters can edit in place (Slack chat.update, Discord message edit) and post a new message
    only where they cannot. Updates carry the full, current payload of the original (render them
    as that statement alert, for example now with "also carried by ..." after syndicated copies
    were folded into it).
    `quotes` are the statements that decided a statement alert, most decisive first (`text` and
    `speaker` repeat the first); alerts stored before quotes existed have none.
    `escalation` names why an alert bypassed the channel's policy (first official source on a side,
    a conflicting figure, a moderator's status change); adapters may highlight it.
    `maybe_sent` is set when an earlier attempt to deliver this (alert, destination) began but no
    outcome was recorded (a crash or kill between the platform's answer and the outbox's record):
    an adapter that can look should search for its message (`dedupe_key`, stable per alert and
    destination, posted no earlier than `first_attempt_at`, ISO 8601) and return that message's
    receipt instead of posting again. Adapters that cannot look post again and say so in their docs.
    """

    alert_id: int
    kind: str  # statement | conflict | status | source_paused | digest | update
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
    also_carried_by: list[str] = field(default_factory=list)
    escalation: str | None = None
    edit_of: int | None = None
    edit_message_id: str | None = None
    maybe_sent: bool = False
    dedupe_key: str = ""
    first_attempt_at: str | None = None
    quotes: list[Quote] = field(default_factory=list)


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
