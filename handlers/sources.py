"""/source add, list, remove, resume."""

from __future__ import annotations

from bot.durations import format_duration
from bot.models import Source
from bot.platform import Reply
from bot.sources.fetcher import from_config
from bot.sources.ssrf import UnsafeURLError, check_url
from bot.text import clip
from handlers.context import Context
from handlers.errors import CommandError
from handlers.shown import channel_tz, show_time
from handlers.urls import check_url_shape
from storage import DuplicateSourceError, utcnow


async def add(ctx: Context, url: str, every: int | None = None, label: str = "", kind: str = "feed",
              speaker: str = "unknown") -> Reply:
    """Watch a feed or page URL (refusing non-public addresses), or restore a source the config file declares.

    The dispatcher checked every option and the URL's shape already (a local path it hands on is refused
    here unless the config file declares it), so a typo is never reported as a DNS failure.
    """
    interval = every or ctx.services.default_interval_s
    existing = await ctx.store.get_source_by_url(url)
    if existing is not None:
        raise CommandError(f"{clip(url, 100)} is already a source (#{existing.id}).")
    if url in ctx.services.config_sources:
        return await _restore(ctx, url)
    check_url_shape(url)  # a local path the config file does not declare is refused as before
    try:
        # Chat-added sources never get the private-address exemption.
        await check_url(url, policy=ctx.services.chat_fetch_policy)
    except UnsafeURLError as exc:
        # Worded as /claim check words the same refusal ("Could not read <url>: refusing ..."), not
        # the bare lower-case reason.
        raise CommandError(f"Could not add {clip(url, 100)}: {exc}") from None
    try:
        src = await ctx.store.add_source(
            url, kind=kind, label=label, speaker_kind=speaker, interval_s=interval, created_by=ctx.who,
        )
    except DuplicateSourceError as exc:
        raise CommandError(f"{clip(url, 100)} is {exc}.") from None
    ctx.audit_target = url  # start-up reads the audit log to keep a moderator's removal of a config source
    return Reply(
        f"Added source #{src.id} {src.label or src.url}, checked every {format_duration(interval)}. "
        "Its current items are recorded quietly; new ones will alert.",
        ephemeral=False,
    )


async def _restore(ctx: Context, url: str) -> Reply:
    """Bring back a source the TOML file declares (a moderator removed it) exactly as the file declares it.

    The only way back for a folder or file, which chat cannot add; for a URL it keeps the file's
    address policy and ownership, so a later reload still manages it. The audit row lifts the removal.
    """
    try:
        src = await ctx.store.add_source(url, **ctx.services.config_sources[url])
    except DuplicateSourceError as exc:
        raise CommandError(f"{clip(url, 100)} is {exc}.") from None
    ctx.audit_target = url
    return Reply(
        f"Restored source #{src.id} {src.label or src.url} as the config file declares it "
        f"({src.kind}, checked every {format_duration(src.interval_s)}).",
        ephemeral=False,
    )


async def list_(ctx: Context) -> Reply:
    """Every source with its state, last fetch and last error."""
    sources = await ctx.store.list_sources()
    if not sources:
        return Reply("No sources yet. A moderator can add one with /source add <url>.")
    tz = await channel_tz(ctx)
    lines = [f"{len(sources)} source(s):"]
    for s in sources:
        name = f"{s.label} <{s.url}>" if s.label else s.url
        last = show_time(s.last_fetch_at, tz) if s.last_fetch_at else "never"
        kind = f"{s.kind}, {s.speaker_kind}" if s.speaker_kind != "unknown" else s.kind
        line = f"#{s.id} [{s.state}] {name} ({kind}) every {format_duration(s.interval_s)}, last fetch {last}"
        if s.failures:
            line += f", last error: {s.last_error} ({s.failures} failure(s) in a row)"
            if s.state == "paused":
                line += f"; paused: fix it, then /source resume {s.id}"
            else:
                line += f"; backing off, next try {show_time(s.next_fetch_at, tz)}"
        elif s.last_error:
            line += f", note: {s.last_error}"  # warnings from a fetch that worked
        now = utcnow()
        if s.lease_owner and (s.lease_until or "") > now:
            # In the channel's zone like every other time, to the second: a lease lasts about a minute.
            line += f"; being fetched by {s.lease_owner} (lease until {show_time(s.lease_until, tz, seconds=True)})"
        lines.append(line)
    # Several processes on one PostgreSQL: say who delivers each platform and holds each gateway.
    held = [f"{name} by {owner} until {show_time(until, tz, seconds=True)}"
            for name, (owner, until) in (await ctx.store.lease_holders()).items() if until > utcnow()]
    if held:
        lines.append("Leases: " + "; ".join(held))
    return Reply("\n".join(lines))


async def remove(ctx: Context, source: Source) -> Reply:
    """Stop fetching a source."""
    source_id = source.id
    await ctx.store.remove_source(source_id)
    ctx.audit_target = source.url  # so a source from the config file stays removed at the next start
    text = f"Source #{source_id} removed: {source.label or source.url}"
    if from_config(source):
        text += (". It is declared in the config file and stays removed at restarts and reloads; "
                 f"/source add {source.url} brings it back.")
    return Reply(text, ephemeral=False)


async def resume(ctx: Context, source: Source) -> Reply:
    """Restart fetching a source that was paused after repeated failures."""
    source_id = source.id
    if source.state != "paused":
        return Reply(f"Source #{source_id} is not paused; it is fetched every {format_duration(source.interval_s)}.")
    await ctx.store.update_source(source_id, state="active", failures=0, next_fetch_at=utcnow())
    return Reply(f"Source #{source_id} resumed: {source.label or source.url} will be fetched now.", ephemeral=False)
