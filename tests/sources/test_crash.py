"""kill -9 at random moments, then restart: no fetched document lost, nothing stored or alerted twice."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from pathlib import Path

from aiohttp import web

from storage import Store
from tests.sources.server import FaultServer

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 6
ITEMS = 10
CLAIM = "91 drones were shot down over the Novgorod region overnight"
SHARED = "A wire flash carried by every outlet: 91 drones were shot down over Novgorod, officials said."


def feed(i: int) -> bytes:
    items = [(f"https://outlet{i}.example/wire-copy", SHARED)]
    for j in range(ITEMS):
        n = 100 + i * ITEMS + j
        items.append((f"https://outlet{i}.example/story/{j}",
                      f"Officials in report {n} said {n} drones were shot down over the Novgorod region overnight."))
    body = "".join(
        f"<item><guid>{link}</guid><link>{link}</link><title>Report</title><description>{text}</description>"
        f"<pubDate>Mon, 02 Mar 2026 {k % 24:02d}:00:00 GMT</pubDate></item>" for k, (link, text) in enumerate(items))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>o{i}</title>{body}</channel></rss>".encode()


async def prepare(db: Path, server: FaultServer) -> None:
    store = Store(db)
    await store.open()
    claim = await store.add_claim(CLAIM, "test")
    await store.watch(claim.id, "console", "desk")
    for i in range(FEEDS):
        await store.add_source(server.url(f"/crash/{i}.xml"), quiet_first=False, label=f"Outlet {i}", created_by="config")
    await store.close()


async def child(db: Path, mode: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.sources.crash_child", str(db), mode, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )


async def facts(db: Path) -> dict[str, object]:
    store = Store(db)
    await store.open()

    def read() -> dict[str, object]:
        q = store.db.execute
        return {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "dup_documents": q("SELECT COUNT(*) FROM (SELECT canonical_url FROM documents "
                               "GROUP BY canonical_url, version HAVING COUNT(*) > 1)").fetchone()[0],
            "alerts": q("SELECT COUNT(*) FROM alerts WHERE kind = 'statement'").fetchone()[0],
            "dup_alerts": q("SELECT COUNT(*) FROM (SELECT match_id FROM alerts WHERE match_id IS NOT NULL "
                            "GROUP BY match_id HAVING COUNT(*) > 1)").fetchone()[0],
            "alert_texts": sorted(r[0] for r in q("SELECT s.text FROM alerts a JOIN matches m ON m.id = a.match_id "
                                                  "JOIN statements s ON s.id = m.statement_id").fetchall()),
            # Statement alerts only: the ledger's conflict alerts depend on arrival order.
            "deliveries": q("SELECT COUNT(*) FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
                            "WHERE a.kind = 'statement'").fetchone()[0],
            "shared_doc": q("SELECT COUNT(*) FROM documents WHERE text = ?", [SHARED]).fetchone()[0],
            "outlets": q("SELECT COUNT(*) FROM outlets o JOIN documents d ON d.id = o.document_id "
                         "WHERE d.text = ?", [SHARED]).fetchone()[0],
        }

    try:
        return await store.run(read)
    finally:
        await store.close()


async def wait_for_documents(db: Path, at_least: int, timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                    if conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= at_least:
                        return
            except sqlite3.OperationalError:
                pass  # not created yet or briefly locked
            await asyncio.sleep(0.01)


async def test_kill_9_mid_run_then_restart_loses_and_repeats_nothing(tmp_path: Path) -> None:
    server = FaultServer()
    rng = random.Random(7)

    async def slow_feed(req: web.Request) -> web.Response:
        await asyncio.sleep(rng.uniform(0.1, 0.4))  # stretch the cycle so kills land inside it
        return web.Response(body=feed(int(req.path.split("/")[-1].split(".")[0])),
                            content_type="application/rss+xml")

    for i in range(FEEDS):
        server.routes[f"/crash/{i}.xml"] = slow_feed
    await server.start()
    try:
        reference, crashed = tmp_path / "reference.db", tmp_path / "crashed.db"
        await prepare(reference, server)
        await prepare(crashed, server)
        ref = await child(reference, "once")
        assert await asyncio.wait_for(ref.wait(), 60) == 0
        expected = await facts(reference)
        assert expected["documents"] == FEEDS * ITEMS + 1 and expected["alerts"] > FEEDS

        progress: list[object] = []
        for extra in (0.0, 0.05, 0.15, 0.6):
            proc = await child(crashed, "loop")
            # Kill just after the child stored something new (mid-cycle), at varied offsets.
            before = progress[-1] if progress else 0
            await wait_for_documents(crashed, int(before) + 1)
            await asyncio.sleep(extra)
            os.kill(proc.pid, signal.SIGKILL)
            assert await asyncio.wait_for(proc.wait(), 10) == -signal.SIGKILL
            progress.append((await facts(crashed))["documents"])
        final = await child(crashed, "once")
        assert await asyncio.wait_for(final.wait(), 60) == 0
        got = await facts(crashed)
    finally:
        await server.stop()
    print("documents stored when each kill landed:", progress)
    assert got["dup_documents"] == 0 and got["dup_alerts"] == 0
    assert got["documents"] == expected["documents"]
    assert got["alerts"] == expected["alerts"] and got["alert_texts"] == expected["alert_texts"]
    assert got["deliveries"] == expected["deliveries"]
    assert got["shared_doc"] == 1 and got["outlets"] == FEEDS
