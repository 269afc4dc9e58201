"""What every source reader shares: the result type, the error, loading a file or URL."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.errors import InvalidInput
from bot.facts import FactError, FactKey, Price, check_fact, check_price
from bot.model_groups import SourceModel

MAX_BYTES = 200_000_000


class SourceError(InvalidInput):
    """A source that can't be used: the message names it and says what is wrong."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"Can't sync from {source}: {problem}. Nothing was written.")
        self.source = source
        self.problem = problem


@dataclass
class SourceRead:
    """The rows one source gave, and the values it gave that were out of range."""

    source: str
    version: str
    rows: list[SourceModel] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def load_json(label: str, location: str) -> Any:
    """Parse JSON (optionally gzipped) from a path or an http(s) URL; SourceError otherwise."""
    if location.startswith(("http://", "https://")):
        raw = _download(label, location)
    else:
        path = Path(location).expanduser()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SourceError(label, f"no such file {location}") from None
        except OSError as error:
            raise SourceError(label, f"can't read {location} ({error.strerror})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            raise SourceError(label, "the gzip data is truncated or corrupt") from None
    if not raw.strip():
        raise SourceError(label, "the file is empty")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise SourceError(label, "it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        if error.pos >= len(raw.rstrip()) - 1:
            raise SourceError(label, "the JSON ends early (truncated?)") from None
        raise SourceError(
            label, f"it is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None


def _download(label: str, url: str) -> bytes:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SourceError(label, f"can't download {url} ({error})") from None
    if len(data) > MAX_BYTES:
        raise SourceError(label, f"{url} is larger than {MAX_BYTES // 1_000_000} MB")
    return data


def parse_date(text: object) -> date | None:
    """``2025-05-07`` or ``2025-05`` (first of the month); None for anything else."""
    if isinstance(text, date):
        return text
    if not isinstance(text, str):
        return None
    try:
        if len(text) == 7:
            return date.fromisoformat(f"{text}-01")
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


class FactCollector:
    """Checks each value of one row; keeps the good ones and reports the rest."""

    def __init__(self, read: SourceRead, where: str) -> None:
        self._read = read
        self._where = where
        self.facts: list[tuple[FactKey, str]] = []

    def add(self, key: FactKey, value: object) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        try:
            self.facts.append((key, check_fact(self._where, key, text)))
        except FactError as error:
            self._read.rejected.append(str(error))

    def price(self, field_name: str, value: object) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._read.rejected.append(f"{self._where}: {field_name} is not a number ({value!r})")
            return None
        try:
            return check_price(self._where, field_name, float(value))
        except FactError as error:
            self._read.rejected.append(str(error))
            return None

    def prices(self, values: dict[str, object]) -> Price | None:
        checked = {name: self.price(f"price.{name}", v) for name, v in values.items()}
        if checked.get("input") is None and checked.get("output") is None:
            return None
        return Price(
            input=checked.get("input"),
            output=checked.get("output"),
            cache_read=checked.get("cache_read"),
            cache_write=checked.get("cache_write"),
        )
