"""Another figure for the claim's own quantity, read with its qualifier (table-driven)."""

from __future__ import annotations

import pytest

from bot.judge.statement import figure_conflict

FLOODS = "Flooding in the river valley killed 120 people"
LOWER_BOUND = "The floods in the valley killed more than 11,000 people"
DRONES = "Russia shot down 91 drones over the Novgorod region"
MOSQUES = "A gunman killed 51 worshippers at two mosques"
CRUSH = "More than 2,000 pilgrims were killed in the crush"
FLOODS_COST = "The floods killed more than 1,700 people and caused over $30 billion in damage"
BANK_RUN = "Depositors pulled $42 billion out of the bank in one day before it was shut on 10 March 2023"


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
        # whoever a killing verb counts is a toll; money compares with money; "+" is a lower bound
        (MOSQUES, "Police said 49 people had died in the shootings.", True),
        (CRUSH, "The health ministry put the number of dead at 769.", True),
        (CRUSH, "2000+ dead, whatever the official count says.", False),
        (FLOODS_COST, "1,700-plus lives were lost and $30.1bn in damage was tallied.", False),
        (FLOODS_COST, "The finance ministry pegs the damage at $10 billion.", True),
        (BANK_RUN, "Some $42bn was pulled on 9 March.", False),  # a date is no count
    ],
)
def test_figure_conflict_reads_bounds(claim: str, text: str, conflict: bool) -> None:
    assert (figure_conflict(claim, text) is not None) == conflict
