"""How ``catalog sync`` plans a model's facts and offerings: which rows to add, update or
delete, never touching pinned or curated values, and the change log of prices and deprecations."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.facts import FactKey, Offering, Price
from bot.matching import normalize
from bot.model_groups import ModelGroup, SourceModel, match_rank
from data.curated_facts import CuratedFacts
from data.schema import utcnow
from data.sync_state import SyncPlan, SyncReport, SyncState

SYNC_ACTOR = "sync"


def group_facts(
    group: ModelGroup, sources: set[str]
) -> dict[str, dict[FactKey, tuple[str, date, str]]]:
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


def group_offerings(group: ModelGroup, sources: set[str]) -> list[Offering]:
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


def plan_facts(
    ref: int | str,
    name: str,
    facts: dict[str, dict[FactKey, tuple[str, date, str]]],
    sources: set[str],
    state: SyncState,
    plan: SyncPlan,
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


def plan_curated(entry: CuratedFacts, state: SyncState, plan: SyncPlan, report: SyncReport) -> None:
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
    ref: int, name: str, source: str, plan: SyncPlan, report: SyncReport, record: bool
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


def plan_offerings(
    ref: int | str,
    name: str,
    offerings: list[Offering],
    sources: set[str],
    state: SyncState,
    plan: SyncPlan,
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


def prune_offerings(
    claimed: set[int | str], sources: set[str], state: SyncState, plan: SyncPlan
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
