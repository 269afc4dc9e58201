"""What drafting needs from a chat model, as a Protocol; ``adapters/panel`` implements it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.panel.models import Usage


@dataclass(frozen=True)
class ChatMessage:
    role: str  # system | user
    content: str


@dataclass(frozen=True)
class OutputSchema:
    """The JSON Schema the answer must follow, by name (for structured output or a tool call)."""

    name: str
    description: str
    schema: Mapping[str, object]


@dataclass(frozen=True)
class ModelRequest:
    messages: tuple[ChatMessage, ...]
    schema: OutputSchema
    model: str
    max_output_tokens: int


@dataclass(frozen=True)
class ModelReply:
    """The model's answer: the JSON text (message content or tool-call arguments), or its
    refusal, with the tokens it cost."""

    text: str
    usage: Usage
    model: str
    refusal: str = ""
    truncated: bool = False  # the answer hit the output-token limit


class ModelFault(Exception):
    """The endpoint could not give an answer (down, slow, rate-limited, an error status); the
    message says so in words for the operator. ``usage`` is what it cost anyway."""

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage or Usage()


class PanelModel(Protocol):
    """A chat model behind an OpenAI-compatible endpoint."""

    @property
    def provider(self) -> str: ...
    async def complete(self, request: ModelRequest) -> ModelReply:
        """One answer, or ``ModelFault``."""
        ...
