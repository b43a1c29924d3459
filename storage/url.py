"""CLAIMWATCH_DB: a file path or sqlite:/// URL selects SQLite, postgresql:// selects PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://")
_PG_SCHEMES = {"postgresql", "postgres"}


class DatabaseURLError(ValueError):
    """CLAIMWATCH_DB names no database Claimwatch can open."""


@dataclass(frozen=True)
class DatabaseTarget:
    """Which backend and where: `path` for SQLite, `dsn` for PostgreSQL."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None
    dsn: str | None = None

    @property
    def is_postgres(self) -> bool:
        """True for a PostgreSQL server."""
        return self.kind == "postgresql"

    @property
    def in_memory(self) -> bool:
        """True for SQLite's :memory:."""
        return self.path is not None and str(self.path) == ":memory:"

    def __str__(self) -> str:
        """Printable: the SQLite path, or the URL with any password hidden (safe for logs)."""
        if self.path is not None:
            return str(self.path)
        return redact(self.dsn or "")


def redact(dsn: str) -> str:
    """The URL with its password replaced by ***."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def parse_database(value: str | Path | DatabaseTarget) -> DatabaseTarget:
    """Read CLAIMWATCH_DB; DatabaseURLError (one line) for a scheme no backend serves."""
    if isinstance(value, DatabaseTarget):
        return value
    if isinstance(value, Path):
        return DatabaseTarget("sqlite", path=value)
    text = value.strip()
    if not text:
        raise DatabaseURLError("empty: use a file path, sqlite:///path or postgresql://user@host/db")
    m = _SCHEME.match(text)
    if m is None:
        return DatabaseTarget("sqlite", path=Path(text))
    scheme = m.group(1).lower()
    if scheme in _PG_SCHEMES:
        if not urlsplit(text).hostname and "host=" not in text:
            raise DatabaseURLError("a postgresql:// URL needs a host, as in postgresql://user@host/db")
        return DatabaseTarget("postgresql", dsn=text)
    if scheme == "sqlite":
        # SQLAlchemy's spelling: sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory:
        rest = text[len(m.group(0)):]
        if not rest.startswith("/") or rest == "/":
            raise DatabaseURLError("write sqlite:///relative/path.db or sqlite:////absolute/path.db")
        return DatabaseTarget("sqlite", path=Path(rest[1:]))
    raise DatabaseURLError(
        f"unknown scheme {scheme}://: use a file path, sqlite:///path or postgresql://user@host/db"
    )
