"""``catalog sync``: upsert the models of the open-data sources into the catalog, idempotently.

One tool per model (``bot.model_groups``); a model that is already in the catalog under its name
or one of its ids (a hand-written entry such as the seed pair) keeps its text and gains facts.
What the sync writes, per tool: its own sources' facts (``tool_facts``, keyed by tool, field and
source), one offering per provider and source, and the ids people type as aliases (only ids no
other tool holds). What it never does: overwrite admin-written text (only tools it created and
nobody edited, ``tools.synced``), touch pinned or curated facts, remove an alias, delete a tool.
The whole sync is one transaction; a dry run computes the same report and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.matching import normalize
from bot.model_groups import (
    ModelGroup,
    group_models,
    id_key,
    model_key,
)
from bot.model_profiles import SyncedProfile, synced_profile
from data.curated_facts import CuratedFacts, read_curated
from data.schema import (
    utcnow,
)
from data.sources.common import SourceRead
from data.sources.reading import BUNDLED, SOURCES, detect, read_sources
from data.sync_facts import (
    SYNC_ACTOR,
    group_facts,
    group_offerings,
    plan_curated,
    plan_facts,
    plan_offerings,
    prune_offerings,
)
from data.sync_state import SyncPlan, SyncReport, SyncState, load_state
from data.sync_write import Progress, write_plan

__all__ = ["BUNDLED", "SOURCES", "SyncReport", "detect", "read_sources", "sync_catalog"]


async def sync_catalog(
    engine: AsyncEngine,
    reads: Iterable[SourceRead],
    *,
    dry_run: bool = False,
    record_changes: bool = True,
    progress: Progress | None = None,
    curated: Sequence[CuratedFacts] = (),
) -> SyncReport:
    """Upsert every model the ``reads`` list; one transaction, nothing written on a dry run."""
    reads = list(reads)
    report = SyncReport(sources=[f"{r.source} {r.version}" for r in reads], dry_run=dry_run)
    for read in reads:
        report.rejected.extend(read.rejected)
    rows = [row for read in reads for row in read.rows]
    sources = {read.source for read in reads}
    groups = group_models(rows)
    report.models = len(groups)
    tick = progress or (lambda stage, done, total: None)
    async with engine.begin() as connection:
        state = await load_state(connection)
        plan = SyncPlan()
        claimed: set[int | str] = set()
        state.families = _families(groups)
        for index, group in enumerate(groups):
            _plan_group(group, sources, state, plan, claimed, report, record_changes)
            if index % 100 == 0:
                tick("matching models", index, len(groups))
        tick("matching models", len(groups), len(groups))
        for entry in curated:
            plan_curated(entry, state, plan, report)
        for tid in prune_offerings(claimed, sources, state, plan):
            name = state.tools[tid].name
            if name not in report.updated:
                report.updated.append(name)
        if not dry_run:
            await write_plan(connection, plan, tick)
        else:
            await connection.rollback()
    return report


def _families(groups: list[ModelGroup]) -> set[str]:
    """Every leading part of a model key (``mistral-medium`` of ``mistral-medium-2505``): an id
    that reduces to one of these names several models, so it is no model's alias."""
    out: set[str] = set()
    for group in groups:
        parts = group.key.split("-")
        out.update("-".join(parts[:i]) for i in range(1, len(parts)))
    return out


def _target(
    group: ModelGroup, state: SyncState, claimed: set[int | str]
) -> tuple[int | str | None, bool]:
    """The existing tool this model is (by its name, then by any of its ids), and whether the
    name matched. A tool another model of this sync already took is only reused by name."""
    key = normalize(group.name)
    if key in state.names:
        return state.names[key], True
    for text in group.ids:
        other = normalize(text)
        tid = state.names.get(other) or state.aliases.get(other)
        if tid is not None and tid not in claimed:
            return tid, False
    # The same model under a name written another way ("Meta-Llama-3-70B-Instruct"); only a
    # tool no other model of this sync took, so two models never fold into one.
    tid = state.model_keys.get(group.key) or state.model_keys.get(model_key(group.name))
    if tid is not None and tid not in claimed:
        return tid, False
    return None, False


def _plan_group(
    group: ModelGroup,
    sources: set[str],
    state: SyncState,
    plan: SyncPlan,
    claimed: set[int | str],
    report: SyncReport,
    record_changes: bool,
) -> None:
    tid, _by_name = _target(group, state, claimed)
    facts = group_facts(group, sources)
    offerings = group_offerings(group, sources)
    shown = {key: value for key, (value, _, _) in facts.get("models.dev", {}).items()}
    for source in sources:
        for key, (value, _, _) in facts.get(source, {}).items():
            shown.setdefault(key, value)
    official = next((o for o in offerings if o.official and o.source == "models.dev"), None)
    official = official or next((o for o in offerings if o.official), None)
    paid = [o for o in offerings if o.price.input is not None and not o.price.is_free]
    cheapest = min(
        paid, key=lambda o: (o.price.input or 0) * 5 + (o.price.output or 0), default=None
    )
    url = next((e.source_url for e in group.entries if e.official and e.source_url), "")
    profile = synced_profile(
        group, shown, official, cheapest, len({o.provider for o in offerings}), url
    )
    ref: int | str
    if tid is None:
        ref = f"new:{len(plan.new_tools)}"
        name_key = normalize(group.name)
        if not name_key or name_key in state.names or name_key in state.aliases:
            return  # its name is another tool's alias: nothing to attach to safely
        plan.new_tools.append(_new_tool(group, profile, state))
        state.names[name_key] = ref
        state.model_keys.setdefault(model_key(group.name), ref)
        report.added.append(group.name)
        is_new = True
    else:
        ref = tid
        is_new = isinstance(tid, str)
        tool = state.tools.get(tid) if isinstance(tid, int) else None
        if tool and tool.synced and tool.profile != _profile_tuple(profile):
            plan.profile_updates.append({"tool_id": tid, **_profile_dict(profile)})
    first_claim = ref not in claimed
    claimed.add(ref)
    changed = False
    for text in group.ids:
        akey = normalize(text)
        if id_key(text) != group.key and id_key(text) in state.families:
            continue  # "mistral-medium" names a family of models, not this one
        if akey and akey not in state.names and akey not in state.aliases:
            state.aliases[akey] = ref
            plan.new_aliases.append((ref, text, akey))
            report.aliases_added += 1
    if first_claim:
        changed |= plan_facts(ref, group.name, facts, sources, state, plan, report, record_changes)
    changed |= plan_offerings(
        ref, group.name, offerings, sources, state, plan, report, record_changes
    )
    if changed and not is_new:
        report.updated.append(state.tools[ref].name if isinstance(ref, int) else group.name)


def _profile_tuple(profile: SyncedProfile) -> tuple[str, ...]:
    return (
        profile.category,
        profile.tagline,
        profile.entry,
        profile.pricing_note,
        profile.description,
        profile.url,
    )


def _profile_dict(profile: SyncedProfile) -> dict[str, Any]:
    return dict(
        zip(
            ("category", "tagline", "entry", "pricing_note", "description", "url"),
            _profile_tuple(profile),
            strict=True,
        )
    )


def _new_tool(group: ModelGroup, profile: SyncedProfile, state: SyncState) -> dict[str, Any]:
    base = re.sub(r"[^a-z0-9]+", "-", normalize(group.name).lower()).strip("-")[:100] or "model"
    slug, n = base, 1
    while slug in state.slugs:
        n += 1
        slug = f"{base}-{n}"
    state.slugs.add(slug)
    now = utcnow()
    return {
        "slug": slug,
        "name": group.name,
        "normalized": normalize(group.name),
        **_profile_dict(profile),
        "created_by": SYNC_ACTOR,
        "created_at": now,
        "updated_at": now,
        "synced": True,
    }


async def sync_bundled(engine: AsyncEngine, *, progress: Progress | None = None) -> SyncReport:
    """The snapshot a new database starts with: the pinned packages and the curated facts,
    offline (no change log: everything is new)."""
    return await sync_catalog(
        engine,
        read_sources(BUNDLED),
        record_changes=False,
        progress=progress,
        curated=read_curated(),
    )
