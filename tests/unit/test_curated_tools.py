"""The hand-curated tool files (``data/seed/tools/*.yaml``) are valid, unique and bundled.

Every entry goes through ``ToolEntry``, the same validation as ``shipbot catalog import``; every
normalized name and alias points to exactly one tool across *all* seed files (the database
enforces this too, so a clash would break ``db upgrade``); and each name and alias reaches its
own tool through ``bot.matching``.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import CatalogFile, ToolEntry
from bot.matching import Match, ToolMatcher
from bot.normalize import normalize
from data.catalog_files import CURATED_TOOLS_DIR, SEED_DIR, seed_catalog, seed_files

ROOT = Path(__file__).resolve().parents[2]
CURATED = sorted(CURATED_TOOLS_DIR.glob("*.yaml"))

# The curated categories (the tooling, then the tools around the models), each with the smallest
# count that keeps it useful. Their entries are also held to the stricter rules below: no alias
# repeats the name or another alias, and every name and alias reaches its own tool through
# bot.matching.
CORE_CATEGORIES = {
    "Coding Assistants": 15,
    "App Builders": 15,
    "Agent Frameworks": 15,
    "Inference Engines": 15,
    "Inference Providers": 15,
    "Vector Databases": 15,
    "Observability": 15,
    "Evaluation & Prompts": 15,
    "Fine-tuning": 15,
    "Document Parsing & Crawling": 15,
    "Embeddings & Reranking": 15,
    "Speech & Audio": 15,
    "Image Generation": 15,
    "Video Generation": 15,
    "Music Generation": 15,
    "Chat Assistants": 15,
    "Search & Research": 15,
}


def _slug(category: str) -> str:
    """The file a category lives in: ``Document Parsing & Crawling`` -> ``document-parsing-crawling``."""
    return re.sub(r"[^a-z0-9]+", "-", category.casefold()).strip("-")


def _entries(path: Path) -> list[dict[str, Any]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(raw, dict) and set(raw) == {"tools"}, f"{path.name}: only a 'tools' list"
    tools = raw["tools"]
    assert isinstance(tools, list) and tools, f"{path.name}: 'tools' is an empty list"
    return tools


def _curated() -> list[tuple[Path, ToolEntry]]:
    return [(path, ToolEntry.model_validate(raw)) for path in CURATED for raw in _entries(path)]


def test_there_are_curated_files() -> None:
    assert CURATED, f"no curated files in {CURATED_TOOLS_DIR}"


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.name)
def test_every_entry_passes_import_validation(path: Path) -> None:
    for index, raw in enumerate(_entries(path)):
        entry = ToolEntry.model_validate(raw)  # raises, naming the field, on any bad entry
        where = f"{path.name}[{index}] ({entry.name})"
        assert _slug(entry.category) == path.stem, f"{where}: category belongs in its own file"
        assert entry.url.startswith("https://"), f"{where}: needs its official https URL"
        assert entry.aliases, f"{where}: needs the aliases people type"
        assert not entry.reviews, f"{where}: reviewer quotes are never invented"
        assert entry.description.count(". ") + 1 <= 6, f"{where}: keep the description short"
        assert not re.search(r"\$\s?\d", entry.description), f"{where}: no prices in descriptions"


def test_normalized_names_and_aliases_are_unique_across_all_seed_files() -> None:
    owner: dict[str, tuple[str, str]] = {}
    clashes: list[str] = []
    for path in seed_files():
        for raw in _entries(path):
            entry = ToolEntry.model_validate(raw)
            for label in (entry.name, *entry.aliases):
                key = normalize(label)
                assert key, f"{path.name}: '{label}' has no letters or digits"
                seen = owner.setdefault(key, (entry.name, path.name))
                if seen[0] != entry.name:
                    clashes.append(f"'{label}' ({entry.name}, {path.name}) vs {seen}")
    assert clashes == []


def _core() -> list[ToolEntry]:
    return [entry for _, entry in _curated() if entry.category in CORE_CATEGORIES]


def test_core_aliases_add_something() -> None:
    repeats = []
    for entry in _core():
        labels = [normalize(label) for label in (entry.name, *entry.aliases)]
        if len(set(labels)) != len(labels):
            repeats.append(entry.name)
    assert repeats == [], "an alias repeats the name or another alias of the same tool"


def test_core_names_and_aliases_resolve_to_their_own_tool() -> None:
    catalog = CatalogFile.model_validate(seed_catalog())
    matcher = ToolMatcher((tool.name, tool.aliases) for tool in catalog.tools)
    wrong = []
    for entry in _core():
        for label in (entry.name, *entry.aliases):
            found = matcher.resolve(label)
            if not (isinstance(found, Match) and found.name == entry.name):
                wrong.append(f"{label!r} -> {found}")
    assert wrong == []


def test_seed_catalog_merges_curated_files_after_the_main_catalog() -> None:
    names = [raw["name"] for raw in seed_catalog()["tools"]]
    assert names[:2] == ["SmolLM3", "Mistral Medium 3"]
    curated = [entry.name for _, entry in _curated()]
    assert names[-len(curated) :] == curated
    assert seed_files()[-len(CURATED) :] == CURATED


def test_core_categories_are_covered() -> None:
    counts: dict[str, int] = {}
    for _, entry in _curated():
        counts[entry.category] = counts.get(entry.category, 0) + 1
    short = {
        c: counts.get(c, 0) for c, least in CORE_CATEGORIES.items() if counts.get(c, 0) < least
    }
    assert short == {}


def test_every_seed_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["data"]
    package = SEED_DIR.parent
    for path in seed_files():
        relative = path.relative_to(package).as_posix()
        assert any(
            fnmatch.fnmatch(relative, p) and relative.count("/") == p.count("/") for p in patterns
        ), relative
