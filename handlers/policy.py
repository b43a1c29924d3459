"""/claim alerts: show or change how this channel gets alerts, channel-wide or for one claim.

Who may change them is the command table's business (`changes_settings`), not this handler's.
"""

from __future__ import annotations

from typing import Any

from bot.models import Claim
from bot.platform import Reply
from bot.policy import describe, parse_changes, resolve
from handlers.context import Context
from handlers.errors import UsageError

USAGE_HINT = ("Settings: min=0.7 stances=supports,refutes|all mode=instant|hourly|daily@08:00 "
              "quiet=22:00-07:00|off rate=10/1h|10/hour|off tz=Europe/Berlin, or reset.")
ALWAYS = ("Always alerted whatever the settings: the first official source on a side, "
          "a conflicting figure, a moderator's status change.")


def changes_settings(values: dict[str, Any]) -> bool:
    """True when this call changes settings (and so needs a moderator); showing them is public."""
    settings = values["settings"]
    return bool(settings) and list(settings) != ["show"]


async def alerts(ctx: Context, claim: Claim | str | None = None, settings: tuple[str, ...] = ()) -> Reply:
    """Show this channel's alert settings, or change them for the channel (all) or one claim."""
    platform, channel = ctx.actor.platform, ctx.channel
    rest = list(settings)
    if claim is None and (not rest or rest == ["show"]):
        return await _show(ctx)
    claim_id = claim.id if isinstance(claim, Claim) else None
    scope = "this channel" if claim_id is None else f"claim #{claim_id} in this channel"
    if not rest or rest == ["show"]:
        chan, per_claim = await ctx.store.policy_settings(platform, channel, claim_id)
        return Reply(f"Alerts for {scope}: {describe(resolve(chan, per_claim))}.\n{ALWAYS}")
    if [w.lower() for w in rest] == ["reset"]:
        cleared = await ctx.store.clear_policy(platform, channel, claim_id)
        detail = "reset" if cleared else "nothing to reset"
    else:
        try:
            changes = parse_changes(rest)
        except ValueError as exc:
            raise UsageError(f"{exc}. {USAGE_HINT}") from None
        await ctx.store.set_policy_settings(platform, channel, claim_id, changes, ctx.who)
        detail = " ".join(rest)
    chan, per_claim = await ctx.store.policy_settings(platform, channel, claim_id)
    return Reply(f"Alerts for {scope} ({detail}): {describe(resolve(chan, per_claim))}.", ephemeral=False)


async def _show(ctx: Context) -> Reply:
    stored = await ctx.store.channel_policies(ctx.actor.platform, ctx.channel)
    chan = stored.get(0, {})
    lines = [f"Alerts in this channel: {describe(resolve(chan, {}))}."]
    for claim_id, settings in stored.items():
        if claim_id:
            lines.append(f"  claim #{claim_id}: {describe(resolve(chan, settings))}")
    lines.append(ALWAYS)
    lines.append("Change: /claim alerts [<id>|all] " + USAGE_HINT)
    return Reply("\n".join(lines))
