"""Catalog use cases for admins: add, edit and remove tools, aliases and reviews; import/export.

Every write checks the actor's rights here, in the core, so no adapter can forget to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.catalog import CatalogFile, ReviewEntry, ToolEntry, field_problems, format_errors
from bot.catalog_index import CatalogIndex
from bot.errors import Conflict, InvalidFields, InvalidInput, NotFoundError, PermissionDenied
from bot.matching import normalize
from bot.models import PROFILE_FIELDS, Tool, ToolEdit
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.retry import retry_use_cases

log = logging.getLogger(__name__)

EDITABLE = PROFILE_FIELDS


@dataclass(frozen=True)
class Actor:
    """Who asks for a change, as the adapter established it."""

    id: str
    display: str
    is_admin: bool
    is_local: bool = False  # on the host itself (the CLI), not through a chat platform

    @classmethod
    def local(cls) -> Actor:
        """Whoever runs the CLI on the host: a local admin."""
        return cls(id="console", display="console", is_admin=True, is_local=True)

    def require_admin(self, what: str = "change the catalog") -> None:
        if not self.is_admin:
            raise PermissionDenied(f"Only shipbot admins can {what}.")


@retry_use_cases
class CatalogService:
    def __init__(self, uow: UnitOfWorkFactory, index: CatalogIndex) -> None:
        self._uow = uow
        self._index = index

    async def show(self, name: str) -> Tool:
        async with self._uow() as uow:
            return await self._tool(uow, name)

    async def list(self, category: str | None = None) -> list[Tool]:
        async with self._uow() as uow:
            return await uow.tools.list_all(category)

    async def add_tool(self, fields: dict[str, Any], actor: Actor) -> Tool:
        actor.require_admin()
        draft = _validated(ToolEntry, fields).to_draft()
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
        actor.require_admin()
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
            if normalize(entry.name) != normalize(tool.name):
                await self._ensure_free(uow, entry.name)
            edit = ToolEdit(entry.profile, frozenset(changes))
            updated = await uow.tools.update(tool.id, edit, actor.display)
            await uow.commit()
        self._index.invalidate()
        log.info(
            "tool edited",
            extra={"tool": updated.name, "fields": sorted(changes), "actor": actor.display},
        )
        return updated

    async def remove_tool(self, name: str, actor: Actor) -> str:
        actor.require_admin()
        async with self._uow() as uow:
            tool = await self._tool(uow, name)
            old = await uow.tools.revision()
            await uow.tools.remove(tool.id)
            await uow.commit()
            new = await uow.tools.revision()
        self._index.apply(lambda m: m.remove(tool.name), old, new)
        log.info("tool removed", extra={"tool": tool.name, "actor": actor.display})
        return tool.name

    async def add_alias(self, name: str, alias: str, actor: Actor) -> Tool:
        actor.require_admin()
        alias = alias.strip()
        if not alias or len(alias) > 100 or not alias.isprintable():
            raise InvalidInput("An alias is one line of 1 to 100 printable characters.")
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

    async def put_review(self, name: str, fields: dict[str, Any], actor: Actor) -> Tool:
        """Add a lens's review of a tool, replacing that lens's earlier one."""
        actor.require_admin()
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
        actor.require_admin()
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
    async def _ensure_free(uow: UnitOfWork, label: str) -> None:
        """A name or alias may point to one tool only (the database enforces it too)."""
        if not normalize(label):
            raise InvalidInput(f"'{label}' has no letters or digits to match on.")
        owner = await uow.tools.alias_owner(label)
        if owner is not None:
            raise Conflict(f"'{label}' already points to {owner}.", label=label)


def _validated(model: type[ToolEntry] | type[ReviewEntry], fields: dict[str, Any]) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InvalidFields(field_problems(error), "; ".join(format_errors(error))) from None
