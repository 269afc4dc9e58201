"""Which source a sync reads: the bundled packages by name, or one JSON file or URL (its format
told by ``--source`` or recognised from its shape)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from data.sources.common import SourceError, SourceRead, load_json

SOURCES = ("models-dev", "genai-prices", "litellm")


def read_sources(names: Sequence[str], location: str | None = None) -> list[SourceRead]:
    """Read the named sources (``models-dev``, ``genai-prices``, ``litellm``) from the bundled
    packages, or the one source in ``location`` (a JSON file or URL; with no name, its format
    is recognised from its shape)."""
    from data.sources import genai_prices, litellm, models_dev

    if location is not None:
        if len(names) > 1:
            raise SourceError(location, "--from reads one source: say which with --source")
        given = f"{names[0]} ({location})" if names else location
        raw = load_json(given, location)
        name = names[0] if names else detect(raw, location)
        label = f"{name} ({location})"
        today = date.today()
        if name == "models-dev":
            return [models_dev.parse(raw, label, "file")]
        if name == "genai-prices":
            return [genai_prices.parse(raw, label, "file", today)]
        return [litellm.parse(raw, label, location, today)]
    reads = []
    for name in names:
        if name == "litellm":
            raise SourceError("litellm", "it is not bundled: give its JSON with --from FILE|URL")
        reads.append(models_dev.read() if name == "models-dev" else genai_prices.read())
    return reads


def detect(raw: Any, location: str) -> str:
    """Which source a JSON document is, from its shape; SourceError if none."""
    if isinstance(raw, list):
        return "genai-prices"
    if isinstance(raw, dict):
        values = [v for k, v in list(raw.items())[:50] if k != "sample_spec"]
        if "sample_spec" in raw or any(
            isinstance(v, dict) and "litellm_provider" in v for v in values
        ):
            return "litellm"
        if values and all(isinstance(v, dict) and "models" in v for v in values):
            return "models-dev"
    raise SourceError(
        location, "it is not models.dev, genai-prices or LiteLLM data (unknown shape)"
    )


BUNDLED = ("models-dev", "genai-prices")
