"""A fake OpenAI-compatible endpoint on 127.0.0.1, speaking the Chat Completions wire format.

Point the real ``openai`` client (or shipbot's panel settings) at ``fake.base_url``::

    fake = FakeChatServer()
    await fake.start()
    fake.script(Reply.status(429, retry_after="0.2"), Reply.panel())
    ...
    assert fake.requests[0].body["response_format"]["type"] == "json_schema"

Each request takes the next scripted ``Reply``; with the script empty it answers as a small
"model" that writes a valid panel from the prompt it is given (every lens asked, facts cited),
in message content for structured output or as a tool call when the request offers a tool.
``without_structured_output`` makes it answer 400 to ``response_format``, as servers without
structured output do. Usage is counted (about four characters a token) on every answer.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

_LENS_LINE = re.compile(r"^- (developer|competition|future|business): ", re.MULTILINE)
_FACT_LINE = re.compile(r"^\[(F\d+)\] (.*)$", re.MULTILINE)
_TOOL = re.compile(r"^Tool: (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: JSON
    at: float  # time.monotonic() on arrival


@dataclass(frozen=True)
class Reply:
    """What the server does with one request."""

    status: int = 200
    body: JSON | None = None  # the completion (or error) to send; None: write a panel
    raw: str | None = None  # send these bytes instead of JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content: str | None = None  # the assistant message's text, as the model wrote it
    refusal: str | None = None
    finish_reason: str = "stop"
    quote_suffix: str = ""  # appended to each written quote (e.g. to name a number)
    quote_length: int | None = None  # pad each written quote to this many characters

    @classmethod
    def panel(cls, **kwargs: Any) -> Reply:
        return cls(**kwargs)

    @classmethod
    def text(cls, content: str, finish_reason: str = "stop") -> Reply:
        return cls(content=content, finish_reason=finish_reason)

    @classmethod
    def error(cls, status: int, message: str, **headers: str) -> Reply:
        return cls(
            status=status,
            body={
                "error": {
                    "message": message,
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            },
            headers=headers,
        )

    @classmethod
    def rate_limited(cls, retry_after: str) -> Reply:
        return cls.error(429, "Rate limit reached", **{"Retry-After": retry_after})


class FakeChatServer:
    def __init__(self, *, model: str = "fake-panel-1") -> None:
        self.model = model
        self.requests: list[Recorded] = []
        self.without_structured_output = False
        self.default_delay = 0.0
        self._script: deque[Reply] = deque()
        self._runner: web.AppRunner | None = None
        self._ids = 0
        self.base_url = ""

    def script(self, *replies: Reply) -> None:
        self._script.extend(replies)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def completions(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(Recorded(request.path, dict(request.headers), body, time.monotonic()))
        reply = self._script.popleft() if self._script else Reply()
        delay = reply.delay or self.default_delay
        if delay:
            await asyncio.sleep(delay)
        if reply.raw is not None:
            return web.Response(
                text=reply.raw,
                status=reply.status,
                content_type="application/json",
                headers=reply.headers,
            )
        if reply.body is not None:
            return web.json_response(reply.body, status=reply.status, headers=reply.headers)
        if self.without_structured_output and "response_format" in body:
            return web.json_response(
                {
                    "error": {
                        "message": "response_format is not supported by this server",
                        "type": "invalid_request_error",
                        "param": "response_format",
                        "code": None,
                    }
                },
                status=400,
            )
        return web.json_response(self._completion(body, reply), headers=reply.headers)

    def _completion(self, body: JSON, reply: Reply) -> JSON:
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        content = reply.content
        if content is None and reply.refusal is None:
            content = json.dumps(_write_panel(prompt, reply), ensure_ascii=False)
        tools = body.get("tools") or []
        message: JSON = {"role": "assistant", "content": content, "refusal": reply.refusal}
        finish = reply.finish_reason
        if tools and content is not None and reply.refusal is None:
            self._ids += 1
            message = {
                "role": "assistant",
                "content": None,
                "refusal": None,
                "tool_calls": [
                    {
                        "id": f"call_{self._ids}",
                        "type": "function",
                        "function": {"name": tools[0]["function"]["name"], "arguments": content},
                    }
                ],
            }
            finish = "tool_calls" if finish == "stop" else finish
        self._ids += 1
        prompt_tokens = max(1, len(prompt) // 4)
        completion_tokens = max(1, len(content or reply.refusal or "") // 4)
        return {
            "id": f"chatcmpl-{self._ids}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


_OPENINGS = {
    "developer": "The primitive here is clean: {tool} does one job and the moment of truth is "
    "the first real task you hand it.",
    "competition": "Direct competitors are {peer} and the rest of its lane; the scenario where "
    "this breaks is a buyer who already runs {peer}.",
    "future": "The thesis {tool} bets on: the tools that win are the ones teams can adopt this "
    "week, not next year. It's a real bet, not a vibe.",
    "business": "The buyer is a team lead with a tooling budget making a build-vs-buy call; the "
    "moat question is whether {tool} stays ahead of {peer}.",
}


def _write_panel(prompt: str, reply: Reply) -> JSON:
    """A valid panel for the tool in ``prompt``: each lens asked, citing the first facts."""
    tool = (_TOOL.search(prompt) or re.match("(.*)", "the tool")).group(1)  # type: ignore[union-attr]
    facts = _FACT_LINE.findall(prompt)
    peer = next(
        (
            text.split(": ", 1)[1].split(" — ")[0]
            for _, text in facts
            if text.startswith("Competitor in ")
        ),
        "the incumbents",
    )
    ids = [fact_id for fact_id, _ in facts[:2]]
    reviews = []
    for lens in dict.fromkeys(_LENS_LINE.findall(prompt)):
        quote = _OPENINGS[lens].format(tool=tool, peer=peer) + reply.quote_suffix
        if reply.quote_length:
            quote = (quote + " " + "It holds up." * 400)[: reply.quote_length]
        verdict = "skip" if lens == "business" and "Open source" in prompt else "ship"
        reviews.append({"lens": lens, "verdict": verdict, "quote": quote, "facts": ids})
    return {"reviews": reviews}
