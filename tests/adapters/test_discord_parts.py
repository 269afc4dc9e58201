"""Small pure pieces of the Discord adapter: emoji sides, the typed matchup, intents."""

from __future__ import annotations

import discord
import pytest

from adapters.discord.client import intents
from adapters.discord.compare import split_typed, suggestions
from adapters.discord.reactions import side_of
from adapters.discord.views import PickButton, RemoveButton, ReviewsButton, VoteButton
from bot.errors import AmbiguousTool, UnknownTool
from bot.models import Entry, Lens, Side, Tool
from bot.parsing import CompareRequest


@pytest.mark.parametrize(
    ("emoji", "side"),
    [
        ("🅰️", Side.A),
        ("🅰", Side.A),
        ("🅰\ufe0e", Side.A),
        ("🅱️", Side.B),
        ("🅱", Side.B),
        ("👍", None),
        ("A", None),
    ],
)
def test_side_of_unicode_emoji_ignores_variation_selectors(emoji: str, side: Side | None) -> None:
    assert side_of(emoji) is side
    assert side_of(discord.PartialEmoji(name=emoji)) is side


def test_custom_emoji_never_votes_even_when_named_like_a_side() -> None:
    assert side_of(discord.PartialEmoji(name="🅰", id=1234)) is None


@pytest.mark.parametrize(
    ("typed", "split"),
    [
        ("", (None, "")),
        ("Smol", (None, "Smol")),
        ("SmolLM3 vs Mis", ("SmolLM3", "Mis")),
        ("SmolLM3 VS. Mis", ("SmolLM3", "Mis")),
        ("SmolLM3 versus ", ("SmolLM3", "")),
        ("SmolLM3 vs", ("SmolLM3", "")),
        ("SmolLM3, Mis", ("SmolLM3", "Mis")),
        ("VS Code vs Cur", ("VS Code", "Cur")),
        ("vs Code", (None, "vs Code")),
    ],
)
def test_split_typed_finds_the_side_being_typed(typed: str, split: tuple[str | None, str]) -> None:
    assert split_typed(typed) == split


def test_no_privileged_intents() -> None:
    wanted = intents()
    assert wanted.guilds and wanted.guild_reactions
    assert not (wanted.members or wanted.presences or wanted.message_content)
    assert wanted.guild_messages and wanted.dm_messages  # content only when mentioned / DMs


def test_custom_ids_fit_and_round_trip() -> None:
    big = 2**63 - 1
    items = [
        VoteButton(big, Side.B),
        ReviewsButton(big),
        PickButton(big, big, Lens.COMPETITION),
        RemoveButton(big),
    ]
    for item in items:
        custom_id = item.custom_id
        assert len(custom_id) <= 100
        assert type(item).__discord_ui_compiled_template__.fullmatch(custom_id)


class _Catalog:
    """Just enough of CatalogService: 'Mistral' is ambiguous, the rest resolve exactly."""

    def __init__(self, tools: dict[str, int]) -> None:
        self.tools = tools

    async def show(self, name: str) -> Tool:
        if name == "Mistral":
            raise AmbiguousTool(name, ("Mistral Large 2", "Mistral Small 3"))
        if name not in self.tools:
            raise UnknownTool(name, ())
        return Tool(
            id=self.tools[name],
            name=name,
            category="c",
            tagline="t",
            entry=Entry.FREE,
            description="d",
        )


class _Service:
    async def parse(self, text: str, lens: Lens | None = None) -> CompareRequest:
        a, b = text.split(" vs ")
        return CompareRequest(a, b, lens)


class _Ctx:
    def __init__(self) -> None:
        self.catalog = _Catalog({"SmolLM3": 1, "Mistral Large 2": 2, "Mistral Small 3": 3})
        self.service = _Service()
        self.remembered: dict[int, str] = {}

    def remember(self, tool_id: int, name: str) -> None:
        self.remembered[tool_id] = name


async def test_an_ambiguous_name_offers_each_candidate_as_a_pair() -> None:
    ctx = _Ctx()
    error = AmbiguousTool("Mistral", ("Mistral Large 2", "Mistral Small 3"))
    offer = await suggestions(ctx, "SmolLM3 vs Mistral", Lens.BUSINESS, error)  # type: ignore[arg-type]
    assert offer.pairs == (
        (1, "SmolLM3", 2, "Mistral Large 2"),
        (1, "SmolLM3", 3, "Mistral Small 3"),
    )
    assert offer.lens is Lens.BUSINESS
    assert offer.text.startswith("'Mistral' could be Mistral Large 2, Mistral Small 3.")
    assert ctx.remembered == {1: "SmolLM3", 2: "Mistral Large 2", 3: "Mistral Small 3"}
