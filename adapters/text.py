"""Plain text every renderer needs: fitting user text into a platform's length limits, and
:func:`card_text`, the whole card as plain text, the fallback any surface can show (Slack's
notification ``text``, a client without rich messages, a log line)."""

from __future__ import annotations

from bot.cards import VerdictCard
from bot.models import Verdict

ELLIPSIS = "…"
SHIP_MARK = "✅ ship"
SKIP_MARK = "❌ skip"
QUOTE_ON_CARD = 280  # characters of each quote on a card; "Full reviews" shows the rest
PROVENANCE_ON_CARD = 160  # "AI-drafted with MODEL, approved by ADMIN", cut to fit


def verdict_mark(verdict: Verdict) -> str:
    return SHIP_MARK if verdict is Verdict.SHIP else SKIP_MARK


def card_text(card: VerdictCard, quote_limit: int = QUOTE_ON_CARD) -> str:
    """Every section of the card as plain text, top to bottom (a pure function of the card; a
    platform escapes and cuts it to its own limit)."""
    lines = [card.heading, card.title, card.intro, ""]
    for side in (card.a, card.b):
        lines += [
            f"{side.name} ({side.category}): {side.tagline}",
            f"Panel ship {side.panel.label} · Community {side.community} · Entry {side.entry}",
            side.description,
        ]
        if side.specs is not None:
            lines.append("Specs: " + "; ".join(side.specs.lines))
        lines.append("")
    lines += [f"Pricing read: {card.pricing_read}", "", "Reviewer split:"]
    for row in card.reviewer_split:
        for name, quote in ((card.a.name, row.a), (card.b.name, row.b)):
            said = (
                f"{verdict_mark(quote.verdict)}: “{shorten(quote.text, quote_limit)}”"
                + (f" ({shorten(quote.provenance, PROVENANCE_ON_CARD)})" if quote.drafted else "")
                if quote
                else "no review yet"
            )
            lines.append(f"{row.label} — {name} {said}")
    lines += [
        "",
        f"Community vote: {card.community.text}",
        f"Verdict: {card.verdict}",
        card.footer,
    ]
    return "\n".join(lines)


def shorten(text: str, limit: int, *, suffix: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``limit`` characters, on a word boundary where one is near."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    room = limit - len(suffix)
    if room <= 0:
        return suffix[:limit]
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:—-") + suffix
