"""Links as people are shown them: the same address without tracking parameters."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only tell the publisher where a click came from; the page is the same without them.
TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"ref_src|cmpid|ocid|smid|taid|at_\w+|__twitter_impression|s_cid)$", re.I)
MAX_LINK = 2000


def shown_link(url: str | None) -> str:
    """`url` without tracking parameters; anything unparseable is shown as it was (clipped), never raised on."""
    if not url:
        return ""
    url = url.strip()[:MAX_LINK]
    try:
        parts = urlsplit(url)
        if not parts.query:
            return url
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    except ValueError:
        return url
