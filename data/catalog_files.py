"""Reading and writing catalog files (YAML or JSON), and the bundled seed catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InvalidInput

SEED_DIR = Path(__file__).parent / "seed"
# Hand-curated non-model tools, one file per category (``coding-assistants.yaml`` ...).
CURATED_TOOLS_DIR = SEED_DIR / "tools"


def read_catalog(path: Path) -> Any:
    """Parse a catalog file by its extension; a syntax error becomes a one-line ``InvalidInput``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"No such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"Can't read {path}: {error}") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(
            f"{path} is not valid {path.suffix.lstrip('.').upper() or 'YAML'}: {error}"
        ) from None


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
