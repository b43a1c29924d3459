"""Timeline chart: statements per day by stance, as a PNG (matplotlib, Agg canvas, no GUI)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.text import clip

WIDTH_PX, HEIGHT_PX, DPI = 900, 360, 100
COLOURS = {"supports": "#2e7d32", "refutes": "#c62828", "neutral": "#9e9e9e"}
LABELS = {"supports": "asserting", "refutes": "denying", "neutral": "neutral / reporting"}
MAX_DAYS = 120


def _fill_days(daily: list[tuple[str, Counter[str]]]) -> list[tuple[date, Counter[str]]]:
    """Every day from first to last (empty days included), at most the last MAX_DAYS."""
    parsed = {}
    for day, counts in daily:
        try:
            parsed[date.fromisoformat(day)] = counts
        except ValueError:
            continue  # an unparseable published date must not break the chart
    if not parsed:
        return []
    last = max(parsed)
    first = max(min(parsed), last - timedelta(days=MAX_DAYS - 1))
    return [(first + timedelta(days=i), parsed.get(first + timedelta(days=i), Counter()))
            for i in range((last - first).days + 1)]


def timeline_figure(daily: list[tuple[str, Counter[str]]], title: str) -> Figure:
    """Stacked daily bars per stance, titled with the claim; dates carry the year."""
    days = _fill_days(daily)
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if days:
        xs = [d for d, _ in days]
        bottom = [0] * len(days)
        for stance in ("supports", "refutes", "neutral"):
            ys = [c.get(stance, 0) for _, c in days]
            if not any(ys):
                continue  # a stance with no statements gets no bars and no legend entry
            ax.bar(xs, ys, bottom=bottom, color=COLOURS[stance], label=LABELS[stance], width=0.8)
            bottom = [b + y for b, y in zip(bottom, ys, strict=True)]
        # Legend above the plot so it never hides a bar; one tick per day (at most ~12 labels).
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, fontsize=8, frameon=False)
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, len(days) // 12)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.autofmt_xdate()
    else:
        ax.text(0.5, 0.5, "no statements yet", ha="center", va="center", transform=ax.transAxes)
    fig.suptitle(clip(" ".join(title.split()), 110), fontsize=9)
    ax.set_ylabel("statements per day")
    ax.grid(axis="y", alpha=0.3)
    return fig


def timeline_png(daily: list[tuple[str, Counter[str]]], title: str) -> bytes:
    """A WIDTH_PX x HEIGHT_PX PNG of the timeline figure."""
    fig = timeline_figure(daily, title)
    buf = io.BytesIO()
    # No bbox_inches="tight": the image keeps its exact pixel size on every platform.
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
