"""Render a ``VerdictCard`` as Block Kit: pure functions of the card, no I/O.

Every user-written string goes through :func:`adapters.slack.escape.mrkdwn` (or
:func:`~adapters.slack.escape.plain` for ``plain_text``), and every string is cut to its Block Kit
limit here, by construction; :func:`adapters.slack.limits.limit_problems` checks a rendered
message against the limits so tests can prove it for any card.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from adapters.slack.escape import ZWSP, escape, fit, link, mrkdwn, plain
from adapters.slack.limits import (
    ACTIONS_ELEMENTS,
    BUTTON_TEXT,
    BUTTON_VALUE,
    FIELD_TEXT,
    HEADER_TEXT,
    MAX_BLOCKS,
    MESSAGE_BLOCK_TEXT,
    MESSAGE_TEXT,
    SECTION_TEXT,
    block_text_length,
)
from adapters.text import card_text, shorten, verdict_mark
from bot.cards import LensRow, Quote, ToolSide, VerdictCard
from bot.models import VoteMode

QUOTE_ON_CARD = 280  # characters of each quote on the card; "Full reviews" shows the rest
PROVENANCE_ON_CARD = 160  # characters of a drafted review's provenance

VOTE_A, VOTE_B, FULL_REVIEWS, RETRACT = "vote_a", "vote_b", "full_reviews", "vote_retract"
CHART, MY_VOTE = "vote_chart", "my_vote"
DRAFT_PANEL = "panel_draft"  # admins, on a card of a tool with no panel (a chat model is set)
CLOSE_VOTE = "vote_close"  # the asker or an admin (the core decides); gone once closed
EMOJI_A, EMOJI_B = "a", "b"  # Slack's :a: and :b:


@dataclass(frozen=True)
class SlackMessage:
    """Blocks plus the plain-text ``text`` fallback (notifications, screen readers)."""

    blocks: tuple[Block, ...]
    text: str

    def block_dicts(self) -> list[dict[str, Any]]:
        return [block.to_dict() for block in self.blocks]


# -- the card -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Caps:
    """How much of each long text a card shows; tighter caps when the whole is too long."""

    quote: int = QUOTE_ON_CARD
    description: int = FIELD_TEXT
    section: int = SECTION_TEXT - 20


# Tried in turn until the whole message fits Slack's total (MESSAGE_BLOCK_TEXT).
_CAPS = (_Caps(), _Caps(140, 700, 1200), _Caps(60, 240, 400))


def render_card(
    card: VerdictCard, mode: VoteMode = VoteMode.BOTH, *, draft_panel: bool = False
) -> SlackMessage:
    """The verdict card: profiles side by side, panel, pricing, reviewer split, community,
    verdict, buttons (when the card has an id; the Ship buttons unless people vote by reaction
    only) and the voting hint for the vote ``mode``. Long texts are shortened until the whole
    message is within the total Slack accepts. ``draft_panel``: a chat model is configured, so
    a card of a tool with no panel offers admins **Draft panel**."""
    for caps in _CAPS:
        message = _card(card, mode, caps, draft_panel)
        if block_text_length(message.blocks) <= MESSAGE_BLOCK_TEXT:
            break
    return message


def _card(card: VerdictCard, mode: VoteMode, caps: _Caps, draft_panel: bool) -> SlackMessage:
    lens_note = f" — {card.lens.label} lens only" if card.lens else ""
    blocks: list[Block] = [
        HeaderBlock(text=plain_text(card.title, HEADER_TEXT)),
        ContextBlock(elements=[md_text(f"*{escape(card.heading)}* · {escape(card.intro)}")]),
        SectionBlock(
            block_id="profiles", fields=[md_text(_profile(card.a)), md_text(_profile(card.b))]
        ),
        SectionBlock(
            block_id="descriptions",
            fields=[
                md_text(_description(card.a, caps.description)),
                md_text(_description(card.b, caps.description)),
            ],
        ),
        *_specs(card),
        SectionBlock(
            block_id="pricing",
            text=md_text(f"*Pricing read*\n{fit(card.pricing_read, caps.section)}"),
        ),
        DividerBlock(),
        SectionBlock(block_id="split", text=md_text(f"*Reviewer split*{escape(lens_note)}")),
    ]
    for index, row in enumerate(card.reviewer_split):
        blocks.append(_lens_section(index, row, card.a.name, card.b.name, caps.quote))
    blocks += [
        DividerBlock(),
        SectionBlock(
            block_id="community",
            text=md_text(f"*Community vote*\n{fit(card.community.text, caps.section)}"),
        ),
        SectionBlock(block_id="verdict", text=md_text(_verdict_text(card, caps.section))),
    ]
    if card.card_id is not None:
        offer = draft_panel and not (card.a.panel.reviews and card.b.panel.reviews)
        blocks.append(_vote_buttons(card, mode.buttons, offer))
    blocks.append(ContextBlock(block_id="footer", elements=_footer(card, mode)))
    return SlackMessage(tuple(blocks), _fallback(card))


def _profile(side: ToolSide) -> str:
    lines = [
        f"*{fit(side.name, 200)}*",
        f"_{fit(side.category, 100)}_",
        fit(side.tagline, 400),
        f"*Panel ship:* {escape(side.panel.label)}",
        f"*Community:* {escape(side.community)}",
        f"*Entry:* {fit(side.entry, 60)}",
    ]
    if side.pricing_note:
        lines.append(f"*Pricing:* {fit(side.pricing_note, 300)}")
    if side.url:
        lines.append(link(side.url, _host(side.url)))
    return "\n".join(lines)[:FIELD_TEXT]


def _host(url: str) -> str:
    """What a link reads as on the card: its host (``github.com``)."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.") or url


def _specs(card: VerdictCard) -> list[Block]:
    """Both spec sheets side by side (a field each, within Block Kit's field limit)."""
    if card.a.specs is None and card.b.specs is None:
        return []
    return [
        SectionBlock(
            block_id="specs", fields=[md_text(_spec_text(card.a)), md_text(_spec_text(card.b))]
        )
    ]


def spec_text(side: ToolSide) -> str:
    """A side's spec sheet as mrkdwn (``/shipbot tool info``), sources last."""
    return _spec_text(side)


def _spec_text(side: ToolSide) -> str:
    head = f"*Specs · {fit(side.name, 200)}*"
    if side.specs is None:
        return f"{head}\nno sourced facts yet"
    lines = [head]
    for row in side.specs.rows:
        mark = " :warning: sources disagree" if row.disputed else ""
        lines.append(f"*{escape(row.label)}:* {fit(row.value, 200)}{mark}")
    if side.specs.sources:
        lines.append(f"_Sources: {fit(side.specs.sources, 300)}_")
    kept: list[str] = []
    for line in lines:  # whole lines only, so no markup is cut in half
        if len("\n".join([*kept, line])) > FIELD_TEXT:
            break
        kept.append(line)
    return "\n".join(kept)


def _description(side: ToolSide, limit: int = FIELD_TEXT) -> str:
    head = f"*{fit(side.name, 200)}*\n"
    return head + fit(side.description, limit - len(head))


def _lens_section(
    index: int, row: LensRow, a_name: str, b_name: str, quote_limit: int = QUOTE_ON_CARD
) -> SectionBlock:
    return SectionBlock(
        block_id=f"lens_{index}",
        text=md_text(f"*{escape(row.label)}*"),
        fields=[
            md_text(_short_quote(a_name, row.a, quote_limit)),
            md_text(_short_quote(b_name, row.b, quote_limit)),
        ],
    )


def _short_quote(name: str, quote: Quote | None, limit: int = QUOTE_ON_CARD) -> str:
    head = f"*{fit(name, 200)}* — "
    if quote is None:
        return head + "_no review yet_"
    return (
        f"{head}{verdict_mark(quote.verdict)}{provenance_note(quote)}\n“{fit(quote.text, limit)}”"
    )


def provenance_note(quote: Quote) -> str:
    """`` · _AI-drafted with MODEL, approved by ADMIN_`` for drafted reviews (escaped, cut to
    fit); nothing for editorial ones."""
    if not quote.drafted:
        return ""
    return f" · _{fit(quote.provenance, PROVENANCE_ON_CARD)}_"


def _vote_buttons(card: VerdictCard, ship: bool = True, draft: bool = False) -> ActionsBlock:
    """Ship A / Ship B (neither styled primary: the card takes no side; Slack allows one primary
    per set), Full reviews, Chart, My vote and Close vote; a closed card has no Ship or Close."""
    value = str(card.card_id)
    open_ = not card.voting_closed
    votes = [
        ButtonElement(
            text=plain_text(f"Ship {card.a.name}", BUTTON_TEXT), action_id=VOTE_A, value=value
        ),
        ButtonElement(
            text=plain_text(f"Ship {card.b.name}", BUTTON_TEXT), action_id=VOTE_B, value=value
        ),
    ]
    return ActionsBlock(
        block_id="votes",
        elements=[
            *(votes if ship and open_ else []),
            ButtonElement(text="Full reviews", action_id=FULL_REVIEWS, value=value),
            ButtonElement(text="Chart", action_id=CHART, value=value),
            ButtonElement(text="My vote", action_id=MY_VOTE, value=value),
            *(
                [ButtonElement(text="Close vote", action_id=CLOSE_VOTE, value=value)]
                if open_
                else []
            ),
            *(
                [ButtonElement(text="Draft panel", action_id=DRAFT_PANEL, value=value)]
                if draft
                else []
            ),
        ],
    )


def _verdict_text(card: VerdictCard, limit: int = SECTION_TEXT - 20) -> str:
    """The verdict line, and the link to the pair's page when the card has one."""
    link = f"\n<{card.page_url}|Full verdict>" if card.page_url else ""
    return f"*Verdict*\n{fit(card.verdict, limit - len(link))}{link}"


def _footer(card: VerdictCard, mode: VoteMode = VoteMode.BOTH) -> list[MarkdownTextObject]:
    react = (
        f"react :{EMOJI_A}: for {fit(card.a.name, 200)} or :{EMOJI_B}: for {fit(card.b.name, 200)}"
    )
    vote = {
        VoteMode.BOTH: f"Vote: {react}, or use the buttons. One vote per person per pair. "
        "Everyone can see who reacted; button votes are private.",
        VoteMode.REACTIONS: f"Vote: {react}. One vote per person per pair. "
        "Everyone can see who reacted.",
        VoteMode.BUTTONS: "Vote with the Ship buttons. One vote per person per pair. "
        "Nobody else sees who voted.",
    }[mode]
    elements = [md_text(vote), md_text(escape(card.footer))]
    if card.card_id is not None:
        elements.append(md_text(f"card #{card.card_id}"))
    return elements


def _fallback(card: VerdictCard) -> str:
    """Every section of the card as text, for notifications and clients without blocks."""
    room = MESSAGE_TEXT - len(card.page_url) - 20
    for quote_limit in (QUOTE_ON_CARD, 140, 60):  # shorter quotes before the tail is cut off
        text = mrkdwn(card_text(card, quote_limit))
        if len(text) <= room:
            break
    text = shorten(text, room)
    return f"{text}\nFull verdict: {card.page_url}" if card.page_url else text


# -- full reviews (ephemeral) ----------------------------------------------------------------


def render_full_reviews(card: VerdictCard) -> SlackMessage:
    """Every quote of the card in full, split into sections of at most 3000 characters."""
    blocks: list[Block] = [
        HeaderBlock(text=plain_text(f"Full reviews: {card.title}", HEADER_TEXT)),
    ]
    lines = [f"Full reviews: {card.title}"]
    used, cut = len(card.title) + 20, False
    for row in card.reviewer_split:
        blocks.append(DividerBlock())
        blocks.append(SectionBlock(text=md_text(f"*{escape(row.label)}*")))
        quotes = [(card.a.name, row.a), (card.b.name, row.b)]
        quotes += [(f"{card.a.name} (earlier)", q) for q in row.a_older]
        quotes += [(f"{card.b.name} (earlier)", q) for q in row.b_older]
        for name, quote in quotes:
            if quote is None:
                head = f"*{fit(name, 200)}* — _no review yet_"
                blocks.append(SectionBlock(text=md_text(head)))
                lines.append(f"{row.label} — {name}: no review yet")
                continue
            by = f" · {fit(quote.reviewer, 100)}" if quote.reviewer and not quote.drafted else ""
            head = (
                f"*{fit(name, 200)}* — {verdict_mark(quote.verdict)}{by}{provenance_note(quote)}\n"
            )
            pieces = split_mrkdwn(f"“{quote.text}”", SECTION_TEXT - len(head))
            for number, piece in enumerate(pieces):
                text = (head if number == 0 else "") + piece
                if used + len(text) > MESSAGE_BLOCK_TEXT - 200:
                    cut = True
                    break
                used += len(text)
                blocks.append(SectionBlock(text=md_text(text)))
            said = f" ({quote.provenance})" if quote.drafted else ""
            lines.append(
                f"{row.label} — {name} {verdict_mark(quote.verdict)}{said}: “{quote.text}”"
            )
    blocks = blocks[: MAX_BLOCKS - 1]
    if cut:  # Slack refuses a longer message: the rest is on the pair's web page
        where = f" <{card.page_url}|The web page> has every word." if card.page_url else ""
        blocks.append(ContextBlock(elements=[md_text(f"_Too long for one Slack message._{where}")]))
    return SlackMessage(tuple(blocks), shorten(mrkdwn("\n".join(lines)), MESSAGE_TEXT))


def split_mrkdwn(text: str, limit: int) -> list[str]:
    """``text`` escaped and cut on word boundaries into pieces of at most ``limit`` characters
    (a single word longer than that is cut between characters)."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        escaped = mrkdwn(word)
        while len(escaped) > limit:  # one absurd "word": cut between escaped characters
            if current:
                pieces.append(current)
                current = ""
            cut = _safe_cut(escaped, limit)
            pieces.append(escaped[:cut])
            escaped = escaped[cut:]
        candidate = f"{current} {escaped}" if current else escaped
        if len(candidate) > limit:
            pieces.append(current)
            candidate = escaped
        current = candidate
    if current:
        pieces.append(current)
    return pieces or [""]


def _safe_cut(escaped: str, limit: int) -> int:
    """The largest cut ≤ ``limit`` that splits neither an entity nor a fenced marker."""
    cut = limit
    amp = escaped.rfind("&", max(0, cut - 5), cut)
    if amp != -1 and ";" not in escaped[amp:cut]:
        cut = amp
    while cut > 0 and escaped[cut - 1] == ZWSP and cut < len(escaped) and escaped[cut] != ZWSP:
        cut -= 1
    return cut or limit


# -- small messages ----------------------------------------------------------------------------


def render_choices(message: str, choices: Sequence[tuple[str, str]]) -> SlackMessage:
    """A one-line message with a button per choice: ``(label, value)``; action ids ``pick_N``."""
    blocks: list[Block] = [SectionBlock(text=md_text(fit(message, SECTION_TEXT, code=True)))]
    if choices:
        blocks.append(
            ActionsBlock(
                block_id="did_you_mean",
                elements=[
                    ButtonElement(
                        text=plain_text(label, BUTTON_TEXT),
                        action_id=f"pick_{index}",
                        value=value[:BUTTON_VALUE],
                    )
                    for index, (label, value) in enumerate(choices[:ACTIONS_ELEMENTS])
                ],
            )
        )
    return SlackMessage(tuple(blocks), fit(message, MESSAGE_TEXT, code=True))


def render_confirm(
    message: str, confirm: tuple[str, str, str], cancel: tuple[str, str, str]
) -> SlackMessage:
    """A message with a danger button and a cancel button: ``(label, action_id, value)``.
    ``message`` is mrkdwn already (user text in it escaped by the caller)."""
    label, action_id, value = confirm
    cancel_label, cancel_id, cancel_value = cancel
    blocks: list[Block] = [
        SectionBlock(text=md_text(shorten(message, SECTION_TEXT))),
        ActionsBlock(
            block_id="confirm",
            elements=[
                ButtonElement(
                    text=plain_text(label, BUTTON_TEXT),
                    action_id=action_id,
                    value=value[:BUTTON_VALUE],
                    style="danger",
                ),
                ButtonElement(
                    text=plain_text(cancel_label, BUTTON_TEXT),
                    action_id=cancel_id,
                    value=cancel_value[:BUTTON_VALUE],
                ),
            ],
        ),
    ]
    return SlackMessage(tuple(blocks), shorten(message, MESSAGE_TEXT))


def render_vote_receipt(message: str, card_id: int) -> SlackMessage:
    """The ephemeral "you picked X" with a button to withdraw the vote (``message`` is mrkdwn
    already, so its own ``*bold*`` works)."""
    blocks: list[Block] = [
        SectionBlock(text=md_text(shorten(message, SECTION_TEXT))),
        ActionsBlock(
            block_id="receipt",
            elements=[
                ButtonElement(text="Withdraw my vote", action_id=RETRACT, value=str(card_id))
            ],
        ),
    ]
    return SlackMessage(tuple(blocks), shorten(message, MESSAGE_TEXT))


def choice_value(a: str, b: str, lens: str | None) -> str:
    """A did-you-mean button's value: the pair to compare when it is clicked. ``<`` and ``>`` are
    JSON-escaped so not even a hidden value carries a ``<!here>`` token."""
    value = json.dumps({"a": a, "b": b, "lens": lens}, ensure_ascii=False)
    return value.replace("<", "\\u003c").replace(">", "\\u003e")


def md_text(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def plain_text(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=shorten(plain(" ".join(text.split())), limit) or "—", emoji=False)
