"""Slack rendering: escaping, safe links, text splitting, Block Kit for replies and claim threads."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from bot.text import clip

Block = dict[str, Any]

SECTION_LIMIT = 2900  # Slack refuses section text over 3000 characters
BLOCKS_PER_MESSAGE = 5  # keeps each reply message well under Slack's 50-block and 40k-char limits
FALLBACK_LIMIT = 300  # the notification text; the blocks carry the full content
CLAIM_LIMIT = 500

STANCE_EMOJI = {"supports": ":large_green_circle:", "refutes": ":red_circle:", "neutral": ":white_circle:"}

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


def hard_split(line: str, limit: int) -> list[str]:
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
        parts = [line] if cost <= limit else hard_split(line, limit // 2)
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
