"""What a handler gets: neutral facts about the caller and the services it may use."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from bot.platform import Actor
from bot.sources.ssrf import Policy

if TYPE_CHECKING:
    from bot.config import FileConfig
    from bot.judging import JudgeService
    from storage import HandlerStore


@dataclass(slots=True)
class Moderators:
    """Who may change claims and sources, per platform."""

    users: dict[str, set[str]] = field(default_factory=dict)  # platform -> user ids
    roles: dict[str, set[str]] = field(default_factory=dict)  # platform -> role / user-group ids
    admins: set[str] = field(default_factory=set)  # platforms where workspace admins count

    def allows(self, actor: Actor) -> bool:
        """True when the actor is a configured moderator on their platform."""
        if actor.user_id in self.users.get(actor.platform, set()):
            return True
        if set(actor.roles) & self.roles.get(actor.platform, set()):
            return True
        return actor.is_admin and actor.platform in self.admins


@dataclass(slots=True)
class Services:
    """Long-lived services shared by every command."""

    store: HandlerStore
    judge: JudgeService
    moderators: Moderators
    http: httpx.AsyncClient | None = None
    default_interval_s: int = 600
    on_change: list = field(default_factory=list)  # callbacks run after claims or sources change
    tasks: set[asyncio.Task] = field(default_factory=set)
    # URLs typed in chat: strict in production; tests widen it to reach 127.0.0.1 explicitly.
    chat_fetch_policy: Policy = field(default_factory=Policy)
    # URL -> Store.add_source arguments of every source the TOML file in force declares (bot.seed
    # config_sources), so /source add restores one a moderator removed, whatever its kind.
    config_sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        """Run work after the reply; keep a reference so the task is not garbage-collected."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task


@dataclass(slots=True)
class Context:
    """One command invocation."""

    services: Services
    actor: Actor
    channel: str
    audit_target: str = ""  # what the audit row names, when the arguments alone do not say (a source's URL)

    @property
    def store(self) -> HandlerStore:
        """The store."""
        return self.services.store

    @property
    def is_moderator(self) -> bool:
        """Whether the caller may change claims and sources."""
        return self.services.moderators.allows(self.actor)

    @property
    def who(self) -> str:
        """The caller as platform:user for audit and created_by."""
        return f"{self.actor.platform}:{self.actor.user_id}"

    @property
    def caller_name(self) -> str:
        """The caller as replies name them: display name, else user id."""
        return self.actor.display_name or self.actor.user_id


def moderators_from(cfg: FileConfig) -> Moderators:
    """The moderator policy the handlers enforce, from the [moderators] section."""
    m = cfg.moderators
    return Moderators(
        users={"console": set(m.console), "slack": set(m.slack_users), "discord": set(m.discord_users)},
        roles={"slack": set(m.slack_usergroups), "discord": set(m.discord_roles)},
        admins={"slack"} if m.slack_admins else set(),
    )
