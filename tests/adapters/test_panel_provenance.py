"""Provenance labels on every surface: the terminal, --json, the plain-text fallback, Discord
embeds and full reviews, Slack blocks and full reviews; escaped like user text, within limits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from rich.console import Console

from adapters.console.render import card_json, render_card
from adapters.discord import render as discord_render
from adapters.discord.markdown import fit
from adapters.slack import render as slack_render
from adapters.slack.escape import unescape
from adapters.slack.limits import limit_problems as slack_problems
from adapters.text import card_text
from bot.cards import VerdictCard, build_card, community_line
from bot.models import Lens, Provenance, Review, ReviewKind, Tool, Verdict
from bot.votes import Split
from tests.support.seed_page import catalog_tool

QUOTE = " ".join(f"Sentence {n} says the primitive here is clean." for n in range(40))
NASTY_MODEL = "@everyone <!channel> **bold** `x` _y_ " + "m" * 300
AI = Provenance(
    ReviewKind.AI_DRAFT,
    model="mistral-medium-latest",
    approved_by="Ada",
    approved_at=datetime(2026, 12, 3, tzinfo=UTC),
)
MEMBER = Provenance(ReviewKind.MEMBER_TAKE, author="Mo", approved_by="Ada")


def _card(a_provenance: Provenance, older: bool = True) -> VerdictCard:
    smol = catalog_tool("SmolLM3", 1)
    medium = catalog_tool("Mistral Medium 3", 2)
    dev = Review(Lens.DEVELOPER, Verdict.SKIP, QUOTE[:1500].strip(), provenance=a_provenance)
    reviews = tuple(dev if r.lens is Lens.DEVELOPER else r for r in smol.reviews)
    history = (smol.reviews[0],) if older else ()
    tool: Tool = replace(smol, reviews=reviews, history=history)
    line = community_line(tool.name, medium.name, Split(0, 0), Split(0, 0), 5)
    return build_card(tool, medium, community=line, card_id=3)


def test_labels_read_as_the_issue_says() -> None:
    assert AI.label == "AI-drafted with mistral-medium-latest, approved by Ada"
    assert MEMBER.label == "member take by Mo, approved by Ada"
    assert Provenance().label == "editorial"


def test_terminal_and_json_show_provenance() -> None:
    card = _card(AI)
    console = Console(width=4000, record=True, color_system=None)
    console.print(render_card(card))
    printed = console.export_text()
    assert AI.label in printed
    assert printed.count("approved by") == 1  # editorial quotes read as before
    data = json.loads(card_json(card))
    row = data["reviewer_split"][0]
    assert row["a"]["provenance"] == AI.label and row["a"]["kind"] == "ai_draft"
    assert row["b"]["provenance"] == "editorial" and row["b"]["kind"] == "editorial"
    assert row["a_older"][0]["kind"] == "editorial"  # the replaced editorial review: history


def test_plain_text_fallback_names_the_member() -> None:
    text = card_text(_card(MEMBER))
    assert "(member take by Mo, approved by Ada)" in text


def test_discord_card_and_full_reviews_carry_the_label_within_limits() -> None:
    card = _card(AI)
    embeds = discord_render.render_card(card)
    assert discord_render.limit_problems(embeds) == []
    developer = embeds[1].fields[0].value or ""
    assert f" · *{fit(AI.label, 120)}* —" in developer
    full = discord_render.full_reviews(card)
    assert all(len(part) <= 2000 for part in full)
    joined = "\n".join(full)
    assert AI.label in joined and "(earlier)" in joined
    assert (
        joined.count("Sentence 0 says") == 1 and "The primitive here is clean: a compact" in joined
    )


def test_hostile_model_name_is_escaped_and_cut_on_discord() -> None:
    card = _card(replace(AI, model=NASTY_MODEL))
    embeds = discord_render.render_card(card)
    assert discord_render.limit_problems(embeds) == []
    value = embeds[1].fields[0].value or ""
    assert "@everyone" not in value and "\\*\\*bold\\*\\*" in value
    for part in discord_render.full_reviews(card):
        assert "@everyone" not in part and len(part) <= 2000


def test_slack_card_and_full_reviews_carry_the_label_within_limits() -> None:
    card = _card(MEMBER)
    message = slack_render.render_card(card)
    blocks = message.block_dicts()
    assert slack_problems(blocks, message.text) == []
    lens = next(b for b in blocks if b.get("block_id") == "lens_0")
    assert "member take by Mo, approved by Ada" in unescape(lens["fields"][0]["text"])
    full = slack_render.render_full_reviews(card)
    assert slack_problems(full.block_dicts(), full.text) == []
    shown = unescape(json.dumps(full.block_dicts(), ensure_ascii=False))
    assert "member take by Mo, approved by Ada" in shown and "(earlier)" in shown


def test_hostile_model_name_is_escaped_and_cut_on_slack() -> None:
    card = _card(replace(AI, model=NASTY_MODEL))
    message = slack_render.render_card(card)
    blocks = message.block_dicts()
    assert slack_problems(blocks, message.text) == []
    raw = json.dumps(blocks)
    assert "<!channel>" not in raw and "&lt;!channel&gt;" in raw
    assert "<!channel>" not in message.text
