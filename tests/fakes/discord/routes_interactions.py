"""REST routes for interaction callbacks, followups and ``@original`` (webhook) messages."""

from __future__ import annotations

from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MODAL_SUBMIT, InteractionRecord
from .payloads import apply_edit
from .rest import Ctx, Reply, RestApi, error
from .state import EPHEMERAL, JSON, LOADING, StoredMessage

WEBHOOK = "/webhooks/{application_id}/{interaction_token}"
MESSAGE_TYPES = {4, 5}
COMPONENT_ONLY = {6, 7}


def register(api: RestApi) -> None:
    """Register interaction/webhook routes on ``api``."""
    world = api.world

    def unknown_webhook() -> Reply:
        return error(404, 10015, "Unknown Webhook")

    def find(ctx: Ctx) -> InteractionRecord | None:
        rec = world.interactions.get(ctx.params["interaction_token"])
        if rec is None or ctx.params.get("application_id", str(world.application_id)) != str(
            world.application_id
        ):
            return None
        return rec

    def interaction_extra(rec: InteractionRecord) -> JSON:
        meta: JSON = {
            "id": str(rec.id),
            "type": rec.type,
            "user": rec.user.to_payload(),
            "authorizing_integration_owners": {"0": str(rec.guild_id)},
        }
        extra: JSON = {
            "webhook_id": str(world.application_id),
            "application_id": str(world.application_id),
            "interaction_metadata": meta,
        }
        if rec.type == APPLICATION_COMMAND:
            name = rec.payload["data"].get("name", "")
            meta["name"] = name
            meta["command_type"] = rec.payload["data"].get("type", 1)
            extra["interaction"] = {
                "id": str(rec.id),
                "type": rec.type,
                "name": name,
                "user": rec.user.to_payload(),
            }
        return extra

    def create(ctx: Ctx, rec: InteractionRecord, body: JSON, *, loading: bool) -> StoredMessage:
        flags = int(body.get("flags") or 0) & (EPHEMERAL | (1 << 12) | (1 << 2) | (1 << 15))
        body = {"flags": flags | LOADING} if loading else dict(body, flags=flags)
        msg_type = 20 if rec.type == APPLICATION_COMMAND else 0
        msg = world.create_message(
            rec.channel_id, world.bot_user, body, msg_type=msg_type, extra=interaction_extra(rec)
        )
        msg.interaction_token = rec.token
        if not loading:
            msg.data["attachments"] = api.make_attachments(ctx, [])
        return msg

    async def edit(ctx: Ctx, msg: StoredMessage, body: JSON) -> None:
        keep = msg.data["flags"] & EPHEMERAL
        apply_edit(msg.data, body)
        msg.data["flags"] = (int(msg.data.get("flags") or 0) & ~LOADING) | keep
        if "attachments" in body or ctx.record.files:
            msg.data["attachments"] = api.make_attachments(ctx, msg.data["attachments"])
        await api.emit_message("MESSAGE_UPDATE", msg)

    async def callback(ctx: Ctx) -> Reply:
        rec = world.interactions.get(ctx.params["interaction_token"])
        if rec is None or str(rec.id) != ctx.params["interaction_id"]:
            return error(404, 10062, "Unknown interaction")
        if rec.acknowledged:
            return error(400, 40060, "Interaction has already been acknowledged.")
        rtype = int(ctx.body.get("type", 0))
        data: JSON = ctx.body.get("data") or {}
        allowed = {8} if rec.type == AUTOCOMPLETE else MESSAGE_TYPES | {9}
        if rec.source_message_id is not None:
            allowed |= COMPONENT_ONLY
        if rec.type == MODAL_SUBMIT:
            allowed.discard(9)
        if rtype not in allowed:
            return error(
                400,
                50035,
                f"Invalid Form Body: callback type {rtype} not allowed "
                f"for interaction type {rec.type}",
            )
        rec.response_type, rec.response_data = rtype, data
        summary: JSON = {"id": str(rec.id), "type": rec.type}
        resource: JSON = {"type": rtype}
        if rtype in MESSAGE_TYPES:
            msg = create(ctx, rec, data, loading=rtype == 5)
            rec.original_message_id = msg.id
            summary.update(
                response_message_id=str(msg.id),
                response_message_loading=rtype == 5,
                response_message_ephemeral=msg.ephemeral,
            )
            if rtype == 4:
                resource["message"] = api.msg_json(msg)
            await api.emit_message("MESSAGE_CREATE", msg)
        elif rtype in COMPONENT_ONLY:
            rec.original_message_id = rec.source_message_id
            source = world.get_message(rec.source_message_id or 0)
            if rtype == 7 and source is not None:
                await edit(ctx, source, data)
                resource["message"] = api.msg_json(source)
                summary["response_message_id"] = str(source.id)
        api.waiter.notify()
        if ctx.record.query.get("with_response", "").lower() in ("1", "true"):
            return Reply(200, {"interaction": summary, "resource": resource})
        return Reply(204)

    async def followup(ctx: Ctx) -> Reply:
        rec = find(ctx)
        if rec is None or not rec.acknowledged:
            return unknown_webhook()
        original = world.get_message(rec.original_message_id or 0)
        if rec.response_type == 5 and original is not None and original.data["flags"] & LOADING:
            # Discord: the first followup after a deferred reply edits the loading message.
            await edit(ctx, original, {k: v for k, v in ctx.body.items() if k != "flags"})
            msg = original
        else:
            msg = create(ctx, rec, ctx.body, loading=False)
            await api.emit_message("MESSAGE_CREATE", msg)
        rec.followup_message_ids.append(msg.id)
        api.waiter.notify()
        if ctx.record.query.get("wait", "").lower() in ("1", "true"):
            return Reply(200, api.msg_json(msg))
        return Reply(204)

    def target(ctx: Ctx) -> tuple[InteractionRecord, StoredMessage] | Reply:
        rec = find(ctx)
        if rec is None:
            return unknown_webhook()
        raw = ctx.params.get("message_id", "@original")
        mid = rec.original_message_id if raw == "@original" else int(raw)
        mine = {rec.original_message_id, *rec.followup_message_ids}
        msg = world.get_message(mid or 0) if mid in mine else None
        if msg is None:
            return error(404, 10008, "Unknown Message")
        return rec, msg

    async def get_webhook_message(ctx: Ctx) -> Reply:
        found = target(ctx)
        return found if isinstance(found, Reply) else Reply(200, api.msg_json(found[1]))

    async def edit_webhook_message(ctx: Ctx) -> Reply:
        found = target(ctx)
        if isinstance(found, Reply):
            return found
        await edit(ctx, found[1], ctx.body)
        api.waiter.notify()
        return Reply(200, api.msg_json(found[1]))

    async def delete_webhook_message(ctx: Ctx) -> Reply:
        found = target(ctx)
        if isinstance(found, Reply):
            return found
        found[1].deleted = True
        await api.emit_message("MESSAGE_DELETE", found[1])
        return Reply(204)

    api.add(
        "POST", "/interactions/{interaction_id}/{interaction_token}/callback", callback, auth=False
    )
    api.add("POST", WEBHOOK, followup, auth=False)
    for suffix in ("/messages/@original", "/messages/{message_id}"):
        api.add("GET", WEBHOOK + suffix, get_webhook_message, auth=False)
        api.add("PATCH", WEBHOOK + suffix, edit_webhook_message, auth=False)
        api.add("DELETE", WEBHOOK + suffix, delete_webhook_message, auth=False)
