"""Browsing the catalog in chat: ``/tools [category] [query]`` pages, ``/tool info NAME`` and
``/alternatives NAME``. Pure listing and paging over named types, and the read-only use cases
that feed them; every adapter renders the results with a pure function of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.alternatives import Alternative, candidate, candidates_of, rank_alternatives
from bot.cards import DEFAULT_WORKLOAD, PanelScore, ToolSide
from bot.catalog_index import CatalogIndex
from bot.categories import matching_categories
from bot.errors import InvalidInput, NotFoundError
from bot.facts import ToolFacts, Workload
from bot.models import Tool, Verdict, profile_values
from bot.normalize import tokens
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.retry import retry_use_cases
from bot.spec_sheet import spec_sheet

PAGE_SIZE = 10
INFO_ALTERNATIVES = 3
MAX_QUERY = 60


@dataclass(frozen=True)
class ToolLine:
    """One tool on a catalog page."""

    tool_id: int
    name: str
    category: str
    tagline: str
    entry: str
    panel: PanelScore


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalog as asked: ``page`` counts from 0; ``categories`` are those the
    typed category matched (empty: every category)."""

    lines: tuple[ToolLine, ...]
    page: int
    pages: int
    total: int
    category: str = ""  # as typed, for the next page
    query: str = ""
    categories: tuple[str, ...] = ()

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


@dataclass(frozen=True)
class ToolInfo:
    """``/tool info``: the tool as a card side (profile, panel, spec sheet), its other names and
    its closest alternatives."""

    side: ToolSide
    aliases: tuple[str, ...]
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Alternatives:
    """``/alternatives``: the tool asked about and its ranked alternatives in its category."""

    tool_id: int
    name: str
    category: str
    alternatives: tuple[Alternative, ...]


def panel_of(tool: Tool) -> PanelScore:
    return PanelScore(
        ships=sum(1 for r in tool.reviews if r.verdict is Verdict.SHIP), reviews=len(tool.reviews)
    )


def matches(tool: Tool, query: str) -> bool:
    """Every typed word starts a word of the tool's name, an alias or its tagline."""
    wanted = tokens(query)
    words = {w for text in (tool.name, *tool.aliases, tool.tagline) for w in tokens(text)}
    return all(any(word.startswith(part) for word in words) for part in wanted)


def split_category(text: str, known: Sequence[str]) -> tuple[str, str]:
    """``("vector", "qdrant")`` for ``"vector qdrant"``: the longest run of leading words that
    matches a category (``bot.categories``), then the query; no category when none does."""
    words = text.split()
    for cut in range(len(words), 0, -1):
        head = " ".join(words[:cut])
        if matching_categories(head, known):
            return head, " ".join(words[cut:])
    return "", " ".join(words)


def catalog_page(
    tools: Sequence[Tool],
    page: int,
    *,
    size: int = PAGE_SIZE,
    category: str = "",
    query: str = "",
    categories: tuple[str, ...] = (),
) -> CatalogPage:
    """Page ``page`` (clamped into range) of ``tools`` sorted by name."""
    ordered = sorted(tools, key=lambda t: (t.name.casefold(), t.id))
    pages = max(1, -(-len(ordered) // size))
    page = min(max(page, 0), pages - 1)
    lines = tuple(
        ToolLine(t.id, t.name, t.category, t.tagline, t.entry.value, panel_of(t))
        for t in ordered[page * size : (page + 1) * size]
    )
    return CatalogPage(lines, page, pages, len(ordered), category, query, categories)


def tool_side(tool: Tool, facts: ToolFacts, workload: Workload = DEFAULT_WORKLOAD) -> ToolSide:
    """The tool as one side of a card, with its spec sheet (no community share)."""
    return ToolSide(
        **profile_values(tool),
        tool_id=tool.id,
        panel=panel_of(tool),
        community="—",
        slug=tool.slug,
        specs=spec_sheet(facts, workload),
    )


@retry_use_cases
class BrowseService:
    """Read-only: the catalog by page, one tool's profile, its alternatives."""

    def __init__(
        self, uow: UnitOfWorkFactory, index: CatalogIndex, workload: Workload = DEFAULT_WORKLOAD
    ) -> None:
        self._uow = uow
        self._index = index
        self._workload = workload

    async def categories(self) -> tuple[str, ...]:
        async with self._uow() as uow:
            return tuple(await uow.tools.categories())

    async def tools(self, category: str = "", query: str = "", page: int = 0) -> CatalogPage:
        """The tools of the categories ``category`` means (forgivingly, as ``tool list``) whose
        words ``query`` starts; InvalidInput when no category fits or no tool matches."""
        category, query = " ".join(category.split()), " ".join(query.split())[:MAX_QUERY]
        async with self._uow() as uow:
            chosen: tuple[str, ...] = ()
            if category:
                known = await uow.tools.categories()
                chosen = matching_categories(category, known)
                if not chosen:
                    raise InvalidInput(
                        f"No category matches '{category[:60]}'. "
                        f"The categories are: {', '.join(known)}."
                    )
                tools = [t for name in chosen for t in await uow.tools.list_all(name)]
            else:
                tools = await uow.tools.list_all()
        found = [t for t in tools if matches(t, query)] if query else tools
        if not found:
            where = f" in {', '.join(chosen)}" if chosen else ""
            raise InvalidInput(f"No tool{where} matches '{query}'.")
        return catalog_page(found, page, category=category, query=query, categories=chosen)

    async def info(self, name: str, limit: int = INFO_ALTERNATIVES) -> ToolInfo:
        """A tool's profile, panel and sourced facts, and its ``limit`` closest alternatives."""
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            facts = (await uow.facts.for_tools([tool.id]))[tool.id]
            ranked = await self._ranked(uow, tool, limit)
        return ToolInfo(tool_side(tool, facts, self._workload), tool.aliases, ranked)

    async def alternatives(self, name: str, limit: int = 10) -> Alternatives:
        """The tools of ``name``'s category closest to it (``bot.alternatives``)."""
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            ranked = await self._ranked(uow, tool, limit)
        return Alternatives(tool.id, tool.name, tool.category, ranked)

    async def _ranked(self, uow: UnitOfWork, tool: Tool, limit: int) -> tuple[Alternative, ...]:
        peers = [t for t in await uow.tools.list_all(tool.category) if t.id != tool.id]
        compared = await uow.cards.compared_with(tool.id)
        facts = await uow.facts.for_tools([tool.id, *(t.id for t in peers)])
        target = candidate(tool.id, tool.name, facts[tool.id])
        pool = candidates_of([(t.id, t.name) for t in peers], facts, compared)
        return rank_alternatives(target, pool, limit)

    async def _tool(self, uow: UnitOfWork, name: str) -> Tool:
        exact = await self._index.resolve(uow.tools, name)
        tool = await uow.tools.get_by_name(exact)
        if tool is None:
            raise NotFoundError(f"'{exact}' is no longer in the catalog.")
        return tool
