"""A source from the config file that a moderator removed stays removed at the next start, start-up says so, and
what it says brings the source back, whatever its kind; a reload counts only what it really added."""

from __future__ import annotations

import logging
import re

import pytest

from bot.config import load_file_config, load_settings
from bot.reload import reload_config
from bot.seed import config_sources, seed

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
    assert f"UTC); a moderator's /source add {URL} brings it back as the file declares it" in note
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


# Every kind of source the TOML file can declare: (url, kind).
KINDS = [
    ("https://news.example.org/rss", "feed"),  # a public feed
    ("https://gov.example.org/statement.html", "page"),
    ("http://10.20.0.5/intranet.xml", "feed"),  # private: allowed for the file, never for chat
    ("examples/feeds/wire-service.xml", "feed"),  # a local file read as a feed (the example config)
    ("examples/feeds", "folder"),  # a dropped-documents folder
    ("file:///srv/drop/monitor.json", "folder"),
]


def one_source(tmp_path, url: str, kind: str) -> tuple:
    """A config file declaring one source of `kind` (private addresses allowed), and the settings."""
    path = tmp_path / "c.toml"
    path.write_text(f'[bot]\nallow_private_addresses = true\n[[sources]]\nurl = "{url}"\nkind = "{kind}"\n'
                    f'label = "Desk"\nspeaker_kind = "official"\nevery = "2m"\nquiet_first = false\n',
                    encoding="utf-8")
    return load_file_config(path), load_settings(env_file=None)


@pytest.mark.parametrize(("url", "kind"), KINDS)
async def test_the_advice_brings_back_every_kind_of_config_source(tmp_path, store, services, chat, caplog,
                                                                  url, kind):
    """Removed, kept removed at the next start, and back by doing exactly what the bot says."""
    cfg, settings = one_source(tmp_path, url, kind)
    services.config_sources = config_sources(cfg, settings)  # as build_app wires it
    await seed(store, cfg, settings)
    source = await store.get_source_by_url(url)
    removed = await chat(f"/source remove {source.id}")
    assert removed.ok and f"/source add {url} brings it back." in removed.text
    with caplog.at_level(logging.WARNING, logger="bot.seed"):
        await seed(store, cfg, settings)  # the next start
    assert await store.get_source_by_url(url) is None
    [note] = [r.getMessage() for r in caplog.records if r.name == "bot.seed"]
    advice = re.search(r"a moderator's (/source add \S+) brings it back", note)
    assert advice and advice.group(1) == f"/source add {url}"

    back = await chat(advice.group(1))  # what the log told the moderator to type, word for word
    assert back.ok, back.text
    restored = await store.get_source_by_url(url)
    assert back.text == f"Restored source #{restored.id} Desk as the config file declares it ({kind}, checked every 2m)."
    assert (restored.kind, restored.label, restored.speaker_kind, restored.interval_s) == (kind, "Desk", "official", 120)
    assert restored.created_by == "config" and restored.allow_private  # still the file's, with its policy
    caplog.clear()
    await seed(store, cfg, settings)  # the start after: no warning, the file's source is kept
    assert not [r for r in caplog.records if r.name == "bot.seed"]
    assert await store.removed_source_urls() == {}


@pytest.mark.parametrize(("line", "reason"), [
    ("/source add examples/feeds/other.xml", "not an http(s) URL: 'examples/feeds/other.xml'"),  # not in the file
    ("/source add /etc/passwd", "not an http(s) URL: '/etc/passwd'"),
    ("/source add file:///etc/passwd", "not an http(s) URL: 'file:///etc/passwd'"),
    ("/source add example.org/rss", "not an http(s) URL: 'example.org/rss'"),  # a typo reads as before
    ("/source add ftp://example.org/feed", "not an http(s) URL: 'ftp://example.org/feed'"),
])
async def test_chat_adds_no_local_path_the_file_does_not_declare(tmp_path, store, services, chat, line, reason):
    cfg, settings = one_source(tmp_path, "examples/feeds", "folder")
    services.config_sources = config_sources(cfg, settings)
    reply = await chat(line)
    assert not reply.ok and reply.text.splitlines() == [reason, "Usage: /source add <url> [every=10m] [label=...]"]
    assert await store.list_sources() == []


async def test_a_chat_source_removed_gets_no_config_advice(store, chat, monkeypatch):
    async def public(url, **_kwargs):
        return None

    monkeypatch.setattr("handlers.sources.check_url", public)
    assert (await chat("/source add https://blog.example.org/feed")).ok
    removed = await chat("/source remove 1")
    assert removed.ok and removed.text == "Source #1 removed: https://blog.example.org/feed"


async def test_reload_counts_only_what_it_added(tmp_path, store, services, chat, caplog):
    """SIGHUP: a config source or seed claim a moderator removed stays removed and is not counted as added."""
    path = tmp_path / "c.toml"
    first = ('[[claims]]\nkey = "drone"\ntext = "Drones hit the residence"\n'
             '[[sources]]\nurl = "examples/feeds/wire-service.xml"\n'
             '[[sources]]\nurl = "examples/feeds/eu-press.atom"\n')
    path.write_text(first, encoding="utf-8")
    cfg, settings = load_file_config(path), load_settings(env_file=None)
    await seed(store, cfg, settings)
    wire = await store.get_source_by_url("examples/feeds/wire-service.xml")
    assert (await chat(f"/source remove {wire.id}")).ok
    assert (await chat(f"/claim remove {(await store.get_claim_by_slug('drone')).id}")).ok

    path.write_text(first + '[[claims]]\nkey = "dam"\ntext = "The dam was blown up"\n'
                    '[[sources]]\nurl = "examples/feeds/monitor.json"\nkind = "folder"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.seed"):
        result, now = await reload_config(path, cfg, store, settings, services, [])
    assert result.ok and result.claims_added == ["dam"]
    assert result.sources_added == ["examples/feeds/monitor.json"]
    assert result.summary().startswith("reloaded: 1 new claim(s), 1 source(s) added, 0 removed")
    assert len([r for r in caplog.records if "stays removed" in r.getMessage()]) == 2  # each says so itself
    assert await store.get_source_by_url("examples/feeds/wire-service.xml") is None
    # The reloaded file is the one /source add restores from, the new source included.
    assert set(services.config_sources) == {s.url for s in now.sources}
    assert (await chat("/source add examples/feeds/wire-service.xml", user="console")).ok  # the file's moderator
    again, _ = await reload_config(path, now, store, settings, services, [])
    assert again.summary().startswith("reloaded: 0 new claim(s), 0 source(s) added, 0 removed")
