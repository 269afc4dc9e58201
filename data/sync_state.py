"""What ``catalog sync`` reads before it plans: the catalog as it is (tools, names, aliases,
facts, offerings), and the plan of rows it will write, kept in step as the plan grows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.facts import Offering
from bot.model_groups import model_key
from data.repositories.facts import offering_of
from data.schema import AliasRow, OfferingRow, ToolFactRow, ToolRow


@dataclass
class ToolSnapshot:
    id: int
    name: str
    synced: bool
    profile: tuple[str, ...] = ()


@dataclass
class SyncState:
    """The catalog as the sync found it, kept in step with what it plans to write."""

    tools: dict[int, ToolSnapshot]
    names: dict[str, int | str]  # normalized tool name → id (or "new:N", planned here)
    aliases: dict[str, int | str]  # normalized alias → id
    slugs: set[str]
    # per tool: (field, source) → (row id, value, as of, url, pinned)
    facts: dict[int | str, dict[tuple[str, str], tuple[int, str, date, str, bool]]]
    # per tool: (provider, source) → (row id, offering); row id 0 = planned in this sync
    offerings: dict[int | str, dict[tuple[str, str], tuple[int, Offering]]]
    taken: set[tuple[int | str, str, str]] = field(default_factory=set)  # given in this sync
    families: set[str] = field(default_factory=set)  # keys that begin other models' keys
    model_keys: dict[str, int | str] = field(default_factory=dict)  # model_key(name) → id


async def load_state(connection: AsyncConnection) -> SyncState:
    tools: dict[int, ToolSnapshot] = {}
    names: dict[str, int | str] = {}
    slugs: set[str] = set()
    rows = await connection.execute(
        select(
            ToolRow.id,
            ToolRow.name,
            ToolRow.normalized,
            ToolRow.slug,
            ToolRow.synced,
            ToolRow.category,
            ToolRow.tagline,
            ToolRow.entry,
            ToolRow.pricing_note,
            ToolRow.description,
            ToolRow.url,
        )
    )
    for tid, name, key, slug, synced, *profile in rows:
        tools[tid] = ToolSnapshot(tid, name, bool(synced), tuple(profile))
        names[key] = tid
        slugs.add(slug)
    aliases: dict[str, int | str] = {
        key: tid
        for tid, key in await connection.execute(select(AliasRow.tool_id, AliasRow.normalized))
    }
    facts: dict[int | str, dict[tuple[str, str], tuple[int, str, date, str, bool]]] = {}
    for fid, tid, key, source, value, as_of, url, pinned in await connection.execute(
        select(
            ToolFactRow.id,
            ToolFactRow.tool_id,
            ToolFactRow.key,
            ToolFactRow.source,
            ToolFactRow.value,
            ToolFactRow.as_of,
            ToolFactRow.source_url,
            ToolFactRow.pinned,
        )
    ):
        facts.setdefault(tid, {})[(key, source)] = (fid, value, as_of, url, bool(pinned))
    offerings: dict[int | str, dict[tuple[str, str], tuple[int, Offering]]] = {}
    for row in await connection.execute(select(OfferingRow)):
        offerings.setdefault(row.tool_id, {})[(row.provider, row.source)] = (
            row.id,
            offering_of(row),
        )
    state = SyncState(tools, names, aliases, slugs, facts, offerings)
    for tool in tools.values():
        state.model_keys.setdefault(model_key(tool.name), tool.id)
    return state


@dataclass
class SyncPlan:
    new_tools: list[dict[str, Any]] = field(default_factory=list)
    new_aliases: list[tuple[int | str, str, str]] = field(default_factory=list)  # tool, alias, key
    profile_updates: list[dict[str, Any]] = field(default_factory=list)
    fact_inserts: list[dict[str, Any]] = field(default_factory=list)
    fact_updates: list[dict[str, Any]] = field(default_factory=list)
    fact_deletes: list[int] = field(default_factory=list)
    offering_inserts: list[dict[str, Any]] = field(default_factory=list)
    offering_updates: list[dict[str, Any]] = field(default_factory=list)
    offering_deletes: list[int] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SyncReport:
    """What a sync changed (or, for a dry run, would change)."""

    sources: list[str]
    models: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    price_changes: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    aliases_added: int = 0
    facts_written: int = 0
    offerings_written: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.aliases_added)
