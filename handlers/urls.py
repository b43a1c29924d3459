"""URLs typed in chat: checked for shape and size before anything resolves or fetches them."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.text import clip
from handlers.errors import UsageError

MAX_URL = 2000  # what browsers and servers reliably accept
MAX_HOST = 253  # DNS: a name is at most 253 characters, each label at most 63


def check_url_shape(url: str) -> str:
    """`url` when it is an http(s) URL of sane size with a valid host and port; a one-line UsageError otherwise."""
    shown = clip(url, 80)
    if len(url) > MAX_URL:
        raise UsageError(f"That URL is {len(url):,} characters long; the limit is {MAX_URL:,}.")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when out of range or not a number
    except ValueError as exc:
        raise UsageError(f"{shown!r} is not a valid URL ({exc}).") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"not an http(s) URL: {shown!r}")
    host = parts.hostname or ""
    if not host:
        raise UsageError(f"URL has no host: {shown!r}")
    if len(host) > MAX_HOST or any(len(label) > 63 for label in host.split(".")):
        raise UsageError(f"The host name in {shown!r} is too long for DNS ({len(host):,} characters).")
    if ":" not in host:  # an IPv6 literal needs no name check
        try:
            host.encode("idna")  # names with letters outside ASCII must be valid international names
        except UnicodeError:
            raise UsageError(f"The host name in {shown!r} is not a valid domain name.") from None
    if port == 0:
        raise UsageError(f"{shown!r} has port 0, which no server listens on.")
    return url
