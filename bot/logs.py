"""Logging set-up with a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    re.compile(r"xox[abposr]-[\w-]+"),  # Slack bot/user tokens
    re.compile(r"xapp-[\w-]+"),  # Slack app-level tokens
    re.compile(r"[MN][\w-]{23,25}\.[\w-]{6}\.[\w-]{27,}"),  # Discord bot tokens
    re.compile(r"(?i)(authorization:\s*(?:bot|bearer)\s+)\S+"),
]


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


def setup_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr at `level`, every record redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "discord", "slack_bolt", "slack_sdk", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
