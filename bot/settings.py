"""Typed settings from the environment (prefix ``SHIPBOT_``) or a ``.env`` file.

Nothing reads the environment at import time: call ``get_settings()`` in the composition root.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.facts import Workload
from bot.models import VoteMode

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///shipbot.db"

CommaList = Annotated[list[str], NoDecode]


class MissingSetting(Exception):
    """A platform was started without the variable it needs; the message names it."""

    def __init__(self, variable: str, purpose: str) -> None:
        super().__init__(f"Set {variable} to {purpose}.")
        self.variable = variable


class InvalidSettings(Exception):
    """Settings that can't be used; the message names each bad variable and what it must be."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid settings:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL; a SQLite file by default, postgresql+asyncpg://… to scale.",
    )
    log_level: str = "INFO"
    log_json: bool = False
    seed_on_create: bool = Field(True, description="Load the bundled catalog into a new database.")

    min_votes: int = Field(
        5, ge=1, description="Below this many votes a split reads 'too few votes'."
    )
    refresh_seconds: float = Field(
        2.0, gt=0, description="At most one card edit per card this often."
    )
    vote_mode: VoteMode = Field(
        VoteMode.BOTH,
        description="buttons (anonymous), reactions (voters visible) or both.",
    )
    reconcile_days: int = Field(
        7, ge=0, description="Reactions on cards this recent are reconciled on start."
    )
    min_account_age_days: float = Field(
        0, ge=0, description="Leave out votes of accounts younger than this (0: count everyone)."
    )
    leaderboard_min_votes: int = Field(10, ge=1, description="Below this a rating is provisional.")
    compare_cooldown_uses: int = Field(
        6, ge=0, description="Compares one person may ask per window (0: no cooldown)."
    )
    compare_cooldown_seconds: float = Field(
        60, gt=0, description="The window of the compare cooldown, in seconds."
    )
    pricing_workload: str = Field(
        "10M+2M",
        description="Tokens a month the pricing read prices: input+output (10M+2M) or a total (50M).",
    )
    digest_weekday: int = Field(0, ge=0, le=6, description="Default digest day (0 = Monday).")
    digest_hour: int = Field(9, ge=0, le=23, description="Default digest hour, local time.")
    digest_timezone: str = Field("UTC", description="Default time zone for new subscriptions.")
    export_salt: SecretStr | None = Field(
        None, description="Salt for hashed user ids in exports (default: a random per-install one)."
    )

    public_url: str = Field(
        "",
        description="Base URL of the web pages (e.g. https://shipbot.example.com); cards link there.",
    )
    web_host: str = Field("127.0.0.1", description="Address the web pages listen on.")
    web_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="Serve the web pages on this port inside the bot processes (run discord/slack).",
    )
    health_port: int = Field(
        8080,
        ge=0,
        le=65535,
        description="Port of GET /healthz and GET /metrics in every run mode (0: no health server).",
    )
    health_host: str = Field("0.0.0.0", description="Address the health server listens on.")
    shutdown_seconds: float = Field(
        8.0,
        gt=0,
        description="On SIGTERM / Ctrl-C, drain for at most this long, then exit (Docker waits 10).",
    )
    web_live_poll_seconds: float = Field(
        1.0, gt=0, description="How often an open page's vote numbers are checked for news."
    )
    catalog_admins: CommaList = Field(
        default_factory=list,
        description="Who may change the shared catalog: discord:USER_ID, slack:USER_ID or "
        "slack:TEAM_ID:USER_ID, comma-separated (the CLI on the host always may).",
    )

    discord_token: SecretStr | None = None
    discord_guild_id: int | None = Field(
        None, description="Sync commands to this guild only (instant)."
    )
    discord_admin_roles: CommaList = Field(default_factory=list)
    discord_shard_ids: CommaList = Field(
        default_factory=list, description="Shards this process runs, e.g. 0,1 (with SHARD_COUNT)."
    )
    discord_shard_count: int | None = Field(
        None, ge=1, description="Total shards across processes."
    )
    discord_api_base: str | None = Field(None, description="Override Discord's REST base (tests).")
    discord_gateway_url: str | None = Field(None, description="Override the gateway URL (tests).")

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_state_secret: SecretStr | None = None
    slack_admin_users: CommaList = Field(default_factory=list)
    slack_api_base: str | None = Field(
        None, description="Override Slack's Web API base URL (tests)."
    )

    panel_base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint for drafted panels, e.g. https://api.mistral.ai/v1.",
    )
    panel_api_key: SecretStr | None = Field(None, description="The endpoint's API key, if any.")
    panel_model: str | None = Field(None, description="The chat model that drafts panels.")
    panel_provider: str = Field("", description="Provider name kept on drafts (default: URL host).")
    panel_timeout_seconds: float = Field(60.0, gt=0, description="Per request, per try.")
    panel_max_retries: int = Field(
        2, ge=0, le=10, description="SDK retries on connection errors, 429 and 5xx."
    )
    panel_invalid_retries: int = Field(
        2, ge=0, le=5, description="Further tries after an answer that breaks the schema."
    )
    panel_max_output_tokens: int = Field(2000, ge=200, description="Output tokens per request.")
    panel_token_cap: int = Field(200_000, ge=1, description="Tokens one drafting run may spend.")
    panel_cost_cap: float = Field(5.0, ge=0, description="Dollars one drafting run may spend.")
    panel_price_input: float = Field(0.0, ge=0, description="$ per million prompt tokens.")
    panel_price_output: float = Field(0.0, ge=0, description="$ per million completion tokens.")
    panel_auto_publish: bool = Field(
        False, description="Publish AI drafts without approval (off: they wait in the queue)."
    )

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_numbers(cls, value: list[str]) -> list[str]:
        if any(not part.isdigit() for part in value):
            raise ValueError("discord_shard_ids must be comma-separated shard numbers, e.g. 0,1")
        return value

    @field_validator("catalog_admins")
    @classmethod
    def _platform_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            platform, _, rest = item.partition(":")
            if (
                platform not in ("discord", "slack")
                or not rest
                or any(not part.isalnum() for part in rest.split(":"))
            ):
                raise ValueError(
                    f"'{item}' is not a platform-qualified id; use discord:USER_ID, "
                    "slack:USER_ID or slack:TEAM_ID:USER_ID"
                )
        return value

    def is_catalog_admin(self, platform: str, user_id: str, community_id: str = "") -> bool:
        """Whether this person is one of ``SHIPBOT_CATALOG_ADMINS``."""
        admins = set(self.catalog_admins)
        if f"{platform}:{user_id}" in admins:
            return True
        return bool(community_id) and f"{platform}:{community_id}:{user_id}" in admins

    @field_validator(
        "discord_admin_roles",
        "slack_admin_users",
        "discord_shard_ids",
        "catalog_admins",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("public_url must start with http:// or https://")
        return value

    @field_validator("pricing_workload")
    @classmethod
    def _workload(cls, value: str) -> str:
        Workload.parse(value)  # ValueError names what is wrong
        return value

    @property
    def workload(self) -> Workload:
        return Workload.parse(self.pricing_workload)

    @field_validator("digest_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not a time zone; use an IANA name such as UTC or Europe/Paris"
            ) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    def require(self, field: str, purpose: str) -> str:
        """The value of a secret the caller cannot run without; ``MissingSetting`` if unset."""
        value = getattr(self, field)
        if value is None or (isinstance(value, SecretStr) and not value.get_secret_value()):
            raise MissingSetting(f"SHIPBOT_{field.upper()}", purpose)
        return value.get_secret_value() if isinstance(value, SecretStr) else str(value)


def get_settings(**overrides: object) -> Settings:
    """The settings from the environment; ``InvalidSettings`` names every bad variable."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise InvalidSettings(setting_problems(error)) from None


_EXPECTED = {
    "int_parsing": "a whole number",
    "float_parsing": "a number",
    "bool_parsing": "true or false",
    "greater_than_equal": "at least {ge}",
    "greater_than": "more than {gt}",
    "less_than_equal": "at most {le}",
    "enum": "one of {expected}",
    "literal_error": "one of {expected}",
}


def setting_problems(error: Exception) -> list[str]:
    """One line per bad setting: ``SHIPBOT_MIN_VOTES='abc': must be a whole number``."""
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        return [str(error)]
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        variable = f"SHIPBOT_{field.upper()}" if field else "settings"
        field_info = Settings.model_fields.get(field)
        context = {k: v for k, v in (item.get("ctx") or {}).items()}
        template = _EXPECTED.get(item["type"])
        if template is not None:
            need = "must be " + template.format(**context)
            constraints = _bounds(field_info)
            if constraints and item["type"] in ("int_parsing", "float_parsing"):
                need += f" ({constraints})"
        else:
            need = str(item["msg"]).removeprefix("Value error, ")
        given = item.get("input")
        shown = f"={given!r}" if isinstance(given, str | int | float) else ""
        about = f" — {field_info.description}" if field_info and field_info.description else ""
        lines.append(f"{variable}{shown}: {need}{about}")
    return lines


def _bounds(field_info: object) -> str:
    parts = []
    for meta in getattr(field_info, "metadata", ()):
        for name, word in (("ge", "at least"), ("gt", "more than"), ("le", "at most")):
            value = getattr(meta, name, None)
            if value is not None:
                parts.append(f"{word} {value}")
    return ", ".join(parts)
