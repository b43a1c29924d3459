"""Feeds in every Unicode encoding family feedparser reads, with and without a byte-order mark."""

from __future__ import annotations

import json

import pytest

from bot.sources.feeds import FeedError, read_feed, sniff_encoding

RSS = ("<?xml version='1.0' encoding='{enc}'?><rss version='2.0'><channel><title>Desk</title>"
       "<item><title>Café council approves the night ferry</title><link>https://desk.example/ferry</link>"
       "<description>The council said the night ferry will run from May, the harbour office added.</description>"
       "</item></channel></rss>")
BOMS = {"utf-8": b"\xef\xbb\xbf", "utf-16-be": b"\xfe\xff", "utf-16-le": b"\xff\xfe",
        "utf-32-be": b"\x00\x00\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}


def encoded(codec: str, bom: bool, text: str) -> bytes:
    return (BOMS[codec] if bom else b"") + text.encode(codec)


@pytest.mark.parametrize("codec", list(BOMS))
@pytest.mark.parametrize("bom", [True, False])
def test_xml_feed_in_any_unicode_encoding(codec: str, bom: bool) -> None:
    declared = codec.removesuffix("-be").removesuffix("-le")  # "utf-16": the BOM or nulls give the order
    body = encoded(codec, bom, RSS.format(enc=declared))
    items, warnings = read_feed(body, "application/rss+xml")
    assert [it.title for it in items] == ["Café council approves the night ferry"]
    assert items[0].url == "https://desk.example/ferry"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
def test_json_feed_in_any_unicode_encoding(codec: str) -> None:
    text = json.dumps({"items": [{"id": "1", "title": "Café", "content_text": "The ferry runs at night."}]})
    # RFC 8259 JSON carries no BOM; json.loads reads every family from its null-byte pattern.
    items, _ = read_feed(text.encode(codec), "")
    assert items[0].title == "Café"


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b"\x00\x00\xfe\xff\x00\x00\x00<", "utf-32-be"),
        (b"\xff\xfe\x00\x00<\x00\x00\x00", "utf-32-le"),
        (b"\xfe\xff\x00<", "utf-16-be"),
        (b"\xff\xfe<\x00", "utf-16-le"),
        (b"\xef\xbb\xbf<rss", "utf-8"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<\x00?", "utf-16-be"),
        (b"<\x00?\x00", "utf-16-le"),
        (b"<?xml", "utf-8"),
        (b"<", "utf-8"),
        (b"", "utf-8"),
        (b"\xe9t\xe9", "utf-8"),  # Latin-1 bytes: ASCII-compatible, feedparser works out the rest
    ],
)
def test_sniff_encoding(head: bytes, codec: str) -> None:
    assert sniff_encoding(head) == codec


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("plain words, not a feed".encode("utf-16-be"), "not a feed: the body is neither XML nor JSON"),
        ("<!doctype html><html><body>hi</body></html>".encode("utf-16-le"), "an HTML page was served"),
        (b"\xff\xfe" + "   ".encode("utf-16-le"), "empty response body"),
    ],
)
def test_non_feeds_in_wide_encodings_are_still_refused(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as err:
        read_feed(body, "")
    assert str(err.value).startswith(reason)
