"""Settings and TOML validation: one clear line naming the key and the file."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_file_config, load_settings

GOOD = """
[[claims]]
key = "drone"
text = "Ukraine launched a drone attack on Putin's residence"

[[channels]]
platform = "console"
channel = "console"
claims = ["drone"]
"""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[bot\n", "invalid TOML"),
        ("[bot]\ncolour = 'red'\n", "bot.colour: Extra inputs are not permitted"),
        ("[bot]\ntick = 'often'\n", "bot.tick: invalid duration 'often'"),
        ("[[claims]]\nkey = 'a'\ntext = ''\n", "claims[0].text: String should have at least 1 character"),
        ("[[claims]]\nkey = 'a'\ntext = 'x'\nstatus = 'maybe'\n", "claims[0].status: must be one of"),
        ("[[sources]]\nurl = 'x'\nkind = 'telegraph'\n", "sources[0].kind: must be feed, page or folder"),
        ("[[sources]]\nurl = 'x'\nspeaker_kind = 'oracle'\n", "sources[0].speaker_kind: must be one of"),
        ("[[channels]]\nplatform = 'console'\nchannel = 'c'\nclaims = ['nope']\n",
         "channels[0].claims: unknown claim key 'nope'"),
        ("[[claims]]\nkey = 'a'\ntext = 'x'\n[[claims]]\nkey = 'a'\ntext = 'y'\n", "duplicate key 'a'"),
        ("[[channels]]\nplatform = 'slak'\nchannel = 'c'\n", "channels[0].platform: must be slack, discord or console"),
        ("[[sources]]\nurl = 'x'\nevery = '30d'\n", "sources[0].every: '30d' is too long: at most"),
        ("[[sources]]\nurl = 'x'\nevery = '0s'\n", "sources[0].every: invalid duration '0s': must be positive"),
    ],
)
def test_bad_file_names_key_and_file(tmp_path, toml, message):
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_file_config(path)
    text = str(err.value)
    assert text.startswith(f"config file {path}: ") and message in text
    assert "\n" not in text


def test_good_file_and_example_load(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_file_config(path).claims[0].key == "drone"
    example = load_file_config(__import__("pathlib").Path("claimwatch.example.toml"))
    assert {c.key for c in example.claims} >= {"drone-residence"}


def test_bad_env_setting_names_variable(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError, match="setting CLAIMWATCH_LOG_LEVEL .*use DEBUG, INFO"):
        load_settings(env_file=None)


def test_secrets_do_not_print(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1234-secret")
    monkeypatch.setenv("DISCORD_TOKEN", "discord-secret-value")
    settings = load_settings(env_file=None)
    assert "xoxb-1234-secret" not in repr(settings) and "discord-secret-value" not in str(settings)
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1234-secret"


def test_log_redaction():
    from bot.logs import redact

    line = "posting with xoxb-123-abc and app xapp-1-XYZ, Authorization: Bot abc.def.ghi, mine=s3cret"
    out = redact(line, ("s3cret",))
    assert "xoxb-123-abc" not in out and "xapp-1-XYZ" not in out and "abc.def.ghi" not in out
    assert "s3cret" not in out


def test_env_example_as_dotenv_is_valid(monkeypatch):
    for key in ("CLAIMWATCH_CONSOLE", "CLAIMWATCH_CONFIG", "SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    settings = load_settings(env_file=str(root / ".env.example"))
    assert settings.slack_bot_token is None and settings.discord_token is None
    assert settings.console is None


def test_config_error_found_inside_task_group_failure():
    from bot.cli import _config_error

    group = BaseExceptionGroup("tasks", [ValueError("x"), ExceptionGroup("inner", [ConfigError("port in use")])])
    assert str(_config_error(group)) == "port in use"
    assert _config_error(ExceptionGroup("g", [ValueError("x")])) is None


def test_channel_alert_settings_are_validated(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[[channels]]\nplatform = 'console'\nchannel = 'c'\nalerts = 'rate=lots'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"channels\[0\]\.alerts: rate= must be N/window"):
        load_file_config(path)


async def test_channel_alert_settings_seeded_once(tmp_path, store):
    from bot.seed import seed

    path = tmp_path / "c.toml"
    path.write_text("[[channels]]\nplatform = 'console'\nchannel = 'c'\nalerts = 'rate=off mode=hourly'\n",
                    encoding="utf-8")
    cfg = load_file_config(path)
    settings = load_settings(env_file=None)
    await seed(store, cfg, settings)
    chan, _ = await store.policy_settings("console", "c", None)
    assert chan == {"rate": "off", "mode": "hourly"}
    await store.set_policy_settings("console", "c", None, {"mode": "instant"}, "mod")
    await seed(store, cfg, settings)
    assert (await store.policy_settings("console", "c", None))[0]["mode"] == "instant"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-29T14:05:00Z", "2025-12-29T14:05:00+00:00"),
        ("2025-12-29T14:05:00+02:00", "2025-12-29T14:05:00+02:00"),
        ("2025-12-29T14:05:00", "2025-12-29T14:05:00+00:00"),  # naive is UTC, as stored
        ("Mon, 29 Dec 2025", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_time(value, expected):
    from bot.durations import parse_time

    got = parse_time(value)
    assert (got.isoformat() if got else None) == expected
