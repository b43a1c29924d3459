"""/claim alerts: show or change how this channel gets alerts, channel-wide or for one claim."""

from __future__ import annotations

from bot.platform import Reply
from bot.policy import describe, parse_changes, resolve
from handlers.context import Context
from handlers.errors import UsageError
from handlers.parsing import claim_by_id

USAGE_HINT = ("Settings: min=0.7 stances=supports,refutes|all mode=instant|hourly|daily@08:00 "
              "quiet=22:00-07:00|off rate=10/1h|off tz=Europe/Berlin, or reset.")
ALWAYS = ("Always alerted whatever the settings: the first official source on a side, "
          "a conflicting figure, a moderator's status change.")


async def alerts(ctx: Context, args: str) -> Reply:
    """Show this channel's alert settings, or (moderators) change them for the channel or one claim."""
    words = args.split()
    platform, channel = ctx.actor.platform, ctx.channel
    if not words or words == ["show"]:
        return await _show(ctx)
    target = words[0].lower()
    claim_id = None if target == "all" else (await claim_by_id(ctx, words[0])).id
    rest = words[1:]
    scope = "this channel" if claim_id is None else f"claim #{claim_id} in this channel"
    if not rest or rest == ["show"]:
        chan, claim = await ctx.store.policy_settings(platform, channel, claim_id)
        return Reply(f"Alerts for {scope}: {describe(resolve(chan, claim))}.\n{ALWAYS}")
    if not ctx.is_moderator:
        await ctx.store.audit(platform, ctx.actor.user_id, "/claim alerts", args, False, "refused: not a moderator")
        return Reply("Only moderators can change alert settings.", ok=False)
    if rest == ["reset"]:
        cleared = await ctx.store.clear_policy(platform, channel, claim_id)
        detail = "reset" if cleared else "nothing to reset"
    else:
        try:
            changes = parse_changes(rest)
        except ValueError as exc:
            raise UsageError(f"{exc}. {USAGE_HINT}") from None
        await ctx.store.set_policy_settings(platform, channel, claim_id, changes, ctx.who)
        detail = " ".join(rest)
    await ctx.store.audit(platform, ctx.actor.user_id, "/claim alerts", args, True, detail)
    chan, claim = await ctx.store.policy_settings(platform, channel, claim_id)
    return Reply(f"Alerts for {scope} ({detail}): {describe(resolve(chan, claim))}.", ephemeral=False)


async def _show(ctx: Context) -> Reply:
    stored = await ctx.store.channel_policies(ctx.actor.platform, ctx.channel)
    chan = stored.get(0, {})
    lines = [f"Alerts in this channel: {describe(resolve(chan, {}))}."]
    for claim_id, settings in stored.items():
        if claim_id:
            lines.append(f"  claim #{claim_id}: {describe(resolve(chan, settings))}")
    lines.append(ALWAYS)
    lines.append("Change: /claim alerts <id|all> " + USAGE_HINT)
    return Reply("\n".join(lines))
