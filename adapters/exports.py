"""Files people can download: the vote export as CSV (the CLI and both platforms send it)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields

from bot.community import ExportRow


def votes_csv(rows: list[ExportRow]) -> str:
    """One row per vote with a header; user ids are whatever the export produced (hashed)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields(ExportRow)])
    writer.writeheader()
    writer.writerows(asdict(row) for row in rows)
    return buffer.getvalue()
