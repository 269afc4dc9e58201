"""One tool per model: ids, snapshots, pointers and resellers grouped into models."""

from __future__ import annotations

from datetime import date

import pytest

from bot.facts import FactKey, Price
from bot.model_groups import (
    EMBEDDINGS,
    IMAGES,
    LANGUAGE,
    SPEECH,
    SourceModel,
    group_models,
    id_key,
    model_key,
)

DAY = date(2025, 9, 29)
SONNET_PRICE = Price(3.0, 15.0)


@pytest.mark.parametrize(
    "model_id",
    [
        "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929",
        "anthropic/claude-sonnet-4.5",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5@20250929",
        "openrouter/anthropic/claude-sonnet-4.5",
    ],
)
def test_every_id_of_a_model_has_one_key(model_id: str) -> None:
    assert id_key(model_id) == "claude-sonnet-4-5"


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("anthropic--claude-3.5-sonnet", "Claude 3.5 Sonnet"),
        ("Meta-Llama-3-70B-Instruct", "Llama 3 70B Instruct"),
        ("Meta-Llama-3_3-70B-Instruct", "Llama-3.3-70B-Instruct"),
        ("ai21/jamba-1-5-large", "AI21 Jamba 1.5 Large"),
        ("NVIDIA Nemotron 3.5 Super VL", "Nemotron 3.5 Super VL"),
        ("Qwen QwQ 32B", "QwQ 32B"),
        ("Cohere Command R", "Command R"),
    ],
)
def test_a_makers_name_before_its_own_family_names_the_same_model(written: str, plain: str) -> None:
    assert model_key(written) == model_key(plain)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Mistral Medium 3", "Medium 3"),  # "mistral" is the family's own name
        ("Qwen 2.5 72B", "2.5 72B"),
        ("DeepSeek Chat", "Chat"),
        ("Gemini 2.5 Flash Preview (09/2025)", "Gemini 2.5 Flash Lite Preview (09/2025)"),
        ("Command R", "Command R+"),
    ],
)
def test_the_makers_own_family_names_and_siblings_stay_apart(one: str, other: str) -> None:
    assert model_key(one) != model_key(other)


def test_version_siblings_keep_their_own_keys() -> None:
    keys = {
        id_key(i)
        for i in (
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "mistral-medium-2505",
            "mistral-medium-2312",
            "deepseek-v3",
        )
    }
    assert len(keys) == 6


def row(
    provider: str,
    model_id: str,
    name: str,
    price: Price | None = SONNET_PRICE,
    **facts: str,
) -> SourceModel:
    return SourceModel(
        source="models.dev",
        provider=provider,
        provider_name=provider.title(),
        model_id=model_id,
        name=name,
        as_of=DAY,
        facts=tuple((FactKey(k), v) for k, v in facts.items()),
        price=price,
        context=200_000,
    )


def test_snapshots_pointers_and_resellers_are_one_model_with_their_ids_as_aliases() -> None:
    groups = group_models(
        [
            row("anthropic", "claude-sonnet-4-5", "Claude Sonnet 4.5"),
            row("anthropic", "claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
            row("amazon-bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5"),
            row("google-vertex-anthropic", "claude-sonnet-4-5@20250929", "Claude Sonnet 4.5"),
            row("openrouter", "anthropic/claude-sonnet-4.5", "Anthropic: Claude Sonnet 4.5"),
            row("openrouter", "anthropic/claude-sonnet-4.5:free", "Claude Sonnet 4.5 (free)"),
            row("anthropic", "claude-haiku-4-5", "Claude Haiku 4.5", Price(1.0, 5.0)),
            row("anthropic", "claude-haiku-latest", "Claude Haiku 4.5 (latest)", Price(1.0, 5.0)),
        ]
    )
    by_name = {g.name: g for g in groups}
    assert set(by_name) == {"Claude Sonnet 4.5", "Claude Haiku 4.5"}
    sonnet = by_name["Claude Sonnet 4.5"]
    assert sonnet.maker == "Anthropic"
    assert {
        "claude-sonnet-4-5-20250929",
        "anthropic/claude-sonnet-4.5",
        "claude-sonnet-4-5@20250929",
    } <= set(sonnet.ids)
    assert not any(i.endswith(":free") for i in sonnet.ids)  # a pricing tier, not a name
    assert "claude-haiku-latest" in by_name["Claude Haiku 4.5"].ids


def test_a_resellers_id_joins_the_makers_model_only_by_its_exact_name() -> None:
    groups = group_models(
        [
            row("mistral", "mistral-medium-2505", "Mistral Medium 3", Price(0.4, 2.0)),
            row("openrouter", "mistralai/mistral-medium-3", "Mistral Medium 3", Price(0.4, 2.0)),
            row("mistral", "mistral-medium-2508", "Mistral Medium 3.1", Price(0.4, 2.0)),
            row("openrouter", "mistralai/mistral-medium", "Mistral Medium", Price(2.75, 8.1)),
        ]
    )
    names = sorted(g.name for g in groups)
    assert names == ["Mistral Medium", "Mistral Medium 3", "Mistral Medium 3.1"]
    medium3 = next(g for g in groups if g.name == "Mistral Medium 3")
    assert "mistralai/mistral-medium-3" in medium3.ids


@pytest.mark.parametrize(
    ("model_id", "name", "facts", "category"),
    [
        ("text-embedding-3-large", "text-embedding-3-large", {"outputs": "text"}, EMBEDDINGS),
        ("gpt-image-1", "GPT Image 1", {"outputs": "image"}, IMAGES),
        ("eleven-multilingual-v2", "Eleven Multilingual", {"outputs": "audio"}, SPEECH),
        ("whisper-large-v3", "Whisper", {"inputs": "audio", "outputs": "text"}, SPEECH),
        ("gpt-4o", "GPT-4o", {"inputs": "text,image", "outputs": "text"}, LANGUAGE),
    ],
)
def test_embedding_speech_and_image_models_are_not_chat_models(
    model_id: str, name: str, facts: dict[str, str], category: str
) -> None:
    (group,) = group_models([row("openai", model_id, name, **facts)])
    assert group.category == category
