"""Admins edit the catalog; the change is matched at once, in this and other processes."""

from __future__ import annotations

import pytest

from adapters.bootstrap import App, build_app
from bot.admin import Actor
from bot.errors import Conflict, InvalidInput, PermissionDenied, UnknownTool
from bot.models import Community
from bot.settings import Settings
from data.catalog_files import seed_catalog

ADMIN = Actor("u1", "admin", is_admin=True, catalog_admin=True)
COMMUNITY_ADMIN = Actor("u3", "server admin", is_admin=True)
MEMBER = Actor("u2", "member", is_admin=False)
HERE = Community("slack", "T1")
NEW_TOOL = {
    "name": "Zeta Coder 2",
    "category": "Coding Assistants",
    "tagline": "A coding model for tests",
    "entry": "Paid",
    "description": "Used by the admin tests.",
    "aliases": ["zeta2"],
}


async def test_non_admin_cannot_add_tool_and_nothing_is_written(app: App) -> None:
    with pytest.raises(PermissionDenied):
        await app.catalog.add_tool(NEW_TOOL, MEMBER)
    with pytest.raises(UnknownTool):
        await app.service.compare("Zeta Coder 2 vs SmolLM3", HERE)


async def test_added_tool_is_found_at_once_by_alias(app: App) -> None:
    await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE)  # warm the index
    await app.catalog.add_tool(NEW_TOOL, ADMIN)
    card = await app.service.compare("zeta2 vs SmolLM3", HERE)
    assert card.a.name == "Zeta Coder 2"
    assert card.a.panel.label == "no panel yet"


async def test_change_made_by_another_process_is_seen_without_restart(
    app: App, settings: Settings
) -> None:
    await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE)
    other = await build_app(settings, migrate=False)
    try:
        await other.catalog.add_tool(NEW_TOOL, ADMIN)
        await other.catalog.add_alias("SmolLM3", "tiny hf model", ADMIN)
    finally:
        await other.close()
    card = await app.service.compare("Zeta Coder 2 vs tiny hf model", HERE)
    assert (card.a.name, card.b.name) == ("Zeta Coder 2", "SmolLM3")


async def test_duplicate_name_or_alias_is_a_conflict(app: App) -> None:
    with pytest.raises(Conflict):
        await app.catalog.add_tool(NEW_TOOL | {"name": "smollm3"}, ADMIN)
    with pytest.raises(Conflict, match="already points to SmolLM3"):
        await app.catalog.add_alias("GPT-4o", "SmolLM 3", ADMIN)


async def test_edit_and_rename(app: App) -> None:
    tool = await app.catalog.edit_tool("SmolLM3", {"tagline": "Small and mighty"}, ADMIN)
    assert tool.tagline == "Small and mighty"
    with pytest.raises(InvalidInput, match="entry must be one of"):
        await app.catalog.edit_tool("SmolLM3", {"entry": "cheap"}, ADMIN)
    with pytest.raises(InvalidInput, match="Can't edit"):
        await app.catalog.edit_tool("SmolLM3", {"votes": "1000"}, ADMIN)
    await app.catalog.edit_tool("SmolLM3", {"name": "SmolLM3 Base"}, ADMIN)
    card = await app.service.compare("SmolLM3 Base vs Mistral Medium 3", HERE)
    assert card.a.name == "SmolLM3 Base"


async def test_remove_tool(app: App) -> None:
    await app.catalog.remove_tool("Whisper", ADMIN)
    with pytest.raises(UnknownTool):
        await app.service.compare("Whisper vs SmolLM3", HERE)


async def test_review_replaces_that_lens_and_changes_the_panel(app: App) -> None:
    review = {"lens": "buyer", "verdict": "ship", "quote": "A buyer would pay for this."}
    tool = await app.catalog.put_review("SmolLM3", review, ADMIN)
    assert len(tool.reviews) == 4
    card = await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE)
    assert card.a.panel.label == "100% · 4/4"


async def test_bad_import_writes_nothing(app: App) -> None:
    raw = {"tools": [NEW_TOOL, NEW_TOOL | {"name": "Second", "entry": "cheap", "aliases": []}]}
    with pytest.raises(InvalidInput, match=r"tools\[1\] \(Second\) → entry"):
        await app.catalog.import_catalog(raw, ADMIN)
    with pytest.raises(UnknownTool):
        await app.service.compare("Zeta Coder 2 vs SmolLM3", HERE)


async def test_export_then_import_round_trips(app: App) -> None:
    exported = (await app.catalog.export_catalog()).model_dump(mode="json")
    added, updated = await app.catalog.import_catalog(exported, ADMIN)
    assert added == 0 and updated == len(exported["tools"])
    again = (await app.catalog.export_catalog()).model_dump(mode="json")
    assert again == exported


async def test_importing_the_bundled_catalog_again_updates_every_tool(app: App) -> None:
    """An alias spelled like its own tool's name ('mistral-medium-3') is no conflict."""
    raw = seed_catalog()
    added, updated = await app.catalog.import_catalog(raw, ADMIN)
    assert added == 0 and updated == len(raw["tools"])
