"""The drafting prompt. It gives the model the tool's numbered facts and nothing else; the voice
of each lens follows the seed comparison's eight quotes (concrete, opinionated, one paragraph,
naming real competitors and the moment of truth). Change the words, bump ``PROMPT_VERSION``."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Lens, Tool
from bot.panel.facts import Fact
from bot.panel.ports import ChatMessage
from bot.panel.rules import QUOTE_MAX, QUOTE_MIN

PROMPT_VERSION = "panel-2026-12-v1"

VOICES = {
    Lens.DEVELOPER: (
        "Developer experience. Open with 'The primitive here is …'. Say what the DX bet is, the "
        "moment of truth (the first real task where it holds or breaks), the weekend alternative "
        "it replaces, and the one design decision that earns or loses the verdict."
    ),
    Lens.COMPETITION: (
        "Competition, a skeptic. Open with 'Direct competitors are …' or 'Category: …. Direct "
        "competitors: …', naming competitors from the facts. Say the scenario where it breaks and "
        "what kills it in 12 months, then the verdict ('ships — narrowly' is allowed)."
    ),
    Lens.FUTURE: (
        "Future thesis. Open with 'The thesis <tool> bets on: …'. State a falsifiable claim, "
        "whether it is early or on time, the second-order effect, and the dependency that has to "
        "hold. End on whether it is a real bet or a vibe."
    ),
    Lens.BUSINESS: (
        "Business / buyer. Open with 'The buyer is …' (or 'There's no business here …' when there "
        "is none). Name who pays from which budget, whether the pricing architecture is honest, and "
        "the moat question. A tool can ship as infrastructure and still be a skip as a business."
    ),
}

SYSTEM = (
    "You are shipbot's reviewer panel. For one AI tool you write short reviews, one per lens "
    "asked, each with an explicit verdict: ship or skip. Rules:\n"
    f"- Each quote is one paragraph of {QUOTE_MIN} to {QUOTE_MAX} characters: concrete, "
    "opinionated, in the lens's voice, naming real competitors and the moment of truth.\n"
    "- Use ONLY the numbered facts you are given. Do not invent prices, dates, benchmarks or "
    "numbers; if a number is not in the facts, do not write it.\n"
    '- List, for each review, the ids of the facts it relies on (e.g. ["F1", "F4"]).\n'
    "- The verdict is yours to give and must match the quote.\n"
    "- Answer with JSON only, following the schema."
)


def build_messages(
    tool: Tool, facts: Sequence[Fact], lenses: Sequence[Lens]
) -> tuple[ChatMessage, ...]:
    """The system and user messages for drafting ``lenses`` of ``tool`` from ``facts``."""
    voices = "\n".join(f"- {lens.value}: {VOICES[lens]}" for lens in lenses)
    user = (
        f"Tool: {tool.name}\n\nFacts (the only things you may rely on):\n"
        + "\n".join(fact.line for fact in facts)
        + f"\n\nWrite one review for each of these lenses:\n{voices}\n"
    )
    return (ChatMessage("system", SYSTEM), ChatMessage("user", user))


def retry_message(problem: str) -> ChatMessage:
    """Sent after an answer that broke the rules, so the next try can fix it."""
    return ChatMessage(
        "user",
        f"Your previous answer was rejected: {problem}. Answer again with JSON only, following "
        "the schema and the rules.",
    )
