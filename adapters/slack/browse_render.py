"""Render catalog pages, a tool's profile and its alternatives as Block Kit: pure functions, every
user text escaped (``escape.fit`` / ``plain_text``) and cut to its limit."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    SectionBlock,
)

from adapters.slack.escape import fit, link
from adapters.slack.limits import BUTTON_TEXT, FIELD_TEXT, MESSAGE_TEXT, SECTION_TEXT
from adapters.slack.render import SlackMessage, choice_value, md_text, plain_text, spec_text
from adapters.text import shorten
from bot.alternatives import Alternative
from bot.browse import Alternatives, CatalogPage, ToolInfo

TOOLS_PREV, TOOLS_NEXT = "tools_prev", "tools_next"
COMPARE_WITH = "compare_with_{}"  # action ids compare_with_0 … (one per alternative)
COMPARE_BUTTONS = 3


def page_value(page: CatalogPage, number: int) -> str:
    """A Prev / Next button's value: the filter and the page it shows."""
    return json.dumps({"category": page.category, "query": page.query, "page": number})


def render_catalog(page: CatalogPage) -> SlackMessage:
    """One page of ``/shipbot tools``: a section per tool, the page number, Prev / Next."""
    where = ", ".join(page.categories) if page.categories else "every category"
    matching = f" matching “{page.query}”" if page.query else ""
    title = f"Tools in {where}{matching}"
    blocks: list[Block] = [HeaderBlock(text=plain_text(title, 150))]
    for line in page.lines:
        blocks.append(
            SectionBlock(
                text=md_text(
                    f"*{fit(line.name, 200)}* — {fit(line.tagline, 300)}\n"
                    f"_{fit(line.category, 100)} · {fit(line.entry, 40)} · "
                    f"panel {fit(line.panel.label, 40)}_"
                )
            )
        )
    blocks.append(
        ContextBlock(
            elements=[
                md_text(
                    f"Page {page.page + 1} of {page.pages} · {page.total} tools · "
                    "`/shipbot tool info NAME` for one tool's facts"
                )
            ]
        )
    )
    buttons = []
    if page.has_prev:
        buttons.append(
            ButtonElement(
                text="◀ Prev", action_id=TOOLS_PREV, value=page_value(page, page.page - 1)
            )
        )
    if page.has_next:
        buttons.append(
            ButtonElement(
                text="Next ▶", action_id=TOOLS_NEXT, value=page_value(page, page.page + 1)
            )
        )
    if buttons:
        blocks.append(ActionsBlock(block_id="tools_pages", elements=buttons))
    names = ", ".join(line.name for line in page.lines)
    text = f"{title} (page {page.page + 1} of {page.pages}): {names}"
    return SlackMessage(tuple(blocks), fit(text, MESSAGE_TEXT))


def render_info(info: ToolInfo) -> SlackMessage:
    """``/shipbot tool info``: profile, panel %, spec sheet with sources, Compare with …"""
    side = info.side
    lines = [
        f"_{fit(side.category, 100)}_ · *Entry:* {fit(side.entry, 60)} · "
        f"*Panel ship:* {fit(side.panel.label, 40)}",
        fit(side.tagline, 400),
    ]
    if side.description:
        lines.append(fit(side.description, 1500))
    if info.aliases:
        lines.append(f"*Also called:* {fit(', '.join(info.aliases), 400)}")
    if side.pricing_note:
        lines.append(f"*Pricing:* {fit(side.pricing_note, 300)}")
    if side.url:
        lines.append(link(side.url, side.url))
    blocks: list[Block] = [
        HeaderBlock(text=plain_text(side.name, 150)),
        SectionBlock(block_id="profile", text=md_text(shorten("\n".join(lines), SECTION_TEXT))),
        SectionBlock(block_id="specs", text=md_text(spec_text(side)[:FIELD_TEXT])),
    ]
    if info.alternatives:
        blocks.append(
            SectionBlock(
                block_id="alternatives",
                text=md_text("*Closest alternatives*\n" + alternative_lines(info.alternatives)),
            )
        )
        blocks.append(compare_buttons(side.name, info.alternatives))
    return SlackMessage(tuple(blocks), fit(f"{side.name}: {side.tagline}", MESSAGE_TEXT))


def render_alternatives(found: Alternatives) -> SlackMessage:
    """``/shipbot alternatives``: the ranked tools of the category with Compare with … buttons."""
    title = f"Alternatives to {found.name}"
    blocks: list[Block] = [HeaderBlock(text=plain_text(title, 150))]
    if not found.alternatives:
        blocks.append(
            SectionBlock(text=md_text(f"No other tool in {fit(found.category, 100)} yet."))
        )
        return SlackMessage(tuple(blocks), fit(title, MESSAGE_TEXT))
    blocks += [
        SectionBlock(block_id="alternatives", text=md_text(alternative_lines(found.alternatives))),
        ContextBlock(
            elements=[md_text(f"{fit(found.category, 100)} · most compared first, then by facts")]
        ),
        compare_buttons(found.name, found.alternatives),
    ]
    names = ", ".join(a.name for a in found.alternatives)
    return SlackMessage(tuple(blocks), fit(f"{title}: {names}", MESSAGE_TEXT))


def alternative_lines(alternatives: tuple[Alternative, ...]) -> str:
    lines = [
        f"• *{fit(a.name, 200)}*" + (f" — {fit(a.reason, 200)}" if a.reason else "")
        for a in alternatives
    ]
    return shorten("\n".join(lines), SECTION_TEXT - 40)


def compare_buttons(name: str, alternatives: tuple[Alternative, ...]) -> ActionsBlock:
    """One "Compare with …" button per alternative (at most three): a click posts the card."""
    return ActionsBlock(
        block_id="compare_with",
        elements=[
            ButtonElement(
                text=plain_text(f"Compare with {alt.name}", BUTTON_TEXT),
                action_id=COMPARE_WITH.format(index),
                value=choice_value(name, alt.name, None),
            )
            for index, alt in enumerate(alternatives[:COMPARE_BUTTONS])
        ],
    )
