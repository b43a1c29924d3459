"""Polite, bounded HTTP GET: SSRF check on every hop, conditional requests, size and time caps."""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from bot.sources.ssrf import Policy, Resolver, check_url, policy_scope, system_resolve
from bot.sources.transport import make_client, user_agent

__all__ = ["FetchError", "Limits", "Response", "get", "make_client", "user_agent"]

TEXT_TYPES = ("text/", "application/rss", "application/atom", "application/xml", "application/json",
              "application/feed+json", "application/rdf", "application/xhtml", "application/x-rss")


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one fetch."""

    max_body: int = 5 * 1024 * 1024  # bytes on the wire
    max_decoded: int = 20 * 1024 * 1024  # bytes after decompression (gzip bombs stop here)
    max_redirects: int = 5
    total_s: float = 60.0


DEFAULT_LIMITS = Limits()


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


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Decoder:
    """Incremental Content-Encoding decoder that never produces more than `cap` bytes."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.out = bytearray()
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self.zobj = None
        elif enc in ("gzip", "x-gzip"):
            self.zobj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.zobj = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header
        else:
            raise FetchError(f"unsupported content encoding {enc}")
        self.raw_deflate = enc == "deflate"
        self.started = False

    def feed(self, chunk: bytes) -> None:
        if self.zobj is None:
            self._add(chunk)
            return
        if self.raw_deflate and not self.started and chunk and chunk[0] & 0x0F != 8:
            self.zobj = zlib.decompressobj(-zlib.MAX_WBITS)  # headerless deflate, seen in the wild
        self.started = True
        data = chunk
        while data:
            try:
                # max_length bounds memory: a bomb is cut off at the cap, never inflated whole.
                part = self.zobj.decompress(data, self.cap - len(self.out) + 1)
            except zlib.error as exc:
                raise FetchError(f"corrupt compressed body: {exc}") from None
            self._add(part)
            data = self.zobj.unconsumed_tail

    def _add(self, part: bytes) -> None:
        self.out.extend(part)
        if len(self.out) > self.cap:
            raise FetchError(f"decompressed body larger than {self.cap // 1024} KiB")


def _content_type_ok(ctype: str) -> bool:
    return not ctype or ctype.startswith(TEXT_TYPES) or ctype.endswith(("+xml", "+json"))


async def _hop(client: httpx.AsyncClient, url: str, headers: dict[str, str], limits: Limits) -> Response | str:
    """One request: a Response, or the next URL when it redirects."""
    async with client.stream("GET", url, headers=headers) as resp:
        if resp.status_code == 304:
            return Response(url, 304, b"", "", resp.headers.get("etag"), resp.headers.get("last-modified"))
        if resp.status_code in (301, 302, 303, 307, 308):
            location = resp.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
            return urljoin(url, location)
        if resp.status_code in (429, 503):
            raise FetchError(f"HTTP {resp.status_code}", parse_retry_after(resp.headers.get("retry-after")),
                             resp.status_code)
        if resp.status_code >= 400:
            raise FetchError(f"HTTP {resp.status_code}", status=resp.status_code)
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if not _content_type_ok(ctype):
            raise FetchError(f"unsupported content type {ctype}")
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_body:
            raise FetchError(f"body larger than {limits.max_body // 1024} KiB (Content-Length {declared})")
        decoder = _Decoder(resp.headers.get("content-encoding", ""), limits.max_decoded)
        received = 0
        async for chunk in resp.aiter_raw():
            received += len(chunk)
            if received > limits.max_body:
                raise FetchError(f"body larger than {limits.max_body // 1024} KiB")
            decoder.feed(chunk)
        return Response(url, resp.status_code, bytes(decoder.out), resp.headers.get("content-type", ""),
                        resp.headers.get("etag"), resp.headers.get("last-modified"))


async def get(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    policy: Policy | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Response:
    """GET `url` following at most `limits.max_redirects` checked redirects; FetchError on failure."""
    policy = policy or Policy(allow_private=allow_private)
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                         "application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen: set[str] = set()
    try:
        async with asyncio.timeout(limits.total_s):
            with policy_scope(policy):
                for _hop_no in range(limits.max_redirects + 1):
                    if url in seen:
                        raise FetchError(f"redirect loop at {url}")
                    seen.add(url)
                    await check_url(url, policy=policy, resolver=_resolver(client))
                    result = await _hop(client, url, headers, limits)
                    if isinstance(result, Response):
                        return result
                    url = result
    except TimeoutError:
        raise FetchError(f"timed out after {limits.total_s:g}s in total") from None
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({type(exc).__name__})") from None
    except httpx.RemoteProtocolError:
        raise FetchError("connection closed early (truncated response)") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"connection failed: {type(exc).__name__}") from None
    raise FetchError(f"more than {limits.max_redirects} redirects")


def _resolver(client: httpx.AsyncClient) -> Resolver:
    """The resolver the client's guarded backend uses, so the pre-check sees the same answers."""
    backend = getattr(getattr(client._transport, "_pool", None), "_network_backend", None)
    return getattr(backend, "resolver", system_resolve)
