"""``/compare``: from the typed text (or a "did you mean" pick) to a posted, votable card.

The work (parse, resolve, build, register the card) runs first; when it takes longer than
``replies.FAST_REPLY`` the interaction is deferred so Discord's 3-second deadline is never missed.
Unknown or ambiguous names are answered ephemerally with one button per plausible pair.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from discord import app_commands

from adapters.discord.context import DiscordContext, Interaction
from adapters.discord.names import COMMANDS
from adapters.discord.permissions import require_card_permissions
from adapters.discord.render import user_message
from adapters.discord.replies import drop_thinking, in_time
from adapters.discord.surface import DiscordSurface
from adapters.discord.views import pick_view
from bot import publishing
from bot.cards import VerdictCard
from bot.errors import AmbiguousTool, UnknownTool, UserFacingError
from bot.models import Lens, Tool
from bot.parsing import CompareRequest
from bot.publishing import Place
from bot.service import Unresolved

log = logging.getLogger(__name__)

AUTOCOMPLETE_BUDGET = 2.5
CHOICES = 25
CHOICE_LENGTH = 100

# Where the second name starts in a half-typed matchup ("SmolLM3 vs Mis").
_SEPARATOR = re.compile(r"(?i)(?:\s+(?:vs\.?|versus|v\.?|against)(?:\s+|$)|\s*,\s*|\s+/\s+)")


@dataclass(frozen=True)
class Suggestions:
    """Ephemeral "did you mean": the core's words plus the pairs to offer as buttons."""

    text: str
    pairs: tuple[tuple[int, str, int, str], ...]
    lens: Lens | None


async def run_compare(
    ctx: DiscordContext, interaction: Interaction, text: str, lens: Lens | None
) -> None:
    await _answer(ctx, interaction, text, lens)


async def run_pick(
    ctx: DiscordContext, interaction: Interaction, a_id: int, b_id: int, lens: Lens | None
) -> None:
    async def names() -> CompareRequest:
        return CompareRequest(await ctx.tool_name(a_id), await ctx.tool_name(b_id), lens)

    await _answer(ctx, interaction, names, lens)


async def _answer(
    ctx: DiscordContext,
    interaction: Interaction,
    ask: str | Callable[[], Awaitable[CompareRequest]],
    lens: Lens | None,
) -> None:
    """Prepare the card (or the did-you-mean) within the deadline, then publish it."""
    place = Place(ctx.community(interaction), str(interaction.channel_id), str(interaction.user.id))
    require_card_permissions(interaction.app_permissions, ctx.vote_mode)
    ctx.cooldown.take((place.community, interaction.user.id))

    async def prepare() -> VerdictCard | Suggestions:
        asked = ask if isinstance(ask, str) else await ask()
        prepared = await publishing.prepare(ctx.service, place, asked, lens)
        if isinstance(prepared, Unresolved):
            return await offer(ctx, prepared)
        return prepared

    result, deferred = await in_time(interaction, prepare())
    if isinstance(result, Suggestions):
        if deferred:  # the "thinking…" message is public: the suggestions go out ephemerally
            await drop_thinking(interaction)
        view = pick_view(result.pairs, result.lens) if result.pairs else None
        await ctx.send(interaction, user_message(result.text), view=view)
        return
    await publishing.publish(ctx.service, DiscordSurface(ctx, interaction), result)


async def suggestions(
    ctx: DiscordContext, text: str, lens: Lens | None, error: UnknownTool | AmbiguousTool
) -> Suggestions:
    """:func:`offer` for typed text (parsed again: the compare path has the request already)."""
    return await offer(ctx, Unresolved(await ctx.service.parse(text, lens), error))


async def offer(ctx: DiscordContext, unresolved: Unresolved) -> Suggestions:
    """Both sides' options (the tool itself, or its suggestions / candidates) crossed into
    pairs. A side that matches nothing close gets no buttons, only the core's sentence."""
    request, error = unresolved.request, unresolved.error
    sides: list[list[Tool]] = []
    lines: list[str] = []
    for typed in (request.a, request.b):
        tools, problem = await _options(ctx, typed)
        sides.append(tools)
        if problem:
            lines.append(problem)
    if not lines:  # resolved now (an admin just added it?): show the original error anyway
        lines.append(error.told(COMMANDS))
    pairs = tuple(
        (a.id, a.name, b.id, b.name)
        for a, b in itertools.product(sides[0], sides[1])
        if a.id != b.id
    )
    if pairs:
        lines.append("Pick a pair to compare:")
    return Suggestions("\n".join(lines), pairs, request.lens)


async def _options(ctx: DiscordContext, typed: str) -> tuple[list[Tool], str | None]:
    try:
        tool = await ctx.catalog.show(typed)
    except (UnknownTool, AmbiguousTool) as error:
        names = error.suggestions if isinstance(error, UnknownTool) else error.candidates
        tools = []
        for name in names:
            try:
                tools.append(await ctx.catalog.show(name))
            except UserFacingError:
                continue
            ctx.remember(tools[-1].id, tools[-1].name)
        return tools, error.told(COMMANDS)
    ctx.remember(tool.id, tool.name)
    return [tool], None


# -- autocomplete ------------------------------------------------------------------------------


def split_typed(current: str) -> tuple[str | None, str]:
    """``("SmolLM3", "Mis")`` for ``"SmolLM3 vs Mis"``; ``(None, "Smo")`` before a separator."""
    last = next(reversed(list(_SEPARATOR.finditer(current))), None)
    if last is None or not current[: last.start()].strip():
        return None, current.strip()
    return current[: last.start()].strip(), current[last.end() :].strip()


async def matchup_choices(ctx: DiscordContext, current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 completions of the side being typed, each the whole matchup so far."""
    first, typing = split_typed(current)
    names = await ctx.service.complete(typing, CHOICES + 1)
    choices: list[app_commands.Choice[str]] = []
    for name in names:
        if first is not None and name.casefold() == first.casefold():
            continue
        value = name if first is None else f"{first} vs {name}"
        if len(value) <= CHOICE_LENGTH:
            choices.append(app_commands.Choice(name=value, value=value))
    return choices[:CHOICES]


async def name_choices(ctx: DiscordContext, current: str) -> list[app_commands.Choice[str]]:
    """Tool names for an admin command's ``name`` option."""
    names = await ctx.service.complete(current.strip(), CHOICES)
    return [app_commands.Choice(name=n, value=n) for n in names if len(n) <= CHOICE_LENGTH]


async def within_deadline(
    ctx: DiscordContext,
    interaction: Interaction,
    work: Awaitable[list[app_commands.Choice[str]]],
    what: str,
) -> list[app_commands.Choice[str]]:
    """Autocomplete cannot be deferred: answer within the budget or answer nothing. Observed
    as ``autocomplete`` (outcome ``timeout`` when the budget ran out)."""
    async with ctx.observe("autocomplete", interaction.user.id, interaction.guild_id) as seen:
        seen.fields["option"] = what
        try:
            return await asyncio.wait_for(work, timeout=AUTOCOMPLETE_BUDGET)
        except TimeoutError:
            seen.outcome = "timeout"
        except Exception:
            seen.outcome = "error"
            log.exception("autocomplete failed", extra={"what": what})
        return []
