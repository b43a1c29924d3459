"""Who is calling: a Slack user turned into a neutral Actor with user groups and admin status."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.platform import Actor

log = logging.getLogger(__name__)

CACHE_S = 60.0  # membership changes show up within a minute without a lookup per command


class PeopleDirectory:
    """Looks up user-group membership and admin flags, only when the moderator policy needs them."""

    def __init__(
        self, client: AsyncWebClient, usergroups: Sequence[str], check_admins: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.usergroups = tuple(usergroups)
        self.check_admins = check_admins
        self.clock = clock
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._admins: dict[str, tuple[float, bool]] = {}

    async def actor(self, user_id: str, display_name: str = "") -> Actor:
        """The Actor for a Slack user; a failed lookup grants nothing extra."""
        roles = []
        for group in self.usergroups:
            if user_id in await self._members(group):
                roles.append(group)
        is_admin = await self._is_admin(user_id) if self.check_admins else False
        return Actor(platform="slack", user_id=user_id, display_name=display_name or user_id,
                     roles=tuple(roles), is_admin=is_admin)

    async def _members(self, group: str) -> frozenset[str]:
        hit = self._groups.get(group)
        if hit and self.clock() - hit[0] < CACHE_S:
            return hit[1]
        try:
            resp = await self.client.usergroups_users_list(usergroup=group)
            members = frozenset(resp.get("users") or [])
        except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("could not list members of Slack user group %s: %s", group, _reason(exc))
            return hit[1] if hit else frozenset()
        self._groups[group] = (self.clock(), members)
        return members

    async def _is_admin(self, user_id: str) -> bool:
        hit = self._admins.get(user_id)
        if hit and self.clock() - hit[0] < CACHE_S:
            return hit[1]
        try:
            resp = await self.client.users_info(user=user_id)
            user = resp.get("user") or {}
            admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("could not look up Slack user %s: %s", user_id, _reason(exc))
            return hit[1] if hit else False
        self._admins[user_id] = (self.clock(), admin)
        return admin


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "error"))
    return type(exc).__name__
