"""Refuse URLs that resolve to private, loopback, link-local, multicast or metadata addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURLError(ValueError):
    """A URL the bot refuses to fetch, with a one-line reason."""


def check_scheme(url: str) -> str:
    """The URL's host if it is http(s) with a host; UnsafeURLError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(f"not an http(s) URL: {url!r}")
    if not parts.hostname:
        raise UnsafeURLError(f"URL has no host: {url!r}")
    return parts.hostname


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True when the address is globally routable unicast."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeURLError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    return sorted({info[4][0] for info in infos})


async def check_url(url: str, allow_private: bool = False) -> None:
    """Raise UnsafeURLError unless every address of the URL's host is public (or private is allowed)."""
    host = check_scheme(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for addr in await resolve(host, port):
        ip = ipaddress.ip_address(addr.split("%")[0])
        if not allow_private and not is_public(ip):
            raise UnsafeURLError(f"refusing {host}: it resolves to a non-public address ({ip})")
