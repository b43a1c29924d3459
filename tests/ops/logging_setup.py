"""Run the bot's own logging set-up inside a test and put the test runner's logging back afterwards."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from bot.logs import setup_logging

NOISY = ("httpx", "httpcore", "discord", "slack_bolt", "slack_sdk", "asyncio", "aiohttp.access", "matplotlib")


@contextlib.contextmanager
def bot_logging(level: str = "INFO", secrets: tuple[str, ...] = (), fmt: str = "text") -> Iterator[None]:
    """setup_logging() for the duration; its handler writes to the sys.stderr of that moment (capsys)."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {n: logging.getLogger(n).level for n in NOISY})
    setup_logging(level, secrets, fmt)
    try:
        yield
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, lvl in saved[2].items():
            logging.getLogger(name).setLevel(lvl)
