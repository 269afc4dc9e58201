"""How ``catalog sync`` writes its plan: bulk inserts in chunks, then updates and deletes, all
inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from data.schema import (
    AliasRow,
    CatalogChangeRow,
    CatalogMeta,
    OfferingRow,
    ToolFactRow,
    ToolRow,
    utcnow,
)
from data.sync_state import SyncPlan

Progress = Callable[[str, int, int], None]
CHUNK = 500


async def write_plan(connection: AsyncConnection, plan: SyncPlan, tick: Progress) -> None:
    total = (
        len(plan.new_tools)
        + len(plan.new_aliases)
        + len(plan.fact_inserts)
        + len(plan.offering_inserts)
        + len(plan.fact_updates)
        + len(plan.offering_updates)
    )
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        tick("writing", done, total)

    ids: dict[str, int] = {}
    if plan.new_tools:
        for chunk in _chunks(plan.new_tools):
            await connection.execute(insert(ToolRow), chunk)
            step(len(chunk))
        keys = {t["normalized"]: i for i, t in enumerate(plan.new_tools)}
        for tid, key in await connection.execute(select(ToolRow.id, ToolRow.normalized)):
            if key in keys:
                ids[f"new:{keys[key]}"] = tid

    def real(ref: int | str) -> int:
        return ref if isinstance(ref, int) else ids[ref]

    for chunk in _chunks(
        [{"tool_id": real(t), "alias": a, "normalized": k} for t, a, k in plan.new_aliases]
    ):
        await connection.execute(insert(AliasRow), chunk)
        step(len(chunk))
    for chunk in _chunks([{**f, "tool_id": real(f["tool_id"])} for f in plan.fact_inserts]):
        await connection.execute(insert(ToolFactRow), chunk)
        step(len(chunk))
    for chunk in _chunks([{**o, "tool_id": real(o["tool_id"])} for o in plan.offering_inserts]):
        await connection.execute(insert(OfferingRow), chunk)
        step(len(chunk))
    for values in plan.fact_updates:
        fid = values.pop("fact_id")
        await connection.execute(update(ToolFactRow).where(ToolFactRow.id == fid).values(**values))
    step(len(plan.fact_updates))
    for values in plan.offering_updates:
        oid = values.pop("offering_id")
        await connection.execute(update(OfferingRow).where(OfferingRow.id == oid).values(**values))
    step(len(plan.offering_updates))
    for values in plan.profile_updates:
        tid = values.pop("tool_id")
        await connection.execute(
            update(ToolRow).where(ToolRow.id == tid).values(**values, updated_at=utcnow())
        )
    for chunk_ids in _chunks(plan.fact_deletes):
        await connection.execute(delete(ToolFactRow).where(ToolFactRow.id.in_(chunk_ids)))
    for chunk_ids in _chunks(plan.offering_deletes):
        await connection.execute(delete(OfferingRow).where(OfferingRow.id.in_(chunk_ids)))
    if plan.changes:
        await connection.execute(
            insert(CatalogChangeRow), [{**c, "tool_id": real(c["tool_id"])} for c in plan.changes]
        )
    if plan.new_tools or plan.new_aliases or plan.profile_updates:
        await connection.execute(
            update(CatalogMeta).where(CatalogMeta.id == 1).values(revision=CatalogMeta.revision + 1)
        )


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
