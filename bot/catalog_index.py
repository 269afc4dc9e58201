"""The live name index: one ``ToolMatcher`` per process, kept in step with the database.

Every write to the catalog bumps a revision number in the same transaction. Before each lookup the
index compares that number with the one it was built from and reloads when another process (or an
admin on another platform) changed the catalog, so a new tool or alias is found at once everywhere
without a restart. Writes made through this process are applied incrementally instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import pickle
from collections import OrderedDict
from collections.abc import Callable, Sequence

from bot.errors import AmbiguousTool, UnknownTool
from bot.matching import Ambiguous, Match, NotFound, ToolMatcher
from bot.ports import ToolRepository

_SHARED: OrderedDict[str, ToolMatcher] = OrderedDict()
_SHARED_MAX = 4


def shared_matcher(entries: Sequence[tuple[str, Sequence[str]]]) -> ToolMatcher:
    """A matcher for exactly these names and aliases, built once per process per catalog
    content (a catalog of thousands of models takes about a second to index). The instance is
    shared: treat it as read-only (``CatalogIndex.apply`` copies it before a change)."""
    digest = hashlib.blake2b(repr(entries).encode(), digest_size=16).hexdigest()
    found = _SHARED.get(digest)
    if found is None:
        found = ToolMatcher(entries)
        _SHARED[digest] = found
        while len(_SHARED) > _SHARED_MAX:
            _SHARED.popitem(last=False)
    else:
        _SHARED.move_to_end(digest)
    return found


class CatalogIndex:
    def __init__(self) -> None:
        self._matcher = ToolMatcher([])
        self._shared = False  # the matcher is shared_matcher's: copy before changing it
        self.written: frozenset[str] = frozenset()  # tools people wrote (autocomplete first)
        self._revision: int | None = None
        self._lock = asyncio.Lock()

    async def matcher(self, tools: ToolRepository) -> ToolMatcher:
        """The matcher for the catalog as it is now in the database."""
        revision = await tools.revision()
        if revision != self._revision:
            async with self._lock:
                if revision != self._revision:
                    entries = await tools.names_and_aliases()
                    self.written = frozenset(await tools.written_names())
                    self._matcher = shared_matcher(entries)
                    self._shared = True
                    self._revision = revision
        return self._matcher

    def apply(self, change: Callable[[ToolMatcher], None], old: int, new: int) -> None:
        """Apply our own committed write to the matcher without a full rebuild.

        Only when the write moved the catalog straight from the revision we hold; otherwise some
        other process wrote in between and the next lookup reloads everything.
        """
        if self._revision == old and new == old + 1:
            if self._shared:
                self._matcher = pickle.loads(pickle.dumps(self._matcher))  # a private copy
                self._shared = False
            change(self._matcher)
            self._revision = new
        else:
            self._revision = None

    def invalidate(self) -> None:
        """Forget the index; the next lookup reloads it from the database."""
        self._revision = None

    async def resolve(self, tools: ToolRepository, text: str) -> str:
        """The catalog name a person means by ``text``; raise a user-facing error otherwise."""
        return resolved_name(await self.matcher(tools), text)


def resolved_name(matcher: ToolMatcher, text: str) -> str:
    """The catalog name ``matcher`` finds for ``text``; raise a user-facing error otherwise."""
    result = matcher.resolve(text)
    if isinstance(result, Match):
        return result.name
    if isinstance(result, Ambiguous):
        raise AmbiguousTool(text, result.candidates)
    assert isinstance(result, NotFound)
    raise UnknownTool(text, result.suggestions[:3])
