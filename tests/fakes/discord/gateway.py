"""Gateway (WebSocket, API v10, JSON encoding, uncompressed frames) of the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .payloads import guild_create
from .snowflake import Intent
from .state import JSON
from .world import World

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11

_GUILD_EVENT_INTENTS: dict[str, int] = {
    "GUILD_CREATE": Intent.GUILDS,
    "GUILD_UPDATE": Intent.GUILDS,
    "GUILD_DELETE": Intent.GUILDS,
    "CHANNEL_CREATE": Intent.GUILDS,
    "GUILD_MEMBER_ADD": Intent.GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": Intent.GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": Intent.GUILD_MEMBERS,
    "MESSAGE_CREATE": Intent.GUILD_MESSAGES,
    "MESSAGE_UPDATE": Intent.GUILD_MESSAGES,
    "MESSAGE_DELETE": Intent.GUILD_MESSAGES,
    "MESSAGE_REACTION_ADD": Intent.GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE": Intent.GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE_ALL": Intent.GUILD_MESSAGE_REACTIONS,
    "MESSAGE_REACTION_REMOVE_EMOJI": Intent.GUILD_MESSAGE_REACTIONS,
}


@dataclass
class GatewayFrame:
    """A frame sent (``direction='out'``) or received (``'in'``) on the gateway."""

    direction: str
    payload: JSON
    session_id: str | None
    time: float = field(default_factory=time.monotonic)


@dataclass
class GatewaySession:
    """An identified gateway session; survives disconnects so it can be RESUMEd."""

    session_id: str
    intents: int
    identify: JSON
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    buffer: deque[JSON] = field(default_factory=lambda: deque(maxlen=1000))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wants(self, event: str, data: JSON) -> bool:
        """Whether this session's intents subscribe to ``event``."""
        needed = _GUILD_EVENT_INTENTS.get(event)
        if needed is None:
            return True
        if "guild_id" not in data and event.startswith("MESSAGE"):
            needed = {
                Intent.GUILD_MESSAGES: Intent.DIRECT_MESSAGES,
                Intent.GUILD_MESSAGE_REACTIONS: Intent.DIRECT_MESSAGE_REACTIONS,
            }.get(needed, needed)
        return bool(self.intents & needed)


class Gateway:
    """Serves the gateway WebSocket and fans dispatches out to identified sessions."""

    def __init__(self, world: World, notify: Callable[[], None]) -> None:
        self.world = world
        self._notify = notify
        self.url = ""
        self.heartbeat_interval_ms = 41_250
        self.allowed_intents = Intent.PRIVILEGED
        """Privileged intents "enabled in the developer portal"; others close with 4014."""
        self.sessions: dict[str, GatewaySession] = {}
        self.frames: list[GatewayFrame] = []
        self.identify_count = 0
        self.resume_count = 0

    # -- inspection --------------------------------------------------------------------

    def received(self, op: int | None = None) -> list[JSON]:
        """Payloads the client sent, optionally only those with opcode ``op``."""
        return [
            f.payload
            for f in self.frames
            if f.direction == "in" and (op is None or f.payload.get("op") == op)
        ]

    def sent_events(self, event: str | None = None) -> list[JSON]:
        """Dispatch frames sent to clients, optionally only events named ``event``."""
        return [
            f.payload
            for f in self.frames
            if f.direction == "out"
            and f.payload.get("op") == DISPATCH
            and (event is None or f.payload.get("t") == event)
        ]

    @property
    def connected(self) -> list[GatewaySession]:
        """Sessions with an open WebSocket."""
        return [s for s in self.sessions.values() if s.ws is not None and not s.ws.closed]

    # -- sending -----------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, payload: JSON, sid: str | None) -> None:
        self.frames.append(GatewayFrame("out", payload, sid))
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(json.dumps(payload))
        self._notify()

    async def _dispatch_to(self, session: GatewaySession, event: str, data: Any) -> None:
        async with session.lock:
            session.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.buffer.append(frame)
            if session.ws is not None and not session.ws.closed:
                await self._send(session.ws, frame, session.session_id)
            else:
                self.frames.append(GatewayFrame("out", frame, session.session_id))

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send a DISPATCH to every session subscribed to it; returns how many got it."""
        count = 0
        for session in list(self.sessions.values()):
            if session.wants(event, data):
                await self._dispatch_to(session, event, self._redact(session, event, data))
                count += 1
        return count

    def _redact(self, session: GatewaySession, event: str, data: JSON) -> JSON:
        """Blank message content for sessions without MESSAGE_CONTENT, like Discord."""
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or session.intents & (
            Intent.MESSAGE_CONTENT
        ):
            return data
        me = str(self.world.bot_user.id)
        author = str((data.get("author") or {}).get("id"))
        mentioned = any(str(u.get("id")) == me for u in data.get("mentions") or [])
        if author == me or mentioned or "guild_id" not in data:
            return data
        return dict(data, content="", embeds=[], attachments=[], components=[])

    # -- control (simulate Discord-side trouble) -----------------------------------------

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; discord.py closes and RESUMEs."""
        for s in self.connected:
            assert s.ws is not None
            await self._send(s.ws, {"op": RECONNECT, "d": None, "s": None, "t": None}, s.session_id)

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every socket with ``code`` (4000 = resumable) keeping sessions."""
        for s in self.connected:
            assert s.ws is not None
            await s.ws.close(code=code, message=b"fake discord closed the connection")

    async def invalidate_sessions(self, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the client re-IDENTIFYs."""
        for s in self.connected:
            assert s.ws is not None
            await self._send(
                s.ws, {"op": INVALID_SESSION, "d": resumable, "s": None, "t": None}, s.session_id
            )
            if not resumable:
                self.sessions.pop(s.session_id, None)

    # -- protocol ----------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """aiohttp handler for the gateway WebSocket endpoint."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        hello = {
            "op": HELLO,
            "d": {"heartbeat_interval": self.heartbeat_interval_ms},
            "s": None,
            "t": None,
        }
        await self._send(ws, hello, None)
        session: GatewaySession | None = None
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                self.frames.append(
                    GatewayFrame("in", payload, session.session_id if session else None)
                )
                self._notify()
                session = await self._on_payload(ws, payload, session)
        finally:
            if session is not None and session.ws is ws:
                session.ws = None
                if ws.close_code in (1000, 1001):
                    self.sessions.pop(session.session_id, None)  # clean close ends the session
            self._notify()
        return ws

    async def _on_payload(
        self, ws: web.WebSocketResponse, payload: JSON, session: GatewaySession | None
    ) -> GatewaySession | None:
        op, data = payload.get("op"), payload.get("d")
        sid = session.session_id if session else None
        if op == HEARTBEAT:
            await self._send(ws, {"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None}, sid)
        elif op == IDENTIFY:
            return await self._identify(ws, data or {})
        elif op == RESUME:
            return await self._resume(ws, data or {})
        elif op == REQUEST_MEMBERS and session is not None:
            await self._member_chunk(session, data or {})
        return session

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        if data.get("token") != self.world.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        if "intents" not in data:
            await ws.close(code=4013, message=b"Invalid intent(s).")
            return None
        intents = int(data["intents"])
        if intents & Intent.PRIVILEGED & ~self.allowed_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        self.identify_count += 1
        session = GatewaySession(secrets.token_hex(16), intents, data, ws=ws)
        self.sessions[session.session_id] = session
        world = self.world
        mine = [g for g in world.guilds.values() if world.bot_user.id in g.members]
        ready: JSON = {
            "v": 10,
            "user": dict(world.bot_user.to_payload(), verified=True, mfa_enabled=False, email=None),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {"id": str(world.application_id), "flags": world.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "user_settings": {},
            "auth": {},
            "_trace": ['["fake-discord"]'],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self._dispatch_to(session, "READY", ready)
        for guild in mine:
            if session.wants("GUILD_CREATE", {}):
                await self._dispatch_to(session, "GUILD_CREATE", guild_create(guild))
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.world.token:
            await self._send(ws, {"op": INVALID_SESSION, "d": False, "s": None, "t": None}, None)
            return None
        self.resume_count += 1
        last = int(data.get("seq") or 0)
        async with session.lock:
            session.ws = ws
            for frame in list(session.buffer):
                if frame["s"] > last:
                    await self._send(ws, frame, session.session_id)
        await self._dispatch_to(session, "RESUMED", {"_trace": ["fake-discord"]})
        return session

    async def _member_chunk(self, session: GatewaySession, data: JSON) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        ids = {int(i) for i in data.get("user_ids") or []}
        members = [
            m.to_payload()
            for m in guild.members.values()
            if (not ids or m.user.id in ids) and m.user.username.lower().startswith(query)
        ]
        limit = int(data.get("limit") or 0)
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": members[:limit] if limit else members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)
