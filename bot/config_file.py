"""The TOML file's shape: [bot], [retention], [moderators], [[claims]], [[sources]], [[channels]]."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.durations import SOURCE_EVERY, parse_duration
from bot.models import CLAIM_STATUSES, SPEAKER_KINDS
from bot.policy.settings import parse_changes


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


class RetentionSection(BaseModel):
    """[retention]: how long bulky rows are kept; 0 keeps them forever. The ledger is always kept."""

    model_config = ConfigDict(extra="forbid")
    document_text_days: int = Field(default=0, ge=0, le=36500)  # article bodies (titles, hashes stay)
    unmatched_statements_days: int = Field(default=0, ge=0, le=36500)  # statements no claim matched


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
        # at most /source add's longest; shorter than its 1m floor is the operator's call (tests poll at 1s)
        parse_duration(v, 1, SOURCE_EVERY[1])
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

    @field_validator("platform")
    @classmethod
    def _platform(cls, v: str) -> str:
        if v not in {"slack", "discord", "console"}:  # a typo would leave the channel silent forever
            raise ValueError("must be slack, discord or console")
        return v

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
    retention: RetentionSection = RetentionSection()
    claims: list[ClaimEntry] = []
    sources: list[SourceEntry] = []
    channels: list[ChannelEntry] = []
