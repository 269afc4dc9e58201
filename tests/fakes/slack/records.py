"""Records kept by the fake Web API and the request parsing it shares."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .state import JSON

#: Form/query fields that slack_sdk sends JSON-encoded; the fake decodes them.
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "files", "metadata", "unfurls"})


@dataclass(frozen=True)
class RecordedCall:
    """One request to ``/api/<method>`` and the fake's answer."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    token: str | None
    http_method: str
    status: int
    response: JSON
    injected: bool = False
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class ResponseUrlPost:
    """One POST to a ``response_url`` handed out by the fake."""

    response_id: str
    channel_id: str | None
    payload: JSON
    status: int


@dataclass
class Injection:
    """A canned answer that replaces the next ``times`` calls to a method."""

    status: int
    body: JSON
    headers: dict[str, str]
    times: int
    delay: float = 0.0


@dataclass
class ResponseUrlTarget:
    """Where a handed-out ``response_url`` points (channel and, for actions, message)."""

    channel_id: str | None
    message_ts: str | None
    uses: int = 0


async def parse_args(request: web.Request) -> dict[str, Any]:
    """Merge query string, form-encoded/multipart and JSON bodies like Slack does."""
    args: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                args.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    args[key] = value
                elif isinstance(value, bytes | bytearray):
                    args[key] = bytes(value)
                else:  # multipart file part
                    args[key] = value.file.read()
    for key in JSON_FIELDS & args.keys():
        value = args[key]
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


def token_of(request: web.Request, args: dict[str, Any]) -> str | None:
    """The caller's token: ``Authorization: Bearer`` header or a ``token`` argument."""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[len("Bearer ") :].strip()
    token = args.get("token")
    return str(token) if token else None
