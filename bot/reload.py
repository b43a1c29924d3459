"""Apply an edited TOML file to the running bot (SIGHUP): sources, channels, moderators, new seed claims."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import ConfigError, FileConfig, Settings, load_file_config
from bot.seed import config_sources, moderator_channels, seed
from handlers import Services
from handlers.context import moderators_from
from storage import Store

log = logging.getLogger(__name__)
CONFIG = "config"  # created_by of rows the TOML file owns


@dataclass(slots=True)
class ReloadResult:
    """What a reload changed, for its one log line."""

    ok: bool
    error: str = ""
    claims_added: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    watches_added: int = 0
    watches_removed: int = 0
    restart_needed: bool = False

    def summary(self) -> str:
        """One line."""
        if not self.ok:
            return f"reload refused, the running settings stay: {self.error}"
        parts = [f"{len(self.claims_added)} new claim(s)", f"{len(self.sources_added)} source(s) added",
                 f"{len(self.sources_removed)} removed", f"{self.watches_added} watch(es) added",
                 f"{self.watches_removed} removed"]
        tail = "; [bot] changes apply after a restart" if self.restart_needed else ""
        return "reloaded: " + ", ".join(parts) + tail


async def reload_config(
    path: Path, old: FileConfig, store: Store, settings: Settings, services: Services,
    moderator_targets: list[tuple[str, str]],
) -> tuple[ReloadResult, FileConfig]:
    """Read `path` again and apply it; an invalid file changes nothing. Returns the config now in force.

    Seed claims are only created where new (a moderator's later edits stay). Config-owned sources and
    channel watches that left the file are removed; sources and watches added in chat are never touched.
    """
    try:
        new = load_file_config(path)
    except ConfigError as exc:
        return ReloadResult(False, str(exc)), old
    result = ReloadResult(True, restart_needed=new.bot != old.bot)
    claims_before = {c.slug for c in await store.list_claims()}
    sources_before = {s.url: s for s in await store.list_sources()}
    watches_before = {(w.claim_id, w.platform, w.channel) for w in await store.watches() if w.created_by == CONFIG}
    await seed(store, new, settings)
    # Counted from what the store holds now, not from the file: a seed claim or source a moderator
    # removed stays removed (bot.seed says so in its own line) and was not added.
    claims_now = {c.slug for c in await store.list_claims()}
    result.claims_added = [c.key for c in new.claims if c.key in claims_now and c.key not in claims_before]
    wanted_urls = {s.url for s in new.sources}
    sources_now = {s.url for s in await store.list_sources()}
    result.sources_added = sorted((wanted_urls & sources_now) - set(sources_before))
    for url, src in sources_before.items():
        if url not in wanted_urls and src.created_by == CONFIG:
            await store.remove_source(src.id)
            result.sources_removed.append(url)
    wanted = await _config_watches(store, new)
    watches_now = {(w.claim_id, w.platform, w.channel) for w in await store.watches() if w.created_by == CONFIG}
    result.watches_added = len(watches_now - watches_before)
    for claim_id, platform, channel in sorted(watches_now - wanted):
        await store.unwatch(claim_id, platform, channel)
        result.watches_removed += 1
    services.moderators = moderators_from(new)
    services.config_sources = config_sources(new, settings)
    moderator_targets[:] = moderator_channels(new)
    return result, new


async def _config_watches(store: Store, cfg: FileConfig) -> set[tuple[int, str, str]]:
    """(claim id, platform, channel) for every watch the file asks for."""
    ids: dict[str, int] = {}
    for entry in cfg.claims:
        claim = await store.get_claim_by_slug(entry.key)
        if claim is not None:
            ids[entry.key] = claim.id
    out = set()
    for ch in cfg.channels:
        keys = list(ids) if "*" in ch.claims else [k for k in ch.claims if k in ids]
        out.update((ids[k], ch.platform, ch.channel) for k in keys)
    return out
