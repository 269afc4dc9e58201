"""Block Kit limits (https://docs.slack.dev/reference/block-kit) and a checker for them.

slack_sdk validates only some limits; :func:`limit_problems` checks every one shipbot relies on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MAX_BLOCKS = 50
HEADER_TEXT = 150
SECTION_TEXT = 3000
FIELD_TEXT = 2000
MAX_FIELDS = 10
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 3000
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
ACTION_ID = 255
BUTTON_VALUE = 2000
BLOCK_ID = 255
MESSAGE_TEXT = 3_999  # Slack asks for fallback text under 4,000 characters (it cuts at 40,000)
# The whole message: Slack answers msg_blocks_too_long from about 13,200 characters of block text
# in all (slackapi/bolt-js#2509, measured, undocumented), well inside each block's own limit.
MESSAGE_BLOCK_TEXT = 12_000
PRIMARY_PER_ACTIONS = 1  # Block Kit's guidance: one primary button per set of actions


def limit_problems(blocks: Sequence[Mapping[str, Any]], text: str = "") -> list[str]:
    """Every Block Kit limit a message breaks (empty when it is fine to send)."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_BLOCKS}")
    if len(text) > MESSAGE_TEXT:
        problems.append(f"text {len(text)} > {MESSAGE_TEXT}")
    total = block_text_length(blocks)
    if total > MESSAGE_BLOCK_TEXT:
        problems.append(f"block text {total} > {MESSAGE_BLOCK_TEXT} in all")
    for number, block in enumerate(blocks):
        where = f"block {number} ({block.get('type')})"
        if len(block.get("block_id") or "") > BLOCK_ID:
            problems.append(f"{where}: block_id too long")
        kind = block.get("type")
        if kind == "header":
            _check_text(problems, where, block.get("text"), HEADER_TEXT, plain=True)
        elif kind == "section":
            if block.get("text") is None and not block.get("fields"):
                problems.append(f"{where}: neither text nor fields")
            _check_text(problems, where, block.get("text"), SECTION_TEXT)
            fields = block.get("fields") or []
            if len(fields) > MAX_FIELDS:
                problems.append(f"{where}: {len(fields)} fields > {MAX_FIELDS}")
            for field in fields:
                _check_text(problems, f"{where} field", field, FIELD_TEXT)
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements or len(elements) > CONTEXT_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements")
            for element in elements:
                _check_text(problems, f"{where} element", element, CONTEXT_TEXT)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > ACTIONS_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements")
            for element in elements:
                _check_button(problems, where, element)
            primaries = sum(1 for e in elements if e.get("style") == "primary")
            if primaries > PRIMARY_PER_ACTIONS:
                problems.append(f"{where}: {primaries} primary buttons")
    return problems


def block_text_length(blocks: Sequence[Any]) -> int:
    """Characters of text in a message's blocks (dicts or slack_sdk blocks), as Slack totals."""
    return sum(_text_length(b.to_dict() if hasattr(b, "to_dict") else b) for b in blocks)


def _text_length(obj: Any) -> int:
    """Characters of every ``text`` string inside a block, however deep."""
    if isinstance(obj, Mapping):
        own = len(obj["text"]) if isinstance(obj.get("text"), str) else 0
        return own + sum(_text_length(v) for k, v in obj.items() if k != "text" or not own)
    if isinstance(obj, list | tuple):
        return sum(_text_length(v) for v in obj)
    return 0


def _check_text(
    problems: list[str], where: str, obj: Any, limit: int, *, plain: bool = False
) -> None:
    if obj is None:
        return
    body = obj.get("text", "") if isinstance(obj, Mapping) else ""
    if plain and isinstance(obj, Mapping) and obj.get("type") != "plain_text":
        problems.append(f"{where}: must be plain_text")
    if not body:
        problems.append(f"{where}: empty text")
    elif len(body) > limit:
        problems.append(f"{where}: text {len(body)} > {limit}")


def _check_button(problems: list[str], where: str, element: Mapping[str, Any]) -> None:
    if element.get("type") != "button":
        return
    _check_text(problems, f"{where} button", element.get("text"), BUTTON_TEXT, plain=True)
    if len(element.get("action_id") or "") > ACTION_ID:
        problems.append(f"{where}: action_id too long")
    if len(element.get("value") or "") > BUTTON_VALUE:
        problems.append(f"{where}: value too long")
