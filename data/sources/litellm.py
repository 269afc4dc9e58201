"""LiteLLM's ``model_prices_and_context_window.json`` (an optional extra, from a file or URL).

``{model name: {litellm_provider, mode, max_input_tokens, max_output_tokens,
input_cost_per_token, output_cost_per_token, supports_function_calling, …, deprecation_date}}``;
prices are per token (multiplied by 1M here). It has no dates of its own, so its facts are as of
the day the file is read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.facts import FactKey
from bot.model_groups import SourceModel
from data.sources.common import FactCollector, SourceError, SourceRead, load_json, parse_date

SOURCE = "litellm"
MODES = {
    "chat",
    "completion",
    "responses",
    "embedding",
    "rerank",
    "image_generation",
    "audio_transcription",
    "audio_speech",
    "video_generation",
}
KIND = {
    "embedding": "embedding",
    "rerank": "rerank",
    "image_generation": "image",
    "audio_transcription": "whisper",
    "audio_speech": "tts",
    "video_generation": "video",
}


def read(location: str | None = None, today: date | None = None) -> SourceRead:
    if location is None:
        raise SourceError(SOURCE, "it is not bundled: give its JSON with --from FILE|URL")
    label = f"{SOURCE} ({location})"
    return parse(load_json(label, location), label, location, today or date.today())


def parse(raw: Any, label: str, location: str, today: date) -> SourceRead:
    if not isinstance(raw, dict) or not raw:
        raise SourceError(label, "expected an object of models (model name → details)")
    specs = {k: v for k, v in raw.items() if k != "sample_spec"}
    if specs and not any(isinstance(v, dict) and "litellm_provider" in v for v in specs.values()):
        raise SourceError(label, "no entry has a litellm_provider (another file or version?)")
    read = SourceRead(source=SOURCE, version="file")
    for name, spec in specs.items():
        if not isinstance(spec, dict) or "litellm_provider" not in spec:
            continue
        mode = str(spec.get("mode") or "chat")
        if mode not in MODES:
            continue
        provider = str(spec["litellm_provider"])
        where = f"{name} ({provider})"
        facts = FactCollector(read, where)
        facts.add(FactKey.CONTEXT, spec.get("max_input_tokens"))
        facts.add(FactKey.MAX_OUTPUT, spec.get("max_output_tokens"))
        facts.add(FactKey.TOOL_CALLING, spec.get("supports_function_calling"))
        facts.add(FactKey.STRUCTURED_OUTPUT, spec.get("supports_response_schema"))
        facts.add(FactKey.REASONING, spec.get("supports_reasoning"))
        deprecation = parse_date(spec.get("deprecation_date"))
        if deprecation is not None:
            facts.add(FactKey.DEPRECATED_ON, deprecation.isoformat())
            if deprecation <= today:
                facts.add(FactKey.STATUS, "deprecated")
        inputs = ["text"] + (["image"] if spec.get("supports_vision") else [])
        if mode in ("chat", "completion", "responses"):
            facts.add(FactKey.INPUTS, inputs)
        price = facts.prices(
            {
                "input": _per_million(spec.get("input_cost_per_token")),
                "output": _per_million(spec.get("output_cost_per_token")),
                "cache_read": _per_million(spec.get("cache_read_input_token_cost")),
                "cache_write": _per_million(spec.get("cache_creation_input_token_cost")),
            }
        )
        context = next((int(v) for k, v in facts.facts if k is FactKey.CONTEXT), None)
        read.rows.append(
            SourceModel(
                source=SOURCE,
                provider=_provider(provider),
                provider_name=provider,
                model_id=str(name),
                name=str(name).rsplit("/", 1)[-1],
                as_of=today,
                source_url=location if location.startswith("http") else "",
                facts=tuple(facts.facts),
                price=price,
                context=context,
                hint=KIND.get(mode, ""),
            )
        )
    if not read.rows:
        raise SourceError(label, "it lists no models")
    return read


def _per_million(value: Any) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value) * 1_000_000, 6)
    return value


def _provider(name: str) -> str:
    """LiteLLM's provider names as the other sources spell them."""
    return {
        "text-completion-openai": "openai",
        "bedrock": "amazon-bedrock",
        "bedrock_converse": "amazon-bedrock",
        "vertex_ai-anthropic_models": "google-vertex-anthropic",
        "gemini": "google",
        "mistral": "mistral",
        "xai": "xai",
    }.get(name, name)
