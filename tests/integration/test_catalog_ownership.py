"""The catalog belongs to the operator: community admins can't change what other communities
see, removal archives (votes stay, restorable), a rename keeps the old name as an alias."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.bootstrap import App
from adapters.console.names import COMMANDS as TERMINAL
from bot.admin import Actor
from bot.errors import Conflict, InvalidInput, PermissionDenied, UnknownTool
from bot.help import Commands
from bot.models import Community, Side, Voter, VoteSource
from bot.settings import Settings

CATALOG_ADMIN = Actor("op", "operator", is_admin=False, catalog_admin=True)
SERVER_ADMIN = Actor("g-admin", "server admin", is_admin=True)
MEMBER = Actor("m", "member", is_admin=False)
GUILD = Community("discord", "g1")
WORKSPACE = Community("slack", "T1")
NEW_TOOL = {
    "name": "Zeta Coder 2",
    "category": "Coding Assistants",
    "tagline": "A coding model for tests",
    "entry": "Paid",
    "description": "Used by the ownership tests.",
}


async def _votes(app: App, text: str, community: Community, users: int) -> int:
    card = await app.service.open_card(await app.service.compare(text, community), community, "c")
    assert card.card_id is not None
    await app.service.attach_message(card.card_id, f"m-{community.id}")
    for i in range(users):
        side = Side.A if i % 2 else Side.B
        voter = Voter(community, f"u{i}")
        await app.service.cast_vote(voter, card.card_id, side, VoteSource.BUTTON)
    return card.card_id


async def _stored_votes(app: App) -> int:
    return len(await app.community.export_votes(Actor.local()))


async def test_a_community_admin_cannot_change_or_remove_what_others_see(app: App) -> None:
    await _votes(app, "Whisper vs SmolLM3", GUILD, 5)
    await _votes(app, "Whisper vs SmolLM3", WORKSPACE, 5)
    writes = [
        app.catalog.add_tool(NEW_TOOL, SERVER_ADMIN),
        app.catalog.edit_tool("Whisper", {"name": "Whisper Large"}, SERVER_ADMIN),
        app.catalog.edit_tool("Whisper", {"tagline": "Defaced"}, SERVER_ADMIN),
        app.catalog.add_alias("Whisper", "stt", SERVER_ADMIN),
        app.catalog.remove_tool("Whisper", SERVER_ADMIN),
        app.catalog.removal("Whisper", SERVER_ADMIN),
        app.catalog.import_catalog({"tools": [NEW_TOOL]}, SERVER_ADMIN),
        app.catalog.put_review(
            "Whisper", {"lens": "buyer", "verdict": "skip", "quote": "Not for us at all."}, MEMBER
        ),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied, match="catalog admins"):
            await write
    tool = await app.catalog.show("Whisper")
    assert tool.name == "Whisper" and tool.tagline != "Defaced" and "stt" not in tool.aliases
    card = await app.service.compare("Whisper vs SmolLM3", WORKSPACE)
    assert card.a.name == "Whisper"
    assert await _stored_votes(app) == 10


async def test_removal_archives_votes_stay_and_restore_brings_it_back(app: App) -> None:
    await _votes(app, "Whisper vs SmolLM3", GUILD, 6)
    await _votes(app, "Whisper vs SmolLM3", WORKSPACE, 4)
    before = await app.service.compare("Whisper vs SmolLM3", GUILD)

    removal = await app.catalog.removal("whisper", CATALOG_ADMIN)
    prompt = removal.prompt(TERMINAL)
    assert "Archive Whisper?" in prompt
    assert "10 votes in 2 communities, 2 posted cards" in prompt
    assert "Nothing is deleted" in prompt and "`shipbot tool restore Whisper`" in prompt
    chat = removal.prompt(Commands(compare="/compare", help="/help"))  # no restore command
    assert "shipbot tool restore" not in chat and "from shipbot's terminal" in chat

    assert await app.catalog.remove_tool("Whisper", CATALOG_ADMIN) == "Whisper"
    with pytest.raises(UnknownTool):
        await app.service.compare("Whisper vs SmolLM3", GUILD)
    assert "Whisper" not in {t.name for t in await app.catalog.list()}
    assert "Whisper" not in {row.name for row in (await app.community.leaderboard()).rows}
    assert await _stored_votes(app) == 10  # the 10 votes in two communities survive
    with pytest.raises(Conflict, match="archived"):
        await app.catalog.add_tool(NEW_TOOL | {"name": "Whisper"}, CATALOG_ADMIN)

    restored = await app.catalog.restore_tool("Whisper", CATALOG_ADMIN)
    assert restored.name == "Whisper"
    after = await app.service.compare("Whisper vs SmolLM3", GUILD)
    assert after.community == before.community  # the same tallies, here and everywhere
    with pytest.raises(InvalidInput, match="not archived"):
        await app.catalog.restore_tool("Whisper", CATALOG_ADMIN)


async def test_a_rename_keeps_the_old_name_as_an_alias(app: App) -> None:
    await _votes(app, "Whisper vs SmolLM3", GUILD, 3)
    renamed = await app.catalog.edit_tool("Whisper", {"name": "Whisper Large v3"}, CATALOG_ADMIN)
    assert renamed.name == "Whisper Large v3" and "Whisper" in renamed.aliases
    card = await app.service.compare("Whisper vs SmolLM3", GUILD)
    assert card.a.name == "Whisper Large v3"
    assert await _stored_votes(app) == 3
    # Renaming to one of its own aliases is allowed and still keeps the old name.
    again = await app.catalog.edit_tool("Whisper Large v3", {"name": "Whisper"}, CATALOG_ADMIN)
    assert again.name == "Whisper" and "Whisper Large v3" in again.aliases


async def test_community_admins_suggest_tools_and_catalog_admins_read_them(app: App) -> None:
    made = await app.catalog.suggest_tool(GUILD, "Zeta Coder 2", "our team uses it", SERVER_ADMIN)
    assert made.name == "Zeta Coder 2" and made.community == GUILD
    with pytest.raises(UnknownTool):  # a suggestion changes nothing anyone sees
        await app.service.compare("Zeta Coder 2 vs SmolLM3", GUILD)
    with pytest.raises(PermissionDenied):
        await app.catalog.suggest_tool(GUILD, "Other Tool", "", MEMBER)
    with pytest.raises(Conflict, match="already in the catalog"):
        await app.catalog.suggest_tool(GUILD, "smollm3", "", SERVER_ADMIN)
    with pytest.raises(PermissionDenied):
        await app.catalog.suggestions(SERVER_ADMIN)
    listed = await app.catalog.suggestions(CATALOG_ADMIN)
    assert [(s.name, s.note, s.created_by) for s in listed] == [
        ("Zeta Coder 2", "our team uses it", "server admin")
    ]


def test_catalog_admins_are_platform_qualified_ids() -> None:
    settings = Settings(
        catalog_admins="discord:123, slack:U1, slack:T9:U2",  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]
    )
    assert settings.is_catalog_admin("discord", "123")
    assert settings.is_catalog_admin("slack", "U1", "T5")
    assert settings.is_catalog_admin("slack", "U2", "T9")
    assert not settings.is_catalog_admin("slack", "U2", "T5")
    assert not settings.is_catalog_admin("slack", "123")
    with pytest.raises(ValidationError, match="platform-qualified"):
        Settings(catalog_admins="123", _env_file=None)  # type: ignore[arg-type,call-arg]
