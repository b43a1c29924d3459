"""/claim alerts: show or change how this channel gets alerts, channel-wide or for one claim.

Who may change them is the command table's business (`changes_settings`), not this handler's.
"""

from __future__ import annotations

from bot.platform import Reply
from bot.policy import describe, parse_changes, resolve
from handlers.context import Context
from handlers.errors import UsageError
from handlers.parsing import claim_by_id

USAGE_HINT = ("Settings: min=0.7 stances=supports,refutes|all mode=instant|hourly|daily@08:00 "
              "quiet=22:00-07:00|off rate=10/1h|10/hour|off tz=Europe/Berlin, or reset.")
ALWAYS = ("Always alerted whatever the settings: the first official source on a side, "
          "a conflicting figure, a moderator's status change.")


def _is_target(word: str) -> bool:
    """'all', or something meant as a claim id ('12', '#12', '0', '²' go to the id parser for their reason)."""
    return word.lower() == "all" or word.lstrip("#").isdigit()


def _split(args: str) -> tuple[str | None, list[str]]:
    """(target word or None for the whole channel, the setting words)."""
    words = args.split()
    if words and _is_target(words[0]):
        return words[0], words[1:]
    return None, words


def changes_settings(args: str) -> bool:
    """True when this call changes settings (and so needs a moderator); showing them is public."""
    _, rest = _split(args)
    return bool(rest) and rest != ["show"]


async def alerts(ctx: Context, args: str) -> Reply:
    """Show this channel's alert settings, or change them for the channel or one claim."""
    platform, channel = ctx.actor.platform, ctx.channel
    target, rest = _split(args)
    if target is None and (not rest or rest == ["show"]):
        return await _show(ctx)
    claim_id = None if target is None or target.lower() == "all" else (await claim_by_id(ctx, target)).id
    scope = "this channel" if claim_id is None else f"claim #{claim_id} in this channel"
    if not rest or rest == ["show"]:
        chan, claim = await ctx.store.policy_settings(platform, channel, claim_id)
        return Reply(f"Alerts for {scope}: {describe(resolve(chan, claim))}.\n{ALWAYS}")
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
    lines.append("Change: /claim alerts [<id>|all] " + USAGE_HINT)
    return Reply("\n".join(lines))
