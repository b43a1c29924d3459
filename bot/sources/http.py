"""Polite, bounded HTTP GET: SSRF check on every hop, conditional requests, size caps."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from bot import __version__
from bot.sources.ssrf import check_url

MAX_BODY = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TEXT_TYPES = ("text/", "application/rss", "application/atom", "application/xml", "application/json",
              "application/feed+json", "application/rdf", "application/xhtml", "application/x-rss")


class FetchError(Exception):
    """A fetch that failed, with a one-line reason and an optional Retry-After in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(reason)
        self.retry_after = retry_after
        self.status = status


@dataclass(slots=True)
class Response:
    """What a GET returned."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True for a 304."""
        return self.status == 304


def user_agent(contact: str = "") -> str:
    """Our user agent, with the operator's contact when configured."""
    tail = f"; +{contact}" if contact else ""
    return f"Claimwatch/{__version__} (claim monitoring bot{tail})"


def make_client(contact: str = "", timeout: float = 20.0) -> httpx.AsyncClient:
    """A shared client: timeouts, no automatic redirects (each hop is checked), compression."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=10.0),
        follow_redirects=False,
        headers={"User-Agent": user_agent(contact), "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


async def get(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    max_body: int = MAX_BODY,
) -> Response:
    """GET `url` following at most MAX_REDIRECTS checked redirects; FetchError on any failure."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        await check_url(url, allow_private)
        try:
            async with client.stream("GET", url, headers=headers) as resp:
                if resp.is_redirect:
                    url = urljoin(url, resp.headers.get("location", ""))
                    continue
                if resp.status_code == 304:
                    return Response(url, 304, b"", "", etag, last_modified)
                if resp.status_code in (429, 503):
                    raise FetchError(
                        f"HTTP {resp.status_code}", _retry_after(resp.headers.get("retry-after")),
                        resp.status_code,
                    )
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code}", status=resp.status_code)
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and not ctype.startswith(TEXT_TYPES) and not ctype.endswith(("+xml", "+json")):
                    raise FetchError(f"unsupported content type {ctype}")
                body = bytearray()
                # iter_bytes decompresses, so this caps the decompressed size too (gzip bombs).
                async for chunk in resp.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > max_body:
                        raise FetchError(f"body larger than {max_body // 1024} KiB")
                return Response(
                    url, resp.status_code, bytes(body), resp.headers.get("content-type", ""),
                    resp.headers.get("etag"), resp.headers.get("last-modified"),
                )
        except httpx.TimeoutException:
            raise FetchError("timed out") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"connection failed: {type(exc).__name__}") from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")
