"""REST API core of the fake Discord: routing, auth, body parsing, recording, failures."""

from __future__ import annotations

import json
import re
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from .gateway import Gateway
from .payloads import message_payload
from .recording import FailureRule, RecordedFile, RecordedRequest, Waiter, error_body
from .state import JSON, StoredMessage, new_id
from .world import World

API_PREFIX = re.compile(r"^/api/v(?P<version>\d+)(?P<path>/.*)$")


@dataclass
class Reply:
    """What a route handler answers: status, JSON body (``None`` = empty), extra headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, code: int | None = None, message: str | None = None) -> Reply:
    """A Discord-style error reply."""
    return Reply(status, error_body(status, code, message))


@dataclass
class Ctx:
    """Everything a route handler needs about the current request."""

    record: RecordedRequest
    params: dict[str, str]

    @property
    def json(self) -> Any:
        """The parsed JSON body (or ``payload_json`` of a multipart body)."""
        return self.record.json

    @property
    def body(self) -> JSON:
        """The JSON body as a dict (empty if missing)."""
        return self.record.json if isinstance(self.record.json, dict) else {}

    def int_param(self, name: str) -> int:
        """A path parameter as an int (0 if not numeric)."""
        value = self.params.get(name, "")
        return int(value) if value.isdigit() else 0


Handler = Callable[[Ctx], Awaitable[Reply]]


@dataclass
class _Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


class RestApi:
    """Routes ``/api/v{9,10}/...`` requests to handlers and records every one of them."""

    def __init__(self, world: World, gateway: Gateway, waiter: Waiter) -> None:
        self.world = world
        self.gateway = gateway
        self.waiter = waiter
        self.base_url = ""
        self.requests: list[RecordedRequest] = []
        self.failures: list[FailureRule] = []
        self.internal_errors: list[str] = []
        self.attachments: dict[int, RecordedFile] = {}
        self.echo_own_events = True
        """Dispatch MESSAGE_CREATE/UPDATE/DELETE and reaction events for the bot's own REST
        actions over the gateway, as real Discord does."""
        self._routes: list[_Route] = []

    # -- registration --------------------------------------------------------------------

    def add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        """Register ``handler`` for ``method template`` (``{name}`` matches one segment).

        Routes are tried in registration order: register literal ones (``@me``) first.
        """
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self._routes.append(_Route(method, template, re.compile(f"^{pattern}$"), handler, auth))

    # -- helpers shared by route modules -------------------------------------------------

    def msg_json(self, msg: StoredMessage, *, with_guild: bool = False) -> JSON:
        """Message payload as returned by REST (or, ``with_guild``, by the gateway)."""
        return message_payload(msg, self.world.bot_user.id, with_guild=with_guild)

    async def emit(self, event: str, data: JSON) -> None:
        """Dispatch an echo event over the gateway if ``echo_own_events`` is on."""
        if self.echo_own_events:
            await self.gateway.dispatch(event, data)

    async def emit_message(self, event: str, msg: StoredMessage) -> None:
        """Echo MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE for a non-ephemeral message."""
        if msg.ephemeral:
            return
        if event == "MESSAGE_DELETE":
            data: JSON = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id is not None:
                data["guild_id"] = str(msg.guild_id)
        else:
            data = self.msg_json(msg, with_guild=True)
            guild = self.world.guilds.get(msg.guild_id or 0)
            member = guild.members.get(msg.author.id) if guild else None
            if member is not None:
                data["member"] = member.to_payload(with_user=False)
        await self.emit(event, data)

    def make_attachments(self, ctx: Ctx, existing: list[JSON]) -> list[JSON]:
        """Attachment objects for a message: kept ``existing`` ones plus uploaded files."""
        described = {str(a.get("id")): a for a in ctx.body.get("attachments") or []}
        if "attachments" in ctx.body:
            kept = [a for a in existing if str(a["id"]) in described]
        else:
            kept = list(existing)
        for index, upload in enumerate(ctx.record.files):
            meta = described.get(str(index), {})
            att_id = new_id()
            self.attachments[att_id] = upload
            url = f"{self.base_url}/attachments/{att_id}/{upload.filename}"
            att: JSON = {
                "id": str(att_id),
                "filename": meta.get("filename") or upload.filename,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
            }
            if meta.get("description"):
                att["description"] = meta["description"]
            kept.append(att)
        return kept

    # -- request handling ----------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """aiohttp catch-all handler for the REST API."""
        raw_path = request.rel_url.raw_path
        match = API_PREFIX.match(raw_path)
        api_path = match.group("path") if match else raw_path
        record = RecordedRequest(
            method=request.method,
            path=unquote(api_path),
            route=None,
            params={},
            query=dict(request.query),
            headers=dict(request.headers),
            json=None,
            files=[],
            time=time.monotonic(),
        )
        await _parse_body(request, record)
        self.requests.append(record)
        reply = await self._route(record, api_path if match else None)
        record.status, record.response = reply.status, reply.body
        self.waiter.notify()
        return _to_response(reply)

    async def _route(self, record: RecordedRequest, api_path: str | None) -> Reply:
        if api_path is None:
            return error(404)
        for route in self._routes:
            if route.method != record.method:
                continue
            m = route.regex.match(api_path)
            if m is None:
                continue
            record.route = route.template
            record.params = {k: unquote(v) for k, v in m.groupdict().items()}
            token = record.params.get("interaction_token")
            interaction = self.world.interactions.get(token) if token else None
            if interaction is not None:
                interaction.requests.append(record)
            if route.auth and record.headers.get("Authorization") != f"Bot {self.world.token}":
                return error(401)
            injected = self._injected_failure(record)
            if injected is not None:
                return injected
            try:
                return await route.handler(Ctx(record, record.params))
            except Exception:
                self.internal_errors.append(traceback.format_exc())
                return error(400, 0, "fake discord internal error (see fake.internal_errors)")
        return error(404)

    def _injected_failure(self, record: RecordedRequest) -> Reply | None:
        for rule in self.failures:
            if rule.matches(record.method, record.path):
                if rule.times is not None:
                    rule.times -= 1
                return Reply(rule.status, dict(rule.body), dict(rule.headers))
        return None


async def _parse_body(request: web.Request, record: RecordedRequest) -> None:
    """Fill ``record.json`` / ``record.files`` from a JSON or multipart request body."""
    ctype = request.content_type
    if ctype == "multipart/form-data":
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                record.files.append(
                    RecordedFile(name, value.filename, value.content_type, value.file.read())
                )
            elif name == "payload_json":
                record.json = json.loads(str(value))
    elif request.can_read_body:
        text = await request.text()
        if text:
            try:
                record.json = json.loads(text)
            except ValueError:
                record.json = text


def _to_response(reply: Reply) -> web.Response:
    if reply.body is None and reply.status == 204:
        return web.Response(status=204, headers=reply.headers)
    headers = {"Content-Type": "application/json", **reply.headers}
    # discord.py only parses JSON when the content type is *exactly* application/json.
    return web.Response(status=reply.status, body=json.dumps(reply.body).encode(), headers=headers)
