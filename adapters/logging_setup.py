"""Logging for every entry point: one line per event, with the event's context fields."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Any

from bot.settings import Settings

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class ContextFormatter(logging.Formatter):
    """``time level logger message key=value …``, or one JSON object a line."""

    def __init__(self, as_json: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        if self.as_json:
            payload: dict[str, Any] = {
                "time": iso_time(record),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
                **extra,
            }
            if record.exc_info:
                payload["exception"] = self.formatException(record.exc_info)
            return json.dumps(payload, default=str)
        line = super().format(record)
        if extra:
            line += " " + " ".join(f"{k}={v!r}" for k, v in extra.items())
        return line


def iso_time(record: logging.LogRecord) -> str:
    """ISO-8601 with the zone, to the millisecond: ``2026-12-03T16:53:17.091+01:00``."""
    return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


def configure_logging(settings: Settings, default_level: str | None = None) -> None:
    """Configure the root logger once; ``default_level`` applies unless SHIPBOT_LOG_LEVEL is set."""
    level = settings.log_level
    if default_level and "log_level" not in settings.model_fields_set:
        level = default_level
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ContextFormatter(settings.log_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiosqlite", "sqlalchemy.engine", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
