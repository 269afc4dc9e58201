"""PNG charts of a card's vote split and of the leaderboard (matplotlib, headless).

Colours are from the Okabe–Ito palette (safe for the common colour-vision deficiencies), and
every chart states its n on the image so a tiny sample can't pass for a verdict.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from bot.cards import VerdictCard
from bot.community import Leaderboard

if TYPE_CHECKING:  # matplotlib loads on the first chart, not when a command starts
    from matplotlib.figure import Figure


def _matplotlib() -> None:
    import matplotlib

    matplotlib.use("Agg")  # headless: never needs a display


BLUE = "#0072B2"
ORANGE = "#E69F00"
GREY = "#999999"
INK = "#222222"


def vote_split_png(card: VerdictCard) -> bytes:
    """Two horizontal bars (here and everywhere) split between the card's two tools."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    figure = Figure(figsize=(6.4, 2.6), dpi=110)
    axes = figure.add_subplot()
    rows = [("Everywhere", card.community.everywhere), ("Here", card.community.here)]
    for y, (_, split) in enumerate(rows):
        if split.n == 0:
            axes.barh(y, 100, color=GREY, alpha=0.35)
            axes.text(50, y, "no votes yet", ha="center", va="center", color=INK, fontsize=10)
            continue
        a_share = 100 * split.a / split.n
        axes.barh(y, a_share, color=BLUE)
        axes.barh(y, 100 - a_share, left=a_share, color=ORANGE)
        if a_share >= 12:
            axes.text(
                a_share / 2,
                y,
                f"{split.a_percent}%",
                ha="center",
                va="center",
                color="white",
                fontsize=10,
            )
        if 100 - a_share >= 12:
            axes.text(
                a_share + (100 - a_share) / 2,
                y,
                f"{split.b_percent}%",
                ha="center",
                va="center",
                color=INK,
                fontsize=10,
            )
        axes.text(101, y, f"n = {split.n}", va="center", fontsize=9, color=INK)
    axes.set_yticks(range(len(rows)), [label for label, _ in rows])
    axes.set_xlim(0, 115)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_title(f"Community vote: {card.title}", fontsize=11, loc="left")
    handles = [
        Patch(color=BLUE, label=card.a.name),
        Patch(color=ORANGE, label=card.b.name),
    ]
    axes.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.45, -0.18),
        ncol=2,
        frameon=False,
        fontsize=9,
    )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


def leaderboard_png(board: Leaderboard) -> bytes:
    """Ratings with their 95% intervals, best at the top; provisional ratings in grey."""
    rows = board.rows[:15]
    height = 1.2 + 0.42 * max(len(rows), 1)
    _matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, height), dpi=110)
    axes = figure.add_subplot()
    if not rows:
        axes.text(0.5, 0.5, "No votes yet: no leaderboard", ha="center", va="center", fontsize=11)
        axes.set_axis_off()
        return _png(figure)
    for y, row in enumerate(reversed(rows)):
        colour = GREY if row.provisional else BLUE
        axes.plot([row.low, row.high], [y, y], color=colour, linewidth=2)
        axes.plot(row.rating, y, "o", color=colour)
        axes.text(
            row.high + 8,
            y,
            f"n = {row.n}" + (" (provisional)" if row.provisional else ""),
            va="center",
            fontsize=8,
        )
    axes.set_yticks(range(len(rows)), [f"{r.rank}. {r.name}" for r in reversed(rows)], fontsize=9)
    axes.set_xlabel("Rating (Bradley–Terry, Elo scale) with 95% interval")
    scope = f" — {board.category}" if board.category else ""
    axes.set_title(f"shipbot leaderboard{scope} (n = {board.votes} votes)", fontsize=11, loc="left")
    low = min(r.low for r in rows)
    high = max(r.high for r in rows)
    axes.set_xlim(low - 20, high + 160)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
