"""Canonical URLs: drop tracking parameters, fragments and AMP variants so copies dedupe."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

from bot.links import without_tracking


def clean_link(url: str) -> str:
    """`url` stripped, or "" when it cannot be parsed (a port out of range, a malformed IPv6 host)."""
    url = url.strip()
    try:
        _ = urlsplit(url).port  # urlsplit checks the IPv6 brackets, .port the range
    except ValueError:
        return ""
    return url


def canonical_url(url: str) -> str:
    """Lower-case scheme/host without www/amp, no fragment, tracking query or AMP suffix, sorted query.

    ValueError for a link urllib cannot parse; feed readers drop those first (clean_link).
    """
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    # amp.example.com and www.example.com name the same article as example.com.
    host = re.sub(r"^(?:amp\.|www\.)+", "", host)
    if parts.port and parts.port not in (80, 443):  # the scheme is unified to https below
        host = f"{host}:{parts.port}"
    path = re.sub(r"/amp/?$|\.amp$", "", parts.path) or "/"
    query = without_tracking(parts.query)
    query = [(k, v) for k, v in query if not (k == "amp" or k == "outputType" and v == "amp")]
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    if scheme == "https" and host.endswith(":443"):
        host = host[:-4]
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))
