"""Structured log fields never reuse a LogRecord attribute (logging raises KeyError for those,
and only when the level is enabled — so a clash hides until production logs at INFO)."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESERVED = set(vars(logging.LogRecord("n", logging.INFO, "p", 1, "m", None, None))) | {
    "message",
    "asctime",
}


def _extra_keys(tree: ast.AST) -> list[tuple[int, str]]:
    keys = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
                for key in keyword.value.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        keys.append((key.lineno, key.value))
    return keys


def test_no_log_call_passes_a_reserved_field() -> None:
    clashes = []
    files = [p for folder in ("bot", "adapters", "data") for p in (ROOT / folder).rglob("*.py")]
    assert len(files) > 50
    for path in files:
        for line, key in _extra_keys(ast.parse(path.read_text(), str(path))):
            if key in RESERVED:
                clashes.append(f"{path.relative_to(ROOT)}:{line} extra key {key!r}")
    assert clashes == []


def test_the_check_sees_a_clash() -> None:
    tree = ast.parse('log.info("x", extra={"message": 1, "card": 2})')
    assert [key for _, key in _extra_keys(tree) if key in RESERVED] == ["message"]
