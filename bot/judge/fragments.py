"""Parts of a claim that a partial reference can name alone ("the attack on the residence")."""

from __future__ import annotations

import re

from .text import tokens

# Cut before prepositions and clause openers: "Ukraine launched a drone attack | on Putin's
# residence | in the Novgorod region" -> adjacent pairs of parts are the fragments.
_CUT = re.compile(r"\s+(?=(?:on|in|at|near|over|against|after|before|by|for|with|from|into|during|"
                  r"that|which|because|while|when|to)\s)", re.I)
MAX_FRAGMENTS = 4


def claim_fragments(claim: str) -> list[str]:
    """Overlapping fragments of a claim (pairs of adjacent parts), none for a short claim."""
    parts = [p for p in _CUT.split(claim.strip()) if p]
    if len(parts) < 3:
        return []
    out = []
    for i in range(len(parts) - 1):
        frag = " ".join(parts[i : i + 2])
        if len(tokens(frag)) >= 2:
            out.append(frag)
    return out[:MAX_FRAGMENTS]
