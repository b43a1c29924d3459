"""One log line for an unreachable chat service, instead of a traceback on every reconnect attempt."""

from __future__ import annotations

import logging


class RetryNotice(logging.Filter):
    """On a chat library's logger: its "cannot connect, retrying" records become one WARNING line.

    The first failure of an outage prints `<service>: cannot reach <service> (<reason>); retrying
    until it answers` without the traceback; the repeats are dropped until `connected()` is called.
    """

    def __init__(self, service: str, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self.service = service
        self.prefixes = prefixes
        self.retrying = False
        self.failures = 0

    def filter(self, record: logging.LogRecord) -> bool:
        """Pass other records untouched; shorten the first retry record, drop the later ones."""
        message = record.getMessage()
        if not message.startswith(self.prefixes):
            return True
        self.failures += 1
        exc = record.exc_info[1] if record.exc_info else None
        reason = f"{type(exc).__name__}: {exc}" if exc is not None else message
        record.exc_info = record.exc_text = record.stack_info = None
        if self.retrying:
            return False
        self.retrying = True
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = f"{self.service}: cannot reach {self.service} ({reason[:300]}); retrying until it answers"
        record.args = None
        return True

    def connected(self) -> None:
        """The service answered: the next outage is reported again."""
        self.retrying = False

    def attach(self, logger: logging.Logger) -> RetryNotice:
        """Install on `logger` (once) and return self."""
        if self not in logger.filters:
            logger.addFilter(self)
        return self
