"""One rule for every name, whatever path writes it: ``tool add``, ``tool alias``, a rename,
``catalog import`` and the database itself; catalog files have size and depth limits."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.bootstrap import App
from bot.admin import Actor
from bot.errors import Conflict, InvalidInput, UnknownTool
from bot.models import Community, Entry, ToolDraft, ToolEdit
from data import catalog_files
from data.catalog_files import read_catalog
from data.unit_of_work import SqlUnitOfWorkFactory

OPERATOR = Actor.local()
HERE = Community.console()
ENTRY = {
    "name": "Zeta Coder 2",
    "category": "Coding Assistants",
    "tagline": "A coding model for tests",
    "entry": "Paid",
    "description": "Used by the catalog rule tests.",
}


async def test_import_refuses_an_alias_another_tool_owns_and_names_entry_and_field(
    app: App,
) -> None:
    raw = {"tools": [ENTRY, ENTRY | {"name": "Second Tool", "aliases": ["ok", "SmolLM3"]}]}
    with pytest.raises(InvalidInput) as refused:
        await app.catalog.import_catalog(raw, OPERATOR)
    assert "tools[1] (Second Tool) → aliases[1]: 'SmolLM3' already points to SmolLM3" in str(
        refused.value
    )
    with pytest.raises(UnknownTool):  # nothing was imported
        await app.service.compare("Zeta Coder 2 vs SmolLM3", HERE)
    card = await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE)  # not ambiguous
    assert card.a.name == "SmolLM3"


async def test_import_refuses_names_repeated_across_entries(app: App) -> None:
    raw = {"tools": [ENTRY | {"aliases": ["zc"]}, ENTRY | {"name": "Other", "aliases": ["ZC"]}]}
    with pytest.raises(InvalidInput, match=r"tools\[1\] \(Other\) → aliases\[0\]: 'ZC'"):
        await app.catalog.import_catalog(raw, OPERATOR)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("!!!", "letter or digit"),
        ("Smol\u202eLM", "direction-override"),
        ("Zero\u200bWidth", "zero-width"),
        ("Two\nLines", "printable"),
    ],
)
async def test_one_name_rule_for_add_alias_rename_and_import(app: App, name: str, why: str) -> None:
    writes = [
        app.catalog.add_tool(ENTRY | {"name": name}, OPERATOR),
        app.catalog.add_tool(ENTRY | {"aliases": [name]}, OPERATOR),
        app.catalog.add_alias("SmolLM3", name, OPERATOR),
        app.catalog.edit_tool("SmolLM3", {"name": name}, OPERATOR),
        app.catalog.import_catalog({"tools": [ENTRY | {"name": name}]}, OPERATOR),
    ]
    for write in writes:
        with pytest.raises(InvalidInput, match=why):
            await write
    assert (await app.catalog.show("SmolLM3")).name == "SmolLM3"


async def test_the_database_enforces_one_owner_per_name_across_tools_and_aliases(
    app: App,
) -> None:
    """Written straight through the repository (no service checks): the database refuses."""
    uow_factory = SqlUnitOfWorkFactory(app.engine)
    draft = ToolDraft(
        name="Fresh Tool",
        category="Tests",
        tagline="t",
        entry=Entry.PAID,
        description="d",
        aliases=("smollm 3",),  # SmolLM3's alias, normalized alike
    )
    async with uow_factory() as uow:
        with pytest.raises(Conflict):
            await uow.tools.add(draft, "test")
    async with uow_factory() as uow:
        whisper = await uow.tools.get_by_name("Whisper")
        assert whisper is not None
        with pytest.raises(Conflict):
            await uow.tools.add_alias(whisper.id, "SmolLM3")  # another tool's name
    async with uow_factory() as uow:
        smol = await uow.tools.get_by_name("SmolLM3")
        assert smol is not None
        with pytest.raises(Conflict):  # a rename onto another tool's alias
            renamed = replace(smol.profile, name="mistral-medium-3")
            await uow.tools.update(smol.id, ToolEdit(renamed, frozenset({"name"})), "test")


def test_catalog_files_have_size_and_depth_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidInput, match="nested more than 12 levels"):
        read_catalog(deep)
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("tools: " + "[" * 5_000 + "]" * 5_000)
    with pytest.raises(InvalidInput, match="nested more than 12 levels"):
        read_catalog(deep_yaml)
    monkeypatch.setattr(catalog_files, "MAX_CATALOG_BYTES", 1024 * 1024)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"tools": [ENTRY | {"description": "x" * 1000}] * 1200}))
    with pytest.raises(InvalidInput, match=r"big.json is 1\.\d MB; .* at most 1 MB"):
        read_catalog(big)
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps({"tools": [ENTRY | {"reviews": [{"lens": "dx"}]}]}))
    assert read_catalog(fine)["tools"][0]["name"] == "Zeta Coder 2"
