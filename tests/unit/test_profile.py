"""One ``ToolProfile``: every shape of a tool carries the same profile fields, by name."""

from __future__ import annotations

from dataclasses import fields

from bot.cards import ToolSide, build_card, community_line
from bot.catalog import ToolEntry
from bot.models import PROFILE_FIELDS, Entry, Tool, ToolDraft, ToolProfile
from bot.votes import Split
from data.schema import ToolRow


def test_every_shape_of_a_tool_has_every_profile_field() -> None:
    for shape in (Tool, ToolDraft, ToolSide):
        assert issubclass(shape, ToolProfile)
        assert set(PROFILE_FIELDS) <= {f.name for f in fields(shape)}
    assert set(PROFILE_FIELDS) <= set(ToolEntry.model_fields)
    assert set(PROFILE_FIELDS) <= set(ToolRow.__table__.columns.keys())


def test_the_profile_travels_from_entry_to_draft_to_card_unchanged() -> None:
    entry = ToolEntry(
        name="Alpha",
        category="Developer Tools",
        tagline="Does things",
        entry=Entry.FREEMIUM,
        description="All about Alpha.",
        pricing_note="Free tier, then $10",
        url="https://alpha.example",
    )
    draft = entry.to_draft()
    tool = Tool(**{f: getattr(draft, f) for f in PROFILE_FIELDS}, id=1)
    other = Tool(**{**{f: getattr(draft, f) for f in PROFILE_FIELDS}, "name": "Beta"}, id=2)
    line = community_line("Alpha", "Beta", Split(0, 0), Split(0, 0), 5)
    card = build_card(tool, other, community=line)
    assert draft.profile == tool.profile == card.a.profile == entry.profile
    assert ToolEntry.of(tool).profile == entry.profile
