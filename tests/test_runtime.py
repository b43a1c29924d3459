"""The environment and the TOML file resolve into one set of runtime settings."""

from __future__ import annotations

import pytest

from bot.config import BotSection, FileConfig, load_settings
from bot.runtime import effective


@pytest.mark.parametrize(
    ("env", "bot", "private", "contact"),
    [
        ({}, {}, False, ""),
        ({"CLAIMWATCH_ALLOW_PRIVATE": "1"}, {}, True, ""),
        ({}, {"allow_private_addresses": True}, True, ""),
        ({}, {"contact": "desk@example.org"}, False, "desk@example.org"),
        ({"CLAIMWATCH_CONTACT": "ops@example.org"}, {"contact": "desk@example.org"}, False, "ops@example.org"),
    ],
)
def test_env_over_file(monkeypatch, env, bot, private, contact) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    run = effective(load_settings(env_file=None), FileConfig(bot=BotSection(**bot)))
    assert (run.allow_private, run.contact, run.fetch.allow_private) == (private, contact, private)


def test_durations_are_seconds() -> None:
    run = effective(load_settings(env_file=None), FileConfig(bot=BotSection(tick="5s", max_item_age="2d")))
    assert (run.tick_s, run.max_item_age_s) == (5, 2 * 86400)
