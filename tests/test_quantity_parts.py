"""What a number counts when one sentence gives a whole and its part (table-driven)."""

from __future__ import annotations

import pytest

from bot.extract import extract_statements
from bot.ledger.quantities import conflicting, quantities


def keys(sentence: str) -> list[tuple[float, str]]:
    st = extract_statements("", sentence)[0]
    return [(q.value, q.key) for q in quantities(st.text, st.figures)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The defence ministry said air defences shot down 89 drones launched at the residence, "
         "18 of them over the Novgorod region.",
         [(89.0, "drone|downed|total|event"), (18.0, "drone|downed|novgorod|event")]),
        ("Air defences destroyed 91 drones overnight, of which 41 over the Novgorod region.",
         [(91.0, "drone|downed|total|event"), (41.0, "drone|downed|novgorod|event")]),
        ("Kyiv launched 91 drones, including 41 over the Novgorod region, the ministry said.",
         [(91.0, "drone|launched|total|event"), (41.0, "drone|launched|novgorod|event")]),
        ("The ministry said 41 drones aimed at the residence were shot down over the Novgorod region.",
         [(41.0, "drone|downed|novgorod|event")]),
    ],
)
def test_part_takes_the_whole_action_and_its_own_place(sentence, expected):
    assert keys(sentence) == expected


def test_whole_and_part_conflict_only_with_their_own_kind():
    first = extract_statements("", "Air defences shot down 89 drones, 18 of them over the Novgorod region.")[0]
    later = extract_statements("", "Air defences shot down 91 drones, 41 of them over the Novgorod region.")[0]
    a = quantities(first.text, first.figures)
    b = quantities(later.text, later.figures)
    pairs = [(x.value, y.value) for x in a for y in b if conflicting(x, y)]
    assert sorted(pairs) == [(18.0, 41.0), (89.0, 91.0)]
