"""Table-driven tests of figures written in words: compound numbers, scales, and what is not a number."""

from __future__ import annotations

import pytest

from bot.extract.figures import find_figures


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Twenty-one drones were shot down.", [(21, "drones", "were shot down")]),
        ("Forty five people were hurt.", [(45, "people", "were hurt")]),
        ("Air defences destroyed ninety-one drones overnight, including forty-one over the Novgorod region.",
         [(91, "drones", "overnight"), (41, "drones", "over the Novgorod region")]),
        ("A hundred and twelve people died.", [(112, "people", "died")]),
        ("Nine hundred and ninety-nine shells fell.", [(999, "shells", "fell")]),
        ("The army sent two thousand troops.", [(2000, "troops", "")]),
        ("Two thousand three hundred and five mines were cleared.", [(2305, "mines", "were cleared")]),
        ("The fund lost three million euros.", [(3_000_000, "euros", "")]),
        ("A million people fled.", [(1_000_000, "people", "fled")]),
        ("One million two hundred thousand refugees left.", [(1_200_000, "refugees", "left")]),
        ("A dozen drones and two dozen missiles were launched.", [(12, "drones", ""), (24, "missiles", "were launched")]),
        ("Seventeen tanks and seven trucks were hit.", [(17, "tanks", ""), (7, "trucks", "were hit")]),
        ("Seven people were injured and three were killed.", [(7, "people", "were injured"), (3, "people", "were killed")]),
        ("Five percent of voters agreed.", [(5, "%", "of voters agreed")]),
        ("Twelve strikes hit the port.", [(12, "strikes", "hit the port")]),
        # not numbers: vague quantities, words that count nothing, ordinals, compounds, years
        ("Dozens of drones were launched.", []),
        ("Hundreds of people gathered.", []),
        ("One of the drones fell.", []),
        ("He was given a twenty-year sentence.", []),
        ("It happened on the twenty-first of May.", []),
        ("In twenty twenty-four the army lost ground.", []),
        ("Talks resumed in March 2026 after a pause.", []),
        ("Flight J2-8243 crashed near Aktau.", []),  # a flight code counts nothing
    ],
)
def test_word_figures(sentence: str, figures: list[tuple[float, str, str]]) -> None:
    assert [(f.value, f.unit, f.counts) for f in find_figures(sentence)] == figures


def test_word_figure_keeps_its_wording() -> None:
    assert find_figures("Officials counted twenty-one drones.")[0].text == "twenty-one drones"
