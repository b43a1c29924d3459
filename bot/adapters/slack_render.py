"""Slack rendering: escaping, safe links, text splitting and Block Kit for alerts and replies."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from bot.durations import show_time
from bot.links import shown_link
from bot.platform import OutboundMessage, Quote
from bot.text import STANCE_LABEL, clip

Block = dict[str, Any]

SECTION_LIMIT = 2900  # Slack refuses section text over 3000 characters
BLOCKS_PER_MESSAGE = 5  # keeps each reply message well under Slack's 50-block and 40k-char limits
FALLBACK_LIMIT = 300  # the notification text; the blocks carry the full content
CLAIM_LIMIT = 500
QUOTE_LIMIT = 2500
QUOTES_LIMIT = 800  # each quote when an alert quotes several statements
MAX_ALERT_SECTIONS = 10  # a digest longer than ~29k characters is cut, staying under Slack's 40k

STANCE_EMOJI = {"supports": ":large_green_circle:", "refutes": ":red_circle:", "neutral": ":white_circle:"}
KIND_EMOJI = {"conflict": ":warning:", "status": ":pushpin:", "source_paused": ":double_vertical_bar:",
              "digest": ":newspaper:"}

ACTION_MUTE = "claimwatch_mute"
ACTION_REVIEW = "claimwatch_review"
ACTION_STATUS = "claimwatch_status"
ACTION_REJECT = "claimwatch_reject"  # "Not about this claim" (moderators)
ACTION_STANCE = "claimwatch_stance"  # "Wrong stance": a select whose option values are "<alert id>:<stance>"

# Bare @channel/@here/@everyone: a word joiner after "@" keeps them from ever becoming mentions.
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_URL = re.compile(r"https?://[^\s<>\"]+")


def escape(text: str) -> str:
    """Make untrusted text inert in mrkdwn: no <!channel>, <@U…>, <url|label> and no bare @here."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060\\1", text)


_WRAPPED_URL = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>")


def from_slack(text: str) -> str:
    """Command text as the user typed it: Slack wraps links as <url|label> and escapes &, <, >."""
    text = _WRAPPED_URL.sub(lambda m: m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL made safe inside <…|…>, or None for anything else."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Percent-encode '|', '<', '>', spaces and quotes; '&' becomes &amp; as Slack asks.
    quoted = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")
    return quoted.replace("&", "&amp;")


def link(url: str | None, label: str) -> str:
    """A mrkdwn link with an escaped label, or the escaped label alone when the URL is unsafe."""
    target = safe_url(url)
    text = escape(clip(label, 200)).replace("|", "¦")
    return f"<{target}|{text}>" if target else text


def linkify(text: str) -> str:
    """Escape text, turning http(s) URLs in it into explicit safe links."""
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        out.append(escape(text[pos:m.start()]))
        url = m.group(0).rstrip(".,;:)")
        out.append(link(url, url))
        out.append(escape(m.group(0)[len(url):]))
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _hard_split(line: str, limit: int) -> list[str]:
    """Split one over-long line so that each piece stays within `limit` once escaped."""
    pieces, cur, size = [], [], 0
    for ch in line:
        cost = len(escape(ch))
        if size + cost > limit and cur:
            pieces.append("".join(cur))
            cur, size = [], 0
        cur.append(ch)
        size += cost
    if cur:
        pieces.append("".join(cur))
    return pieces


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split raw text at line breaks into chunks whose rendered (escaped, linked) size fits `limit`."""
    chunks: list[str] = []
    cur: list[str] = []
    size = 0
    for line in text.splitlines() or [""]:
        cost = len(linkify(line)) + 1
        parts = [line] if cost <= limit else _hard_split(line, limit // 2)
        for part in parts:
            cost = len(linkify(part)) + 1
            if cur and size + cost > limit:
                chunks.append("\n".join(cur))
                cur, size = [], 0
            cur.append(part)
            size += cost
    if cur:
        chunks.append("\n".join(cur))
    return [c for c in chunks if c.strip()] or [" "]


def section(mrkdwn: str) -> Block:
    """A mrkdwn section; verbatim so Slack does not parse names or mentions in it."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn, "verbatim": True}}


def context(mrkdwn: str) -> Block:
    """A small grey line of mrkdwn."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn, "verbatim": True}]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    """A button element."""
    b: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text},
                         "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def reply_messages(text: str) -> list[tuple[str, list[Block]]]:
    """A reply as Slack messages of (fallback text, blocks), split to stay within Slack's limits."""
    sections = [section(linkify(chunk)) for chunk in split_text(text)]
    messages = []
    for i in range(0, len(sections), BLOCKS_PER_MESSAGE):
        group = sections[i : i + BLOCKS_PER_MESSAGE]
        fallback = escape(clip(text.splitlines()[0] if text.strip() else " ", FALLBACK_LIMIT))
        messages.append((fallback, group))
    return messages


def _emoji(message: OutboundMessage) -> str:
    return STANCE_EMOJI.get(message.stance or "", KIND_EMOJI.get(message.kind, ":bell:"))


def _byline(message: OutboundMessage, speaker: bool = True) -> str:
    bits = [f"— *{escape(clip(message.speaker or 'unattributed', 200))}*"] if speaker else []
    if message.source:
        src = escape(clip(message.source, 200))
        if message.outlets > 1:
            src += f", carried by {message.outlets} outlets"
        bits.append(src)
    if message.published_at:
        bits.append(escape(show_time(message.published_at)))
    also = getattr(message, "also_carried_by", None) or []
    if also:
        names = ", ".join(escape(clip(n, 80)) for n in also[:8])
        bits.append(f"also carried by {names}" + (f" and {len(also) - 8} more" if len(also) > 8 else ""))
    if message.link:
        bits.append(link(shown_link(message.link), "read the article"))
    return " · ".join(bits)


def quote_text(text: str, limit: int) -> str:
    """`text` on one line and escaped, cut (with an ellipsis) so the escaped form stays within `limit`."""
    flat = " ".join(text.split())
    out = escape(flat)
    # Clip the raw text, not the escaped form, so an entity such as &amp; is never cut in half.
    return out if len(out) <= limit else escape(_hard_split(flat, limit - 1)[0]) + "…"


def _quote_blocks(message: OutboundMessage) -> list[Block]:
    """The quoted statement(s) and the byline; several quotes each name their speaker and stance."""
    quotes = message.quotes or [Quote(message.text, message.speaker, message.stance)]
    if len(quotes) == 1:
        return [section(f"> “{quote_text(quotes[0].text, QUOTE_LIMIT)}”"), context(_byline(message))]
    blocks = []
    for q in quotes:
        who = escape(clip(q.speaker or "unattributed", 200))
        side = f" · {STANCE_EMOJI[q.stance]} _{STANCE_LABEL[q.stance]}_" if q.stance in STANCE_EMOJI else ""
        blocks.append(section(f"> “{quote_text(q.text, QUOTES_LIMIT)}”\n— *{who}*{side}"))
    byline = _byline(message, speaker=False)
    return [*blocks, context(byline)] if byline else blocks  # Slack refuses an empty context


def stance_select(alert_id: int) -> dict[str, Any]:
    """The "Wrong stance" menu: choosing a stance sets it on the alert's match."""
    options = [{"text": {"type": "plain_text", "text": f"It {label}"}, "value": f"{alert_id}:{stance}"}
               for stance, label in STANCE_LABEL.items()]
    return {"type": "static_select", "action_id": ACTION_STANCE, "options": options,
            "placeholder": {"type": "plain_text", "text": "Wrong stance…"}}


def alert_actions(message: OutboundMessage) -> Block:
    """The buttons on an alert: mute here, mark reviewed, corrections of a statement alert, status."""
    elements = []
    # An edit in place stands for the alert it edits: reviewing it reviews that one.
    target = (getattr(message, "edit_of", None) if message.kind == "update" else None) or message.alert_id
    if message.claim_id is not None:
        elements.append(button("Mute here", ACTION_MUTE, str(message.claim_id)))
    elements.append(button("Mark reviewed", ACTION_REVIEW, str(target), "primary"))
    if message.kind in ("statement", "update"):
        elements.append(button("Not about this claim", ACTION_REJECT, str(target), "danger"))
        elements.append(stance_select(target))
    if message.claim_id is not None:
        elements.append(button("Status", ACTION_STATUS, str(message.claim_id)))
    return {"type": "actions", "block_id": f"claimwatch_alert_{target}", "elements": elements}


def alert_blocks(message: OutboundMessage) -> tuple[str, list[Block]]:
    """Block Kit for one alert: stance, claim, quoted statement(s), speakers, source, outlets, time, link."""
    head = f"{_emoji(message)} *{escape(clip(message.title, 200))}*"
    if message.stance in STANCE_LABEL:
        head += f"  _{STANCE_LABEL[message.stance]}_"
    escalation = getattr(message, "escalation", None)
    if escalation:
        head = f":rotating_light: {escape(clip(escalation, 200))}\n" + head
    blocks = [section(head)]
    if message.claim_text:
        cid = f" #{message.claim_id}" if message.claim_id is not None else ""
        blocks.append(section(f"*Claim{cid}:* {escape(clip(message.claim_text, CLAIM_LIMIT))}"))
    if message.kind in ("statement", "update"):
        blocks.extend(_quote_blocks(message))
    else:
        chunks = split_text(message.text) if message.text.strip() else []
        blocks.extend(section(linkify(c)) for c in chunks[:MAX_ALERT_SECTIONS])
        if len(chunks) > MAX_ALERT_SECTIONS:
            blocks.append(context("(cut short: too long for one Slack message)"))
        if message.link:
            blocks.append(context(link(shown_link(message.link), "details")))
    fields = [{"type": "mrkdwn", "text": f"*{escape(clip(n, 100))}*\n{escape(clip(v, 1800))}"}
              for n, v in message.fields[:10]]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    blocks.append(alert_actions(message))
    fallback = escape(clip(f"{message.title}: {message.claim_text or message.text}", FALLBACK_LIMIT))
    return fallback, blocks


def parent_blocks(claim_id: int, claim_text: str, status: str, counts: dict[str, int]) -> tuple[str, list[Block]]:
    """The thread parent that summarises a claim; its alerts are posted as replies under it."""
    tally = (f"{counts.get('supports', 0)} supporting, {counts.get('refutes', 0)} refuting, "
             f"{counts.get('neutral', 0)} neutral")
    blocks = [
        section(f":thread: *Claim #{claim_id}* · status: *{escape(status)}*\n"
                f"{escape(clip(claim_text, CLAIM_LIMIT))}"),
        context(f"Statements so far: {tally}. Alerts about this claim are posted in this thread."),
        {"type": "actions", "block_id": f"claimwatch_claim_{claim_id}", "elements": [
            button("Status", ACTION_STATUS, str(claim_id)), button("Mute here", ACTION_MUTE, str(claim_id))]},
    ]
    fallback = escape(clip(f"Claim #{claim_id}: {claim_text}", FALLBACK_LIMIT))
    return fallback, blocks


def reviewed_blocks(blocks: list[Block], user_id: str, name: str, note: str = "Reviewed by",
                    emoji: str = ":white_check_mark:") -> list[Block]:
    """An alert's blocks after a review or correction: the review button gone, a line saying who did what."""
    out: list[Block] = []
    for block in blocks:
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements", []) if e.get("action_id") != ACTION_REVIEW]
            if elements:
                out.append({**block, "elements": elements})
            continue
        if block.get("block_id") == "claimwatch_reviewed":
            continue
        out.append(block)
    who = f"<@{user_id}>" if _USER_ID.match(user_id) else escape(clip(name or "a moderator", 80))
    out.append({**context(f"{emoji} {escape(note)} {who}"), "block_id": "claimwatch_reviewed"})
    return out
