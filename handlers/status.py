"""Render `/claim status`: one screen on where a claim stands, with a timeline chart attached."""

from __future__ import annotations

import asyncio

from bot.ledger.chart import timeline_png
from bot.ledger.conflicts import fmt_value
from bot.ledger.model import SIDE_NAMES, Ledger, Side
from bot.ledger.service import load_ledger
from bot.models import Claim
from bot.platform import Reply
from bot.text import clip
from handlers.context import Context
from handlers.shown import channel_tz, quote, show_time, shown_link

MAX_CONFLICTS = 5
KEY_VOICES = {"supports": 3, "refutes": 3, "neutral": 2}
MAX_LINE = 160  # a status line fits one line of a chat window; links go on their own line
KIND_NAMES = {"official": "official", "state_media": "state media", "independent": "independent",
              "social": "social", "unknown": "unknown"}


def _tally(counts: dict[str, int]) -> str:
    return f"+{counts.get('supports', 0)} -{counts.get('refutes', 0)} ~{counts.get('neutral', 0)}"


def _side_lines(side: Side, tz: str) -> list[str]:
    if not side.count:
        return []
    head = f"{SIDE_NAMES[side.stance].capitalize()} ({side.count}"
    if side.first:
        head += f"; first {show_time(side.first.at, tz)} {side.first.speaker or side.first.source_label}"
    lines = [clip(head, MAX_LINE - 2) + "):"]
    for v in side.voices[: KEY_VOICES[side.stance]]:
        role = f", {v.role}" if v.role and v.role.lower() not in v.name.lower() else ""
        outlets = ", ".join(o for o, _ in v.outlets.most_common(2))
        latest = v.latest
        assert latest is not None
        # the speaker and outlets give way to a long name; the count and the time are never cut
        who = (clip(f"  - {v.name}{role} [via {outlets}]", 72)
               + f" {v.count}x, latest {show_time(latest.at, tz)}: ")
        lines.append(who + quote(latest.text, max(40, MAX_LINE - len(who) - 2)))
        if latest.url:
            lines.append(f"    {shown_link(latest.url)}")
    more = len(side.voices) - KEY_VOICES[side.stance]
    if more > 0:
        lines.append(f"  … {more} more voice(s): /claim evidence {{id}} {side.stance}")
    return lines


def status_text(ledger: Ledger, possible: int = 0, tz: str = "UTC") -> str:
    """The text of the status screen in zone `tz`; `possible` unreviewed possible matches are shown apart."""
    c = ledger.claim
    s = ledger.by_stance
    lines = [
        f"Claim #{c.id}: {c.text}",
        *(["No longer watched (removed); its history is kept. /claim add it again to watch it."] if c.removed else []),
        clip(f"Status: {c.status}" + (f" ({c.note})" if c.note else ""), MAX_LINE),
        f"Statements: {ledger.total} (supports {s.get('supports', 0)}, refutes {s.get('refutes', 0)}, "
        f"neutral {s.get('neutral', 0)})",
    ]
    if possible:
        lines.append(f"{possible} possible match{'es' if possible != 1 else ''} awaiting review "
                     f"(/claim possible {c.id})")
    if not ledger.total:
        lines.append("No statements about this claim yet.")
        return "\n".join(lines)
    lines.append("By source: " + " · ".join(
        f"{KIND_NAMES.get(k, k)} {_tally(v)}" for k, v in ledger.by_kind.items()))
    lines.append(f"First seen {show_time(ledger.first_seen, tz)}, last activity {show_time(ledger.last_activity, tz)}")
    conf = ledger.confirmation
    lines.append(clip(f"Independent confirmation: {'yes' if conf.confirmed else 'no'} ({conf.reason})", MAX_LINE))
    lines.append(f"Trend: {ledger.trend}")
    for stance in ("supports", "refutes", "neutral"):
        lines.extend(line.replace("{id}", str(c.id)) for line in _side_lines(ledger.sides[stance], tz))
    if ledger.conflicts:
        lines.append(f"Conflicting figures ({len(ledger.conflicts)}):")
        for k in ledger.conflicts[-MAX_CONFLICTS:]:
            first, then = sorted((k.a, k.b), key=lambda st: (st.at, st.statement_id))
            v_first = k.value_a if first is k.a else k.value_b
            v_then = k.value_b if first is k.a else k.value_a
            lines.append(clip(
                f"  - {k.label}: {fmt_value(v_first)} ({first.speaker or first.source_label}, "
                f"{show_time(first.at, tz)}) vs {fmt_value(v_then)} ({then.speaker or then.source_label}, "
                f"{show_time(then.at, tz)})", MAX_LINE))
        if len(ledger.conflicts) > MAX_CONFLICTS:
            lines.append(f"  … {len(ledger.conflicts) - MAX_CONFLICTS} earlier conflict(s): /claim export {c.id}")
    else:
        lines.append("Conflicting figures: none found")
    return "\n".join(lines)


def chart_title(claim: Claim) -> str:
    """The chart's title: which claim it is about, in its own words."""
    return f"Claim #{claim.id}: {' '.join(claim.text.split())}"


async def render_status(ctx: Context, claim: Claim, chart: bool = True) -> Reply:
    """One screen on where the claim stands; the timeline PNG rides along as the reply's image."""
    ledger, _ = await load_ledger(ctx.store, claim)
    tz = await channel_tz(ctx)
    reply = Reply(status_text(ledger, await ctx.store.possible_count(claim.id), tz))
    if chart and ledger.total:
        # Rendering takes tens of milliseconds of CPU: keep it off the event loop.
        reply.image = await asyncio.to_thread(timeline_png, ledger.daily, chart_title(claim))
        reply.image_name = f"claim-{claim.id}-timeline.png"
        reply.text += "\nTimeline: statements per day by stance (chart attached)."
    return reply
