"""The bounded, guarded GET against a real local server: faults, limits, redirects, SSRF."""

from __future__ import annotations

import gzip

import httpx
import pytest
from aiohttp import web

from bot.sources import http
from bot.sources.http import FetchError, Limits, parse_retry_after
from bot.sources.ssrf import Policy, UnsafeURLError
from tests.sources.conftest import LOOPBACK_ONLY
from tests.sources.server import FaultServer


async def get(client: httpx.AsyncClient, url: str, **kw: object) -> http.Response:
    kw.setdefault("policy", LOOPBACK_ONLY)
    return await http.get(client, url, **kw)  # type: ignore[arg-type]


async def test_fixture_is_fetched_compressed_with_user_agent(server: FaultServer, client: httpx.AsyncClient) -> None:
    resp = await get(client, server.url("/feeds/wire-service.xml"))
    assert resp.status == 200 and b"91 drones" in resp.body
    seen = server.headers["/feeds/wire-service.xml"]
    assert "gzip" in seen["Accept-Encoding"]
    assert seen["User-Agent"].startswith("Claimwatch/") and "https://newsroom.example/bot" in seen["User-Agent"]


async def test_conditional_get_returns_304_with_etag(server: FaultServer, client: httpx.AsyncClient) -> None:
    first = await get(client, server.url("/feeds/mastodon.xml"))
    again = await get(client, server.url("/feeds/mastodon.xml"), etag=first.etag,
                      last_modified=first.last_modified)
    assert first.etag and again.not_modified and again.body == b""
    assert server.headers["/feeds/mastodon.xml"]["If-None-Match"] == first.etag


@pytest.mark.parametrize(
    ("path", "reason", "retry_after"),
    [
        ("/500", "HTTP 500", None),
        ("/429", "HTTP 429", 120.0),
        ("/404", "HTTP 404", None),
        ("/truncated", "connection closed early (truncated response)", None),
        ("/oversized", "body larger than 5120 KiB", None),
        ("/bomb", "decompressed body larger than 20480 KiB", None),
        ("/binary", "unsupported content type image/png", None),
        ("/loop-a", "redirect loop at", None),
    ],
)
async def test_faults_become_one_line_reasons(
    server: FaultServer, client: httpx.AsyncClient, path: str, reason: str, retry_after: float | None
) -> None:
    with pytest.raises(FetchError) as err:
        await get(client, server.url(path))
    assert str(err.value).startswith(reason) and "\n" not in str(err.value)
    assert err.value.retry_after == retry_after


async def test_503_retry_after_http_date(server: FaultServer, client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError) as err:
        await get(client, server.url("/503"))
    assert err.value.status == 503 and err.value.retry_after and err.value.retry_after > 86400


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0


async def test_slow_response_hits_total_timeout(server: FaultServer, client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError, match="timed out"):
        await get(client, server.url("/slow"), limits=Limits(total_s=0.5))


async def test_read_timeout(server: FaultServer) -> None:
    c = http.make_client(read_s=0.3)
    try:
        with pytest.raises(FetchError, match="timed out"):
            await get(c, server.url("/slow"))
    finally:
        await c.aclose()


async def test_too_many_redirects(server: FaultServer, client: httpx.AsyncClient) -> None:
    for i in range(4):
        server.routes[f"/r{i}"] = _redirect(f"/r{i + 1}")
    with pytest.raises(FetchError, match="more than 2 redirects"):
        await get(client, server.url("/r0"), limits=Limits(max_redirects=2))


async def test_redirect_is_followed_and_checked(server: FaultServer, client: httpx.AsyncClient) -> None:
    resp = await get(client, server.url("/hop"))
    assert resp.url.endswith("/feeds/wire-service.xml") and resp.status == 200


@pytest.mark.parametrize(
    ("path", "target"),
    [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254"), ("/to-mixed", "10.1.2.3")],
)
async def test_redirect_to_private_address_is_refused(
    server: FaultServer, client: httpx.AsyncClient, path: str, target: str
) -> None:
    # 127.0.0.1 is allowed for the source itself; the redirect target is not.
    strict_after_source = Policy(allow_networks=LOOPBACK_ONLY.allow_networks)
    with pytest.raises(UnsafeURLError, match="refusing"):
        await get(client, server.url(path), policy=strict_after_source)
    assert server.hits[path] == 1


async def test_intranet_name_allowed_only_with_private_setting(server: FaultServer, client: httpx.AsyncClient) -> None:
    url = f"http://intranet.test:{server.port}/feeds/bluesky.xml"
    with pytest.raises(UnsafeURLError, match=r"non-public address \(127.0.0.1\)"):
        await http.get(client, url)
    resp = await http.get(client, url, allow_private=True)
    assert resp.status == 200


async def test_metadata_refused_even_when_private_allowed(client: httpx.AsyncClient) -> None:
    with pytest.raises(UnsafeURLError, match="metadata"):
        await http.get(client, "http://metadata.test/latest/", allow_private=True)


async def test_any_private_address_among_several_is_refused(client: httpx.AsyncClient) -> None:
    with pytest.raises(UnsafeURLError, match="10.1.2.3"):
        await http.get(client, "http://mixed.test/feed")


async def test_dns_rebinding_between_check_and_connect_is_refused(server: FaultServer) -> None:
    answers = [["93.184.216.34"], ["127.0.0.1"]]

    async def rebinding(host: str, port: int) -> list[str]:
        return answers.pop(0) if len(answers) > 1 else answers[0]

    c = http.make_client(resolver=rebinding)
    try:
        with pytest.raises(UnsafeURLError, match="127.0.0.1"):
            await http.get(c, f"http://rebind.test:{server.port}/feeds/bluesky.xml")
    finally:
        await c.aclose()
    assert "/feeds/bluesky.xml" not in server.hits  # the connection never reached the server


async def test_non_http_schemes_refused(client: httpx.AsyncClient) -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/x", "http:///nohost"):
        with pytest.raises(UnsafeURLError):
            await http.get(client, url)


async def test_gzip_within_limits_is_decoded(server: FaultServer, client: httpx.AsyncClient) -> None:
    body = b"<rss version='2.0'><channel><title>x</title></channel></rss>"

    async def deflated(req: web.Request) -> web.Response:
        return web.Response(body=gzip.compress(body), headers={
            "Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})

    server.routes["/gz"] = deflated
    assert (await get(client, server.url("/gz"))).body == body


def _redirect(to: str):  # type: ignore[no-untyped-def]
    async def handler(req: web.Request) -> web.Response:
        return web.Response(status=301, headers={"Location": to})
    return handler
