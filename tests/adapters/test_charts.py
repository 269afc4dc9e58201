"""Charts are valid PNGs of a sensible size that carry n on the image."""

from __future__ import annotations

import io
import struct

import pytest
from matplotlib.figure import Figure

import adapters.charts as charts
from bot.cards import build_card, community_line
from bot.community import Leaderboard, LeaderboardRow
from bot.votes import Split
from tests.support.seed_page import catalog_tool

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Capture every string drawn on the figures, to check what the picture says."""
    drawn: list[str] = []
    original = Figure.savefig

    def spy(self: Figure, *args: object, **kwargs: object) -> None:
        for text in self.findobj(lambda artist: hasattr(artist, "get_text")):
            drawn.append(text.get_text())  # type: ignore[attr-defined]
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "savefig", spy)
    return drawn


def test_vote_split_chart_is_a_png_that_shows_n(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _texts(monkeypatch)
    smol, mistral = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(smol.name, mistral.name, Split(8, 13), Split(187, 153), 5)
    png = charts.vote_split_png(build_card(smol, mistral, community=line))
    width, height = _size(png)
    assert 500 <= width <= 1200 and 200 <= height <= 600
    assert 5_000 < len(png) < 200_000
    assert "n = 21" in drawn and "n = 340" in drawn
    assert "SmolLM3" in drawn and "Mistral Medium 3" in drawn


def test_vote_split_without_votes_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _texts(monkeypatch)
    smol, mistral = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(smol.name, mistral.name, Split(0, 0), Split(0, 0), 5)
    charts.vote_split_png(build_card(smol, mistral, community=line))
    assert drawn.count("no votes yet") == 2


def test_leaderboard_chart_shows_n_and_provisional(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _texts(monkeypatch)
    rows = (
        LeaderboardRow(1, "GPT-4o", "Developer Tools", 1600, 1550, 1650, 40, False, "no panel yet"),
        LeaderboardRow(2, "SmolLM3", "Developer Tools", 1450, 1300, 1600, 3, True, "75% · 3/4"),
    )
    png = charts.leaderboard_png(Leaderboard(rows, None, 43, 10))
    assert _size(png)[0] >= 500
    assert "n = 40" in drawn and "n = 3 (provisional)" in drawn
    assert any("n = 43 votes" in text for text in drawn)
    empty = charts.leaderboard_png(Leaderboard((), None, 0, 10))
    assert empty.startswith(PNG_SIGNATURE)


def test_pngs_open_as_images() -> None:
    from matplotlib import image

    smol, mistral = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(smol.name, mistral.name, Split(1, 1), Split(1, 1), 5)
    pixels = image.imread(
        io.BytesIO(charts.vote_split_png(build_card(smol, mistral, community=line)))
    )
    assert pixels.ndim == 3
