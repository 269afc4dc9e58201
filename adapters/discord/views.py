"""Buttons that keep working after a restart: ``DynamicItem``s routed by their ``custom_id``.

A custom_id holds at most 100 characters, so buttons carry ids, never names:

- ``vote:<card>:<a|b>`` — Ship A / Ship B on a card
- ``reviews:<card>`` — Full reviews (ephemeral)
- ``chart:<card>`` — the vote split as a PNG (ephemeral)
- ``myvote:<card>`` — which side you picked, only to you (ephemeral)
- ``pick:<tool a>:<tool b>:<lens>`` — a "did you mean" pair (tool ids; lens may be empty)
- ``tool-rm:<tool>`` — confirm an admin's ``/tool remove``
- ``panel-draft:<card>`` — Draft panel (admins; a card of a tool with no panel)
- ``close:<card>`` — Close vote (the person who asked or an admin; the core decides)
- ``panelq:<action>:<draft>:<offset>`` — the review queue's buttons (``adapters.discord.panel``)

The items only parse the id and hand over to the ``ButtonHandler`` the client carries, so this
module knows nothing about the core.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol, Self

import discord

from adapters.discord.render import SIDE_EMOJI, button_label, pair_label, vote_label
from bot.models import Lens, Side

Interaction = discord.Interaction[discord.Client]
Button = discord.ui.Button[discord.ui.View]
MAX_BUTTONS = 25  # five rows of five


class ButtonHandler(Protocol):
    async def vote(self, interaction: Interaction, card_id: int, side: Side) -> None: ...
    async def full_reviews(self, interaction: Interaction, card_id: int) -> None: ...
    async def chart(self, interaction: Interaction, card_id: int) -> None: ...
    async def my_vote(self, interaction: Interaction, card_id: int) -> None: ...
    async def pick(
        self, interaction: Interaction, a_id: int, b_id: int, lens: Lens | None
    ) -> None: ...
    async def confirm_remove(self, interaction: Interaction, tool_id: int) -> None: ...
    async def draft_panel(self, interaction: Interaction, card_id: int) -> None: ...
    async def close_vote(self, interaction: Interaction, card_id: int) -> None: ...


def handler_of(interaction: Interaction) -> ButtonHandler:
    handler: ButtonHandler | None = getattr(interaction.client, "buttons", None)
    if handler is None:  # pragma: no cover - only a misconfigured client lacks it
        raise RuntimeError("this client has no shipbot button handler")
    return handler


class VoteButton(discord.ui.DynamicItem[Button], template=r"vote:(?P<card>\d+):(?P<side>[ab])"):
    def __init__(self, card_id: int, side: Side, label: str = "Ship") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=SIDE_EMOJI[side],
                style=discord.ButtonStyle.primary,
                custom_id=f"vote:{card_id}:{side.value}",
            )
        )
        self.card_id, self.side = card_id, side

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["card"]), Side(match["side"]))

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).vote(interaction, self.card_id, self.side)


class _CardButton:
    """What the per-card buttons share: a grey button ``<prefix>:<card>`` and its parsing.

    Mixed in before ``DynamicItem`` so each subclass keeps its own template and callback.
    """

    PREFIX: str
    LABEL: str
    EMOJI: str
    ROW: int | None = None  # None: the first row with room
    card_id: int

    def __init__(self, card_id: int) -> None:
        super().__init__(  # type: ignore[call-arg]
            discord.ui.Button(
                label=self.LABEL,
                emoji=self.EMOJI,
                style=discord.ButtonStyle.secondary,
                custom_id=f"{self.PREFIX}:{card_id}",
                row=self.ROW,
            )
        )
        self.card_id = card_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["card"]))


class ReviewsButton(_CardButton, discord.ui.DynamicItem[Button], template=r"reviews:(?P<card>\d+)"):
    PREFIX, LABEL, EMOJI = "reviews", "Full reviews", "📜"

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).full_reviews(interaction, self.card_id)


class ChartButton(_CardButton, discord.ui.DynamicItem[Button], template=r"chart:(?P<card>\d+)"):
    PREFIX, LABEL, EMOJI = "chart", "Chart", "📊"

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).chart(interaction, self.card_id)


class MyVoteButton(_CardButton, discord.ui.DynamicItem[Button], template=r"myvote:(?P<card>\d+)"):
    PREFIX, LABEL, EMOJI = "myvote", "My vote", "🗳️"

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).my_vote(interaction, self.card_id)


class PickButton(
    discord.ui.DynamicItem[Button],
    template=r"pick:(?P<a>\d+):(?P<b>\d+):(?P<lens>[a-z]*)",
):
    def __init__(self, a_id: int, b_id: int, lens: Lens | None, label: str = "Compare") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"pick:{a_id}:{b_id}:{lens.value if lens else ''}",
            )
        )
        self.a_id, self.b_id, self.lens = a_id, b_id, lens

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        lens = Lens(match["lens"]) if match["lens"] in {lens.value for lens in Lens} else None
        return cls(int(match["a"]), int(match["b"]), lens)

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).pick(interaction, self.a_id, self.b_id, self.lens)


class RemoveButton(discord.ui.DynamicItem[Button], template=r"tool-rm:(?P<tool>\d+)"):
    def __init__(self, tool_id: int, label: str = "Remove") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.danger, custom_id=f"tool-rm:{tool_id}"
            )
        )
        self.tool_id = tool_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["tool"]))

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).confirm_remove(interaction, self.tool_id)


class CancelRemoveButton(discord.ui.DynamicItem[Button], template=r"tool-rm-cancel:(?P<tool>\d+)"):
    """The remove confirmation's way out: nothing is archived, the question goes away."""

    def __init__(self, tool_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Cancel",
                style=discord.ButtonStyle.secondary,
                custom_id=f"tool-rm-cancel:{tool_id}",
            )
        )
        self.tool_id = tool_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["tool"]))

    async def callback(self, interaction: Interaction) -> None:
        await interaction.response.edit_message(content="Cancelled. Nothing changed.", view=None)


class DraftPanelButton(
    _CardButton, discord.ui.DynamicItem[Button], template=r"panel-draft:(?P<card>\d+)"
):
    """For admins, on a card of a tool with no panel (only when a chat model is configured)."""

    PREFIX, LABEL, EMOJI, ROW = "panel-draft", "Draft panel", "📝", 1

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).draft_panel(interaction, self.card_id)


class CloseVoteButton(_CardButton, discord.ui.DynamicItem[Button], template=r"close:(?P<card>\d+)"):
    """Shown to everyone on an open card; the core lets only the asker or an admin close."""

    PREFIX, LABEL, EMOJI, ROW = "close", "Close vote", "🔒", 1

    async def callback(self, interaction: Interaction) -> None:
        await handler_of(interaction).close_vote(interaction, self.card_id)


DYNAMIC_ITEMS = (
    VoteButton,
    ReviewsButton,
    ChartButton,
    MyVoteButton,
    PickButton,
    RemoveButton,
    CancelRemoveButton,
    DraftPanelButton,
    CloseVoteButton,
)


def card_view(
    card_id: int,
    name_a: str,
    name_b: str,
    *,
    votes: bool = True,
    draft_panel: bool = False,
    closed: bool = False,
) -> discord.ui.View:
    """Ship A, Ship B (unless ``votes`` is off: reactions-only), Full reviews, Chart and My vote
    under a posted card: one row of at most five (Discord's maximum per row). A second row has
    **Close vote** (unless ``closed``) and, with ``draft_panel``, **Draft panel**. A ``closed``
    card has no Ship buttons either."""
    view = discord.ui.View(timeout=None)
    if votes and not closed:
        view.add_item(VoteButton(card_id, Side.A, vote_label(name_a)))
        view.add_item(VoteButton(card_id, Side.B, vote_label(name_b)))
    view.add_item(ReviewsButton(card_id))
    view.add_item(ChartButton(card_id))
    view.add_item(MyVoteButton(card_id))
    if not closed:
        view.add_item(CloseVoteButton(card_id))
    if draft_panel:
        view.add_item(DraftPanelButton(card_id))
    return view


def pick_view(pairs: Iterable[tuple[int, str, int, str]], lens: Lens | None) -> discord.ui.View:
    """One button per suggested pair ``(a id, a name, b id, b name)``, at most 25."""
    view = discord.ui.View(timeout=None)
    for a_id, a_name, b_id, b_name in list(pairs)[:MAX_BUTTONS]:
        view.add_item(PickButton(a_id, b_id, lens, pair_label(a_name, b_name)))
    return view


def remove_view(tool_id: int, name: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RemoveButton(tool_id, button_label(f"Archive {name}")))
    view.add_item(CancelRemoveButton(tool_id))
    return view
