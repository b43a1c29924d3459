"""Links as people are shown them: the same address without tracking parameters."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only tell the publisher where a click came from; the page is the same without them.
# One list for links shown and for canonical URLs (bot.sources.canonical), so both agree on what a copy is.
TRACKING = re.compile(
    r"^(utm_\w*|utm|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"ref|ref_src|cmp|cmpid|ocid|oc|smid|share|taid|at_\w+|__twitter_impression|s_cid)$", re.I)


def without_tracking(query: str) -> list[tuple[str, str]]:
    """The (key, value) pairs of a query string that are not tracking parameters, in order."""
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING.match(k)]
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
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(without_tracking(parts.query)),
                           parts.fragment))
    except ValueError:
        return url
