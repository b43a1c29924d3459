"""Local RSS feeds on 127.0.0.1 that publish new items as time passes (one item per `period_s` over
all feeds), each item worded apart from the others so none reads as a syndicated copy."""

from __future__ import annotations

import random
import threading
import time
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLAIM_LINES = [
    "Ukraine launched a drone attack on Putin's residence in the Novgorod region, the ministry said.",
    "The tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea, investigators said.",
]
WORDS = ("harbour council budget river orchard festival tram library winter ferry museum vineyard "
         "bakery stadium glacier parish lantern quarry meadow archive clinic canal bridge market "
         "theatre garden railway schoolyard factory mill cathedral pasture beacon workshop").split()


def item_text(i: int, lines: list[str] = CLAIM_LINES) -> tuple[str, str]:
    """Title and body of item `i`: one claim sentence among filler of its own."""
    rng = random.Random(i)
    filler = [" ".join(rng.choice(WORDS) for _ in range(9)).capitalize() + f" number {i}-{k}."
              for k in range(4)]
    # The claim sentence carries the item's number: identical wording would fold as one story.
    claim = lines[i % len(lines)].rstrip(".") + f" in report {i}."
    return f"Dispatch {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}", " ".join(
        [filler[0], claim, *filler[1:]])


class LiveFeeds:
    """`feeds` feeds; item i goes to feed i % feeds at start + i * period_s, up to `items` items."""

    def __init__(self, feeds: int, items: int, period_s: float = 1.0, start: float | None = None,
                 delay_s: float = 0.0, lines: list[str] | None = None) -> None:
        self.feeds, self.items, self.period_s = feeds, items, period_s
        self.lines = lines or CLAIM_LINES
        self.start = time.time() if start is None else start  # may be moved later: read on each GET
        self.delay_s = delay_s  # each GET waits this long (simulates slow remote servers)
        self.published: dict[str, float] = {}  # guid -> publication time (first time a GET showed it)
        self.lock = threading.Lock()
        feeds_ = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                body = feeds_.render(self.path)
                if body is None:
                    self.send_error(404)
                    return
                if feeds_.delay_s:
                    time.sleep(feeds_.delay_s)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a process killed mid-fetch: what the tests do on purpose

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, feed: int) -> str:
        """The URL of feed `feed`."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/feed{feed}.xml"

    def due(self, now: float | None = None) -> list[int]:
        """Items published by `now`."""
        now = time.time() if now is None else now
        n = min(self.items, int((now - self.start) / self.period_s) + 1) if now >= self.start else 0
        return list(range(n))

    def guid(self, i: int) -> str:
        """Item i's guid."""
        return f"live-{i}"

    def render(self, path: str) -> bytes | None:
        """The RSS of one feed as of now (its newest 50 items)."""
        if not (path.startswith("/feed") and path.endswith(".xml")):
            return None
        try:
            feed = int(path[5:-4])
        except ValueError:
            return None
        mine = [i for i in self.due() if i % self.feeds == feed][-50:]
        parts = []
        for i in mine:
            title, text = item_text(i, self.lines)
            at = self.start + i * self.period_s
            with self.lock:
                self.published.setdefault(self.guid(i), at)
            parts.append(
                f"<item><title>{escape(title)}</title><link>http://news.test/{feed}/{i}</link>"
                f"<guid isPermaLink=\"false\">{self.guid(i)}</guid><pubDate>{formatdate(at, usegmt=True)}</pubDate>"
                f"<description>{escape(text)}</description></item>")
        return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Live {feed}</title>"
                f"<link>http://news.test/{feed}</link><description>test</description>{''.join(parts)}"
                "</channel></rss>").encode()

    def __enter__(self) -> LiveFeeds:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
