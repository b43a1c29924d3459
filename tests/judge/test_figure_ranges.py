"""Another figure for the claim's own quantity, read with its qualifier (table-driven)."""

from __future__ import annotations

import pytest

from bot.judge.statement import figure_conflict

FLOODS = "Flooding in the river valley killed 120 people"
LOWER_BOUND = "The floods in the valley killed more than 11,000 people"
DRONES = "Russia shot down 91 drones over the Novgorod region"


@pytest.mark.parametrize(
    ("claim", "text", "conflict"),
    [
        (FLOODS, "The floods killed 80 people, officials said.", True),
        (FLOODS, "The floods killed at least 80 people, officials said.", False),  # a lower bound allows 120
        (FLOODS, "More than 130 people died in the floods.", True),  # ... this one does not
        (FLOODS, "About 115 people died in the floods.", False),  # within about 10 %
        (FLOODS, "Up to 150 people may have died.", False),
        (FLOODS, "Up to 100 people may have died.", True),
        # people missing or injured are not another figure for people killed
        (FLOODS, "More than 100 people are still listed as missing.", False),
        (FLOODS, "80 people were injured in the floods.", False),
        (FLOODS, "The floods killed 80 people and 300 are missing.", True),
        (LOWER_BOUND, "The Red Crescent said 11,300 people had died.", False),  # the claim's own bound
        (LOWER_BOUND, "The UN said 3,958 people had died.", True),
        (DRONES, "The ministry said 89 drones were shot down.", True),
        (DRONES, "The ministry said 91 drones were shot down.", False),
    ],
)
def test_figure_conflict_reads_bounds(claim: str, text: str, conflict: bool) -> None:
    assert (figure_conflict(claim, text) is not None) == conflict
