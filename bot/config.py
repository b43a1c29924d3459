"""Settings from the environment/.env and the TOML file of sources, claims, channels and moderators."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config_file import (  # the file's model lives apart; importers keep reading it here
    BotSection,
    ChannelEntry,
    ClaimEntry,
    FileConfig,
    ModeratorsSection,
    RetentionSection,
    SourceEntry,
)

EXAMPLE_CONFIG = Path("claimwatch.example.toml")


class ConfigError(Exception):
    """A user error in settings: one line naming the key, the file and what is wrong."""


def _env(name: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(name))


class Settings(BaseSettings):
    """Process settings; secrets are SecretStr so they never print."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=False, env_ignore_empty=True
    )

    config_path: Path | None = _env("CLAIMWATCH_CONFIG")
    # A file path or sqlite:///path (SQLite), or postgresql://user@host/db; see storage/url.py.
    db_path: str = Field(default="var/claimwatch.db", validation_alias="CLAIMWATCH_DB")
    log_level: str = Field(default="INFO", validation_alias="CLAIMWATCH_LOG_LEVEL")
    log_format: str = Field(default="text", validation_alias="CLAIMWATCH_LOG_FORMAT")
    # Health and metrics listener (/healthz, /readyz, /metrics); off unless a port is set. In Slack
    # HTTP mode the same routes are also served on Slack's port.
    http_port: int | None = Field(default=None, ge=0, le=65535, validation_alias="CLAIMWATCH_HTTP_PORT")
    http_host: str = Field(default="127.0.0.1", validation_alias="CLAIMWATCH_HTTP_HOST")
    console: bool | None = Field(default=None, validation_alias="CLAIMWATCH_CONSOLE")
    allow_private_addresses: bool = Field(default=False, validation_alias="CLAIMWATCH_ALLOW_PRIVATE")
    contact: str = Field(default="", validation_alias="CLAIMWATCH_CONTACT")
    model_dir: Path | None = _env("CLAIMWATCH_MODEL_DIR")

    slack_bot_token: SecretStr | None = _env("SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = _env("SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = _env("SLACK_SIGNING_SECRET")
    slack_api_url: str = Field(
        default="https://slack.com/api/", validation_alias="CLAIMWATCH_SLACK_API_URL"
    )
    slack_http_port: int | None = _env("CLAIMWATCH_SLACK_HTTP_PORT")
    # auto: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode (request URL + signing secret).
    slack_mode: str = Field(default="auto", validation_alias="CLAIMWATCH_SLACK_MODE")
    slack_http_host: str = Field(default="0.0.0.0", validation_alias="CLAIMWATCH_SLACK_HTTP_HOST")
    slack_http_path: str = Field(default="/slack/events", validation_alias="CLAIMWATCH_SLACK_HTTP_PATH")
    slack_reply_in_channel: bool = Field(default=False, validation_alias="CLAIMWATCH_SLACK_REPLY_IN_CHANNEL")

    discord_token: SecretStr | None = _env("DISCORD_TOKEN")
    discord_api_url: str = Field(
        default="https://discord.com/api/v10", validation_alias="CLAIMWATCH_DISCORD_API_URL"
    )
    discord_gateway_url: str | None = _env("CLAIMWATCH_DISCORD_GATEWAY_URL")
    discord_guild_id: int | None = _env("CLAIMWATCH_DISCORD_GUILD_ID")
    # guild: commands appear at once in one server (development); global: in every server.
    discord_sync: str | None = _env("CLAIMWATCH_DISCORD_SYNC")
    discord_threads: bool = Field(default=True, validation_alias="CLAIMWATCH_DISCORD_THREADS")

    @field_validator("db_path", mode="before")
    @classmethod
    def _db(cls, v: Any) -> str:
        from storage.url import parse_database

        text = str(v)
        parse_database(text)  # DatabaseURLError is a ValueError: one line naming CLAIMWATCH_DB
        return text

    @field_validator("discord_sync")
    @classmethod
    def _sync(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        if v.strip().lower() not in {"guild", "global", "off"}:
            raise ValueError("use guild, global or off")
        return v.strip().lower()

    @field_validator("log_format")
    @classmethod
    def _format(cls, v: str) -> str:
        if v.strip().lower() not in {"text", "json"}:
            raise ValueError("use text or json")
        return v.strip().lower()

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return v.upper()



__all__ = ["BotSection", "ChannelEntry", "ClaimEntry", "ConfigError", "FileConfig", "ModeratorsSection",
           "RetentionSection", "Settings", "SourceEntry", "load_file_config", "load_settings", "resolve_config_path"]


def _first_error(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    key = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in err["loc"])
    return key.replace(".[", "["), err["msg"].removeprefix("Value error, ")


def load_settings(env_file: str | None = ".env", **overrides: Any) -> Settings:
    """Build Settings (`overrides` by variable name win over the environment) or raise ConfigError."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        key, msg = _first_error(exc)
        raise ConfigError(f"setting {key} (environment or {env_file}): {msg}") from None


def resolve_config_path(settings: Settings) -> Path:
    """The TOML path in use: CLAIMWATCH_CONFIG, else ./claimwatch.toml, else the shipped example."""
    if settings.config_path is not None:
        if not settings.config_path.is_file():
            raise ConfigError(f"setting CLAIMWATCH_CONFIG: file {settings.config_path} not found")
        return settings.config_path
    local = Path("claimwatch.toml")
    return local if local.is_file() else EXAMPLE_CONFIG


def load_file_config(path: Path) -> FileConfig:
    """Parse and validate the TOML file or raise ConfigError naming key and file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: invalid TOML: {exc}") from None
    try:
        cfg = FileConfig.model_validate(data)
    except ValidationError as exc:
        key, msg = _first_error(exc)
        raise ConfigError(f"config file {path}: {key}: {msg}") from None
    keys = [c.key for c in cfg.claims]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ConfigError(f"config file {path}: claims: duplicate key {sorted(dup)[0]!r}")
    for i, ch in enumerate(cfg.channels):
        unknown = [k for k in ch.claims if k != "*" and k not in keys]
        if unknown:
            raise ConfigError(f"config file {path}: channels[{i}].claims: unknown claim key {unknown[0]!r}")
    return cfg
