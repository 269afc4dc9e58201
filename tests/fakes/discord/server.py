"""``FakeDiscord``: an aiohttp server on 127.0.0.1 speaking Discord's REST v10 + gateway."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from aiohttp import web

from . import routes_channels, routes_interactions, routes_misc
from .gateway import Gateway
from .injectors import InjectorMixin
from .recording import FailureRule, RecordedRequest, Waiter, error_body
from .rest import RestApi
from .snowflake import Perm
from .state import FakeChannel, FakeGuild, FakeRole, FakeUser
from .world import World

T = TypeVar("T")


class FakeDiscord(InjectorMixin):
    """A fake Discord for end-to-end tests of real ``discord.Client`` instances.

    Default world (all attributes): ``guild`` owned by ``owner``; ``admin`` (role
    ``admin_role`` with Manage Server) and plain ``member``; text channels ``channel``
    (#general) and ``other_channel`` (#random); the bot user ``bot_user`` is a member with
    a managed role. ``token`` is the bot token the fake accepts.
    """

    def __init__(self, *, token: str = "fake-bot-token", host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.waiter = Waiter()
        self.world = World(token=token)
        self.gateway = Gateway(self.world, self.waiter.notify)
        self.rest = RestApi(self.world, self.gateway, self.waiter)
        for module in (routes_misc, routes_channels, routes_interactions):
            module.register(self.rest)
        self._runner: web.AppRunner | None = None
        world = self.world
        self.owner = world.add_user("guild_owner", "Guild Owner")
        self.admin = world.add_user("alice", "Alice")
        self.member = world.add_user("bob", "Bob")
        self.guild = world.create_guild("Shipbot Test Guild", self.owner)
        self.admin_role = world.add_role(self.guild, "Moderator", Perm.MANAGE_GUILD)
        world.add_member(self.guild, self.admin, [self.admin_role])
        world.add_member(self.guild, self.member)
        self.channel = world.add_channel(self.guild, "general")
        self.other_channel = world.add_channel(self.guild, "random")

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on ``host`` at a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.rest.base_url = self.base_url
        self.gateway.url = self.gateway_url

    async def stop(self) -> None:
        """Close gateway sockets and stop the server."""
        await self.gateway.drop_connections(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _attachment(self, request: web.Request) -> web.Response:
        upload = self.rest.attachments.get(int(request.match_info["attachment_id"]))
        if upload is None:
            return web.Response(status=404)
        return web.Response(body=upload.data, headers={"Content-Type": upload.content_type})

    # -- addresses ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """The gateway WebSocket URL (``ws://127.0.0.1:PORT/``)."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def token(self) -> str:
        """The only bot token accepted (REST ``Authorization: Bot …`` and IDENTIFY)."""
        return self.world.token

    @property
    def bot_user(self) -> FakeUser:
        """The bot's own user."""
        return self.world.bot_user

    @property
    def application_id(self) -> int:
        """The application id (equal to the bot user id, like modern Discord apps)."""
        return self.world.application_id

    # -- world building shortcuts --------------------------------------------------------

    def add_user(self, username: str, global_name: str | None = None, **kw: Any) -> FakeUser:
        """Create a user (see :meth:`World.add_user`); not a guild member yet."""
        return self.world.add_user(username, global_name, **kw)

    def add_member(
        self, user: FakeUser, roles: Sequence[FakeRole] = (), guild: FakeGuild | None = None
    ) -> FakeUser:
        """Make ``user`` a member of ``guild`` (default guild) with ``roles``."""
        self.world.add_member(guild or self.guild, user, roles)
        return user

    def add_channel(self, name: str, guild: FakeGuild | None = None, **kw: Any) -> FakeChannel:
        """Add a text channel to ``guild`` (default guild)."""
        return self.world.add_channel(guild or self.guild, name, **kw)

    # -- recordings --------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request received, in order."""
        return self.rest.requests

    def requests_to(
        self, method: str | None = None, route: str | None = None
    ) -> list[RecordedRequest]:
        """Requests with ``method`` and matched ``route`` template (e.g.
        ``"/channels/{channel_id}/messages/{message_id}"``)."""
        return [r for r in self.rest.requests if r.matches(method, route)]

    @property
    def unknown_requests(self) -> list[RecordedRequest]:
        """Requests that matched no route (answered 404)."""
        return [r for r in self.rest.requests if r.route is None]

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of exceptions raised inside the fake's handlers (should be empty)."""
        return self.rest.internal_errors

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        start: int = 0,
    ) -> RecordedRequest:
        """First answered request at index >= ``start`` matching ``predicate``."""

        def find() -> RecordedRequest | None:
            return next((r for r in self.rest.requests[start:] if r.status and predicate(r)), None)

        result: RecordedRequest = await self.waiter.wait_until(
            find, timeout=timeout, what="a matching request"
        )
        return result

    async def wait_until(
        self,
        condition: Callable[[], T],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> T:
        """Wait until ``condition()`` is truthy (re-checked on every fake event and every
        50 ms) and return its value."""
        result: T = await self.waiter.wait_until(condition, timeout=timeout)
        return result

    # -- failure injection -------------------------------------------------------------

    def fail_next(
        self,
        method: str | None,
        path_regex: str,
        *,
        status: int = 500,
        code: int | None = None,
        message: str | None = None,
        times: int | None = 1,
    ) -> FailureRule:
        """Answer the next ``times`` matching requests (``path`` relative to /api/v10,
        decoded, searched with ``re.search``) with a Discord-style error."""
        rule = FailureRule(
            method, path_regex, status, error_body(status, code, message), times=times
        )
        self.rest.failures.append(rule)
        return rule

    def rate_limit_next(
        self,
        method: str | None,
        path_regex: str,
        *,
        retry_after: float = 0.05,
        times: int | None = 1,
        is_global: bool = False,
    ) -> FailureRule:
        """Answer with 429 + ``retry_after`` (discord.py then sleeps and retries)."""
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
            "code": 0,
        }
        headers = {
            "Retry-After": str(retry_after),
            "Via": "1.1 google",
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        rule = FailureRule(method, path_regex, 429, body, headers, times=times)
        self.rest.failures.append(rule)
        return rule

    def forbid_next(
        self,
        method: str | None,
        path_regex: str,
        *,
        times: int | None = 1,
        missing_permissions: bool = False,
    ) -> FailureRule:
        """Answer with 403 Missing Access (50001) or Missing Permissions (50013)."""
        if missing_permissions:
            return self.fail_next(
                method,
                path_regex,
                status=403,
                code=50013,
                message="Missing Permissions",
                times=times,
            )
        return self.fail_next(
            method, path_regex, status=403, code=50001, message="Missing Access", times=times
        )

    # -- gateway passthroughs -------------------------------------------------------------

    async def dispatch(self, event: str, data: Mapping[str, Any]) -> int:
        """Send a raw gateway DISPATCH (e.g. re-send a reaction event to simulate a
        duplicate). Returns the number of sessions that received it."""
        return await self.gateway.dispatch(event, dict(data))

    async def wait_for_clients(
        self,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``count`` gateway sessions are connected and identified."""
        await self.waiter.wait_until(
            lambda: len(self.gateway.connected) >= count,
            timeout=timeout,
            what=f"{count} gateway client(s)",
        )
