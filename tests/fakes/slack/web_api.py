"""A fake Slack Web API (``https://slack.com/api/``) served by aiohttp on 127.0.0.1.

Point a real ``slack_sdk`` client at it::

    fake = FakeSlackWebAPI()
    await fake.start()
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
    await client.chat_postMessage(channel="C0GENERAL", text="hi")
    assert fake.calls_to("chat.postMessage")[0].args["text"] == "hi"

Besides ``/api/<method>`` it serves ``/response/<id>`` (slash-command / interaction
``response_url``s, see :meth:`FakeSlackWebAPI.new_response_url`) and
``/upload/v1/<file_id>`` (step 2 of ``files_upload_v2``).
"""

# The wait helpers deliberately take ``timeout=`` (test-helper API, bounded internally).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .methods import CallContext, MethodHandler, SlackMethods, error
from .records import Injection, RecordedCall, ResponseUrlPost, ResponseUrlTarget
from .records import parse_args as _parse_args
from .records import token_of as _token_of
from .state import JSON, SlackWorkspace


class FakeSlackWebAPI:
    """Stateful Slack Web API fake with call recording and failure injection."""

    #: Slack allows a response_url to be used 5 times (30 minutes).
    RESPONSE_URL_MAX_USES = 5

    def __init__(
        self,
        workspace: SlackWorkspace | None = None,
        *,
        bot_token: str = "xoxb-1-fake-bot-token",
        app_token: str = "xapp-1-fake-app-token",
        scopes: str = "chat:write,commands,reactions:read,reactions:write,"
        "users:read,channels:read,files:write",
    ) -> None:
        self.workspace = workspace or SlackWorkspace()
        self.bot_token = bot_token
        self.app_token = app_token
        self.valid_tokens: set[str] = {bot_token, app_token}
        self.scopes = scopes
        self.calls: list[RecordedCall] = []
        self.response_url_posts: list[ResponseUrlPost] = []
        self._handlers: dict[str, MethodHandler] = SlackMethods(self.workspace).table()
        self._injections: dict[str, list[Injection]] = {}
        self._response_urls: dict[str, ResponseUrlTarget] = {}
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port on 127.0.0.1."""
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{rid}", self._handle_response_url)
        app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Shut the server down."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlackWebAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>/``."""
        if self._port is None:
            raise RuntimeError("FakeSlackWebAPI.start() was not awaited")
        return f"http://127.0.0.1:{self._port}/"

    @property
    def base_url(self) -> str:
        """Value for ``AsyncWebClient(base_url=...)`` (ends with ``/api/``)."""
        return f"{self.root_url}api/"

    # -- configuration ------------------------------------------------------------------

    def register_method(self, method: str, handler: MethodHandler) -> None:
        """Add or override the handler of a Web API method."""
        self._handlers[method] = handler

    def inject_response(
        self,
        method: str,
        *,
        status: int = 200,
        body: JSON | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with a canned response."""
        self._injections.setdefault(method, []).append(
            Injection(
                status, body if body is not None else {"ok": True}, headers or {}, times, delay
            )
        )

    def inject_error(
        self, method: str, code: str, *, times: int = 1, status: int = 200, **extra: Any
    ) -> None:
        """Make the next ``times`` calls fail with ``{"ok": false, "error": code}``."""
        self.inject_response(method, status=status, body=error(code, **extra), times=times)

    def inject_rate_limit(self, method: str, retry_after: int = 1, *, times: int = 1) -> None:
        """Make the next ``times`` calls return HTTP 429 with ``Retry-After``."""
        self.inject_response(
            method,
            status=429,
            body=error("ratelimited"),
            headers={"Retry-After": str(retry_after)},
            times=times,
        )

    def inject_delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Delay the next ``times`` calls (they are then handled normally)."""
        self._injections.setdefault(method, []).append(Injection(0, {}, {}, times, seconds))

    def new_response_url(self, channel_id: str | None = None, message_ts: str | None = None) -> str:
        """Issue a ``response_url`` whose posts land in :attr:`response_url_posts`."""
        rid = self.workspace.new_id("R")
        self._response_urls[rid] = ResponseUrlTarget(channel_id, message_ts)
        return f"{self.root_url}response/{rid}"

    def new_trigger_id(self) -> str:
        """Issue a ``trigger_id`` accepted once by ``views.open`` within 3 seconds."""
        return self.workspace.issue_trigger()

    # -- inspection ---------------------------------------------------------------------

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one method, oldest first."""
        return [c for c in self.calls if c.method == method]

    def reset_calls(self) -> None:
        """Forget recorded calls and response_url posts (state is kept)."""
        self.calls.clear()
        self.response_url_posts.clear()

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        timeout: float = 5.0,
    ) -> RecordedCall:
        """Return the first (possibly past) call to ``method`` matching ``predicate``."""
        calls = await self.wait_for_calls(method, 1, predicate, timeout)
        return calls[0]

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        predicate: Callable[[RecordedCall], bool] | None = None,
        timeout: float = 5.0,
    ) -> list[RecordedCall]:
        """Wait until ``count`` matching calls were recorded; return them."""

        def matching() -> list[RecordedCall]:
            return [c for c in self.calls_to(method) if predicate is None or predicate(c)]

        await self._wait(
            lambda: len(matching()) >= count,
            timeout,
            lambda: f"{count} call(s) to {method!r}; got methods {[c.method for c in self.calls]}",
        )
        return matching()[:count]

    async def wait_for_response_url_post(
        self, predicate: Callable[[ResponseUrlPost], bool] | None = None, timeout: float = 5.0
    ) -> ResponseUrlPost:
        """Return the first post to a ``response_url`` matching ``predicate``."""

        def first() -> ResponseUrlPost | None:
            return next(
                (p for p in self.response_url_posts if predicate is None or predicate(p)), None
            )

        await self._wait(
            lambda: first() is not None,
            timeout,
            lambda: f"a response_url post; got {self.response_url_posts}",
        )
        found = first()
        assert found is not None
        return found

    async def _wait(
        self, ready: Callable[[], bool], seconds: float, describe: Callable[[], str]
    ) -> None:
        if self._changed is None:
            raise RuntimeError("FakeSlackWebAPI.start() was not awaited")
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(ready), seconds)
        except TimeoutError:
            raise AssertionError(f"timed out after {seconds}s waiting for {describe()}") from None

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    # -- HTTP handlers ------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _parse_args(request)
        token = _token_of(request, args)
        headers = dict(request.headers)
        status, body, extra_headers, injected = await self._dispatch(method, args, token)
        # Snapshot args and response so later state changes don't rewrite history.
        args_copy, body_copy = copy.deepcopy((args, body))
        self.calls.append(
            RecordedCall(
                method, args_copy, headers, token, request.method, status, body_copy, injected
            )
        )
        await self._notify()
        return web.json_response(
            body, status=status, headers={"x-oauth-scopes": self.scopes, **extra_headers}
        )

    async def _dispatch(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, JSON, dict[str, str], bool]:
        queue = self._injections.get(method)
        if queue:
            injection = queue[0]
            injection.times -= 1
            if injection.times <= 0:
                queue.pop(0)
            if injection.delay:
                await asyncio.sleep(injection.delay)
            if injection.status:
                return injection.status, injection.body, injection.headers, True
        handler = self._handlers.get(method)
        if handler is None:
            return 200, error("unknown_method", req_method=method), {}, False
        if not token:
            return 200, error("not_authed"), {}, False
        if token not in self.valid_tokens:
            return 200, error("invalid_auth"), {}, False
        context = CallContext(args, token, self.root_url)
        return 200, handler(context), {}, False

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        rid = request.match_info["rid"]
        target = self._response_urls.get(rid)
        try:
            payload = json.loads(await request.text())
        except ValueError:
            payload = {}
        if target is None:
            status, text = 404, "no_service"
        elif target.uses >= self.RESPONSE_URL_MAX_USES:
            status, text = 404, "used_url"
        else:
            target.uses += 1
            status, text = 200, "ok"
            self._apply_response_url(target, payload)
        channel_id = target.channel_id if target else None
        self.response_url_posts.append(ResponseUrlPost(rid, channel_id, payload, status))
        await self._notify()
        return web.Response(status=status, text=text)

    def _apply_response_url(self, target: ResponseUrlTarget, payload: JSON) -> None:
        """Mirror Slack: ``in_channel`` posts a message, ``replace_original`` edits it."""
        ws, channel = self.workspace, target.channel_id
        if channel is None or ws.channel_for(channel) is None:
            return
        original = ws.message(channel, target.message_ts) if target.message_ts else None
        if payload.get("delete_original") and original is not None:
            ws.channels[channel].messages.pop(original["ts"], None)
        elif payload.get("replace_original") and original is not None:
            original.update({k: payload[k] for k in ("text", "blocks") if k in payload})
        elif payload.get("response_type") == "in_channel":
            ws.post_message(
                channel,
                text=payload.get("text", ""),
                blocks=payload.get("blocks"),
                thread_ts=payload.get("thread_ts"),
            )

    async def _handle_upload(self, request: web.Request) -> web.Response:
        stored = self.workspace.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404, text="file_not_found")
        content = await request.read()
        stored["content"] = content
        return web.Response(text=f"OK - {len(content)}", content_type="text/plain")
