"""Web API method handlers of the fake, each ``(args) -> (http status, JSON body)``.

Responses mimic Slack: HTTP 200 with ``{"ok": false, "error": ...}`` for API errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .state import JSON, SlackWorkspace

#: A handler gets the parsed call and returns the JSON body (always HTTP 200).
MethodHandler = Callable[["CallContext"], JSON]


class CallContext:
    """What a handler may look at: arguments, caller token and the fake's base URL."""

    def __init__(self, args: dict[str, Any], token: str | None, root_url: str) -> None:
        self.args = args
        self.token = token
        self.root_url = root_url

    def get(self, key: str, default: Any = None) -> Any:
        """Shortcut for ``args.get``."""
        return self.args.get(key, default)


def error(code: str, **extra: Any) -> JSON:
    """Build Slack's error envelope."""
    return {"ok": False, "error": code, **extra}


class SlackMethods:
    """Stateful handlers for the Web API methods shipbot uses."""

    def __init__(self, ws: SlackWorkspace) -> None:
        self.ws = ws

    def table(self) -> dict[str, MethodHandler]:
        """Map of Slack method name to handler."""
        return {
            "api.test": lambda c: {"ok": True, "args": {k: str(v) for k, v in c.args.items()}},
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "reactions.get": self.reactions_get,
            "users.info": self.users_info,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "views.open": self.views_open,
            "views.push": self.views_open,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url,
            "files.completeUploadExternal": self.files_complete_upload,
        }

    # -- auth / users / conversations -------------------------------------------------

    def auth_test(self, c: CallContext) -> JSON:
        """``auth.test`` for the bot token."""
        ws = self.ws
        return {
            "ok": True,
            "url": f"https://{ws.team_domain}.slack.com/",
            "team": "Shipbot Test",
            "user": ws.bot_name,
            "team_id": ws.team_id,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    def users_info(self, c: CallContext) -> JSON:
        """``users.info``: ``user_not_found`` for unknown ids."""
        user = self.ws.users.get(str(c.get("user", "")))
        if user is None:
            return error("user_not_found")
        return {"ok": True, "user": user.to_api(self.ws.team_id)}

    def conversations_info(self, c: CallContext) -> JSON:
        """``conversations.info``: ``channel_not_found`` for unknown ids."""
        channel = self.ws.channel_for(str(c.get("channel", "")))
        if channel is None:
            return error("channel_not_found")
        return {"ok": True, "channel": channel.to_api()}

    def conversations_join(self, c: CallContext) -> JSON:
        """``conversations.join`` makes the bot a member."""
        channel = self.ws.channel_for(str(c.get("channel", "")))
        if channel is None:
            return error("channel_not_found")
        channel.bot_is_member = True
        return {"ok": True, "channel": channel.to_api()}

    # -- chat ---------------------------------------------------------------------------

    def _writable_channel(self, channel_id: str) -> tuple[Any, JSON | None]:
        channel = self.ws.channel_for(channel_id)
        if channel is None:
            return None, error("channel_not_found")
        if channel.is_archived:
            return None, error("is_archived")
        if not channel.bot_is_member:
            return None, error("not_in_channel")
        return channel, None

    def chat_post_message(self, c: CallContext) -> JSON:
        """``chat.postMessage`` → ``{ok, channel, ts, message}``."""
        channel, err = self._writable_channel(str(c.get("channel", "")))
        if err:
            return err
        text, blocks = c.get("text"), c.get("blocks")
        if not text and not blocks and not c.get("attachments"):
            return error("no_text")
        extra = {k: c.get(k) for k in ("attachments", "metadata") if c.get(k) is not None}
        message = self.ws.post_message(
            channel.id, text=text or "", blocks=blocks, thread_ts=c.get("thread_ts"), extra=extra
        )
        response_message = dict(message)
        response_message["bot_profile"] = {
            "id": self.ws.bot_id,
            "app_id": self.ws.app_id,
            "name": self.ws.bot_name,
            "team_id": self.ws.team_id,
        }
        return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": response_message}

    def chat_update(self, c: CallContext) -> JSON:
        """``chat.update``: replaces text/blocks of a bot message."""
        channel_id, ts = str(c.get("channel", "")), str(c.get("ts", ""))
        if self.ws.channel_for(channel_id) is None:
            return error("channel_not_found")
        message = self.ws.message(channel_id, ts)
        if message is None:
            return error("message_not_found")
        if message.get("user") != self.ws.bot_user_id:
            return error("cant_update_message")
        if c.get("text") is not None:
            message["text"] = c.get("text")
        if c.get("blocks") is not None:
            message["blocks"] = c.get("blocks")
        message["edited"] = {"user": self.ws.bot_user_id, "ts": self.ws.next_ts()}
        return {
            "ok": True,
            "channel": channel_id,
            "ts": ts,
            "text": message["text"],
            "message": dict(message),
        }

    def chat_delete(self, c: CallContext) -> JSON:
        """``chat.delete``."""
        channel_id, ts = str(c.get("channel", "")), str(c.get("ts", ""))
        channel = self.ws.channel_for(channel_id)
        if channel is None:
            return error("channel_not_found")
        if channel.messages.pop(ts, None) is None:
            return error("message_not_found")
        return {"ok": True, "channel": channel_id, "ts": ts}

    def chat_post_ephemeral(self, c: CallContext) -> JSON:
        """``chat.postEphemeral`` → ``{ok, message_ts}``; stored in ``ws.ephemerals``."""
        channel, err = self._writable_channel(str(c.get("channel", "")))
        if err:
            return err
        user = str(c.get("user", ""))
        if user not in self.ws.users:
            return error("user_not_in_channel")
        if not c.get("text") and not c.get("blocks") and not c.get("attachments"):
            return error("no_text")
        ts = self.ws.next_ts()
        self.ws.ephemerals.append(
            {
                "channel": channel.id,
                "user": user,
                "ts": ts,
                "text": c.get("text", ""),
                "blocks": c.get("blocks"),
            }
        )
        return {"ok": True, "message_ts": ts}

    def chat_get_permalink(self, c: CallContext) -> JSON:
        """``chat.getPermalink``."""
        channel_id, ts = str(c.get("channel", "")), str(c.get("message_ts", ""))
        if self.ws.message(channel_id, ts) is None:
            return error("message_not_found")
        link = (
            f"https://{self.ws.team_domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
        )
        return {"ok": True, "channel": channel_id, "permalink": link}

    # -- reactions ----------------------------------------------------------------------

    def reactions_add(self, c: CallContext) -> JSON:
        """``reactions.add`` as the bot user (``already_reacted``, ``message_not_found``)."""
        channel_id = str(c.get("channel", ""))
        if self.ws.channel_for(channel_id) is None:
            return error("channel_not_found")
        if not c.get("name"):
            return error("invalid_name")
        err = self.ws.add_reaction(
            channel_id, str(c.get("timestamp", "")), str(c.get("name")), self.ws.bot_user_id
        )
        return error(err) if err else {"ok": True}

    def reactions_remove(self, c: CallContext) -> JSON:
        """``reactions.remove`` as the bot user (``no_reaction``)."""
        channel_id = str(c.get("channel", ""))
        if self.ws.channel_for(channel_id) is None:
            return error("channel_not_found")
        err = self.ws.remove_reaction(
            channel_id, str(c.get("timestamp", "")), str(c.get("name", "")), self.ws.bot_user_id
        )
        return error(err) if err else {"ok": True}

    def reactions_get(self, c: CallContext) -> JSON:
        """``reactions.get`` → ``{ok, type: message, channel, message: {..., reactions}}``."""
        channel_id, ts = str(c.get("channel", "")), str(c.get("timestamp", ""))
        if self.ws.channel_for(channel_id) is None:
            return error("channel_not_found")
        message = self.ws.message(channel_id, ts)
        if message is None:
            return error("message_not_found")
        return {
            "ok": True,
            "type": "message",
            "channel": channel_id,
            "message": json.loads(json.dumps(message)),
        }

    # -- views --------------------------------------------------------------------------

    def views_open(self, c: CallContext) -> JSON:
        """``views.open``/``views.push``: checks the trigger (3 s, single use)."""
        view = c.get("view")
        if not isinstance(view, dict):
            return error("invalid_arguments")
        err = self.ws.exchange_trigger(c.get("trigger_id"))
        if err:
            return error(err)
        return {"ok": True, "view": self.ws.store_view(view)}

    def views_update(self, c: CallContext) -> JSON:
        """``views.update`` by ``view_id`` or ``external_id`` (``not_found``, ``hash_conflict``)."""
        view = c.get("view")
        if not isinstance(view, dict):
            return error("invalid_arguments")
        view_id = c.get("view_id")
        if not view_id and c.get("external_id"):
            view_id = next(
                (
                    v["id"]
                    for v in self.ws.views.values()
                    if v.get("external_id") == c.get("external_id")
                ),
                None,
            )
        old = self.ws.views.get(str(view_id)) if view_id else None
        if old is None:
            return error("not_found")
        if c.get("hash") and c.get("hash") != old["hash"]:
            return error("hash_conflict")
        stored = self.ws.store_view(view, view_id=old["id"], root_view_id=old["root_view_id"])
        return {"ok": True, "view": stored}

    def views_publish(self, c: CallContext) -> JSON:
        """``views.publish`` (App Home)."""
        view = c.get("view")
        if not isinstance(view, dict) or str(c.get("user_id", "")) not in self.ws.users:
            return error("invalid_arguments")
        return {"ok": True, "view": self.ws.store_view(view)}

    # -- files (v2 upload flow) -----------------------------------------------------------

    def files_get_upload_url(self, c: CallContext) -> JSON:
        """Step 1 of ``files_upload_v2``: hand out an upload URL on this fake."""
        if not c.get("filename") or not str(c.get("length", "")).isdigit():
            return error("invalid_arguments")
        file_id = self.ws.new_id("F")
        self.ws.files[file_id] = {
            "id": file_id,
            "name": c.get("filename"),
            "length": int(c.get("length")),
            "alt_txt": c.get("alt_txt"),
            "content": None,
            "shares": [],
            "title": None,
        }
        return {"ok": True, "upload_url": f"{c.root_url}upload/v1/{file_id}", "file_id": file_id}

    def files_complete_upload(self, c: CallContext) -> JSON:
        """Step 3: share the uploaded files (``file_not_found`` if not uploaded yet)."""
        files = c.get("files")
        if not isinstance(files, list) or not files:
            return error("invalid_arguments")
        channel_id = c.get("channel_id")
        if channel_id:
            _, err = self._writable_channel(str(channel_id))
            if err:
                return err
        done: list[JSON] = []
        for item in files:
            stored = self.ws.files.get(str(item.get("id")))
            if stored is None or stored["content"] is None:
                return error("file_not_found")
            stored["title"] = item.get("title") or stored["name"]
            if channel_id:
                stored["shares"].append(
                    {
                        "channel": channel_id,
                        "thread_ts": c.get("thread_ts"),
                        "initial_comment": c.get("initial_comment"),
                    }
                )
            done.append(
                {
                    "id": stored["id"],
                    "name": stored["name"],
                    "title": stored["title"],
                    "size": len(stored["content"]),
                    "user": self.ws.bot_user_id,
                    "mimetype": _guess_mimetype(str(stored["name"])),
                }
            )
        return {"ok": True, "files": done}


def _guess_mimetype(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".png"):
        return "image/png"
    if lower.endswith((".jpg", ".jpeg")):
        return "image/jpeg"
    return "application/octet-stream"
