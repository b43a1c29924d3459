"""A corpus of malformed feed inputs, written here (in the style of feedparser's test corpus, not copied).

Each case is (name, body, content type). Every one must give items or a one-line reason: never a
traceback, never a hang.
"""

from __future__ import annotations

import gzip
import json

Case = tuple[str, bytes, str]

RSS = "application/rss+xml"
ATOM = "application/atom+xml"
JSON = "application/feed+json"
SENTENCE = "The harbour office said the night ferry returns in May after repairs to the northern pier."


def rss(items: str, head: str = "<?xml version='1.0' encoding='utf-8'?>") -> str:
    return f"{head}<rss version='2.0'><channel><title>Desk</title><link>https://desk.example/</link>{items}</channel></rss>"


def item(n: int, text: str = SENTENCE, link: str | None = None) -> str:
    link = link if link is not None else f"https://desk.example/{n}"
    return (f"<item><guid>g{n}</guid><title>Story {n} about the ferry</title><link>{link}</link>"
            f"<description>{text}</description></item>")


GOOD = rss(item(1) + item(2) + item(3))


def _xml_cases() -> list[Case]:
    good = GOOD.encode()
    cases: list[Case] = [(f"truncated-{pct}", good[: len(good) * pct // 100], RSS) for pct in (5, 30, 55, 80, 99)]
    cases += [
        ("unclosed-tags", rss("<item><title>Open<description>never closed").encode(), RSS),
        ("mismatched-tags", rss("<item><title>A</description></item>" + item(2)).encode(), RSS),
        ("unclosed-cdata", rss("<item><title>x</title><description><![CDATA[" + SENTENCE * 50).encode(), RSS),
        ("stray-ampersands", rss(item(1, "Fish & chips & more " + SENTENCE)).encode(), RSS),
        ("undefined-entity", rss(item(1, "&nbsp;&copy;&bogus; " + SENTENCE)).encode(), RSS),
        ("control-chars", rss(item(1, "bell\x07 null\x00 esc\x1b " + SENTENCE)).encode(), RSS),
        ("billion-laughs", (
            "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a 'haha'>"
            + "".join(f"<!ENTITY {chr(98 + i)} '{('&' + chr(97 + i) + ';') * 10}'>" for i in range(9))
            + "]>" + rss(item(1, "&j; " + SENTENCE), head="")).encode(), RSS),
        ("external-entity", (
            "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY leak SYSTEM 'file:///etc/passwd'>]>"
            + rss(item(1, "&leak; " + SENTENCE), head="")).encode(), RSS),
        ("quadratic-blowup", (
            "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY big '" + "x" * 50_000 + "'>]>"
            + rss(item(1, "&big;" * 200 + SENTENCE), head="")).encode(), RSS),
        ("huge-attribute", rss(f"<item foo='{'a' * 3_000_000}'><title>Big attr</title>"
                               f"<description>{SENTENCE}</description></item>").encode(), RSS),
        ("many-attributes", rss("<item " + " ".join(f"a{i}='{i}'" for i in range(50_000)) + ">"
                                f"<title>t</title><description>{SENTENCE}</description></item>").encode(), RSS),
        ("deep-nesting", rss("<item><title>Deep</title><description>" + "<x>" * 50_000 + "</x>" * 50_000
                             + SENTENCE + "</description></item>").encode(), RSS),
        ("escaped-markup-flood", rss(item(1, "&lt;" * 500_000 + SENTENCE)).encode(), RSS),
        ("cdata-markup-flood", rss(item(1, "<![CDATA[" + "<b>" * 300_000 + SENTENCE + "]]>")).encode(), RSS),
        ("script-flood", rss(item(1, "<![CDATA[" + "<script>" * 100_000 + "]]>")).encode(), RSS),
        ("thousand-empty-items", rss("<item></item>" * 1000).encode(), RSS),
        ("only-markup", rss(item(1, "<![CDATA[<p><b><i></i></b></p>]]>")).encode(), RSS),
        ("bad-links", rss(item(1, link="http://x.example:99999/") + item(2, link="http://[::1/")
                          + item(3, link="javascript:alert(1)") + item(4, link=" " * 1000)).encode(), RSS),
        ("huge-link", rss(item(1, link="https://desk.example/" + "a" * 1_000_000)).encode(), RSS),
        ("huge-title", rss(f"<item><title>{'Long title words ' * 100_000}</title>"
                           f"<description>{SENTENCE}</description></item>").encode(), RSS),
        ("bad-dates", rss("<item><title>d</title><pubDate>Someday 99 Foo 99999 99:99:99 XYZ</pubDate>"
                          f"<description>{SENTENCE}</description></item>"
                          "<item><title>e</title><pubDate>-1</pubDate>"
                          f"<description>{SENTENCE} Again.</description></item>").encode(), RSS),
        ("atom-no-entries", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title></feed>",
         ATOM),
        ("atom-odd-content", ("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
                              "<entry><title type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>x</div></title>"
                              f"<content type='application/octet-stream'>AAAA</content><link href=''/></entry>"
                              f"<entry><title>ok</title><content type='html'>{SENTENCE}</content></entry></feed>"
                              ).encode(), ATOM),
        ("unknown-root", b"<?xml version='1.0'?><catalogue><book>no feed here</book></catalogue>", RSS),
        ("processing-instructions", ("<?xml version='1.0'?>" + "<?pi junk?>" * 10_000 + GOOD[21:]).encode(), RSS),
        ("comment-flood", ("<?xml version='1.0'?>" + "<!-- c -->" * 100_000 + GOOD[21:]).encode(), RSS),
    ]
    return cases


def _encoding_cases() -> list[Case]:
    latin = GOOD.replace("ferry", "ferrý").encode("latin-1")
    return [
        ("utf8-declared-latin1-bytes", latin, RSS + "; charset=utf-8"),
        ("unknown-encoding", GOOD.replace("utf-8", "x-klingon").encode(), RSS),
        ("utf16-declared-utf8-bytes", GOOD.replace("utf-8", "utf-16").encode(), RSS),
        ("utf16-bom-utf8-bytes", b"\xff\xfe" + GOOD.encode(), RSS),
        ("invalid-utf8", GOOD.replace("ferry", "fe\udcffrry").encode("utf-8", "surrogateescape"), RSS),
        ("utf16-odd-length", GOOD.encode("utf-16")[:-1], RSS),
        ("utf32-truncated", GOOD.replace("utf-8", "utf-32").encode("utf-32")[:-3], RSS),
        ("ebcdic", GOOD.replace("utf-8", "cp500").encode("cp500"), RSS),
        ("binary-garbage", bytes(range(256)) * 64, RSS),
        ("nul-bytes", b"\x00" * 10_000, RSS),
        ("whitespace-only", b" \n\t " * 1000, RSS),
        ("empty", b"", RSS),
        ("gzip-without-header", gzip.compress(GOOD.encode()), RSS),
        ("html-page", b"<!doctype html><html><head><title>Not a feed</title></head><body>hi</body></html>", "text/html"),
    ]


def _json_cases() -> list[Case]:
    ok = {"id": "1", "title": "Fine", "content_text": SENTENCE}

    def feed(*items: object, **extra: object) -> bytes:
        return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": list(items), **extra}).encode()

    return [
        ("json-deep-nesting", b'{"items": [' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"]}", JSON),
        ("json-deep-lists", b'{"items": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", JSON),
        ("json-items-object", feed(items={"a": ok}).replace(b'"items": [], ', b""), JSON),
        ("json-items-numbers", feed(1, 2.5, None, True, "x", ok), JSON),
        ("json-wrong-types", feed({"id": [1], "title": {"t": 1}, "url": 5, "content_html": ["x"],
                                   "summary": 3, "authors": [1, [2], {"name": []}], "date_published": [2026]}, ok), JSON),
        ("json-author-strings", feed({"id": "a", "content_text": SENTENCE, "authors": ["Bob"], "author": "Bob"}), JSON),
        ("json-numeric-date", feed({"id": "a", "content_text": SENTENCE, "date_published": 1767225600}), JSON),
        ("json-object-html", feed({"id": "a", "content_html": {"p": SENTENCE}}, ok), JSON),
        ("json-lone-surrogate", b'{"items": [{"id": "s", "title": "bad \\ud800 half", "content_text": "'
         + SENTENCE.encode() + b' \\udfff"}]}', JSON),
        ("json-huge-int", b'{"items": [{"id": ' + b"9" * 6000 + b', "content_text": "x"}]}', JSON),
        ("json-nan", b'{"items": [{"id": NaN, "title": Infinity, "content_text": "' + SENTENCE.encode() + b'"}]}', JSON),
        ("json-truncated", feed(ok, ok)[:-7], JSON),
        ("json-top-list", b"[1, 2, 3]", JSON),
        ("json-top-string", b'"just a string"', JSON),
        ("json-bad-links", feed({"id": "p", "url": "http://x.example:99999/", "content_text": SENTENCE},
                                {"id": "q", "url": "http://[::1/", "content_text": SENTENCE + " More."}), JSON),
        ("json-huge-text", feed({"id": "h", "content_text": (SENTENCE + " ") * 40_000}), JSON),
    ]


def cases() -> list[Case]:
    """Every malformed input, named."""
    return _xml_cases() + _encoding_cases() + _json_cases()
