"""What a number counts in death tolls and other casualty wording, read for a claim (table-driven)."""

from __future__ import annotations

import pytest

from bot.extract import extract_statements
from bot.ledger.conflicts import revisions
from bot.ledger.quantities import conflicting, quantities
from storage.conflicts import FigureStatement

FLOODS = "The floods in Derna, Libya, killed 11,300 people."
DRONES = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"
TROOPS = "Pyongyang has sent 12,000 troops to the Kursk region."
FLIGHTS = "The airline cancelled 4,000 flights after the storm."


def read(sentence: str, claim: str = "") -> list[tuple[float, str]]:
    st = extract_statements("", sentence)[0]
    return [(q.value, q.key) for q in quantities(st.text, st.figures, claim)]


@pytest.mark.parametrize(
    ("sentence", "claim", "expected"),
    [
        # casualty nouns count people, whatever verb is nearest
        ("Rescuers said 212 people were killed when the dam gave way.", "", [(212.0, "people|killed|total|event")]),
        ("The agency counted 198 deaths by Tuesday.", "", [(198.0, "people|killed|total|event")]),
        ("Some 1,200 dead were counted by the health office.", "", [(1200.0, "people|killed|total|event")]),
        ("At least 45 children died after taking the syrup.", "", [(45.0, "children|killed|total|event")]),
        # a bare number takes its noun from "toll" or "number of ..."
        ("Hospital records put the death toll at 240.", "", [(240.0, "people|killed|total|event")]),
        ("The toll rose to about 3,100, the governor said.", "", [(3100.0, "people|killed|total|event")]),
        ("Clinic staff put the number of children who died at 52.", "", [(52.0, "children|killed|total|event")]),
        # ... or, with no noun at all, from the claim's own quantity
        ("The earlier figure of 11,300 was withdrawn.", FLOODS, [(11300.0, "people|killed|total|event")]),
        ("The earlier figure of 11,300 was withdrawn.", "", []),
        # weekdays, months and organisations are not places
        ("Air defences shot down 89 drones on Monday night.", "", [(89.0, "drone|downed|total|event")]),
        ("Air defences shot down 91 drones in December.", "", [(91.0, "drone|downed|total|event")]),
        ("The UN cited 3,958 deaths based on World Health Organization data.", "",
         [(3958.0, "people|killed|total|event")]),
        # a toll in the claim's own place counts the claim's whole event; elsewhere it is a part
        ("Floods killed 300 people in Derna.", FLOODS, [(300.0, "people|killed|total|event")]),
        ("Floods killed 300 people in the Libyan city of Derna.", FLOODS, [(300.0, "people|killed|total|event")]),
        ("Floods killed 300 people in Derna.", "", [(300.0, "people|killed|derna|event")]),
        ("Floods killed 40 people in Benghazi.", FLOODS, [(40.0, "people|killed|benghazi|event")]),
        # a place opening the clause counts as the place after the number does; "alone" makes it a part
        ("In Benghazi, the toll stood at 40.", FLOODS, [(40.0, "people|killed|benghazi|event")]),
        ("In Derna, the toll stood at 5,000.", FLOODS, [(5000.0, "people|killed|total|event")]),
        ("In Derna alone, the toll stood at 5,000.", FLOODS, [(5000.0, "people|killed|derna|event")]),
        ("In September, the toll stood at 5,000.", FLOODS, [(5000.0, "people|killed|total|event")]),
        # ... for every count of its sentence, but not where someone only spoke, nor past a nearer place
        ("In Benghazi, 40 people died and 300 were missing.", FLOODS,
         [(40.0, "people|killed|benghazi|event"), (300.0, "people|missing|benghazi|event")]),
        ("In Geneva, the UN said the toll had reached 11,300.", FLOODS, [(11300.0, "people|killed|total|event")]),
        ("In Tripoli, the health minister said the toll in Derna had reached 11,300.", FLOODS,
         [(11300.0, "people|killed|total|event")]),
        ("In Tobruk, the toll in Derna rose to 11,300.", FLOODS, [(11300.0, "people|killed|total|event")]),
        # a casualty verb right after the number is no noun: "5,000 died" counts people
        ("Officials said 5,000 died in the floods.", "", [(5000.0, "people|killed|total|event")]),
        # drone counts by region stay parts even when the claim names the region
        ("41 drones were destroyed over the Novgorod region.", DRONES, [(41.0, "drone|downed|novgorod|event")]),
        ("Air defences shot down 89 drones, 18 of them over the Novgorod region.", DRONES,
         [(89.0, "drone|downed|total|event"), (18.0, "drone|downed|novgorod|event")]),
        ("Kyiv launched 91 drones, 41 of which were downed over the Novgorod region.", DRONES,
         [(91.0, "drone|launched|total|event"), (41.0, "drone|downed|novgorod|event")]),
        # a place the claim names, exactly or as the start of a longer name; not a neighbour's name
        ("Evacuation orders covered 180,000 people in Los Angeles County.", "Wildfires swept Los Angeles in January",
         [(180000.0, "people|evacuated|total|event")]),
        ("Fighting killed 300 people in South Sudan.", "Floods in South Africa killed 400 people",
         [(300.0, "people|killed|south sudan|event")]),
        ("The attack killed 1,200 people in Israel.", "Israeli strikes on Gaza killed 45 people",
         [(1200.0, "people|killed|israel|event")]),
        ("The 7.7 magnitude quake killed 1,002 people.", "", [(1002.0, "people|killed|total|event")]),
        # a bare number as the subject of a casualty verb counts people
        ("Medics later said 840 had died and 90 were hurt.", "",
         [(840.0, "people|killed|total|event"), (90.0, "people|injured|total|event")]),
        # proper adjectives and modifiers stand between the number and its noun
        ("Seoul said 13,000 North Korean soldiers were sent.", TROOPS, [(13000.0, "soldier|launched|total|event")]),
        ("The ministry listed 3,958 confirmed deaths.", "", [(3958.0, "people|killed|total|event")]),
        # a count with no action of its own compares with nothing, even with the claim's unit
        ("By Friday 11,000 soldiers were already in the Kursk region.", TROOPS, []),
        ("Derna, a city of 100,000 people, was cut off.", FLOODS, []),
        ("The carrier had scrapped more than 2,500 flights by Sunday.", FLIGHTS, [(2500.0, "flight|cancelled|total|event")]),
        ("Officials said the total had reached 4,600.", FLIGHTS, [(4600.0, "flight|cancelled|total|event")]),
        # "up from 378" is not this statement's count; a part of a whole; other things that happen to people
        ("Police have arrested 483 people, up from 378 on Tuesday.", "", [(483.0, "people|arrested|total|event")]),
        ("It meant 241 of the 242 people on board had died.", "", [(241.0, "people|killed|total|event")]),
        ("Some 10,000 people were still missing.", "", [(10000.0, "people|missing|total|event")]),
        ("Nearly 180,000 people were under orders to leave their homes.", "", [(180000.0, "people|evacuated|total|event")]),
        ("The fire has burned more than 1,000 structures.", "", [(1000.0, "structure|destroyed|total|event")]),
        ("Crews said the blaze destroyed 5,316 structures.", "", [(5316.0, "structure|destroyed|total|event")]),
        # weapons launched at the claim's target are the whole attack; a count with no action compares with nothing
        ("Iran fired about 180 ballistic missiles at Israel.", "Iran's missile attack on Israel",
         [(180.0, "missile|launched|total|event")]),
        ("The barrage included 120 ballistic missiles.", "", []),
        ("Another 130 drones were shot down.", "", [(130.0, "drone|downed|total|event")]),
        # a toll "so far" is the event's; one since a war began, and drones downed since January, run on
        ("The toll has risen to 39 so far.", "", [(39.0, "people|killed|total|event")]),
        ("Attacks have killed 12,000 civilians since the invasion began.", "", [(12000.0, "people|killed|total|cumulative")]),
        ("Some 300 drones have been shot down since January.", "", [(300.0, "drone|downed|total|cumulative")]),
        # "children" and "women" are nouns, not the action
        ("Forty children were taken to hospital.", "", [(40.0, "children|taken|total|event")]),
    ],
)
def test_what_a_toll_counts(sentence: str, claim: str, expected: list[tuple[float, str]]) -> None:
    assert read(sentence, claim) == expected


@pytest.mark.parametrize(
    ("first", "later", "claim", "conflict"),
    [
        ("The Red Crescent said 11,300 people had died.", "The UN now cites 3,958 deaths.", FLOODS, True),
        ("Officials put the toll at around 5,300.", "The Red Crescent said 11,300 people had died.", FLOODS, True),
        ("The syrups killed 66 children, the WHO said.", "The number of children who had died reached 70.", "", True),
        ("Officials put the toll at around 5,300.", "About 5,500 people died, officials said.", FLOODS, False),
        ("212 people were killed, officials said.", "212 deaths were recorded.", "", False),
        ("300 people were killed in the floods.", "300 people were injured in the floods.", "", False),
        # "1,700+" is no exact count: a later 1,739 does not conflict with it, a later 900 does
        ("1,700+ people were killed in the floods.", "1,739 people were killed in the floods.", "", False),
        ("1,700+ people were killed in the floods.", "900 people were killed in the floods.", "", True),
    ],
)
def test_toll_conflicts(first: str, later: str, claim: str, conflict: bool) -> None:
    a, b = (extract_statements("", s)[0] for s in (first, later))
    qa, qb = quantities(a.text, a.figures, claim), quantities(b.text, b.figures, claim)
    assert any(conflicting(x, y) for x in qa for y in qb) == conflict


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The death toll rose to 1,644, up from 1,002 on Saturday.", [(1002.0, 1644.0, "people|killed|total|event")]),
        ("Police have arrested 483 people, up from 378 on Tuesday.", [(378.0, 483.0, "people|arrested|total|event")]),
        ("Officials revised the toll to 260, down from 265.", [(265.0, 260.0, "people|killed|total|event")]),
        # one night's drones against another night's: a comparison, not a revision
        ("Air defences shot down 91 drones, up from 60 the night before.", []),
        ("The toll rose to 1,002 people, up from about 1,000.", []),  # within an approximate figure's 10 %
    ],
)
def test_a_statement_that_revises_its_own_count(sentence: str, expected: list[tuple[float, float, str]]) -> None:
    st = extract_statements("", sentence)[0]
    fs = FigureStatement(1, st.text, st.figures, None, "wire", "", "2026-01-01T00:00:00+00:00")
    assert [(a.value, b.value, b.key) for a, b in revisions(fs, FLOODS)] == expected
