"""What shipbot must be allowed in a channel for a card there to count votes and stay fresh."""

from __future__ import annotations

import discord

from bot.errors import UserFacingError
from bot.models import VoteMode


def missing_for_cards(granted: discord.Permissions, mode: VoteMode) -> list[str]:
    """The permissions a card in this channel needs and the bot lacks, as Discord names them:
    reading the channel (to edit the card and see reactions) and, when reactions vote, adding
    the A/B marks."""
    needed = [
        ("View Channel", granted.view_channel),
        ("Read Message History", granted.read_message_history),
    ]
    if mode.reactions:
        needed.append(("Add Reactions", granted.add_reactions))
    return [name for name, ok in needed if not ok]


def require_card_permissions(granted: discord.Permissions, mode: VoteMode) -> None:
    """Refuse before anything is posted when the card's votes could never count here."""
    missing = missing_for_cards(granted, mode)
    if missing:
        raise UserFacingError(
            "I can't run a vote in this channel: its votes would never count. Ask an admin to "
            f"give shipbot {', '.join(missing)} here, or compare in another channel. "
            "Nothing was posted."
        )
