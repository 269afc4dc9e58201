"""A ``bot.publishing.Surface`` that records what the workflow asked of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.cards import VerdictCard
from bot.service import CardView


@dataclass
class RecordingSurface:
    platform: str = "test"
    refuse: bool = False
    posted: list[VerdictCard] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    edited: list[CardView] = field(default_factory=list)

    async def post(self, card: VerdictCard) -> str | None:
        if self.refuse:
            raise RuntimeError("the platform said no")
        self.posted.append(card)
        return f"m-{card.card_id}"

    async def add_marks(self, message_id: str, card: VerdictCard) -> None:
        self.marked.append(message_id)

    async def edit(self, view: CardView) -> None:
        self.edited.append(view)
