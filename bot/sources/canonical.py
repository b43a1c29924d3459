"""Canonical URLs: drop tracking parameters, fragments and AMP variants so copies dedupe."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid|igshid|_ga)$", re.I)


def canonical_url(url: str) -> str:
    """Lower-case scheme/host, no fragment, no tracking query, no AMP suffix, sorted query."""
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return url.strip()
    host = (parts.hostname or "").lower()
    if host.startswith("amp."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/amp/?$|\.amp$", "", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    query = [(k, v) for k, v in query if not (k == "amp" or k == "outputType" and v == "amp")]
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(sorted(query)), ""))
