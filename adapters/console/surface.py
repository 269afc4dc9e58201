"""The terminal as a ``bot.publishing.Surface``: a card registered by ``shipbot vote`` is not
shown (the command prints one line, not the card) and keeps no message, so there is nothing to
mark; a refresh prints the card's current community line."""

from __future__ import annotations

from rich.console import Console

from bot.cards import VerdictCard
from bot.models import Community
from bot.service import CardView


class TerminalSurface:
    platform = Community.console().platform

    def __init__(self, out: Console) -> None:
        self._out = out

    async def post(self, card: VerdictCard) -> None:
        return None

    async def add_marks(self, message_id: str, card: VerdictCard) -> None:
        return None

    async def edit(self, view: CardView) -> None:
        self._out.print(f"Community: {view.card.community.text}", markup=False)
