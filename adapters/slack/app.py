"""Compose the Slack app: a slack-bolt ``AsyncApp`` with every shipbot listener registered.

Used by ``run_slack`` and by the tests, which pass a client pointed at a fake Web API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import App
from adapters.slack import actions, asking, browse, commands, events, help, modals, panel
from adapters.slack.admins import AdminCheck
from adapters.slack.posting import OOPS
from adapters.slack.runtime import Respond, SlackRuntime
from adapters.slack.welcome import install_callbacks, welcome_installer

log = logging.getLogger(__name__)

#: Bot scopes the app needs (kept in step with manifest.yml).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "reactions:read",
    "reactions:write",
    "users:read",
    "files:write",
    "im:write",
    "app_mentions:read",
    "im:history",
)
OAUTH_STATE_SECONDS = 600


def rate_limited(client: AsyncWebClient) -> AsyncWebClient:
    """Make sure ``client`` retries HTTP 429 (honouring Retry-After) and dropped connections.

    Bolt copies these handlers onto the per-request clients it makes.
    """
    kinds = {type(handler) for handler in client.retry_handlers}
    if AsyncRateLimitErrorRetryHandler not in kinds:
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    if AsyncConnectionErrorRetryHandler not in kinds:
        client.retry_handlers.append(AsyncConnectionErrorRetryHandler(max_retry_count=2))
    return client


def oauth_stores(
    app: App,
) -> tuple[AsyncSQLAlchemyInstallationStore, AsyncSQLAlchemyOAuthStateStore]:
    """slack_sdk's SQLAlchemy stores on shipbot's own database (async engine, same URL).

    Their tables come from Alembic migration 0006 (``shipbot db upgrade``).
    """
    client_id = app.settings.require("slack_client_id", "your Slack app's client id")
    installations = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=app.engine)
    states = AsyncSQLAlchemyOAuthStateStore(
        expiration_seconds=OAUTH_STATE_SECONDS, engine=app.engine
    )
    return installations, states


@dataclass(frozen=True)
class SlackApp:
    """The Bolt app and the runtime behind it (the runner drains its refreshes on shutdown)."""

    bolt: AsyncApp
    runtime: SlackRuntime


def build_slack(
    app: App,
    *,
    client: AsyncWebClient | None = None,
    oauth: bool = False,
    installation_store: AsyncInstallationStore | None = None,
    state_store: AsyncSQLAlchemyOAuthStateStore | None = None,
    admins: AdminCheck | None = None,
    refresh_seconds: float | None = None,
) -> SlackApp:
    """The Slack app for ``app``. ``client`` defaults to one with the bot token (or none with
    ``oauth``, where each workspace's installation supplies it) at ``settings.slack_api_base``.

    The Bolt app runs with ``process_before_response=True``: Slack's request is answered when the
    listener returns. Votes (reactions, vote and withdraw buttons) write first, so Slack's 200
    means the vote is committed and a crash can't lose an acknowledged vote (a failed write
    answers 500 and Slack retries; event ids keep retries from counting twice). Everything slower
    (slash commands, charts, exports) acks at once and works after the ack
    (:meth:`SlackRuntime.later`), well within Slack's 3 seconds.
    """
    settings = app.settings
    if client is None:
        token = None if oauth else settings.require("slack_bot_token", "your Slack bot token")
        kwargs: dict[str, Any] = {"token": token}
        if settings.slack_api_base:
            kwargs["base_url"] = settings.slack_api_base
        client = AsyncWebClient(**kwargs)
    rate_limited(client)
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    bolt_kwargs: dict[str, Any] = {}
    if oauth:
        if installation_store is None or state_store is None:
            installation_store, state_store = oauth_stores(app)
        bolt_kwargs["oauth_settings"] = AsyncOAuthSettings(
            client_id=settings.require("slack_client_id", "your Slack app's client id"),
            client_secret=settings.require("slack_client_secret", "your Slack app's secret"),
            scopes=list(BOT_SCOPES),
            installation_store=installation_store,
            state_store=state_store,
            callback_options=install_callbacks(lambda: rt, client.base_url),
        )
    bolt = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        name="shipbot",
        **bolt_kwargs,
    )
    store = installation_store

    async def client_for(team_id: str) -> AsyncWebClient:
        if store is None:
            return client
        bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            raise LookupError(f"shipbot is not installed in workspace {team_id}")
        return AsyncWebClient(
            token=bot.bot_token,
            base_url=client.base_url,
            retry_handlers=list(client.retry_handlers),
        )

    rt = SlackRuntime(
        app=app,
        admins=admins
        or AdminCheck(settings.slack_admin_users, catalog_admins=settings.catalog_admins),
        client_for=client_for,
        refresh_seconds=refresh_seconds or settings.refresh_seconds,
    )
    if oauth:
        # tokens_revoked / app_uninstalled: the workspace's installation and bot token leave the
        # installation store, so no stale token is ever used again.
        bolt.enable_token_revocation_listeners()
    commands.register(bolt, rt)
    events.register(bolt, rt)
    actions.register(bolt, rt)
    modals.register(bolt, rt)
    panel.register(bolt, rt)
    help.register(bolt, rt, first_visit=welcome_installer)
    browse.register(bolt, rt)
    asking.register(bolt, rt)

    @bolt.error
    async def on_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> None:
        """Anything a listener did not handle: log it with context; tell the person briefly."""
        log.error(
            "unhandled slack error",
            exc_info=error,
            extra={"type": body.get("type"), "command": body.get("command")},
        )
        if respond is not None and (body.get("response_url") or body.get("response_urls")):
            try:
                await respond(text=OOPS, response_type="ephemeral", replace_original=False)
            except Exception:
                log.warning("could not send the error reply", exc_info=True)

    return SlackApp(bolt, rt)


def build_slack_app(app: App, **options: Any) -> AsyncApp:
    """Just the Bolt app of :func:`build_slack` (same options)."""
    return build_slack(app, **options).bolt
