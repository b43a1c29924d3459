"""SSRF guard: refuse loopback, private, link-local, multicast and metadata addresses after DNS.

The same policy is checked twice: before each hop (for a clear reason and so a pooled
connection is never reused by a stricter source) and again inside the connection backend,
which connects to exactly the address it just checked, so DNS rebinding between the two
cannot smuggle in a private address.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Cloud metadata endpoints: refused even when private addresses are allowed.
METADATA = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
}


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


def _plain(ip: IP) -> IP:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_public(ip: IP) -> bool:
    """True when the address is globally routable unicast."""
    ip = _plain(ip)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, via the operating system."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeURLError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class Policy:
    """Which non-public addresses a fetch may reach."""

    allow_private: bool = False  # RFC 1918, loopback, ULA: for intranets and tests
    allow_networks: tuple[Network, ...] = ()  # explicit exceptions, e.g. 127.0.0.1/32 in tests

    def refusal(self, ip: IP) -> str | None:
        """Why `ip` may not be reached, or None when it may."""
        ip = _plain(ip)
        if any(ip in net for net in self.allow_networks):
            return None
        if ip in METADATA:
            return "a cloud metadata address"
        if is_public(ip):
            return None
        if self.allow_private and (ip.is_private or ip.is_loopback) and not (
            ip.is_link_local or ip.is_multicast or ip.is_unspecified
        ):
            return None
        return "a non-public address"


def networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Parse CIDR strings ("10.2.0.0/16", "127.0.0.1")."""
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


_STRICT = Policy()
_POLICY: contextvars.ContextVar[Policy | None] = contextvars.ContextVar("ssrf_policy", default=None)


@contextmanager
def policy_scope(policy: Policy) -> Iterator[None]:
    """Apply `policy` to every connection opened by this task inside the block."""
    token = _POLICY.set(policy)
    try:
        yield
    finally:
        _POLICY.reset(token)


def current_policy() -> Policy:
    """The policy of the running task (strict by default)."""
    return _POLICY.get() or _STRICT


async def safe_addresses(
    host: str, port: int, policy: Policy | None = None, resolver: Resolver = system_resolve
) -> list[str]:
    """Resolve `host` and return its addresses; UnsafeURLError if ANY of them is refused."""
    policy = policy or current_policy()
    try:
        addrs = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        addrs = await resolver(host, port)
    if not addrs:
        raise UnsafeURLError(f"cannot resolve host {host!r}")
    for addr in addrs:
        ip = ipaddress.ip_address(addr.split("%")[0])
        why = policy.refusal(ip)
        if why:
            raise UnsafeURLError(f"refusing {host}: it resolves to {why} ({ip})")
    return addrs


async def check_url(
    url: str, allow_private: bool = False, *, policy: Policy | None = None,
    resolver: Resolver = system_resolve,
) -> list[str]:
    """Raise UnsafeURLError unless the URL is http(s) and every address of its host is allowed."""
    host = check_scheme(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return await safe_addresses(host, port, policy or Policy(allow_private=allow_private), resolver)
