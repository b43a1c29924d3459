"""Read a local folder (or single file) of dropped documents: .txt, .html, .xml feeds, .json feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.sources.feeds import parse_feed, strip_html
from bot.sources.items import Item

SUFFIXES = {".txt", ".html", ".htm", ".xml", ".rss", ".atom", ".json"}


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def read_file(path: Path) -> list[Item]:
    """Items in one file: feeds give their entries, text and HTML give one item."""
    suffix = path.suffix.lower()
    body = path.read_bytes()
    if suffix in {".xml", ".rss", ".atom", ".json"}:
        items = parse_feed(body, "application/json" if suffix == ".json" else "")
        for item in items:
            item.url = item.url or path.resolve().as_uri()
        return items
    text = body.decode("utf-8", errors="replace")
    title = path.stem.replace("-", " ").replace("_", " ")
    if suffix in {".html", ".htm"}:
        text = strip_html(text)
    elif "\n" in text.strip():
        first, rest = text.strip().split("\n", 1)
        if len(first) < 200:
            title, text = first.strip(), rest
    return [Item(url=path.resolve().as_uri(), title=title, text=text.strip(), published_at=_mtime(path))]


def read_folder(root: Path) -> tuple[list[Item], list[str]]:
    """Items from every readable file under `root`, oldest file first, and one error line per bad file."""
    if not root.exists():
        raise FileNotFoundError(f"folder {root} does not exist")
    files = [root] if root.is_file() else sorted(
        (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES),
        key=lambda p: (p.stat().st_mtime, p.name),
    )
    items: list[Item] = []
    errors: list[str] = []
    for path in files:
        try:
            items.extend(read_file(path))
        except (ValueError, OSError) as exc:  # FeedError, UnicodeError: one bad file, not the folder
            errors.append(f"{path.name}: {exc}")
    return items, errors
