"""/claim check: which watched claims a text or a page concerns, and which side it takes."""

from __future__ import annotations

import asyncio

from bot.judging import verdict_detail
from bot.platform import Reply
from bot.sources import http
from bot.sources.feeds import FeedError
from bot.sources.pages import extract_page
from bot.sources.ssrf import UnsafeURLError
from bot.text import clip
from handlers.context import Context
from handlers.errors import CommandError
from handlers.reasons import reason_brief
from handlers.urls import check_url_shape

MAX_TEXT = 20000


def looks_like_url(text: str) -> bool:
    """True when the argument is a single URL-ish word."""
    return " " not in text and "://" in text


async def _page_text(ctx: Context, url: str) -> str:
    check_url_shape(url)
    client = ctx.services.http
    if client is None:
        raise CommandError("Checking URLs is not available in this process.")
    try:
        # URLs from chat never get the private-address exemption (the policy is strict by default).
        resp = await http.get(client, url, policy=ctx.services.chat_fetch_policy)
        item = await asyncio.to_thread(extract_page, resp.body, resp.url)
    except (http.FetchError, UnsafeURLError, FeedError) as exc:
        raise CommandError(f"Could not read {clip(url, 100)}: {exc}") from None
    return f"{item.title}\n{item.text}"


async def check(ctx: Context, text: str) -> Reply:
    """Judge a pasted text or a URL's article against every watched claim."""
    if looks_like_url(text):
        text = await _page_text(ctx, text)
    await ctx.services.judge.set_claims(await ctx.store.list_claims())
    verdicts = await ctx.services.judge.check_article(text[:MAX_TEXT], top_k=5)
    verdicts = [v for v in verdicts if v.alert]
    if not verdicts:
        return Reply("This text does not concern any watched claim.")
    lines = ["This text concerns:"]
    for v in verdicts:
        claim = await ctx.store.get_claim(int(v.claim_id))
        if claim is None:
            continue
        lines.append(
            f"#{claim.id} {claim.text} -> {v.stance} (confidence {v.confidence:.0%}, relevance {v.score:.2f})"
        )
        # Reasons come with verdicts from judges that give them; a bare verdict is shown as it is.
        detail = verdict_detail(v)
        brief = reason_brief(detail) if detail is not None else ""
        if brief:
            lines.append(f"  why: {brief}")
    return Reply("\n".join(lines))
