"""The digest's chart: how many actors reported to each ordinary conference, last 12 weeks.

Drawn with matplotlib's object API on the Agg canvas (no pyplot: no global state, safe in
the scheduler's threads), small and light enough to upload every week. matplotlib is
imported when a chart is drawn, not when the bot starts (it is most of the start-up time).
"""
from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class WeekPoint:
    week: int  # ISO week number
    reported: int | None  # None: no conference held that week (skipped, missed, none)
    total: int


def participation_png(points: list[WeekPoint], labels: list[str], title: str, ylabel: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 2.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(points)))
    held = [(x, p) for x, p in zip(xs, points) if p.reported is not None]
    ax.bar([x for x, _ in held], [p.reported for _, p in held], color="#1d3f6e", width=0.7)
    for x, p in zip(xs, points):
        if p.reported is None:
            ax.text(x, 0, "–", ha="center", va="bottom", color="#888888")
        else:
            ax.text(x, p.reported, str(p.reported), ha="center", va="bottom", fontsize=7)
    top = max([p.total for p in points] + [1])
    ax.axhline(top, color="#b0b0b0", linewidth=0.8, linestyle="--")
    ax.set_ylim(0, top * 1.15)
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
