"""Apply the TOML file's claims, sources and channels to the store (idempotent)."""

from __future__ import annotations

import logging

from bot.config import FileConfig, Settings
from bot.durations import parse_duration, show_time
from bot.policy.settings import parse_changes
from bot.runtime import effective
from storage import Store

log = logging.getLogger(__name__)


async def seed(store: Store, cfg: FileConfig, settings: Settings) -> None:
    """Create missing seed claims and sources, update config-owned source settings, add watches."""
    allow_private = effective(settings, cfg).allow_private
    slugs: dict[str, int] = {}
    for entry in cfg.claims:
        claim = await store.get_claim_by_slug(entry.key)
        if claim is None and await store.get_claim_by_slug(entry.key, removed=True) is not None:
            # A moderator's /claim remove sticks too (and its key stays taken: re-adding it would fail).
            log.warning("claim %r from the config file stays removed (a moderator removed it); "
                        "delete it from the file, or /claim add it again", entry.key)
            continue
        if claim is None:
            # Only created here: a moderator's later changes to a seed claim are never overwritten.
            claim = await store.add_claim(
                entry.text, "config", slug=entry.key, status=entry.status,
                keywords=entry.keywords, threshold=entry.threshold,
            )
        slugs[entry.key] = claim.id
    removed = await store.removed_source_urls()
    for entry in cfg.sources:
        interval = parse_duration(entry.every)
        existing = await store.get_source_by_url(entry.url)
        if existing is None and entry.url in removed:
            # A moderator's /source remove sticks: the file does not bring the source back behind their back.
            log.warning("source %s from the config file stays removed (a moderator removed it at %s); "
                        "delete it from the file, or /source add it to watch it again",
                        entry.url, show_time(removed[entry.url]))
            continue
        if existing is None:
            await store.add_source(
                entry.url, kind=entry.kind, label=entry.label, speaker_kind=entry.speaker_kind,
                interval_s=interval, quiet_first=entry.quiet_first, allow_private=allow_private,
                created_by="config",
            )
        else:
            await store.update_source(
                existing.id, kind=entry.kind, label=entry.label, speaker_kind=entry.speaker_kind,
                interval_s=interval, allow_private=allow_private,
            )
    for ch in cfg.channels:
        keys = list(slugs) if "*" in ch.claims else [k for k in ch.claims if k in slugs]
        for key in keys:
            await store.watch(slugs[key], ch.platform, ch.channel, "config")
        stored, _ = await store.policy_settings(ch.platform, ch.channel, None)
        if ch.alerts.strip() and not stored:
            # Applied once: later `/claim alerts` changes by moderators are never overwritten.
            await store.set_policy_settings(ch.platform, ch.channel, None, parse_changes(ch.alerts.split()), "config")


def moderator_channels(cfg: FileConfig) -> list[tuple[str, str]]:
    """Channels that get operational alerts (paused sources)."""
    return [(c.platform, c.channel) for c in cfg.channels if c.moderators_alerts]
