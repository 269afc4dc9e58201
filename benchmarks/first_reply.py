"""First reply to the platform: how long Discord and Slack wait for shipbot's first answer.

Discord: from the INTERACTION_CREATE a member's ``/compare`` (or autocomplete) sends to the
callback the bot POSTs (the card itself, or a deferral when the work is slow). Slack: from a signed
``/compare`` POST to its HTTP response (the ack), and from a signed ``reaction_added`` event to its
response (sent only once the vote is committed). Both run the real client / Bolt app against the
local fakes on 127.0.0.1 with a real scratch database; everything shares one event loop, so the
figures include the fakes' own work. Target: p99 < 300 ms.

    .venv/bin/python -m benchmarks.first_reply --backend sqlite,postgresql --requests 200
"""

from __future__ import annotations

import argparse
import time

from benchmarks._common import (
    add_backend_arguments,
    backends,
    emit,
    note,
    run,
    scratch_database,
    summary,
)
from bot.settings import Settings
from tests.e2e.discord_support import discord_harness
from tests.e2e.slack_support import running_slack

SEED_PAIR = "SmolLM3 vs Mistral Medium 3"
PAIRS = [
    SEED_PAIR,
    "GPT-4o vs Claude 3.5 Sonnet",
    "Whisper vs ElevenLabs",
    "Cursor vs GitHub Copilot",
]


async def discord_figures(url: str, requests: int) -> dict[str, object]:
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    compare: list[float] = []
    autocomplete: list[float] = []
    async with discord_harness(settings) as discord:
        fake = discord.fake
        for i in range(requests):
            started = time.perf_counter()
            handle = await fake.send_slash_command(
                None, None, fake.member, "compare", {"matchup": PAIRS[i % len(PAIRS)]}
            )
            await handle.wait_response()
            compare.append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            typed = await fake.send_autocomplete(
                None, None, fake.member, "compare", {"matchup": "SmolLM3 vs Mis"}, focused="matchup"
            )
            await typed.wait_response()
            autocomplete.append(1000 * (time.perf_counter() - started))
    return {"compare_ms": summary(compare), "autocomplete_ms": summary(autocomplete)}


async def slack_figures(url: str, requests: int) -> dict[str, object]:
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    command: list[float] = []
    vote: list[float] = []
    async with running_slack(settings) as slack:
        _, card = await slack.compare(SEED_PAIR)
        assert card.message_id is not None
        posted = len(slack.fake.calls_to("chat.postMessage"))
        for i in range(requests):
            response = await slack.sender.slash_command(
                "/compare", PAIRS[i % len(PAIRS)], channel_id="C0GENERAL"
            )
            assert response.status == 200
            command.append(1000 * response.elapsed)
        # Let the cards those commands post finish, so votes are timed on their own.
        await slack.fake.wait_for_calls("chat.postMessage", posted + requests, timeout=120)
        for i in range(requests):
            response = await slack.sender.reaction(
                "a" if i % 2 else "b",
                channel_id=card.channel,
                ts=card.message_id,
                user_id=f"U{i:05d}",
            )
            assert response.status == 200
            vote.append(1000 * response.elapsed)
    return {"compare_ack_ms": summary(command), "vote_ack_ms": summary(vote)}


async def main(args: argparse.Namespace) -> None:
    for backend in backends(args.backend):
        async with scratch_database(backend, args.postgres_url) as url:
            note(f"discord on {backend}")
            discord = await discord_figures(url, args.requests)
        async with scratch_database(backend, args.postgres_url) as url:
            note(f"slack on {backend}")
            slack = await slack_figures(url, args.requests)
        emit({"benchmark": "first_reply", "backend": backend, "discord": discord, "slack": slack})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_backend_arguments(parser)
    parser.add_argument("--requests", type=int, default=200)
    run(main(parser.parse_args()))
