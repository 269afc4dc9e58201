"""Every card links its pair's page ("Full verdict") when SHIPBOT_PUBLIC_URL is set."""

from __future__ import annotations

import json

from rich.console import Console

from adapters.bootstrap import build_app
from adapters.card_json import card_json
from adapters.console.render import render_card as console_card
from adapters.discord.render import render_card as discord_card
from adapters.slack.render import render_card as slack_card
from bot.models import Community
from bot.settings import Settings

BASE = "https://shipbot.example.com"
PAGE = f"{BASE}/compare/smollm-3-vs-mistral-medium-3"


async def test_every_renderer_carries_the_full_verdict_link(settings: Settings) -> None:
    app = await build_app(settings.model_copy(update={"public_url": BASE}), migrate=False)
    try:
        # asked in the other order: the link still names the one canonical page
        card = await app.service.compare("Mistral Medium 3 vs SmolLM3", Community("discord", "42"))
        console = await app.service.compare("SmolLM3 vs Mistral Medium 3", Community.console())
    finally:
        await app.close()
    assert card.page_url == f"{PAGE}?c=discord%3A42"
    assert console.page_url == PAGE  # the terminal is no community a page could show
    embeds = discord_card(card)
    assert embeds[0].url == card.page_url
    assert f"[Full verdict]({card.page_url})" in embeds[0].fields[-1].value
    slack = slack_card(card)
    verdict = next(b for b in slack.block_dicts() if b.get("block_id") == "verdict")
    assert f"<{card.page_url}|Full verdict>" in verdict["text"]["text"]
    assert slack.text.endswith(f"Full verdict: {card.page_url}")
    terminal = Console(width=200, record=True)
    terminal.print(console_card(console))
    assert f"Full verdict: {PAGE}" in terminal.export_text()
    assert json.loads(card_json(card))["page_url"] == card.page_url


async def test_without_a_public_url_no_card_links_anywhere(settings: Settings) -> None:
    app = await build_app(settings, migrate=False)
    try:
        card = await app.service.compare("SmolLM3 vs Mistral Medium 3", Community("slack", "T1"))
    finally:
        await app.close()
    assert card.page_url == ""
    assert discord_card(card)[0].url is None
    assert "Full verdict" not in json.dumps(slack_card(card).block_dicts())
