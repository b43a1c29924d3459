"""Platform-free text pieces shared by the adapters, the handlers and the alert policy."""

from __future__ import annotations

# How each stance reads in alerts and summaries, whatever the platform.
STANCE_LABEL = {"supports": "supports the claim", "refutes": "refutes the claim", "neutral": "neutral / reporting"}
# A one-glance marker for plain-text lines (console, digests); "[!]" marks other alert kinds.
STANCE_MARK = {"supports": "[+]", "refutes": "[-]", "neutral": "[~]"}
OTHER_MARK = "[!]"


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
