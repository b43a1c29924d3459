"""Apply the TOML file's claims, sources and channels to the store (idempotent)."""

from __future__ import annotations

import logging
from typing import Any

from bot.config import FileConfig, Settings
from bot.durations import parse_duration, show_time
from bot.policy.settings import parse_changes
from bot.runtime import effective
from storage import Store

log = logging.getLogger(__name__)


async def seed(store: Store, cfg: FileConfig, settings: Settings) -> None:
    """Create missing seed claims and sources, update config-owned source settings, add watches."""
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
    for url, fields in config_sources(cfg, settings).items():
        existing = await store.get_source_by_url(url)
        if existing is None and url in removed:
            # A moderator's /source remove sticks: the file does not bring the source back behind their back.
            log.warning("source %s from the config file stays removed (a moderator removed it at %s); "
                        "a moderator's /source add %s brings it back as the file declares it, "
                        "or delete it from the file", url, show_time(removed[url]), url)
            continue
        if existing is None:
            await store.add_source(url, **fields)
        else:
            await store.update_source(existing.id, **{k: fields[k] for k in UPDATED})
    for ch in cfg.channels:
        keys = list(slugs) if "*" in ch.claims else [k for k in ch.claims if k in slugs]
        for key in keys:
            await store.watch(slugs[key], ch.platform, ch.channel, "config")
        stored, _ = await store.policy_settings(ch.platform, ch.channel, None)
        if ch.alerts.strip() and not stored:
            # Applied once: later `/claim alerts` changes by moderators are never overwritten.
            await store.set_policy_settings(ch.platform, ch.channel, None, parse_changes(ch.alerts.split()), "config")


# What the file keeps in step on a source it declares; quiet_first only matters when one is created.
UPDATED = ("kind", "label", "speaker_kind", "interval_s", "allow_private")


def config_sources(cfg: FileConfig, settings: Settings) -> dict[str, dict[str, Any]]:
    """URL -> `Store.add_source` arguments for every source the file declares (seeding, and /source add
    restoring one a moderator removed: a folder or file can come back no other way)."""
    allow_private = effective(settings, cfg).allow_private
    return {entry.url: {"kind": entry.kind, "label": entry.label, "speaker_kind": entry.speaker_kind,
                        "interval_s": parse_duration(entry.every), "quiet_first": entry.quiet_first,
                        "allow_private": allow_private, "created_by": "config"}
            for entry in cfg.sources}


def moderator_channels(cfg: FileConfig) -> list[tuple[str, str]]:
    """Channels that get operational alerts (paused sources)."""
    return [(c.platform, c.channel) for c in cfg.channels if c.moderators_alerts]
