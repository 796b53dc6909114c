"""Charts of the follow-up figures (PNG). matplotlib's object API on the Agg canvas, no
pyplot; imported when a chart is drawn, not when the bot starts (see bot/summary/chart.py)."""
from __future__ import annotations

import io

from bot.stats.service import Stats

BLUE, LIGHT = "#1d3f6e", "#8fb3de"


def _png(fig) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def actors_png(stats: Stats, title: str, labels: tuple[str, str], xlabel: str) -> bytes:
    """Per actor: the share of the period's conferences reported and spoken at (horizontal bars)."""
    actors = stats.actors
    fig = _figure(7.0, max(2.5, 0.22 * len(actors) + 1.2))
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(actors)))
    ax.barh([y - 0.2 for y in ys], [a.reported_share * 100 for a in actors], height=0.4, color=BLUE, label=labels[0])
    ax.barh([y + 0.2 for y in ys], [a.spoke_share * 100 for a in actors], height=0.4, color=LIGHT, label=labels[1])
    ax.set_yticks(ys)
    ax.set_yticklabels([a.name for a in actors], fontsize=6 if len(actors) > 40 else 7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def counts_png(values: list[tuple[str, int]], title: str) -> bytes:
    """A small bar chart of labelled counts (conferences, action items, ärenden)."""
    fig = _figure(6.0, 2.4)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(values)))
    ax.bar(xs, [v for _, v in values], color=BLUE, width=0.6)
    for x, (_, v) in zip(xs, values):
        ax.text(x, v, str(v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(xs)
    ax.set_xticklabels([k for k, _ in values], fontsize=7)
    ax.set_ylim(0, max([v for _, v in values] + [1]) * 1.2)
    ax.set_title(title, fontsize=9)
    ax.tick_params(axis="y", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)
