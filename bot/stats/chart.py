"""Charts of the follow-up figures (PNG). matplotlib's object API on the Agg canvas, no
pyplot; imported when a chart is drawn, not when the bot starts (see bot/summary/chart.py)."""
from __future__ import annotations

import io

from bot.stats.service import Stats

BLUE, LIGHT = "#1d3f6e", "#8fb3de"


def _png(fig, tight: bool = True) -> bytes:
    if tight:
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


MAX_BARS = 50  # more actors than this: the chart shows how many actors fall in each band of shares


def actors_png(stats: Stats, title: str, labels: tuple[str, str], xlabel: str, ylabel: str) -> bytes:
    """Per actor: the share of the period's conferences reported and spoken at (horizontal
    bars); for more than MAX_BARS actors, how many actors reach each band (0–9 %, … 90–100 %)."""
    if len(stats.actors) > MAX_BARS:
        return _bands_png(stats, title, labels, xlabel, ylabel)
    actors = stats.actors
    height = max(2.5, 0.22 * len(actors) + 1.2)
    fig = _figure(7.0, height)
    # fixed margins instead of tight_layout (which lays the labels out twice: slow for 300 actors)
    longest = max((len(a.name) for a in actors), default=10)
    fig.subplots_adjust(left=min(0.5, 0.02 + 0.0105 * longest), right=0.97, top=1 - 0.45 / height,
                        bottom=0.6 / height)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(actors)))
    ax.barh([y - 0.2 for y in ys], [a.reported_share * 100 for a in actors], height=0.4, color=BLUE, label=labels[0])
    ax.barh([y + 0.2 for y in ys], [a.spoke_share * 100 for a in actors], height=0.4, color=LIGHT, label=labels[1])
    ax.set_yticks(ys)
    ax.set_yticklabels([a.name for a in actors], fontsize=6 if len(actors) > 40 else 7)
    ax.set_ylim(len(actors) - 0.4, -0.6)  # the first actor on top, no empty band
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig, tight=False)


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


def _band(share: float) -> int:
    return min(9, int(share * 10))


def _bands_png(stats: Stats, title: str, labels: tuple[str, str], xlabel: str, ylabel: str) -> bytes:
    reported, spoke = [0] * 10, [0] * 10
    for a in stats.actors:
        reported[_band(a.reported_share)] += 1
        spoke[_band(a.spoke_share)] += 1
    fig = _figure(7.0, 3.0)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(10))
    ax.bar([x - 0.2 for x in xs], reported, width=0.4, color=BLUE, label=labels[0])
    ax.bar([x + 0.2 for x in xs], spoke, width=0.4, color=LIGHT, label=labels[1])
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{10 * x}–{10 * x + 9 if x < 9 else 100}" for x in xs], fontsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    ax.tick_params(axis="y", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)
