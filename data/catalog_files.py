"""Reading and writing catalog files (YAML or JSON), and the bundled seed catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InvalidInput

SEED_DIR = Path(__file__).parent / "seed"
# Hand-curated non-model tools, one file per category (``coding-assistants.yaml`` ...).
CURATED_TOOLS_DIR = SEED_DIR / "tools"
MAX_CATALOG_BYTES = 10 * 1024 * 1024
"""A catalog file larger than this is refused before it is read (thousands of tools fit)."""
MAX_CATALOG_DEPTH = 12
"""A catalog is ``tools`` → entry → ``reviews`` → review: deeper nesting is not a catalog."""


def read_catalog(path: Path) -> Any:
    """Parse a catalog file by its extension; a file that is too big, nested too deep or not
    valid YAML / JSON becomes a one-line ``InvalidInput``."""
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise InvalidInput(
                f"{path} is {size / 1024 / 1024:.1f} MB; a catalog file may be at most "
                f"{MAX_CATALOG_BYTES // 1024 // 1024} MB. Split it and import the parts."
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"No such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"Can't read {path}: {error}") from None
    too_deep = InvalidInput(
        f"{path} is nested more than {MAX_CATALOG_DEPTH} levels deep; a catalog is a list of "
        "tools, each with fields, aliases and reviews."
    )
    if kind == "JSON" and _json_depth(text) > MAX_CATALOG_DEPTH:
        raise too_deep  # before parsing: deep nesting would exhaust the parser's stack
    try:
        data = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"{path} is not valid {kind}: {error}") from None
    except RecursionError:
        raise too_deep from None
    if _depth(data) > MAX_CATALOG_DEPTH:
        raise too_deep
    return data


def _json_depth(text: str) -> int:
    """The deepest nesting of ``[`` / ``{`` outside JSON strings."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(data: object, level: int = 0) -> int:
    """How deep lists and mappings nest (stops counting past the limit)."""
    if level > MAX_CATALOG_DEPTH:
        return level
    if isinstance(data, dict):
        return max((_depth(v, level + 1) for v in data.values()), default=level + 1)
    if isinstance(data, list):
        return max((_depth(v, level + 1) for v in data), default=level + 1)
    return level


def dump_catalog(data: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def seed_files() -> list[Path]:
    """The bundled catalog files in load order: ``seed/*.yaml``, then ``seed/tools/*.yaml``.

    Each group is in name order, so the seed pair (``000_seed_pair.yaml``) comes first and the
    curated category files follow ``catalog.yaml``.
    """
    return sorted(SEED_DIR.glob("*.yaml")) + sorted(CURATED_TOOLS_DIR.glob("*.yaml"))


# libyaml's safe loader parses the seed files several times faster than the pure-Python one.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def seed_catalog() -> dict[str, Any]:
    """The bundled catalog: every file of ``seed_files()`` merged into one ``tools`` list."""
    tools: list[Any] = []
    for path in seed_files():
        tools.extend(yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)["tools"])
    return {"tools": tools}
