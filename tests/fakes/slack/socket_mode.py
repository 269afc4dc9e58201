"""A fake Socket Mode endpoint (``wss://wss-primary.slack.com/link``) on 127.0.0.1.

``apps.connections.open`` on the linked :class:`FakeSlackWebAPI` hands out a ``ws://`` URL
of this server.  On connect it sends ``hello``; tests then push envelopes
(``events_api`` / ``slash_commands`` / ``interactive``) and read the acks the app sends
back (``{"envelope_id": ..., "payload": ...}``)::

    sm = FakeSocketModeServer(fake)
    await sm.start()
    handler = AsyncSocketModeHandler(app, fake.app_token)   # slack_bolt.adapter.socket_mode
    await handler.connect_async()
    await sm.wait_connected()
    envelope_id = await sm.send_envelope("slash_commands", payloads.slash_command("/shipbot"))
    ack = await sm.wait_for_ack(envelope_id)
"""

# The wait helpers deliberately take ``timeout=`` (test-helper API, bounded internally).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import WSMsgType, web

from .methods import CallContext, error
from .state import JSON
from .web_api import FakeSlackWebAPI


@dataclass(frozen=True)
class SocketModeAck:
    """An acknowledgement the app sent for one envelope."""

    envelope_id: str
    payload: JSON | None
    raw: str


class FakeSocketModeServer:
    """WebSocket side of Socket Mode, wired into a :class:`FakeSlackWebAPI`."""

    def __init__(self, web_api: FakeSlackWebAPI) -> None:
        self.web_api = web_api
        self.acks: list[SocketModeAck] = []
        self.received: list[str] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        web_api.register_method("apps.connections.open", self._connections_open)

    async def start(self) -> None:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_get("/link/", self._handle_ws)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSocketModeServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def connection_count(self) -> int:
        """Open WebSocket connections."""
        return sum(1 for ws in self._sockets if not ws.closed)

    def _connections_open(self, c: CallContext) -> JSON:
        if not (c.token or "").startswith("xapp-"):
            return error("not_allowed_token_type")
        if self._port is None:
            return error("internal_error")
        ticket = uuid.uuid4().hex
        return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/link/?ticket={ticket}"}

    async def _handle_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        ws_state = self.web_api.workspace
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": len(self._sockets),
                    "debug_info": {
                        "host": "applink-fake",
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": ws_state.app_id},
                }
            )
        )
        await self._notify()
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            self.received.append(msg.data)
            try:
                data = json.loads(msg.data)
            except ValueError:
                continue
            if isinstance(data, dict) and "envelope_id" in data:
                self.acks.append(SocketModeAck(data["envelope_id"], data.get("payload"), msg.data))
            await self._notify()
        await self._notify()
        return ws

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _wait(self, ready: Callable[[], bool], seconds: float, what: str) -> None:
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(ready), seconds)
        except TimeoutError:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}") from None

    async def wait_connected(self, timeout: float = 5.0) -> None:
        """Wait until an app holds an open connection."""
        await self._wait(lambda: self.connection_count > 0, timeout, "a Socket Mode connection")

    async def send_envelope(
        self,
        envelope_type: str,
        payload: JSON,
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Push one envelope to the newest connection; return its ``envelope_id``."""
        open_sockets = [ws for ws in self._sockets if not ws.closed]
        if not open_sockets:
            raise AssertionError("no Socket Mode connection is open")
        envelope_id = str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = envelope_type == "slash_commands" or (
                envelope_type == "interactive" and payload.get("type") == "view_submission"
            )
        envelope: JSON = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": envelope_type,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope.update({"retry_attempt": retry_attempt, "retry_reason": retry_reason})
        await open_sockets[-1].send_str(json.dumps(envelope))
        return envelope_id

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        for ws in self._sockets:
            if not ws.closed:
                await ws.send_str(
                    json.dumps(
                        {
                            "type": "disconnect",
                            "reason": reason,
                            "debug_info": {"host": "applink-fake"},
                        }
                    )
                )

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> SocketModeAck:
        """Wait for the app's ack of ``envelope_id``."""

        def find() -> SocketModeAck | None:
            return next((a for a in self.acks if a.envelope_id == envelope_id), None)

        await self._wait(lambda: find() is not None, timeout, f"ack of {envelope_id}")
        found = find()
        assert found is not None
        return found
