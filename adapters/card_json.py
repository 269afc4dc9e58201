"""The card as JSON: the one serializer behind ``shipbot compare --json`` and ``/api/v1/compare``."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from enum import Enum
from typing import Any

from bot.cards import VerdictCard


def card_json(card: VerdictCard) -> str:
    """The card as JSON, every field included, enums as their values."""
    return json.dumps(asdict(card), default=_plain, ensure_ascii=False, indent=2)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
