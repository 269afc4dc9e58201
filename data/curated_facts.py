"""Hand-curated facts (``data/facts/*.yaml``): for tools no synced source lists, with a source.

Every value is checked like a synced one; a value out of range or of the wrong kind stops the
load with the tool and field named, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InvalidInput
from bot.facts import CURATED, Fact, FactError, FactKey, check_fact

FACTS_DIR = Path(__file__).parent / "facts"


@dataclass(frozen=True)
class CuratedFacts:
    """The curated facts of one tool (named as in the catalog)."""

    tool: str
    facts: tuple[Fact, ...]


def read_curated(directory: Path = FACTS_DIR) -> list[CuratedFacts]:
    out: list[CuratedFacts] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise InvalidInput(f"{path.name} is not valid YAML: {error}") from None
        for index, entry in enumerate(data.get("tools") or []):
            out.append(_entry(path.name, index, entry))
    return out


def _entry(file: str, index: int, entry: Any) -> CuratedFacts:
    where = f"{file} tools[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise InvalidInput(f"{where}: each entry needs a name")
    name = entry["name"]
    url = str(entry.get("source_url") or "")
    if not url.startswith(("https://", "http://")):
        raise InvalidInput(f"{where} ({name}): source_url must be a link to where the facts are")
    as_of = entry.get("as_of")
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    if not isinstance(as_of, date):
        raise InvalidInput(f"{where} ({name}): as_of must be a date like 2025-07-08")
    facts = []
    for key_text, value in (entry.get("facts") or {}).items():
        try:
            key = FactKey(key_text)
        except ValueError:
            raise InvalidInput(f"{where} ({name}): no fact field called '{key_text}'") from None
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        try:
            checked = check_fact(name, key, text)
        except FactError as error:
            raise InvalidInput(f"{where}: {error}") from None
        facts.append(
            Fact(key=key, value=checked, source=CURATED, as_of=as_of, source_url=url, pinned=True)
        )
    return CuratedFacts(tool=name, facts=tuple(facts))
