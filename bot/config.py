"""Settings from the environment/.env and the TOML file of sources, claims, channels and moderators."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.durations import parse_duration
from bot.models import CLAIM_STATUSES, SPEAKER_KINDS
from bot.policy.settings import parse_changes

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

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return v.upper()


class BotSection(BaseModel):
    """[bot]: loop timing and defaults."""

    model_config = ConfigDict(extra="forbid")
    tick: str = "2s"
    default_interval: str = "10m"
    max_item_age: str = "7d"
    contact: str = ""
    allow_private_addresses: bool = False
    # Fetching (issue #3): politeness, limits and address policy.
    allowed_networks: list[str] = []  # CIDRs reachable even when private, e.g. ["10.20.0.0/16"]
    global_concurrency: int = Field(default=16, ge=1, le=256)
    per_host_concurrency: int = Field(default=2, ge=1, le=16)
    pause_after_failures: int = Field(default=5, ge=1, le=100)
    max_backoff: str = "6h"
    connect_timeout: str = "10s"
    read_timeout: str = "20s"
    total_timeout: str = "60s"
    max_redirects: int = Field(default=5, ge=0, le=20)
    max_body_kb: int = Field(default=5120, ge=16)
    max_decompressed_kb: int = Field(default=20480, ge=16)
    full_text_below: int = Field(default=400, ge=0)  # fetch the article page for shorter entries; 0 = never
    # Several processes on one PostgreSQL: how long a due source or a platform's outbox stays with
    # the process that took it if that process dies (live holders renew or finish sooner).
    lease: str = "60s"

    @field_validator("tick", "default_interval", "max_item_age", "max_backoff", "connect_timeout",
                     "read_timeout", "total_timeout", "lease")
    @classmethod
    def _duration(cls, v: str) -> str:
        parse_duration(v)
        return v

    @field_validator("allowed_networks")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        import ipaddress

        for net in v:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise ValueError(f"{net!r} is not an IP network (use CIDR like 10.0.0.0/8)") from None
        return v


class ModeratorsSection(BaseModel):
    """[moderators]: who may change claims and sources, per platform."""

    model_config = ConfigDict(extra="forbid")
    console: list[str] = ["console"]
    slack_users: list[str] = []
    slack_usergroups: list[str] = []
    slack_admins: bool = False
    discord_users: list[str] = []
    discord_roles: list[str] = []


class ClaimEntry(BaseModel):
    """[[claims]]: a seed claim."""

    model_config = ConfigDict(extra="forbid")
    key: str
    text: str = Field(min_length=1, max_length=500)
    status: str = "unverified"
    keywords: list[str] = []
    threshold: float | None = Field(default=None, ge=0, le=1)

    @field_validator("status")
    @classmethod
    def _status(cls, v: str) -> str:
        if v not in CLAIM_STATUSES:
            raise ValueError(f"must be one of {', '.join(CLAIM_STATUSES)}")
        return v


class SourceEntry(BaseModel):
    """[[sources]]: a feed URL, a page URL or a local folder/file."""

    model_config = ConfigDict(extra="forbid")
    url: str
    kind: str = "feed"
    label: str = ""
    speaker_kind: str = "unknown"
    every: str = "10m"
    quiet_first: bool = True

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in {"feed", "page", "folder"}:
            raise ValueError("must be feed, page or folder")
        return v

    @field_validator("speaker_kind")
    @classmethod
    def _speaker(cls, v: str) -> str:
        if v not in SPEAKER_KINDS:
            raise ValueError(f"must be one of {', '.join(SPEAKER_KINDS)}")
        return v

    @field_validator("every")
    @classmethod
    def _every(cls, v: str) -> str:
        parse_duration(v)
        return v


class ChannelEntry(BaseModel):
    """[[channels]]: a channel that receives alerts for the listed claim keys ('*' for all)."""

    model_config = ConfigDict(extra="forbid")
    platform: str
    channel: str
    claims: list[str] = ["*"]
    moderators_alerts: bool = True
    # Initial alert settings in `/claim alerts` syntax, e.g. "rate=off mode=hourly"; applied once.
    alerts: str = ""

    @field_validator("alerts")
    @classmethod
    def _alerts(cls, v: str) -> str:
        if v.strip():
            parse_changes(v.split())
        return v


class FileConfig(BaseModel):
    """The whole TOML file."""

    model_config = ConfigDict(extra="forbid")
    bot: BotSection = BotSection()
    moderators: ModeratorsSection = ModeratorsSection()
    claims: list[ClaimEntry] = []
    sources: list[SourceEntry] = []
    channels: list[ChannelEntry] = []


def _first_error(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    key = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in err["loc"])
    return key.replace(".[", "["), err["msg"].removeprefix("Value error, ")


def load_settings(env_file: str | None = ".env") -> Settings:
    """Build Settings or raise ConfigError naming the variable."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
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
