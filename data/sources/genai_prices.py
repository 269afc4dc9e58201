"""pydantic's genai-prices: per-provider prices with dated history and model match rules.

Read from the bundled package (``genai_prices.data_snapshot.get_snapshot().providers``) or from
the same data as JSON (the project's ``prices/data.json``: a list of providers). The price shown
is the one in force today; its start date is the as-of date (else the newest dated change in the
data, which the data is at least as fresh as).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import metadata
from typing import Any

from bot.facts import FactKey
from bot.model_groups import SourceModel
from data.sources.common import FactCollector, SourceError, SourceRead, load_json, parse_date

SOURCE = "genai-prices"
SUPPORTED = "0.2."
PRICE_FIELDS = {
    "input": "input_mtok",
    "output": "output_mtok",
    "cache_read": "cache_read_mtok",
    "cache_write": "cache_write_mtok",
}


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    if name == "or":
        name = "or_"
    elif name == "and":
        name = "and_"
    return getattr(obj, name, None)


def bundled_version() -> str:
    try:
        return metadata.version("genai-prices")
    except metadata.PackageNotFoundError:
        raise SourceError(SOURCE, "the genai-prices package is not installed") from None


def read(location: str | None = None, today: date | None = None) -> SourceRead:
    today = today or date.today()
    if location is None:
        version = bundled_version()
        label = f"{SOURCE} {version}"
        if not version.startswith(SUPPORTED):
            raise SourceError(label, f"shipbot reads genai-prices {SUPPORTED}x, not {version}")
        from genai_prices import data_snapshot

        providers: Any = data_snapshot.get_snapshot().providers
    else:
        label, version = f"{SOURCE} ({location})", "file"
        providers = load_json(label, location)
    return parse(providers, label, version, today)


def parse(providers: Any, label: str, version: str, today: date) -> SourceRead:
    if isinstance(providers, dict):
        raise SourceError(
            label, "this is an object, not genai-prices' list of providers (another version?)"
        )
    if not isinstance(providers, list) or not providers:
        raise SourceError(label, "expected a list of providers")
    read = SourceRead(source=SOURCE, version=version)
    fresh = _newest_change(providers, today)
    for index, provider in enumerate(providers):
        pid, models = _get(provider, "id"), _get(provider, "models")
        if not isinstance(pid, str) or not isinstance(models, list):
            raise SourceError(label, f"provider #{index} has no id or no models list")
        urls = _get(provider, "pricing_urls") or []
        url = str(urls[0]) if urls else ""
        name = str(_get(provider, "name") or pid)
        for model in models:
            mid = _get(model, "id")
            if not isinstance(mid, str) or _get(model, "match") is None:
                raise SourceError(label, f"a model of {pid} has no id or match rule")
            row = _row(read, pid, name, url, model, fresh, today)
            if row is not None:
                read.rows.append(row)
    if not read.rows:
        raise SourceError(label, "it lists no models")
    return read


def _row(
    read: SourceRead,
    pid: str,
    provider_name: str,
    url: str,
    model: Any,
    fresh: date,
    today: date,
) -> SourceModel | None:
    mid = str(_get(model, "id"))
    name = str(_get(model, "name") or mid)
    where = f"{name} ({pid}/{mid})"
    facts = FactCollector(read, where)
    facts.add(FactKey.CONTEXT, _get(model, "context_window"))
    if _get(model, "deprecated"):
        facts.add(FactKey.STATUS, "deprecated")
    prices, since = _current_prices(_get(model, "prices"), today)
    price = None
    if prices is not None:
        price = facts.prices({k: _number(_get(prices, f)) for k, f in PRICE_FIELDS.items()})
    context = next((int(v) for k, v in facts.facts if k is FactKey.CONTEXT), None)
    return SourceModel(
        source=SOURCE,
        provider=pid,
        provider_name=provider_name,
        model_id=mid,
        name=name,
        as_of=since or fresh,
        source_url=url,
        facts=tuple(facts.facts),
        price=price,
        context=context,
        extra_ids=tuple(_equals(_get(model, "match"))),
        by_rule=True,
    )


def _number(value: Any) -> object:
    """A plain price; a tiered price is read as its base tier."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    base = _get(value, "base") if not isinstance(value, (int, float, str)) else None
    if base is not None:
        return _number(base)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _current_prices(prices: Any, today: date) -> tuple[Any, date | None]:
    """The prices in force today, and since when (None: undated)."""
    if prices is None:
        return None, None
    if not isinstance(prices, list):
        return prices, None
    if not prices:
        return None, None
    chosen, since = _get(prices[0], "prices"), None
    for conditional in reversed(prices):
        constraint = _get(conditional, "constraint")
        start = parse_date(_get(constraint, "start_date")) if constraint is not None else None
        if constraint is None or (start is not None and start <= today):
            chosen, since = _get(conditional, "prices"), start
            break
    return chosen, since


def _newest_change(providers: list[Any], today: date) -> date:
    newest = date(2025, 1, 1)
    for provider in providers:
        for model in _get(provider, "models") or []:
            prices = _get(model, "prices")
            if isinstance(prices, list):
                for conditional in prices:
                    constraint = _get(conditional, "constraint")
                    start = parse_date(_get(constraint, "start_date")) if constraint else None
                    if start is not None and newest < start <= today:
                        newest = start
    return newest


def _equals(match: Any) -> list[str]:
    """The exact ids a match rule names (``equals`` clauses, through ``or``)."""
    if match is None:
        return []
    equals = _get(match, "equals")
    if isinstance(equals, str):
        return [equals]
    found: list[str] = []
    for clause in _get(match, "or") or []:
        found.extend(_equals(clause))
    return found
