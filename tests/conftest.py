"""Shared fixtures: a temporary store (SQLite, or both backends where a module asks), the fast
lexical judge, a dispatcher, a local feed server."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.judge import load_judge
from bot.judging import JudgeService
from bot.platform import Actor, Command, Reply
from handlers import Dispatcher, Moderators, Services
from storage import Store
from tests.postgres.server import PgServer, ServerUnavailable

NO_MODEL = Path("/nonexistent-claimwatch-model")
BACKENDS = ["sqlite", "postgresql"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules marked `both_backends` run every store test on SQLite and on PostgreSQL."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL for the session on 127.0.0.1; skipped where it cannot start, failed under CI."""
    try:
        server = PgServer().start()
    except ServerUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL did not start under CI: {exc}")
        pytest.skip(f"PostgreSQL did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh empty schema on the session's server, as a postgresql:// URL."""
    return pg_server.new_schema()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which backend the store fixture opens (SQLite unless the module runs on both)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where the store lives: a temporary SQLite file, or a fresh PostgreSQL database."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "test.db")


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """A migrated store on the test's backend."""
    s = Store(db_url)
    await s.open()
    yield s
    await s.close()


@pytest.fixture
def lexical_judge() -> JudgeService:
    """The fast lexical judge behind the async service."""
    svc = JudgeService(load_judge(NO_MODEL))
    yield svc
    svc.close()


@pytest.fixture
def services(store: Store, lexical_judge: JudgeService) -> Services:
    """Services with one console moderator ('mod')."""
    return Services(store=store, judge=lexical_judge, moderators=Moderators(users={"console": {"mod"}}))


@dataclass
class Chat:
    """Send commands as a user in a channel."""

    dispatcher: Dispatcher
    channel: str = "newsroom"

    async def __call__(self, line: str, user: str = "mod") -> Reply:
        group, _, rest = line.lstrip("/").partition(" ")
        reply = await self.dispatcher(Command(group, rest, Actor("console", user, user), self.channel))
        # Let follow-up work (backfill after /claim add) finish so tests see its effects.
        await asyncio.gather(*self.dispatcher.services.tasks)
        return reply


@pytest.fixture
def chat(services: Services) -> Chat:
    """A console chat against the real dispatcher."""
    return Chat(Dispatcher(services))


@dataclass
class Route:
    """One canned HTTP response."""

    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/rss+xml"})


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 serving canned routes; records every request path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                self.send_response(route.status)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        """Absolute URL of a path."""
        return self.base + path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running local feed server."""
    srv = FeedServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
