"""Catalog use cases: add, edit, archive and restore tools, aliases and reviews; import/export.

The catalog is one for every community, so it belongs to the operator: only catalog admins
(``SHIPBOT_CATALOG_ADMINS``, on any platform, and whoever runs the CLI on the host) change it. A
community admin (a Discord server's or Slack workspace's) manages what is theirs — digest
subscriptions and vote exports — and may suggest a tool for the catalog admins to add. Removing a
tool archives it: it leaves matching and new cards, its votes, cards and reviews stay, and it can
be restored. A rename keeps the old name as an alias. Every write checks the actor's rights here,
in the core, so no adapter can forget to.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.catalog import (
    CatalogFile,
    ReviewEntry,
    ToolEntry,
    each_label_once,
    field_problems,
    format_errors,
    name_text,
    plain_errors,
)
from bot.catalog_index import CatalogIndex
from bot.categories import matching_categories
from bot.errors import Conflict, InvalidFields, InvalidInput, NotFoundError, PermissionDenied
from bot.facts import ToolFacts
from bot.help import Commands, Hint
from bot.matching import normalize
from bot.models import PROFILE_FIELDS, Community, Tool, ToolEdit, ToolSuggestion, ToolUsage
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.retry import retry_use_cases

# What a person typed into a form, by field name ("name", "aliases": a list or one comma-separated
# string, …): raw text that the core validates into a ToolEntry or ReviewEntry, never trusted.
FormInput = Mapping[str, str | Sequence[str] | None]

log = logging.getLogger(__name__)

EDITABLE = PROFILE_FIELDS


@dataclass(frozen=True)
class Actor:
    """Who asks for a change, as the adapter established it."""

    id: str
    display: str
    is_admin: bool  # admin of the community asking (server / workspace), or the host
    is_local: bool = False  # on the host itself (the CLI), not through a chat platform
    catalog_admin: bool = False  # may change the catalog every community shares

    @classmethod
    def local(cls) -> Actor:
        """Whoever runs the CLI on the host: a local admin of the catalog too."""
        return cls(
            id="console", display="console", is_admin=True, is_local=True, catalog_admin=True
        )

    def require_admin(self, what: str = "change the catalog") -> None:
        if not (self.is_admin or self.catalog_admin):
            raise PermissionDenied(f"Only shipbot admins can {what}.")

    def require_catalog_admin(self, what: str = "change the catalog") -> None:
        if not self.catalog_admin:
            raise PermissionDenied(CATALOG_ADMINS_ONLY.format(what=what), SUGGEST_HINT)


CATALOG_ADMINS_ONLY = (
    "The tool catalog is shared by every community, so only shipbot's catalog admins "
    "(SHIPBOT_CATALOG_ADMINS) can {what}."
)
SUGGEST_HINT = Hint(
    "tool_suggest",
    "Community admins can suggest a tool with {command}.",
    "Community admins can suggest a tool.",
)


def restore_hint(name: str) -> Hint:
    """How to bring an archived tool back, where the surface can."""
    return Hint(
        "tool_restore",
        "{command} brings it back.",
        "A catalog admin can bring it back from shipbot's terminal.",
        name=name,
    )


@dataclass(frozen=True)
class Removal:
    """What archiving a tool takes out of view, for the confirmation prompt."""

    tool: Tool
    usage: ToolUsage

    def prompt(self, commands: Commands | None = None) -> str:
        """The exact words of a remove confirmation, on the surface of ``commands``."""
        u = self.usage
        kept = (
            f"its {_count(u.votes, 'vote')} in {_count(u.communities, 'community', 'communities')}"
            f", {_count(u.cards, 'posted card')} and {_count(len(self.tool.reviews), 'review')}"
        )
        return (
            f"Archive {self.tool.name}? It leaves /compare, autocomplete, the leaderboard and new "
            f"cards in every community. Nothing is deleted: {kept} are kept. "
            + restore_hint(self.tool.name).told(commands)
        )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@retry_use_cases
class CatalogService:
    def __init__(self, uow: UnitOfWorkFactory, index: CatalogIndex) -> None:
        self._uow = uow
        self._index = index

    async def show(self, name: str) -> Tool:
        async with self._uow() as uow:
            return await self._tool(uow, name)

    async def facts(self, name: str) -> tuple[Tool, ToolFacts]:
        """A tool with every sourced fact and offering it has (``tool show NAME --facts``)."""
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            return tool, (await uow.facts.for_tools([tool.id]))[tool.id]

    async def list(self, category: str | None = None) -> list[Tool]:
        """The catalog, or the tools of the categories ``category`` means (forgivingly: "coding"
        is Coding Assistants; a word several categories start lists them all). Nothing fitting
        is an error that names every category."""
        async with self._uow() as uow:
            if not category or not category.strip():
                return await uow.tools.list_all()
            known = await uow.tools.categories()
            chosen = matching_categories(category, known)
            if not chosen:
                shown = " ".join(category.split())[:60]
                raise InvalidInput(
                    f"No category matches '{shown}'. The categories are: {', '.join(known)}."
                )
            return [tool for name in chosen for tool in await uow.tools.list_all(name)]

    async def add_tool(self, fields: FormInput, actor: Actor) -> Tool:
        """Add a tool from what an admin typed into the add form (validated here)."""
        actor.require_catalog_admin("add tools")
        draft = _validated(ToolEntry, fields).to_draft()
        each_label_once((draft.name, *draft.aliases))
        async with self._uow() as uow:
            for label in (draft.name, *draft.aliases):
                await self._ensure_free(uow, label)
            old = await uow.tools.revision()
            tool = await uow.tools.add(draft, actor.display)
            await uow.commit()
            new = await uow.tools.revision()
        self._index.apply(lambda m: m.add(tool.name, tool.aliases), old, new)
        log.info(
            "tool added", extra={"tool": tool.name, "actor": actor.display, "actor_id": actor.id}
        )
        return tool

    async def edit_tool(self, name: str, changes: dict[str, str], actor: Actor) -> Tool:
        """Change fields of a tool; a new name keeps the old one as an alias."""
        actor.require_catalog_admin("edit tools")
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise InvalidInput(
                f"Can't edit {', '.join(sorted(unknown))}. Editable: {', '.join(EDITABLE)}."
            )
        if not changes:
            raise InvalidInput("Nothing to change: give at least one field.")
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            merged = {field: getattr(tool, field) for field in EDITABLE} | changes
            merged["entry"] = str(merged["entry"])
            entry = _validated(ToolEntry, merged)
            renamed = normalize(entry.name) != normalize(tool.name)
            if renamed:
                await self._ensure_free(uow, entry.name, tool)
                # A tool may take one of its own aliases as its name.
                await uow.tools.drop_alias(tool.id, entry.name)
            edit = ToolEdit(entry.profile, frozenset(changes))
            await uow.tools.update(tool.id, edit, actor.display)
            if renamed:
                # The old name keeps finding the tool: old links, habits and other communities.
                await uow.tools.add_alias(tool.id, tool.name)
            updated = await uow.tools.get(tool.id)
            assert updated is not None
            await uow.commit()
        self._index.invalidate()
        log.info(
            "tool edited",
            extra={"tool": updated.name, "fields": sorted(changes), "actor": actor.display},
        )
        return updated

    async def removal(self, name: str, actor: Actor) -> Removal:
        """What removing (archiving) a tool would take out of view; changes nothing."""
        actor.require_catalog_admin("remove tools")
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            return Removal(tool, await uow.tools.usage(tool.id))

    async def remove_tool(self, name: str, actor: Actor) -> str:
        """Archive a tool: out of matching and new cards; votes, cards and reviews are kept."""
        actor.require_catalog_admin("remove tools")
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            old = await uow.tools.revision()
            await uow.tools.archive(tool.id, actor.display)
            await uow.commit()
            new = await uow.tools.revision()
        self._index.apply(lambda m: m.remove(tool.name), old, new)
        log.info(
            "tool archived", extra={"tool": tool.name, "actor": actor.display, "actor_id": actor.id}
        )
        return tool.name

    async def restore_tool(self, name: str, actor: Actor) -> Tool:
        """Bring an archived tool back into matching and new cards, with its votes."""
        actor.require_catalog_admin("restore tools")
        async with self._uow() as uow:
            tool = await uow.tools.archived_by_name(name)
            if tool is None:
                active = await uow.tools.get_by_name(name)
                if active is not None:
                    raise InvalidInput(f"{active.name} is not archived.")
                raise NotFoundError(f"No archived tool called '{name.strip()}'.")
            await uow.tools.restore(tool.id)
            await uow.commit()
        self._index.invalidate()
        log.info("tool restored", extra={"tool": tool.name, "actor": actor.display})
        return tool

    async def suggest_tool(
        self, community: Community, name: str, note: str, actor: Actor
    ) -> ToolSuggestion:
        """A community admin asks the catalog admins to add a tool (nothing else changes)."""
        actor.require_admin("suggest tools")
        label = _validated_name(name)
        note = note.strip()
        if len(note) > 500 or not note.replace("\n", " ").isprintable():
            raise InvalidInput("A note is up to 500 printable characters.")
        async with self._uow() as uow:
            owner = await uow.tools.alias_owner(label)
            if owner is not None:
                raise Conflict(f"'{label}' is already in the catalog ({owner}).", label=label)
            made = await uow.tools.suggest(community, label, note, actor.display)
            await uow.commit()
        log.info(
            "tool suggested",
            extra={"tool": label, "actor": actor.display, "community": community.id},
        )
        return made

    async def suggestions(self, actor: Actor) -> Sequence[ToolSuggestion]:
        actor.require_catalog_admin("read the suggestions")
        async with self._uow() as uow:
            return await uow.tools.suggestions()

    async def add_alias(self, name: str, alias: str, actor: Actor) -> Tool:
        actor.require_catalog_admin("add aliases")
        alias = _validated_name(alias, "An alias")
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            await self._ensure_free(uow, alias)
            old = await uow.tools.revision()
            await uow.tools.add_alias(tool.id, alias)
            await uow.commit()
            new = await uow.tools.revision()
        self._index.apply(lambda m: m.add(tool.name, (*tool.aliases, alias)), old, new)
        log.info("alias added", extra={"tool": tool.name, "alias": alias, "actor": actor.display})
        return tool

    async def put_review(self, name: str, fields: FormInput, actor: Actor) -> Tool:
        """Add a lens's review of a tool, replacing that lens's earlier one."""
        actor.require_catalog_admin("change reviews")
        review = _validated(ReviewEntry, fields).to_review()
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            await uow.tools.put_review(tool.id, review, actor.display)
            await uow.commit()
            updated = await uow.tools.get(tool.id)
        assert updated is not None
        log.info(
            "review added",
            extra={"tool": tool.name, "lens": review.lens.value, "actor": actor.display},
        )
        return updated

    async def import_catalog(self, raw: object, actor: Actor) -> tuple[int, int]:
        """Validate a whole catalog, then write it in one transaction: all or nothing.

        Returns (added, updated). Existing tools (same name) get their profile, aliases and
        reviews from the file; tools not in the file are left alone.
        """
        actor.require_catalog_admin("import a catalog")
        entries = raw.get("tools") if isinstance(raw, dict) else None
        try:
            catalog = CatalogFile.model_validate(raw)
        except ValidationError as error:
            lines = format_errors(error, entries if isinstance(entries, list) else None)
            raise InvalidInput(
                "The catalog has errors; nothing was imported:\n" + "\n".join(lines)
            ) from None
        added = updated = 0
        async with self._uow() as uow:
            problems = await self._import_conflicts(uow, catalog)
            if problems:
                raise InvalidInput(
                    "The catalog has errors; nothing was imported:\n" + "\n".join(problems)
                )
            # One query for every name in the file (a seed has hundreds), not one per entry.
            found = await uow.tools.get_many_by_name([entry.name for entry in catalog.tools])
            known_tools = {normalize(tool.name): tool for tool in found.values()}
            for entry in catalog.tools:
                existing = known_tools.get(normalize(entry.name))
                if existing is None:
                    tool = await uow.tools.add(entry.to_draft(), actor.display)
                    known_tools[normalize(tool.name)] = tool
                    added += 1
                    continue
                edit = ToolEdit(entry.profile, frozenset(EDITABLE))
                await uow.tools.update(existing.id, edit, actor.display)
                known = {normalize(existing.name), *(normalize(a) for a in existing.aliases)}
                for alias in entry.aliases:
                    if normalize(alias) not in known:
                        await uow.tools.add_alias(existing.id, alias)
                for review in entry.reviews:
                    await uow.tools.put_review(existing.id, review.to_review(), actor.display)
                updated += 1
            await uow.commit()
        self._index.invalidate()
        log.info(
            "catalog imported", extra={"added": added, "updated": updated, "actor": actor.display}
        )
        return added, updated

    @staticmethod
    async def _import_conflicts(uow: UnitOfWork, catalog: CatalogFile) -> Sequence[str]:
        """The same rule as ``tool add`` / ``tool alias``: each name or alias in the file points
        to the tool of its entry only (an entry that updates a tool may repeat its own names)."""
        problems = []
        labels_of = [
            [("name", entry.name)] + [(f"aliases[{i}]", a) for i, a in enumerate(entry.aliases)]
            for entry in catalog.tools
        ]
        # One query for every name and alias in the file (a seed has thousands).
        owners = await uow.tools.owners([label for labels in labels_of for _, label in labels])
        for index, (entry, labels) in enumerate(zip(catalog.tools, labels_of, strict=True)):
            existing = owners.get(normalize(entry.name))
            for field, label in labels:
                owner = owners.get(normalize(label))
                if owner is not None and owner != existing:
                    problems.append(
                        f"tools[{index}] ({entry.name}) → {field}: '{label}' already points to "
                        f"{owner}"
                    )
        return problems

    async def export_catalog(self) -> CatalogFile:
        async with self._uow() as uow:
            tools = await uow.tools.list_all()
        return CatalogFile(tools=[ToolEntry.of(tool) for tool in tools])

    async def _tool(self, uow: UnitOfWork, name: str) -> Tool:
        exact = await self._index.resolve(uow.tools, name)
        tool = await uow.tools.get_by_name(exact)
        if tool is None:
            raise NotFoundError(f"'{exact}' is no longer in the catalog.")
        return tool

    @staticmethod
    async def _ensure_free(uow: UnitOfWork, label: str, renaming: Tool | None = None) -> None:
        """A name or alias may point to one tool only (the database enforces it too). A tool
        being renamed may take one of its own aliases as its name."""
        if not normalize(label):
            raise InvalidInput(f"'{label}' has no letters or digits to match on.")
        owner = await uow.tools.alias_owner(label)
        if owner is None or (renaming is not None and owner == renaming.name):
            return
        held = await uow.tools.get_by_name(owner)
        if held is not None and held.archived:
            raise Conflict(
                f"'{label}' already points to {owner}, which is archived.",
                label=label,
                hint=restore_hint(owner),
            )
        raise Conflict(f"'{label}' already points to {owner}.", label=label)


def _validated_name(text: str, what: str = "A name") -> str:
    """The one rule for every name and alias (the same as ``bot.catalog.ToolEntry``)."""
    try:
        return name_text(text.strip())
    except ValueError as error:
        raise InvalidInput(f"{what} {error}.") from None


def _validated(model: type[ToolEntry] | type[ReviewEntry], fields: FormInput) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InvalidFields(field_problems(error), plain_errors(error)) from None
