"""A local aiohttp server on 127.0.0.1 that serves feed fixtures and every fault a fetcher meets."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CTYPES = {".xml": "application/rss+xml", ".atom": "application/atom+xml", ".json": "application/feed+json",
          ".html": "text/html; charset=utf-8", ".rdf": "application/rdf+xml"}


def _bomb() -> bytes:
    # 64 MiB of spaces compresses to ~64 KiB: small on the wire, huge when inflated.
    return gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)


class FaultServer:
    """Routes are plain dict entries so a test can add its own; `hits` counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self.headers: dict[str, dict[str, str]] = {}
        self.runner: web.AppRunner | None = None
        self.port = 0
        self._bomb: bytes | None = None
        self._install()

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of `path`."""
        return self.base + path

    async def start(self) -> None:
        """Listen on an ephemeral loopback port."""
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._dispatch)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close the server."""
        if self.runner:
            await self.runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.hits[path] = self.hits.get(path, 0) + 1
        self.headers[path] = dict(request.headers)
        handler = self.routes.get(path)
        if handler is None and path.startswith("/feeds/"):
            return self.fixture(path.removeprefix("/feeds/"), request)
        if handler is None:
            return web.Response(status=404, text="not here")
        return await handler(request)

    def fixture(self, name: str, request: web.Request, ctype: str | None = None) -> web.Response:
        """Serve a fixture file with an ETag and Last-Modified, answering 304 when unchanged."""
        path = FIXTURES / name
        if not path.is_file():
            return web.Response(status=404)
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        lm = "Tue, 03 Mar 2026 10:00:00 GMT"
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag, "Last-Modified": lm, "Content-Type": ctype or CTYPES.get(path.suffix, "text/plain")}
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            return web.Response(body=gzip.compress(body), headers=headers | {"Content-Encoding": "gzip"})
        return web.Response(body=body, headers=headers)

    def _install(self) -> None:
        r = self.routes

        async def slow(req: web.Request) -> web.Response:
            await asyncio.sleep(5)
            return web.Response(text="late")

        async def status_500(req: web.Request) -> web.Response:
            return web.Response(status=500, text="boom")

        async def status_429(req: web.Request) -> web.Response:
            return web.Response(status=429, headers={"Retry-After": "120"})

        async def status_503(req: web.Request) -> web.Response:
            return web.Response(status=503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})

        async def truncated(req: web.Request) -> web.StreamResponse:
            resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml", "Content-Length": "50000"})
            await resp.prepare(req)
            await resp.write(b"<?xml version='1.0'?><rss version='2.0'><channel><title>Cut")
            assert req.transport is not None
            req.transport.close()  # hang up long before Content-Length bytes
            return resp

        async def oversized(req: web.Request) -> web.Response:
            return web.Response(body=b"<rss>" + b" " * (6 * 1024 * 1024), content_type="application/rss+xml")

        async def bomb(req: web.Request) -> web.Response:
            self._bomb = self._bomb or _bomb()
            return web.Response(body=self._bomb, headers={
                "Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})

        def redirect(to: str) -> Handler:
            async def handler(req: web.Request) -> web.Response:
                return web.Response(status=302, headers={"Location": to})
            return handler

        async def binary(req: web.Request) -> web.Response:
            return web.Response(body=b"\x89PNG\r\n", content_type="image/png")

        async def wrong_charset(req: web.Request) -> web.Response:
            # Says UTF-8, is Windows-1252: feedparser must still read it.
            body = (FIXTURES / "latin1-newspaper.xml").read_bytes()
            return web.Response(body=body, headers={"Content-Type": "application/rss+xml; charset=utf-8"})

        r.update({
            "/slow": slow, "/500": status_500, "/429": status_429, "/503": status_503,
            "/truncated": truncated, "/oversized": oversized, "/bomb": bomb, "/binary": binary,
            "/loop-a": redirect("/loop-b"), "/loop-b": redirect("/loop-a"),
            "/hop": redirect("/feeds/wire-service.xml"),
            "/to-private": redirect("http://10.0.0.1/feed"),
            "/to-metadata": redirect("http://metadata.test/latest/meta-data/"),
            "/to-mixed": redirect("http://mixed.test/feed"),
            "/wrong-charset": wrong_charset,
        })
