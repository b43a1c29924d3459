"""The Platform protocol and the neutral command, reply and message types adapters translate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.alert_types import Alert, Edit
from bot.alert_types import Quote as Quote  # re-exported: the neutral types adapters import


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
class Attempt:
    """How one delivery of an alert is going, kept apart from what the alert says.

    `maybe_sent` is set when an earlier attempt to deliver this (alert, destination) began but no
    outcome was recorded (a crash or kill between the platform's answer and the outbox's record):
    an adapter that can look should search for its message (`dedupe_key`, stable per alert and
    destination, posted no earlier than `first_attempt_at`, ISO 8601) and return that message's
    receipt instead of posting again. Adapters that cannot look post again and say so in their docs.
    """

    dedupe_key: str = ""
    maybe_sent: bool = False
    first_attempt_at: str | None = None


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One alert on its way to one destination; each adapter renders `content` by its type.

    `content` is an alert (`bot.alert_types`), or an `Edit` of one already posted: adapters edit
    that message in place (Slack chat.update, Discord message edit) and post `Edit.alert` as a new
    message only where they cannot. `escalation` names why the gate let it bypass the channel's
    policy (first official source on a side, a conflicting figure, a moderator's status change).
    `attempt` is this delivery's state; `image` an optional picture adapters upload with the post.
    """

    alert_id: int
    content: Alert | Edit
    escalation: str | None = None
    attempt: Attempt = Attempt()
    image: bytes | None = None

    @property
    def alert(self) -> Alert:
        """What the message shows: the alert itself, or the current content of the one an edit replaces."""
        return self.content.alert if isinstance(self.content, Edit) else self.content

    @property
    def edit(self) -> Edit | None:
        """The edit envelope, when this message replaces one already posted."""
        return self.content if isinstance(self.content, Edit) else None

    @property
    def target_id(self) -> int:
        """The alert that buttons and reviews act on: an edit stands for the alert it edits."""
        return self.content.of if isinstance(self.content, Edit) else self.alert_id

    @property
    def claim_id(self) -> int | None:
        """The claim the message is about, if any (threads are per claim)."""
        return self.alert.claim_id


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
