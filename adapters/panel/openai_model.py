"""``PanelModel`` over any OpenAI-compatible Chat Completions endpoint, with the official
``openai`` SDK: Mistral's La Plateforme, OpenAI, OpenRouter, or a local vLLM / llama.cpp / Ollama.

The answer is asked for as structured output (``response_format`` json_schema, strict). A server
that refuses that parameter is asked again with the schema as a forced tool call, and remembered.
The SDK retries connection errors, 408/409/429 and 5xx itself (``max_retries``, honouring
``Retry-After`` up to its own bound); what is left after that becomes a ``ModelFault``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.panel.models import Usage
from bot.panel.ports import ModelFault, ModelReply, ModelRequest

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletion

log = logging.getLogger(__name__)

_FORMAT_WORDS = ("response_format", "json_schema", "structured", "not supported", "unsupported")


class OpenAIPanelModel:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None,
        timeout: float,
        max_retries: int,
        provider: str = "",
    ) -> None:
        from openai import AsyncOpenAI

        self._base_url = base_url
        self._timeout = timeout
        self._max_retries = max_retries
        self._provider = provider or (urlsplit(base_url).hostname or base_url)
        self._client: AsyncOpenAI = AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or "none",  # local servers take any key; the SDK insists on one
            timeout=timeout,
            max_retries=max_retries,
        )
        self._structured = True

    @property
    def provider(self) -> str:
        return self._provider

    async def close(self) -> None:
        await self._client.close()

    async def complete(self, request: ModelRequest) -> ModelReply:
        import openai

        try:
            if self._structured:
                try:
                    return _reply(await self._create(request, structured=True))
                except openai.BadRequestError as error:
                    if not _about_format(error):
                        raise
                    log.info("endpoint refuses response_format; using a tool call instead")
                    self._structured = False
            return _reply(await self._create(request, structured=False))
        except openai.APITimeoutError:
            raise ModelFault(
                f"the endpoint did not answer within {self._timeout:g} s "
                f"(after {self._max_retries} retries)"
            ) from None
        except openai.APIConnectionError:
            raise ModelFault(f"the endpoint {self._base_url} is unreachable") from None
        except openai.RateLimitError as error:
            after = error.response.headers.get("retry-after")
            wait = f", it asks to retry after {after} s" if after else ""
            raise ModelFault(
                f"the endpoint is rate-limiting (429{wait}); gave up after "
                f"{self._max_retries} retries"
            ) from None
        except openai.APIStatusError as error:
            raise ModelFault(
                f"the endpoint answered {error.status_code}: {_short(_message(error))}"
            ) from None
        except openai.OpenAIError as error:
            raise ModelFault(
                f"the endpoint's response was unusable: {_short(str(error))}"
            ) from None
        except ValueError as error:  # the SDK lets a body that is not JSON raise JSONDecodeError
            raise ModelFault(
                f"the endpoint's response was unusable (not JSON: {_short(str(error))})"
            ) from None

    async def _create(self, request: ModelRequest, *, structured: bool) -> ChatCompletion:
        messages: Any = [{"role": m.role, "content": m.content} for m in request.messages]
        schema = request.schema
        if structured:
            return await self._client.chat.completions.create(
                model=request.model,
                messages=messages,
                max_tokens=request.max_output_tokens,
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": schema.name,
                        "description": schema.description,
                        "schema": dict(schema.schema),
                        "strict": True,
                    },
                },
            )
        return await self._client.chat.completions.create(
            model=request.model,
            messages=messages,
            max_tokens=request.max_output_tokens,
            tools=[
                {
                    "type": "function",
                    "function": {
                        "name": schema.name,
                        "description": schema.description,
                        "parameters": dict(schema.schema),
                    },
                }
            ],
            tool_choice={"type": "function", "function": {"name": schema.name}},
        )


def _reply(completion: ChatCompletion) -> ModelReply:
    usage = (
        Usage(completion.usage.prompt_tokens, completion.usage.completion_tokens)
        if completion.usage
        else Usage()
    )
    if not completion.choices:
        return ModelReply(text="", usage=usage, model=completion.model or "")
    choice = completion.choices[0]
    message = choice.message
    text = message.content or ""
    for call in message.tool_calls or ():
        function = getattr(call, "function", None)
        if function is not None:
            text = function.arguments or ""
            break
    refusal = message.refusal or ""
    if choice.finish_reason == "content_filter" and not refusal:
        refusal = "the endpoint's content filter stopped the answer"
    return ModelReply(
        text=text,
        usage=usage,
        model=completion.model or "",
        refusal=refusal,
        truncated=choice.finish_reason == "length",
    )


def _about_format(error: Exception) -> bool:
    text = _message(error).casefold()
    return any(word in text for word in _FORMAT_WORDS)


def _message(error: Exception) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(getattr(error, "message", "") or error)


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
