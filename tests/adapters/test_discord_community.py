"""Pure pieces of the Discord community features: embeds within limits, shard settings, files."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from adapters.discord.client import shard_options
from adapters.discord.community_commands import export_file, zone_choices
from adapters.discord.community_render import digest_embed, leaderboard_embed, subscribed_text
from adapters.discord.render import limit_problems
from bot.community import Leaderboard, LeaderboardRow
from bot.errors import InvalidInput
from bot.models import Community, Subscription
from bot.settings import MissingSetting, Settings


def row(rank: int, name: str, provisional: bool = False) -> LeaderboardRow:
    return LeaderboardRow(
        rank, name, "Developer Tools", 1500 - rank, 1400, 1600, 12, provisional, "75% · 3/4"
    )


def test_leaderboard_embed_escapes_names_and_fits_every_limit() -> None:
    rows = tuple(row(i, f"*evil* @everyone {'x' * 300} {i}", i % 2 == 0) for i in range(1, 26))
    board = Leaderboard(rows, "Developer Tools", votes=300, min_votes=10)
    embed = leaderboard_embed(board)
    assert limit_problems([embed]) == []
    assert "@everyone" not in (embed.description or "")
    assert "\\*evil\\*" in (embed.description or "")
    assert embed.image.url == "attachment://leaderboard.png"


def test_leaderboard_line_shows_rating_interval_n_provisional_and_panel() -> None:
    board = Leaderboard((row(1, "GPT-4o", provisional=True),), None, votes=12, min_votes=10)
    line = (leaderboard_embed(board).description or "").splitlines()[0]
    assert line == "**1. GPT-4o** 1499 (1400–1600) · n = 12 · *provisional* · panel 75% · 3/4"


def test_digest_embed_escapes_markdown_and_mentions() -> None:
    lines = ["Weekly AI Tool Verdicts — week to 02 Jun 2025", "Most compared:", "• @here vs **x**"]
    embed = digest_embed(lines)
    assert embed.title == lines[0]
    assert "@here" not in (embed.description or "") and "\\*\\*x\\*\\*" in (embed.description or "")
    assert (embed.description or "").startswith("**Most compared:**")


def test_subscription_confirmation_names_the_schedule_and_next_run() -> None:
    when = datetime(2025, 6, 2, 7, tzinfo=UTC)
    sub = Subscription(1, Community("discord", "1"), "2", 0, 9, "Europe/Paris", when)
    text = subscribed_text(sub)
    assert "every Monday at 09:00 (Europe/Paris)" in text
    assert "Monday 02 June 2025 09:00" in text and f"<t:{int(when.timestamp())}:R>" in text


@pytest.mark.parametrize(
    ("ids", "count", "expected"),
    [([], None, None), (["0", "1"], 4, ([0, 1], 4)), ([], 2, (None, 2))],
)
def test_shard_options(ids: list[str], count: int | None, expected: object) -> None:
    settings = Settings(discord_shard_ids=ids, discord_shard_count=count, _env_file=None)
    assert shard_options(settings) == expected


@pytest.mark.parametrize(
    ("ids", "count", "variable"),
    [(["0"], None, "SHIPBOT_DISCORD_SHARD_COUNT"), (["2"], 2, "SHIPBOT_DISCORD_SHARD_IDS")],
)
def test_bad_shard_settings_name_the_variable(
    ids: list[str], count: int | None, variable: str
) -> None:
    settings = Settings(discord_shard_ids=ids, discord_shard_count=count, _env_file=None)
    with pytest.raises(MissingSetting) as raised:
        shard_options(settings)
    assert raised.value.variable == variable


def test_an_export_over_the_upload_limit_is_gzipped_or_refused() -> None:
    data = b"pair,choice\n" + b"SmolLM3 vs Mistral Medium 3,SmolLM3\n" * 1000
    assert export_file(data, len(data)).filename == "votes.csv"
    packed = export_file(data, len(data) // 10)
    assert packed.filename == "votes.csv.gz"
    assert gzip.decompress(packed.fp.read()) == data
    with pytest.raises(InvalidInput):
        export_file(data, 10)


def test_zone_choices_prefer_names_starting_with_the_typed_text() -> None:
    choices = zone_choices("paris")
    assert [c.value for c in choices] == ["Europe/Paris"]
    assert zone_choices("Europe/")[0].value.startswith("Europe/")
    assert len(zone_choices("")) == 25
