"""Render a ``VerdictCard`` as Discord embeds, and its full reviews as message texts.

Pure functions of the card: no I/O, no client. discord.py does not check Discord's embed limits,
so this module does: every string is escaped and cut to its own limit, and the whole message is
shrunk until it fits 6,000 characters. Quotes give way first (the **Full reviews** button shows
them whole), then the long profile texts, then names.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from adapters.discord.markdown import escape, fit, split_long, units
from bot.cards import LensRow, Quote, ToolSide, VerdictCard
from bot.models import Side, Verdict, VoteMode

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
TOTAL = 6000
EMBEDS = 10
CONTENT = 2000
BUTTON_LABEL = 80
PROVENANCE = 120  # characters of a review's provenance on the card

SIDE_EMOJI = {Side.A: "🅰️", Side.B: "🅱️"}
SHIP = "✅ ship"
SKIP = "❌ skip"
COLOUR = discord.Colour(0x5865F2)
VOTE_HINTS = {
    VoteMode.BOTH: "React 🅰️ or 🅱️ or use the buttons to vote; one vote per person per pair. "
    "Everyone can see who reacted; button votes are private.",
    VoteMode.REACTIONS: "React 🅰️ or 🅱️ to vote; one vote per person per pair. "
    "Everyone can see who reacted.",
    VoteMode.BUTTONS: "Vote with the buttons; one vote per person per pair. "
    "Nobody else sees who voted.",
}
VOTE_HINT = VOTE_HINTS[VoteMode.BOTH]
TRIMMED_HINT = "Quotes are trimmed to fit: **Full reviews** shows every word."


@dataclass(frozen=True)
class _Caps:
    """How long each kind of text may be; shrunk step by step until the message fits."""

    quote: int = FIELD_VALUE
    text: int = FIELD_VALUE
    name: int = FIELD_NAME


def render_card(card: VerdictCard, mode: VoteMode = VoteMode.BOTH) -> list[discord.Embed]:
    """The card as embeds (a verdict embed and a scorecard embed) within every Discord limit."""
    short_a, short_b = fit(card.a.name, 40), fit(card.b.name, 40)
    rooms = [_lens_room(row, short_a, short_b) for row in card.reviewer_split[:FIELDS]]
    caps = _Caps(quote=max(rooms, default=FIELD_VALUE))  # no quote is ever longer than its room
    quotes = [
        units(escape(q.text)) for row in card.reviewer_split[:FIELDS] for q in (row.a, row.b) if q
    ]
    for _attempt in range(500):
        embeds = _build(card, caps, mode)
        over = message_size(embeds) - TOTAL
        if over <= 0:
            return embeds
        caps = _shrink(caps, over, quotes)
    return embeds[:1]  # unreachable with four lenses: the smallest caps fit with room to spare


def message_size(embeds: list[discord.Embed]) -> int:
    """Characters Discord counts against the 6,000 limit of one message (in UTF-16 units)."""
    total = 0
    for embed in embeds:
        total += units(embed.title or "") + units(embed.description or "")
        total += sum(units(f.name or "") + units(f.value or "") for f in embed.fields)
        total += units(embed.footer.text or "") + units(embed.author.name or "")
    return total


def _shrink(caps: _Caps, over: int, quotes: list[int]) -> _Caps:
    """Smaller caps for the next attempt: quotes first, then profile texts, then names.

    A lower quote cap only shortens the quotes longer than it, so the excess is spread over
    those alone (``quotes`` holds each quote's escaped length): a long card fits in a few
    attempts instead of dozens."""
    cut = sum(1 for length in quotes if length > caps.quote - 2)  # what a lower cap shortens
    if cut and caps.quote > 40:
        step = max(1, -(-over // cut))
        return _Caps(max(40, caps.quote - step), caps.text, caps.name)
    if caps.text > 60:
        return _Caps(caps.quote, max(60, caps.text - max(1, -(-over // 8))), caps.name)
    if caps.name > 24:
        return _Caps(caps.quote, caps.text, max(24, caps.name - max(1, -(-over // 12))))
    return _Caps(0, caps.text, caps.name)  # last resort: quotes dropped (never reached in tests)


def _build(card: VerdictCard, caps: _Caps, mode: VoteMode) -> list[discord.Embed]:
    return [_verdict_embed(card, caps, VOTE_HINTS[mode]), _scorecard_embed(card, caps)]


def _verdict_embed(card: VerdictCard, caps: _Caps, hint: str) -> discord.Embed:
    lens_note = f"\n*{card.lens.label} lens only.*" if card.lens else ""
    embed = discord.Embed(
        title=_filled(fit(card.title, TITLE)),
        description=fit(card.intro, DESCRIPTION - len(lens_note)) + lens_note,
        colour=COLOUR,
        url=card.page_url or None,
    )
    embed.set_author(name=fit(card.heading, AUTHOR, escaped=False))
    for side in (card.a, card.b):
        embed.add_field(
            name=_filled(fit(side.name, min(caps.name, FIELD_NAME)), "(unnamed)"),
            value=_profile(side, caps),
            inline=True,
        )
    for side in (card.a, card.b):
        if side.specs is not None:
            embed.add_field(
                name=fit(f"Specs · {side.name}", min(caps.name + 8, FIELD_NAME)),
                value=_specs(side, caps),
                inline=True,
            )
    for side in (card.a, card.b):
        if side.description:
            embed.add_field(
                name=fit(f"About {side.name}", min(caps.name + 6, FIELD_NAME)),
                value=_value(side.description, caps.text),
                inline=False,
            )
    embed.add_field(name="Pricing read", value=_value(card.pricing_read, caps.text), inline=False)
    community = fit(card.community.text, min(caps.text, FIELD_VALUE - len(hint) - 1))
    embed.add_field(name="Community vote", value=f"{_filled(community)}\n{hint}", inline=False)
    link = f"\n[Full verdict]({card.page_url})" if card.page_url else ""
    verdict = _value(card.verdict, min(caps.text, FIELD_VALUE - len(link)))
    embed.add_field(name="Verdict", value=verdict + link, inline=False)
    footer = card.footer if card.card_id is None else f"{card.footer} · card #{card.card_id}"
    embed.set_footer(text=fit(footer, FOOTER, escaped=False))
    return embed


def _profile(side: ToolSide, caps: _Caps) -> str:
    """One tool's column: tagline, category, panel ship %, community share, entry."""
    lines = [
        ("Panel ship", side.panel.label),
        ("Community", side.community),
        ("Entry", side.entry),
        ("Category", side.category),
    ]
    fixed = "\n".join(f"**{label}** {fit(value, 100)}" for label, value in lines)
    room = FIELD_VALUE - units(fixed) - 3
    tagline = fit(side.tagline, min(room, caps.text)) if side.tagline else ""
    return f"*{tagline}*\n{fixed}" if tagline else fixed


def spec_field(side: ToolSide) -> str:
    """A side's spec sheet as one embed field value (``/tool info``), sources last."""
    return _specs(side, _Caps())


def _specs(side: ToolSide, caps: _Caps) -> str:
    """A side's spec sheet, one fact a line, its sources last (within one field's limit)."""
    assert side.specs is not None
    lines = []
    for row in side.specs.rows:
        mark = " ⚠ sources disagree" if row.disputed else ""
        lines.append(f"**{escape(row.label)}** {fit(row.value, 160)}{mark}")
    if side.specs.sources:
        lines.append(f"-# {fit('Sources: ' + side.specs.sources, 200)}")
    limit = min(max(caps.text, 300), FIELD_VALUE)
    kept: list[str] = []
    for line in lines:  # whole lines only, so no markdown is cut in half
        if units("\n".join([*kept, line])) > limit:
            break
        kept.append(line)
    return _filled("\n".join(kept))


def _value(text: str, cap: int) -> str:
    return _filled(fit(text, min(cap, FIELD_VALUE)))


def _filled(text: str, fallback: str = "—") -> str:
    """Discord rejects blank field names and values: never send one."""
    return text if text.strip() else fallback


def _scorecard_embed(card: VerdictCard, caps: _Caps) -> discord.Embed:
    title = "Reviewer scorecard" + (f" — {card.lens.label} lens only" if card.lens else "")
    embed = discord.Embed(title=title, description=TRIMMED_HINT, colour=COLOUR)
    short_a, short_b = fit(card.a.name, 40), fit(card.b.name, 40)
    for row in card.reviewer_split[:FIELDS]:
        embed.add_field(
            name=row.label, value=_lens_value(row, short_a, short_b, caps), inline=False
        )
    return embed


def _lens_room(row: LensRow, name_a: str, name_b: str) -> int:
    """The most room each quote of a lens can have in its field."""
    heads = [_quote_head(name_a, row.a), _quote_head(name_b, row.b)]
    return (FIELD_VALUE - sum(units(h) for h in heads) - 1) // 2


def _lens_value(row: LensRow, name_a: str, name_b: str, caps: _Caps) -> str:
    heads = [_quote_head(name_a, row.a), _quote_head(name_b, row.b)]
    cap = min(caps.quote, _lens_room(row, name_a, name_b))
    lines = []
    for head, quote in zip(heads, (row.a, row.b), strict=True):
        body = fit(quote.text, cap - 2) if quote and cap > 2 else ""
        lines.append(f"{head} “{body}”" if body else head)
    return "\n".join(lines)


def _quote_head(name: str, quote: Quote | None) -> str:
    if quote is None:
        return f"**{name}** — no review yet"
    return f"**{name}** {verdict_mark(quote.verdict)}{provenance_note(quote)} —"


def provenance_note(quote: Quote) -> str:
    """`` · *AI-drafted with MODEL, approved by ADMIN*`` for drafted reviews, escaped like any
    user text and cut to fit; nothing for editorial ones (they read as they always did)."""
    if not quote.drafted:
        return ""
    return f" · *{fit(quote.provenance, PROVENANCE)}*"


def verdict_mark(verdict: Verdict) -> str:
    return SHIP if verdict is Verdict.SHIP else SKIP


# -- full reviews ---------------------------------------------------------------------------


def full_reviews(card: VerdictCard, limit: int = CONTENT) -> list[str]:
    """Every quote on the card, whole, as message texts of at most ``limit`` characters each
    (a quote longer than a message continues in the next one)."""
    parts = [f"**{fit(card.title, 300)} — full reviews**"]
    for row in card.reviewer_split:
        parts.append(f"__**{row.label}**__")
        for side, quote in ((card.a, row.a), (card.b, row.b)):
            name = fit(side.name, 300)
            if quote is None:
                parts.append(f"**{name}** — no review yet")
                continue
            _full_quote(parts, name, quote, limit)
        for side, older in ((card.a, row.a_older), (card.b, row.b_older)):
            for quote in older:
                _full_quote(parts, f"{fit(side.name, 300)} (earlier)", quote, limit)
    return _pack(parts, limit)


def _full_quote(parts: list[str], name: str, quote: Quote, limit: int) -> None:
    by = f" ({fit(quote.reviewer, 100)})" if quote.reviewer and not quote.drafted else ""
    parts.append(f"**{name}** {verdict_mark(quote.verdict)}{by}{provenance_note(quote)}")
    parts.extend(_blockquote(escape(quote.text), limit))


def _blockquote(text: str, limit: int) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()] or [""]
    out: list[str] = []
    for line in lines:
        out.extend(f"> {piece}" for piece in split_long(line, limit - 2))
    return out


def _pack(parts: list[str], limit: int) -> list[str]:
    """Join ``parts`` with newlines into as few texts of at most ``limit`` units as possible."""
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}\n{part}" if current else part
        if units(candidate) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        current = part
    if current:
        out.append(current)
    return out


# -- small texts ----------------------------------------------------------------------------


def user_message(text: str, limit: int = CONTENT) -> str:
    """A message for the person who asked (an error, a confirmation), escaped (its ``code``
    spans kept as code) and cut to fit."""
    return fit(text, limit, code=True)


def pair_label(a: str, b: str) -> str:
    """A button label such as ``SmolLM3 vs Mistral Medium 3`` within 80 characters."""
    half = (BUTTON_LABEL - 4) // 2
    if len(a) + len(b) + 4 <= BUTTON_LABEL:
        return f"{a} vs {b}"
    return f"{fit(a, half, escaped=False)} vs {fit(b, half, escaped=False)}"


def button_label(text: str) -> str:
    """``text`` within the 80-character button label limit (labels show no markdown)."""
    return fit(text, BUTTON_LABEL, escaped=False)


def vote_label(name: str) -> str:
    return button_label(f"Ship {name}")


def limit_problems(embeds: list[discord.Embed]) -> list[str]:
    """Every Discord embed limit the message breaks (empty when it may be sent)."""
    problems: list[str] = []
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds > {EMBEDS}")
    if message_size(embeds) > TOTAL:
        problems.append(f"{message_size(embeds)} characters > {TOTAL}")
    for i, embed in enumerate(embeds):
        checks = [
            ("title", embed.title or "", TITLE),
            ("description", embed.description or "", DESCRIPTION),
            ("footer", embed.footer.text or "", FOOTER),
            ("author", embed.author.name or "", AUTHOR),
        ]
        for field in embed.fields:
            checks += [("field name", field.name or "", FIELD_NAME)]
            checks += [("field value", field.value or "", FIELD_VALUE)]
            if not (field.name or "").strip() or not (field.value or "").strip():
                problems.append(f"embed {i}: empty field")
        if len(embed.fields) > FIELDS:
            problems.append(f"embed {i}: {len(embed.fields)} fields > {FIELDS}")
        problems += [
            f"embed {i}: {what} {units(text)} > {limit}"
            for what, text, limit in checks
            if units(text) > limit
        ]
    return problems
