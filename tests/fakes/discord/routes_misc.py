"""REST routes for login (users, gateway, application), commands and guild lookups."""

from __future__ import annotations

from .rest import Ctx, Reply, RestApi, error
from .state import JSON, RegisteredCommand, new_id

APP = "/applications/{application_id}"


def register(api: RestApi) -> None:
    """Register user/gateway/application/command/guild routes on ``api``."""
    world = api.world

    async def me(ctx: Ctx) -> Reply:
        return Reply(
            200,
            dict(
                world.bot_user.to_payload(),
                verified=True,
                mfa_enabled=False,
                email=None,
                locale="en-US",
            ),
        )

    async def get_user(ctx: Ctx) -> Reply:
        user = world.users.get(ctx.int_param("user_id"))
        return Reply(200, user.to_payload()) if user else error(404, 10013, "Unknown User")

    async def gateway(ctx: Ctx) -> Reply:
        return Reply(200, {"url": api.gateway.url})

    async def gateway_bot(ctx: Ctx) -> Reply:
        return Reply(
            200,
            {
                "url": api.gateway.url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14400000,
                    "max_concurrency": 1,
                },
            },
        )

    async def application(ctx: Ctx) -> Reply:
        return Reply(200, world.application_payload())

    def app_ok(ctx: Ctx) -> bool:
        return ctx.params["application_id"] == str(world.application_id)

    def guild_scope(ctx: Ctx) -> int | None:
        return ctx.int_param("guild_id") if "guild_id" in ctx.params else None

    def command_json(cmd: RegisteredCommand) -> JSON:
        data: JSON = {
            "id": str(cmd.id),
            "application_id": str(world.application_id),
            "version": str(new_id()),
            "type": 1,
            "default_member_permissions": None,
            "nsfw": False,
            "description_localizations": None,
            "name_localizations": None,
            "options": [],
            "contexts": None,
            "integration_types": [0],
        }
        data.update(cmd.data)
        data["id"] = str(cmd.id)
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return data

    def upsert(guild_id: int | None, body: JSON) -> RegisteredCommand:
        existing = world.find_command(str(body.get("name")), guild_id, int(body.get("type", 1)))
        if existing is not None and existing.guild_id == guild_id:
            existing.data = dict(body)
            return existing
        cmd = RegisteredCommand(new_id(), guild_id, dict(body))
        world.commands[cmd.id] = cmd
        return cmd

    def scoped(guild_id: int | None) -> list[RegisteredCommand]:
        return [c for c in world.commands.values() if c.guild_id == guild_id]

    async def bulk_overwrite(ctx: Ctx) -> Reply:
        if not app_ok(ctx):
            return error(403, 50001, "Missing Access")
        guild_id = guild_scope(ctx)
        if guild_id is not None and guild_id not in world.guilds:
            return error(403, 50001, "Missing Access")
        body = ctx.json if isinstance(ctx.json, list) else []
        names = {(str(b.get("name")), int(b.get("type", 1))) for b in body}
        for cmd in scoped(guild_id):
            if (cmd.data.get("name"), int(cmd.data.get("type", 1))) not in names:
                del world.commands[cmd.id]
        return Reply(200, [command_json(upsert(guild_id, b)) for b in body])

    async def list_commands(ctx: Ctx) -> Reply:
        if not app_ok(ctx):
            return error(403, 50001, "Missing Access")
        return Reply(200, [command_json(c) for c in scoped(guild_scope(ctx))])

    async def create_command(ctx: Ctx) -> Reply:
        if not app_ok(ctx):
            return error(403, 50001, "Missing Access")
        return Reply(201, command_json(upsert(guild_scope(ctx), ctx.body)))

    async def command_item(ctx: Ctx) -> Reply:
        cmd = world.commands.get(ctx.int_param("command_id"))
        if not app_ok(ctx) or cmd is None or cmd.guild_id != guild_scope(ctx):
            return error(404, 10063, "Unknown application command")
        if ctx.record.method == "DELETE":
            del world.commands[cmd.id]
            return Reply(204)
        if ctx.record.method == "PATCH":
            cmd.data.update(ctx.body)
        return Reply(200, command_json(cmd))

    async def get_guild(ctx: Ctx) -> Reply:
        guild = world.guilds.get(ctx.int_param("guild_id"))
        if guild is None or world.bot_user.id not in guild.members:
            return error(404, 10004, "Unknown Guild")
        data: JSON = {
            "id": str(guild.id),
            "name": guild.name,
            "owner_id": str(guild.owner_id),
            "icon": None,
            "features": [],
            "preferred_locale": guild.locale,
            "roles": [r.to_payload() for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
        }
        return Reply(200, data)

    async def guild_channels(ctx: Ctx) -> Reply:
        guild = world.guilds.get(ctx.int_param("guild_id"))
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        return Reply(200, [c.to_payload() for c in guild.channels.values()])

    async def guild_member(ctx: Ctx) -> Reply:
        guild = world.guilds.get(ctx.int_param("guild_id"))
        member = guild.members.get(ctx.int_param("user_id")) if guild else None
        return Reply(200, member.to_payload()) if member else error(404, 10007, "Unknown Member")

    api.add("GET", "/users/@me", me)
    api.add("GET", "/users/{user_id}", get_user)
    api.add("GET", "/gateway", gateway, auth=False)
    api.add("GET", "/gateway/bot", gateway_bot)
    api.add("GET", "/oauth2/applications/@me", application)
    api.add("GET", "/applications/@me", application)
    for base in (APP + "/commands", APP + "/guilds/{guild_id}/commands"):
        api.add("PUT", base, bulk_overwrite)
        api.add("GET", base, list_commands)
        api.add("POST", base, create_command)
        for method in ("GET", "PATCH", "DELETE"):
            api.add(method, base + "/{command_id}", command_item)
    api.add("GET", "/guilds/{guild_id}", get_guild)
    api.add("GET", "/guilds/{guild_id}/channels", guild_channels)
    api.add("GET", "/guilds/{guild_id}/members/{user_id}", guild_member)
