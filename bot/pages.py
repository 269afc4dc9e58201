"""What the web pages read besides a card: one tool with its most compared pairs, the week's most
compared pairs, and name completion with slugs. Read-only use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.catalog_index import CatalogIndex, resolved_name
from bot.errors import NotFoundError
from bot.models import Community, Pair, Tool
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.retry import retry_use_cases
from bot.service import SystemClock
from bot.votes import Split

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class ToolRef:
    """A tool as a link: its id, name and URL slug."""

    id: int
    name: str
    slug: str
    category: str = ""


@dataclass(frozen=True)
class ComparedPair:
    """A pair people compared this week: how many cards, and the global vote split."""

    a: ToolRef
    b: ToolRef
    cards: int
    split: Split


@dataclass(frozen=True)
class ToolPage:
    tool: Tool
    pairs: tuple[ComparedPair, ...]
    canonical: bool  # False when the slug asked for was not the tool's own (redirect to it)


def ref(tool: Tool) -> ToolRef:
    return ToolRef(tool.id, tool.name, tool.slug, tool.category)


@retry_use_cases
class PageService:
    def __init__(
        self, uow: UnitOfWorkFactory, index: CatalogIndex, clock: Clock | None = None
    ) -> None:
        self._uow = uow
        self._index = index
        self._clock = clock or SystemClock()

    async def tool_page(self, slug: str, limit: int = 5) -> ToolPage:
        """A tool by exact slug, or by any name the matcher resolves; UnknownTool otherwise."""
        async with self._uow() as uow:
            tool = (await uow.tools.get_many_by_slug([slug])).get(slug)
            canonical = tool is not None
            if tool is None:
                name = resolved_name(
                    await self._index.matcher(uow.tools), slug.replace("-", " ").replace("_", " ")
                )
                tool = await uow.tools.get_by_name(name)
                if tool is None:
                    raise NotFoundError(f"'{name}' was just removed from the catalog.")
            pairs = await self._compared(uow, tool.id, limit)
        return ToolPage(tool, pairs, canonical)

    async def most_compared(self, limit: int = 5) -> tuple[ComparedPair, ...]:
        """The pairs with the most cards posted in the last seven days, everywhere."""
        async with self._uow() as uow:
            return await self._compared(uow, None, limit)

    async def categories(self) -> tuple[str, ...]:
        """Every category in the catalog, sorted (for the leaderboard's filter)."""
        async with self._uow() as uow:
            return tuple(await uow.tools.categories())

    async def complete(self, prefix: str, k: int = 10) -> tuple[ToolRef, ...]:
        """Catalog tools whose names complete ``prefix``, best first, with their slugs."""
        async with self._uow() as uow:
            names = (await self._index.matcher(uow.tools)).complete(prefix, k)
            found = await uow.tools.get_many_by_name(list(names))
        return tuple(ref(found[name]) for name in names if name in found)

    async def _compared(
        self, work: UnitOfWork, tool_id: int | None, limit: int
    ) -> tuple[ComparedPair, ...]:
        now = self._clock.now()
        counts = await work.cards.pair_counts(None, now - WEEK, now)
        if tool_id is not None:
            counts = [c for c in counts if tool_id in (c[0], c[1])]
        pairs = []
        for low, high, cards in counts[:limit]:
            a, b = await work.tools.get(low), await work.tools.get(high)
            if a is None or b is None:
                continue
            tally = await work.votes.tally(Pair(low, high), None)
            split = Split(tally.votes_for(low), tally.votes_for(high))
            pairs.append(ComparedPair(ref(a), ref(b), cards, split))
        return tuple(pairs)


WEB = Community(platform="web", id="everywhere")
"""The community a page counts as "here" when it was not linked from a card: nobody votes there,
so only the global split is shown."""
