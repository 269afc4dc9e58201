"""``catalog sync`` on real databases: the snapshot a new database holds, idempotent upserts,
what it never overwrites or deletes, and bad sources that write nothing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.bootstrap import App
from bot.admin import Actor
from bot.digest import digest_lines
from bot.errors import SameTool
from bot.facts import FactKey
from bot.models import Community, Side, Voter, VoteSource
from data.catalog_files import SEED_DIR
from data.catalog_sync import read_sources, sync_catalog
from data.curated_facts import read_curated
from data.schema import CatalogChangeRow, OfferingRow, ToolFactRow, ToolRow
from data.sources import SourceError

ADMIN = Actor("u1", "admin", is_admin=True, catalog_admin=True)
HERE = Community("console", "local")


def models_dev_file(
    tmp_path: Path, models: dict[str, dict[str, Any]], provider: str = "mistral"
) -> str:
    path = tmp_path / "models-dev.json"
    path.write_text(
        json.dumps(
            {
                provider: {
                    "id": provider,
                    "name": provider.title(),
                    "doc": "https://docs.example",
                    "models": models,
                }
            }
        )
    )
    return str(path)


def medium3(**changes: Any) -> dict[str, Any]:
    model = {
        "id": "mistral-medium-2505",
        "name": "Mistral Medium 3",
        "attachment": True,
        "reasoning": False,
        "tool_call": True,
        "open_weights": False,
        "release_date": "2025-05-07",
        "last_updated": "2025-05-07",
        "modalities": {"input": ["text", "image"], "output": ["text"]},
        "limit": {"context": 131072, "output": 131072},
        "cost": {"input": 0.4, "output": 2},
    }
    model.update(changes)
    return model


async def counts(app: App) -> tuple[int, int, int]:
    async with app.engine.connect() as c:
        return (
            int(await c.scalar(select(func.count()).select_from(ToolRow)) or 0),
            int(await c.scalar(select(func.count()).select_from(ToolFactRow)) or 0),
            int(await c.scalar(select(func.count()).select_from(OfferingRow)) or 0),
        )


async def test_a_new_database_knows_thousands_of_models_with_one_tool_per_model(app: App) -> None:
    tools, facts, offerings = await counts(app)
    assert tools > 1500 and facts > 10_000 and offerings > 5000
    matcher = await app.service.matcher()
    for typed in (
        "Claude Sonnet 4.5",
        "claude-sonnet-4-5-20250929",
        "anthropic/claude-sonnet-4.5",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5@20250929",
    ):
        assert matcher.resolve(typed).name == "Claude Sonnet 4.5", typed  # type: ignore[union-attr]
    tool, held = await app.catalog.facts("Claude Sonnet 4.5")
    assert tool.category == "Language Models"
    assert len({o.provider for o in held.offerings}) >= 5
    _, embedding = await app.catalog.facts("text-embedding-3-large")
    assert (await app.catalog.show("text-embedding-3-large")).category == "Embeddings & Reranking"
    assert embedding


async def test_the_seed_pair_keeps_its_text_and_gains_sourced_facts(app: App) -> None:
    import yaml

    seed = yaml.safe_load((SEED_DIR / "000_seed_pair.yaml").read_text())["tools"]
    for entry in seed:
        tool = await app.catalog.show(entry["name"])
        assert (tool.category, tool.tagline, tool.description) == (
            entry["category"],
            entry["tagline"],
            entry["description"],
        )
    _, medium = await app.catalog.facts("Mistral Medium 3")
    official = medium.official_offering()
    assert official is not None and (official.price.input, official.price.output) == (0.4, 2.0)
    assert official.source and official.as_of
    _, smol = await app.catalog.facts("SmolLM3")
    shown = {key: smol.shown(key) for key in FactKey}
    assert shown[FactKey.LICENSE].value == "Apache 2.0"  # type: ignore[union-attr]
    assert shown[FactKey.CONTEXT].value == "65536"  # type: ignore[union-attr]
    assert shown[FactKey.CONTEXT_EXTENDED].value == "131072"  # type: ignore[union-attr]
    assert (
        shown[FactKey.OPEN_WEIGHTS].source_url == "https://huggingface.co/HuggingFaceTB/SmolLM3-3B"
    )  # type: ignore[union-attr]


async def test_syncing_the_bundled_sources_again_changes_nothing(app: App) -> None:
    before = await counts(app)
    report = await sync_catalog(
        app.engine, read_sources(["models-dev", "genai-prices"]), curated=read_curated()
    )
    assert not report.changed and not report.price_changes and not report.deprecated
    assert await counts(app) == before


async def test_a_price_change_and_a_deprecation_are_reported_and_logged(
    app: App, tmp_path: Path
) -> None:
    source = models_dev_file(
        tmp_path,
        {"mistral-medium-2505": medium3(cost={"input": 0.5, "output": 2.5}, status="deprecated")},
    )
    dry = await sync_catalog(app.engine, read_sources([], source), dry_run=True)
    assert any(
        "Mistral Medium 3 on Mistral: $0.40 / $2.00 → $0.50 / $2.50" in c for c in dry.price_changes
    )
    assert await counts(app) == await counts(app)
    report = await sync_catalog(app.engine, read_sources([], source))
    assert report.price_changes == dry.price_changes
    assert any(d.startswith("Mistral Medium 3") for d in report.deprecated)
    async with app.engine.connect() as c:
        kinds = sorted((await c.scalars(select(CatalogChangeRow.kind))).all())
    assert kinds == ["deprecated", "price"]
    _, held = await app.catalog.facts("Mistral Medium 3")
    assert held.shown(FactKey.STATUS).value == "deprecated"  # type: ignore[union-attr]


async def test_sync_never_overwrites_admin_text_or_pinned_facts_and_never_deletes(
    app: App, tmp_path: Path
) -> None:
    await app.catalog.edit_tool("Claude Sonnet 4.5", {"tagline": "Our team's default model"}, ADMIN)
    card = await app.service.open_card(
        await app.service.compare("Claude Sonnet 4.5 vs SmolLM3", HERE), HERE, "t"
    )
    assert card.card_id is not None
    await app.service.cast_vote(Voter(HERE, "u9"), card.card_id, Side.A, VoteSource.COMMAND)
    smol_says = {
        "id": "smollm3",
        "name": "SmolLM3",
        "attachment": False,
        "reasoning": False,
        "tool_call": False,
        "open_weights": True,
        "release_date": "2025-07-08",
        "last_updated": "2025-07-08",
        "modalities": {"input": ["text"], "output": ["text"]},
        "limit": {"context": 8192, "output": 4096},
    }
    source = models_dev_file(tmp_path, {"smollm3": smol_says}, provider="huggingface")
    await sync_catalog(app.engine, read_sources(["models-dev"], source), curated=read_curated())
    await sync_catalog(app.engine, read_sources(["models-dev"]), curated=read_curated())
    assert (await app.catalog.show("Claude Sonnet 4.5")).tagline == "Our team's default model"
    _, smol = await app.catalog.facts("SmolLM3")
    shown = smol.shown(FactKey.CONTEXT)
    assert shown is not None and shown.value == "65536" and shown.source == "curated"
    # The voted-on tool is still there although the file listed no Anthropic model.
    assert (await app.catalog.show("Claude Sonnet 4.5")).name == "Claude Sonnet 4.5"


def truncated(tmp_path: Path) -> str:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps({"mistral": {"models": {"m": medium3()}}})[:-40])
    return str(path)


def wrong_schema(tmp_path: Path) -> str:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"id": "x"}]))
    return str(path)


def other_version(tmp_path: Path) -> str:
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps({"mistral": {"id": "mistral", "models": {"m": {"id": "m", "name": "M"}}}})
    )
    return str(path)


def bad_gzip(tmp_path: Path) -> str:
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress(b'{"a": 1}' * 100)[:30])
    return str(path)


@pytest.mark.parametrize(
    ("make", "source", "problem"),
    [
        (lambda p: str(p / "missing.json"), ["models-dev"], "no such file"),
        (truncated, ["models-dev"], "ends early (truncated?)"),
        (wrong_schema, ["models-dev"], "this is a list, like genai-prices data"),
        (other_version, ["models-dev"], "mistral/m has no limit, modalities"),
        (other_version, ["genai-prices"], "not genai-prices' list of providers (another version?)"),
        (bad_gzip, ["models-dev"], "gzip data is truncated or corrupt"),
    ],
)
async def test_a_bad_source_is_named_with_what_is_wrong_and_nothing_is_written(
    app: App, tmp_path: Path, make: Any, source: list[str], problem: str
) -> None:
    before = await counts(app)
    location = make(tmp_path)
    with pytest.raises(SourceError) as raised:
        read_sources(source, location)
    assert problem in raised.value.message
    assert location in raised.value.message and "Nothing was written" in raised.value.message
    assert await counts(app) == before


async def test_an_out_of_range_value_is_left_out_naming_the_model_and_field(
    app: App, tmp_path: Path
) -> None:
    source = models_dev_file(
        tmp_path,
        {
            "mistral-medium-2505": medium3(
                cost={"input": -0.4, "output": 2}, limit={"context": 0, "output": 4096}
            )
        },
    )
    (read,) = read_sources(["models-dev"], source)
    assert (
        "Mistral Medium 3 (mistral/mistral-medium-2505): price.input must not be negative, got -0.4"
        in read.rejected
    )
    assert (
        "Mistral Medium 3 (mistral/mistral-medium-2505): context must be more than 0 tokens, got 0"
        in read.rejected
    )
    report = await sync_catalog(app.engine, [read])
    assert report.rejected == read.rejected
    _, held = await app.catalog.facts("Mistral Medium 3")
    assert all(o.price.input is None or o.price.input >= 0 for o in held.offerings)


async def test_the_digest_watches_price_changes_of_tools_the_community_compared(
    app: App, tmp_path: Path
) -> None:
    await app.service.open_card(
        await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE), HERE, "t"
    )
    source = models_dev_file(
        tmp_path, {"mistral-medium-2505": medium3(cost={"input": 0.5, "output": 2.5})}
    )
    await sync_catalog(app.engine, read_sources([], source))
    digest = await app.community.digest(HERE)
    assert digest.watch == (
        "Mistral Medium 3 on Mistral: $0.40 / $2.00 → $0.50 / $2.50 per 1M tokens (models.dev)",
    )
    assert "Watch (tools you compared):" in digest_lines(digest, 5)
    assert (await app.community.digest(Community("slack", "T-elsewhere"))).watch == ()
    assert "Claude Sonnet 4.5" not in digest.new_tools  # synced models are not news


@pytest.mark.parametrize(
    "pair",
    [
        "Meta-Llama-3-70B-Instruct vs Llama 3 70B Instruct",
        "anthropic--claude-3.5-sonnet vs Claude 3.5 Sonnet",
        "ai21/jamba-1-5-large vs AI21 Jamba 1.5 Large",
        "Qwen QwQ 32B vs QwQ 32B",
    ],
)
async def test_one_model_written_two_ways_is_one_tool(app: App, pair: str) -> None:
    """A reseller's id with the maker's name in front joins the model, not a second tool."""
    with pytest.raises(SameTool):
        await app.service.compare(pair, Community.console())
