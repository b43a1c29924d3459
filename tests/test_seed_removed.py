"""A source from the config file that a moderator removed stays removed at the next start, and start-up says so."""

from __future__ import annotations

import logging

from bot.config import load_file_config, load_settings
from bot.seed import seed

URL = "https://news.example.org/rss"


async def test_removed_config_source_stays_removed(tmp_path, store, chat, monkeypatch, caplog):
    async def public(url, **_kwargs):
        return None

    monkeypatch.setattr("handlers.sources.check_url", public)
    path = tmp_path / "c.toml"
    path.write_text(f'[[sources]]\nurl = "{URL}"\nlabel = "Wire"\n'
                    '[[sources]]\nurl = "https://other.example.org/rss"\n', encoding="utf-8")
    cfg, settings = load_file_config(path), load_settings(env_file=None)
    await seed(store, cfg, settings)
    source = await store.get_source_by_url(URL)
    assert (await chat(f"/source remove {source.id}")).ok
    with caplog.at_level(logging.WARNING, logger="bot.seed"):
        await seed(store, cfg, settings)  # the next start
    assert await store.get_source_by_url(URL) is None
    assert await store.get_source_by_url("https://other.example.org/rss") is not None
    [note] = [r.getMessage() for r in caplog.records if r.name == "bot.seed"]
    assert note.startswith(f"source {URL} from the config file stays removed (a moderator removed it at 20")
    assert "UTC); delete it from the file, or /source add it to watch it again" in note
    # Added back by a moderator: it is watched again, and the file no longer counts as removed.
    assert (await chat(f"/source add {URL} label=Wire")).ok
    await store.remove_source((await store.get_source_by_url(URL)).id)  # gone for another reason (no audit)
    caplog.clear()
    await seed(store, cfg, settings)
    assert await store.get_source_by_url(URL) is not None
    assert not [r for r in caplog.records if r.name == "bot.seed"]


async def test_a_refused_remove_does_not_count(tmp_path, store, chat):
    path = tmp_path / "c.toml"
    path.write_text(f'[[sources]]\nurl = "{URL}"\n', encoding="utf-8")
    cfg, settings = load_file_config(path), load_settings(env_file=None)
    await seed(store, cfg, settings)
    source = await store.get_source_by_url(URL)
    assert not (await chat(f"/source remove {source.id}", user="reader")).ok
    assert await store.removed_source_urls() == {}


async def test_removed_seed_claim_stays_removed(tmp_path, store, chat, caplog):
    path = tmp_path / "c.toml"
    path.write_text('[[claims]]\nkey = "drone"\ntext = "Drones hit the residence"\n'
                    '[[claims]]\nkey = "dam"\ntext = "The dam was blown up"\n'
                    '[[channels]]\nplatform = "console"\nchannel = "console"\nclaims = ["drone", "dam"]\n',
                    encoding="utf-8")
    cfg, settings = load_file_config(path), load_settings(env_file=None)
    await seed(store, cfg, settings)
    claim = await store.get_claim_by_slug("drone")
    assert (await chat(f"/claim remove {claim.id}")).ok
    with caplog.at_level(logging.WARNING, logger="bot.seed"):
        await seed(store, cfg, settings)  # the next start: no UNIQUE failure, no resurrection
    assert await store.get_claim_by_slug("drone") is None
    assert await store.get_claim_by_slug("dam") is not None
    [note] = [r.getMessage() for r in caplog.records if r.name == "bot.seed"]
    assert note.startswith("claim 'drone' from the config file stays removed")
