"""Logging set-up: text or one JSON object a line, with a filter that keeps secrets out of every line."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

_PATTERNS = [
    re.compile(r"xox[abposr]-[\w-]+"),  # Slack bot/user tokens
    re.compile(r"xapp-[\w-]+"),  # Slack app-level tokens
    re.compile(r"[MN][\w-]{23,25}\.[\w-]{6}\.[\w-]{27,}"),  # Discord bot tokens
    re.compile(r"(?i)(authorization:\s*(?:bot|bearer)\s+)\S+"),
]
# Attributes every LogRecord has; anything else on a record came from `extra=` and becomes a JSON field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with known secret values and token shapes replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    for pat in _PATTERNS:
        text = pat.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class RedactFilter(logging.Filter):
    """Rewrites each record's message so no secret reaches a handler."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message (and drop args so they cannot re-expand)."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


def _plain(value: Any) -> Any:
    # Fields must be JSON: keep numbers, strings, lists and dicts; anything else as its str().
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, message, the record's `extra=` fields, exc."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON, secrets redacted in every field."""
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                doc[key] = _plain(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            doc["exc"] = record.exc_text
        # Extras were never seen by RedactFilter: redact the whole line (*** is JSON-safe).
        return redact(json.dumps(doc, ensure_ascii=False), self.secrets)


def setup_logging(level: str, secrets: tuple[str, ...] = (), fmt: str = "text") -> None:
    """Log to stderr at `level` as text or JSON lines, every record redacted."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "discord", "slack_bolt", "slack_sdk", "asyncio", "aiohttp.access",
                  "matplotlib"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
