"""Files people can download: the vote export as CSV (the CLI and both platforms send it)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields

from bot.community import ExportRow

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A cell a spreadsheet shows as text: one that starts like a formula (``=``, ``+``, ``-``,
    ``@``, tab, carriage return) gets a leading ``'``, so opening the export runs nothing."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def votes_csv(rows: list[ExportRow]) -> str:
    """One row per vote with a header; user ids are whatever the export produced (hashed).
    Every cell is neutralised against formula injection (tool names are typed by people)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields(ExportRow)])
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in asdict(row).items()} for row in rows)
    return buffer.getvalue()
