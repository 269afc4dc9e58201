"""Answering within Discord's 3-second deadline when the work may be slow.

``in_time`` runs the work and defers the interaction only when the work takes longer than
``FAST_REPLY``, so a fast answer is one message and a slow one never misses the deadline.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord

from adapters.discord.context import Interaction

log = logging.getLogger(__name__)

T = TypeVar("T")

FAST_REPLY = 2.0  # seconds of work before we defer (Discord allows 3 s for the first answer)


async def in_time(
    interaction: Interaction, work: Awaitable[T], *, ephemeral: bool = False
) -> tuple[T, bool]:
    """The work's result and whether the interaction was deferred on the way.

    A public "thinking…" message is deleted when the work fails, so the error (answered by the
    caller's guard) goes out ephemerally instead of replacing it in public.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=FAST_REPLY)
    deferred = not done
    if deferred:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    try:
        return await task, deferred
    except Exception:
        if deferred and not ephemeral:
            await drop_thinking(interaction)
        raise


async def drop_thinking(interaction: Interaction) -> None:
    """Delete the public "thinking…" message of a deferred interaction."""
    try:
        await interaction.delete_original_response()
    except discord.HTTPException:
        log.warning("could not delete the deferred reply", extra={"interaction": interaction.id})
