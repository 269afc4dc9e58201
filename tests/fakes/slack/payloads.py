"""Builders for the request bodies Slack sends to an app, in Slack's real shapes.

Shapes follow docs.slack.dev (slash commands, Events API ``event_callback``,
``block_actions``/``view_submission`` interactivity) and bolt-python's own tests.
When built with a :class:`~tests.fakes.slack.web_api.FakeSlackWebAPI`, ``response_url``
and ``trigger_id`` values are minted by that fake so the app's replies are captured.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any

from .state import JSON, SlackWorkspace

if TYPE_CHECKING:
    from .web_api import FakeSlackWebAPI

_event_seq = itertools.count(1)


def new_event_id() -> str:
    """A unique ``Ev…`` id."""
    return f"Ev{int(time.time())}{next(_event_seq):06d}"


def text_input_values(values: dict[str, dict[str, str | None]]) -> JSON:
    """``{block_id: {action_id: text}}`` → modal ``state.values`` of plain-text inputs."""
    return {
        block: {
            action: {"type": "plain_text_input", "value": text} for action, text in actions.items()
        }
        for block, actions in values.items()
    }


class SlackPayloads:
    """Payload factory bound to a workspace (ids) and optionally a Web API fake."""

    def __init__(
        self,
        workspace: SlackWorkspace | None = None,
        web_api: FakeSlackWebAPI | None = None,
        *,
        verification_token: str = "fake-verification-token",
    ) -> None:
        if workspace is None:
            workspace = web_api.workspace if web_api is not None else SlackWorkspace()
        self.ws = workspace
        self.web_api = web_api
        self.verification_token = verification_token

    # -- helpers ------------------------------------------------------------------------

    def response_url(self, channel_id: str | None, message_ts: str | None = None) -> str:
        """A response_url served by the fake (or a hooks.slack.com look-alike)."""
        if self.web_api is not None:
            return self.web_api.new_response_url(channel_id, message_ts)
        return f"https://hooks.slack.com/commands/{self.ws.team_id}/1/fake"

    def trigger_id(self) -> str:
        """A trigger id registered with the workspace (3 s validity, single use)."""
        return self.ws.issue_trigger()

    def _user(self, user_id: str) -> JSON:
        user = self.ws.users.get(user_id)
        name = user.name if user else user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.ws.team_id}

    def _team(self) -> JSON:
        return {"id": self.ws.team_id, "domain": self.ws.team_domain}

    def _channel_name(self, channel_id: str) -> str:
        channel = self.ws.channels.get(channel_id)
        return channel.name if channel else "unknown"

    # -- slash commands -----------------------------------------------------------------

    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0REGULAR",
        channel_id: str = "C0GENERAL",
        **overrides: str,
    ) -> dict[str, str]:
        """Form fields of a slash command POST (send form-encoded)."""
        fields = {
            "token": self.verification_token,
            "team_id": self.ws.team_id,
            "team_domain": self.ws.team_domain,
            "channel_id": channel_id,
            "channel_name": self._channel_name(channel_id),
            "user_id": user_id,
            "user_name": self._user(user_id)["name"],
            "command": command,
            "text": text,
            "api_app_id": self.ws.app_id,
            "is_enterprise_install": "false",
            "response_url": self.response_url(channel_id),
            "trigger_id": self.trigger_id(),
        }
        fields.update(overrides)
        return fields

    # -- Events API -------------------------------------------------------------------

    def event_callback(
        self, event: JSON, *, event_id: str | None = None, event_time: int | None = None
    ) -> JSON:
        """Wrap an inner ``event`` in the ``event_callback`` envelope."""
        return {
            "token": self.verification_token,
            "team_id": self.ws.team_id,
            "context_team_id": self.ws.team_id,
            "context_enterprise_id": None,
            "api_app_id": self.ws.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or new_event_id(),
            "event_time": event_time or int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.ws.team_id,
                    "user_id": self.ws.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    def reaction_event(
        self,
        reaction: str,
        *,
        channel_id: str,
        ts: str,
        user_id: str = "U0REGULAR",
        added: bool = True,
        item_user: str | None = None,
        event_id: str | None = None,
    ) -> JSON:
        """``reaction_added``/``reaction_removed`` envelope for a message item.

        ``item_user`` defaults to the author stored in the fake (the bot for its cards).
        """
        stored = self.ws.message(channel_id, ts)
        author = item_user or (stored or {}).get("user") or self.ws.bot_user_id
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user_id,
            "reaction": reaction,
            "item_user": author,
            "item": {"type": "message", "channel": channel_id, "ts": ts},
            "event_ts": f"{time.time():.6f}",
        }
        return self.event_callback(event, event_id=event_id)

    def app_home_opened(self, *, user_id: str = "U0REGULAR", tab: str = "home") -> JSON:
        """``app_home_opened`` envelope (the person opened the app's Home or Messages tab)."""
        event = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": "D" + user_id[1:],
            "tab": tab,
            "event_ts": f"{time.time():.6f}",
        }
        return self.event_callback(event)

    def app_mention(
        self, text: str, *, channel_id: str = "C0GENERAL", user_id: str = "U0REGULAR"
    ) -> JSON:
        """``app_mention`` envelope."""
        ts = f"{time.time():.6f}"
        event = {
            "type": "app_mention",
            "user": user_id,
            "text": text,
            "ts": ts,
            "channel": channel_id,
            "event_ts": ts,
            "team": self.ws.team_id,
        }
        return self.event_callback(event)

    def direct_message(
        self, text: str, *, user_id: str = "U0REGULAR", bot_id: str | None = None
    ) -> JSON:
        """``message`` envelope for a DM to the app (``message.im``: channel type ``im``); with
        ``bot_id`` it is a bot's message (the app's own replies arrive like that)."""
        ts = self.ws.next_ts()
        event: JSON = {
            "type": "message",
            "user": user_id,
            "text": text,
            "ts": ts,
            "channel": "D" + user_id[1:],
            "event_ts": ts,
            "channel_type": "im",
            "team": self.ws.team_id,
        }
        if bot_id is not None:
            event["bot_id"] = bot_id
        return self.event_callback(event)

    def url_verification(self, challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdAL") -> JSON:
        """Slack's endpoint handshake."""
        return {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }

    # -- interactivity --------------------------------------------------------------------

    def block_actions(
        self,
        action_id: str,
        value: str,
        *,
        channel_id: str = "C0GENERAL",
        message_ts: str | None = None,
        user_id: str = "U0REGULAR",
        block_id: str = "actions",
        action_type: str = "button",
        text: str = "Vote",
        message: JSON | None = None,
    ) -> JSON:
        """A button click on a message; embeds the stored message if the fake has it."""
        if message is None and message_ts is not None:
            message = self.ws.message(channel_id, message_ts)
        message_ts = message_ts or (message or {}).get("ts") or self.ws.next_ts()
        message = message or {
            "type": "message",
            "ts": message_ts,
            "text": "",
            "user": self.ws.bot_user_id,
            "bot_id": self.ws.bot_id,
        }
        return {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.ws.app_id,
            "token": self.verification_token,
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": False,
            },
            "trigger_id": self.trigger_id(),
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel_id, "name": self._channel_name(channel_id)},
            "message": message,
            "state": {"values": {}},
            "response_url": self.response_url(channel_id, message_ts),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": {"type": "plain_text", "text": text, "emoji": True},
                    "value": value,
                    "type": action_type,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    def view_submission(
        self,
        *,
        callback_id: str | None = None,
        view_id: str | None = None,
        values: JSON | None = None,
        user_id: str = "U0REGULAR",
        private_metadata: str | None = None,
    ) -> JSON:
        """A modal submit.  Uses the view the app opened (``view_id``) when the fake has it.

        ``values`` is the raw ``state.values``; see :func:`text_input_values`.
        """
        stored = self.ws.views.get(view_id) if view_id else None
        if stored is None:
            stored = self.ws.store_view(
                {
                    "type": "modal",
                    "callback_id": callback_id or "",
                    "title": {"type": "plain_text", "text": "Modal"},
                }
            )
        view = dict(stored)
        if callback_id is not None:
            view["callback_id"] = callback_id
        if private_metadata is not None:
            view["private_metadata"] = private_metadata
        view["state"] = {"values": values or {}}
        return {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.ws.app_id,
            "token": self.verification_token,
            "trigger_id": self.trigger_id(),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }

    @staticmethod
    def merge(base: JSON, **changes: Any) -> JSON:
        """Shallow copy of ``base`` with ``changes`` applied (for odd edge cases)."""
        return {**base, **changes}
