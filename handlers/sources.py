"""/source add, list, remove, resume."""

from __future__ import annotations

from bot.durations import format_duration, parse_duration
from bot.models import Source
from bot.platform import Reply
from bot.sources.ssrf import UnsafeURLError, check_url
from handlers.context import Context
from handlers.errors import NotFoundError, UsageError
from handlers.parsing import options, parse_id, split_args
from storage.db import utcnow
from storage.sources import DuplicateSourceError

KINDS = {"feed", "page"}
MIN_INTERVAL_S = 60


async def add(ctx: Context, args: str) -> Reply:
    """Watch a feed or page URL; refuses non-http(s) and non-public addresses."""
    positional, opts = options(split_args(args), {"every", "label", "kind", "speaker"})
    if len(positional) != 1:
        raise UsageError("Give exactly one URL.")
    url = positional[0]
    try:
        # Chat-added sources never get the private-address exemption.
        await check_url(url, policy=ctx.services.chat_fetch_policy)
    except UnsafeURLError as exc:
        raise UsageError(str(exc)) from None
    try:
        interval = parse_duration(opts["every"]) if "every" in opts else ctx.services.default_interval_s
    except ValueError as exc:
        raise UsageError(f"every=: {exc}") from None
    if interval < MIN_INTERVAL_S:
        raise UsageError(f"every= must be at least {format_duration(MIN_INTERVAL_S)}.")
    kind = opts.get("kind", "feed")
    if kind not in KINDS:
        raise UsageError("kind= must be feed or page.")
    speaker = opts.get("speaker", "unknown")
    if speaker not in {"official", "state_media", "independent", "social", "unknown"}:
        raise UsageError("speaker= must be official, state_media, independent, social or unknown.")
    try:
        src = await ctx.store.add_source(
            url, kind=kind, label=opts.get("label", "")[:80], speaker_kind=speaker,
            interval_s=interval, created_by=ctx.who,
        )
    except DuplicateSourceError as exc:
        raise UsageError(f"{url} is {exc}.") from None
    return Reply(
        f"Added source #{src.id} {src.label or src.url}, checked every {format_duration(interval)}. "
        "Its current items are recorded quietly; new ones will alert.",
        ephemeral=False,
    )


async def list_(ctx: Context, args: str) -> Reply:
    """Every source with its state, last fetch and last error."""
    sources = await ctx.store.list_sources()
    if not sources:
        return Reply("No sources yet. A moderator can add one with /source add <url>.")
    lines = [f"{len(sources)} source(s):"]
    for s in sources:
        name = f"{s.label} <{s.url}>" if s.label else s.url
        last = s.last_fetch_at or "never"
        kind = f"{s.kind}, {s.speaker_kind}" if s.speaker_kind != "unknown" else s.kind
        line = f"#{s.id} [{s.state}] {name} ({kind}) every {format_duration(s.interval_s)}, last fetch {last}"
        if s.failures:
            line += f", last error: {s.last_error} ({s.failures} failure(s) in a row)"
            if s.state == "paused":
                line += "; paused: fix it, then /source remove and add it again"
            else:
                line += f"; backing off, next try {s.next_fetch_at}"
        elif s.last_error:
            line += f", note: {s.last_error}"  # warnings from a fetch that worked
        now = utcnow()
        if s.lease_owner and (s.lease_until or "") > now:
            line += f"; being fetched by {s.lease_owner} (lease until {s.lease_until})"
        lines.append(line)
    # Several processes on one PostgreSQL: say who delivers each platform and holds each gateway.
    held = [f"{name} by {owner} until {until}"
            for name, (owner, until) in (await ctx.store.lease_holders()).items() if until > utcnow()]
    if held:
        lines.append("Leases: " + "; ".join(held))
    return Reply("\n".join(lines))


async def _source_from(ctx: Context, args: str) -> Source:
    """The source named by the first word of `args`, or a one-line error."""
    if not args:
        raise UsageError("Which source? Give its id.")
    source_id = parse_id(args.split()[0], "source")
    src = await ctx.store.get_source(source_id)
    if src is None:
        raise NotFoundError(f"No source #{source_id}. See /source list.")
    return src


async def remove(ctx: Context, args: str) -> Reply:
    """Stop fetching a source."""
    src = await _source_from(ctx, args)
    source_id = src.id
    await ctx.store.remove_source(source_id)
    return Reply(f"Source #{source_id} removed: {src.label or src.url}", ephemeral=False)


async def resume(ctx: Context, args: str) -> Reply:
    """Restart fetching a source that was paused after repeated failures."""
    src = await _source_from(ctx, args)
    source_id = src.id
    if src.state != "paused":
        return Reply(f"Source #{source_id} is not paused; it is fetched every {format_duration(src.interval_s)}.")
    await ctx.store.update_source(source_id, state="active", failures=0, next_fetch_at=utcnow())
    return Reply(f"Source #{source_id} resumed: {src.label or src.url} will be fetched now.", ephemeral=False)
