"""The timeline chart: titled with the claim, dates with their year, a legend entry only for what is drawn."""

from __future__ import annotations

from collections import Counter

from bot.ledger.chart import timeline_figure, timeline_png
from bot.models import Claim
from handlers.status import chart_title

CLAIM = Claim(id=3, text="Ukraine launched a drone attack on Putin's residence in the Novgorod region",
              status="unverified")
DAILY = [("2025-12-30", Counter(supports=3, refutes=1)), ("2026-01-02", Counter(refutes=2))]


def test_title_names_the_claim_and_dates_carry_the_year() -> None:
    fig = timeline_figure(DAILY, chart_title(CLAIM))
    assert fig.get_suptitle() == f"Claim #3: {CLAIM.text}"
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks[0] == "30 Dec 2025" and ticks[-1] == "02 Jan 2026"


def test_legend_has_no_empty_entry() -> None:
    labels = [t.get_text() for t in timeline_figure(DAILY, "t").axes[0].get_legend().get_texts()]
    assert labels == ["asserting", "denying"]  # no neutral statements: no neutral entry


def test_long_titles_are_clipped_and_size_is_fixed() -> None:
    long = Claim(id=9, text="word " * 200, status="unverified")
    assert len(timeline_figure(DAILY, chart_title(long)).get_suptitle()) == 110
    png = timeline_png(DAILY, chart_title(long))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20]) == 900
