"""An httpx client whose every TCP connection goes to an address the SSRF policy just approved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

from bot import __version__
from bot.sources.ssrf import Resolver, UnsafeURLError, safe_addresses, system_resolve


class GuardedBackend(AsyncNetworkBackend):
    """Resolves, checks, then connects to the checked IP (no second lookup to rebind)."""

    def __init__(self, inner: AsyncNetworkBackend, resolver: Resolver = system_resolve) -> None:
        self.inner = inner
        self.resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        """Open a connection to the first reachable approved address of `host`."""
        addrs = await safe_addresses(host, port, resolver=self.resolver)
        last: Exception | None = None
        for addr in addrs:
            try:
                return await self.inner.connect_tcp(
                    addr, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> AsyncNetworkStream:
        """Never: sources are network URLs."""
        raise UnsafeURLError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        """Delegate."""
        await self.inner.sleep(seconds)


def user_agent(contact: str = "") -> str:
    """Our user agent, with the operator's contact (URL or e-mail) when configured."""
    tail = f"; +{contact}" if contact else ""
    return f"Claimwatch/{__version__} (claim monitoring bot{tail})"


def make_client(
    contact: str = "",
    *,
    connect_s: float = 10.0,
    read_s: float = 20.0,
    max_connections: int = 32,
    resolver: Resolver = system_resolve,
) -> httpx.AsyncClient:
    """A shared client: guarded connections, no automatic redirects (each hop is checked)."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        retries=0,
    )
    pool = transport._pool  # httpx exposes no public hook for the network backend
    pool._network_backend = GuardedBackend(pool._network_backend, resolver)
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(read_s, connect=connect_s, pool=read_s),
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment would bypass the address check
        headers={"User-Agent": user_agent(contact), "Accept-Encoding": "gzip, deflate"},
    )
