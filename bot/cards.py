"""The verdict card: a frozen, platform-neutral picture of one comparison.

Every adapter renders a ``VerdictCard`` with a pure function; nothing here knows about embeds,
blocks or terminals. The card carries everything the seed comparison page carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.facts import ToolFacts, Workload
from bot.models import Lens, Review, ReviewKind, Tool, ToolProfile, Verdict, profile_values
from bot.spec_sheet import SpecSheet, quantitative_read, spec_sheet
from bot.votes import Split, percent

HEADING = "AI tool comparison"
INTRO = (
    "Which one should you ship with? Here is the side-by-side panel verdict, pricing read, "
    "reviewer split, and community vote comparison."
)
DIGEST_TITLE = "Weekly AI Tool Verdicts"
DIGEST_PITCH = (
    "Get the next comparison in your channel: an admin can subscribe it to the weekly digest."
)
NO_PANEL = "no panel yet"
NO_VOTES = "—"
DEFAULT_WORKLOAD = Workload()
NO_FACTS = (ToolFacts(), ToolFacts())


@dataclass(frozen=True)
class PanelScore:
    """How many of a tool's reviews say ship."""

    ships: int
    reviews: int

    @property
    def percent(self) -> int | None:
        return percent(self.ships, self.reviews) if self.reviews else None

    @property
    def label(self) -> str:
        """``75% · 3/4``, or ``no panel yet`` for a tool nobody reviewed."""
        if not self.reviews:
            return NO_PANEL
        return f"{self.percent}% · {self.ships}/{self.reviews}"


@dataclass(frozen=True, kw_only=True)
class ToolSide(ToolProfile):
    """One tool's column of the card: its profile, panel score and community share."""

    tool_id: int
    panel: PanelScore
    community: str  # this tool's share of head-to-head picks, or "—"
    slug: str = ""  # the tool's stable URL name (its page and its pairs' pages)
    specs: SpecSheet | None = None  # sourced facts, where the catalog has any


@dataclass(frozen=True)
class Quote:
    """One reviewer's verdict and words on one tool."""

    verdict: Verdict
    text: str
    reviewer: str = ""
    kind: ReviewKind = ReviewKind.EDITORIAL
    provenance: str = "editorial"  # e.g. "AI-drafted with MODEL, approved by ADMIN"

    @property
    def drafted(self) -> bool:
        """Written by a model or a member (so the card says so), not by the editors."""
        return self.kind is not ReviewKind.EDITORIAL


@dataclass(frozen=True)
class LensRow:
    """One reviewer lens with both tools' quotes side by side (None: not reviewed)."""

    lens: Lens
    a: Quote | None
    b: Quote | None
    a_older: tuple[Quote, ...] = ()  # earlier approved reviews of this lens, newest first
    b_older: tuple[Quote, ...] = ()

    @property
    def label(self) -> str:
        return self.lens.label


@dataclass(frozen=True)
class CommunityLine:
    """The pair's vote split here and everywhere, already phrased honestly."""

    here: Split
    everywhere: Split
    minimum: int
    text: str


@dataclass(frozen=True)
class VerdictCard:
    """Everything one ``/compare`` shows, in the order the pair was asked."""

    heading: str
    title: str
    intro: str
    a: ToolSide
    b: ToolSide
    pricing_read: str
    reviewer_split: tuple[LensRow, ...]
    community: CommunityLine
    verdict: str
    lens: Lens | None = None
    card_id: int | None = None
    footer: str = f"{DIGEST_TITLE} — {DIGEST_PITCH}"
    page_url: str = ""  # the pair's web page ("Full verdict"), when a public URL is configured
    voting_closed: str = ""  # when the vote closed ("3 May 2026, 14:00 UTC"); "" while open


def build_card(
    a: Tool,
    b: Tool,
    *,
    community: CommunityLine,
    tool_shares: tuple[str, str] = (NO_VOTES, NO_VOTES),
    lens: Lens | None = None,
    card_id: int | None = None,
    page_url: str = "",
    facts: tuple[ToolFacts, ToolFacts] = NO_FACTS,
    workload: Workload = DEFAULT_WORKLOAD,
) -> VerdictCard:
    """Build the card for ``a`` vs ``b``; with ``lens`` only that reviewer's row and verdict.
    ``facts`` give each side its spec sheet and the pricing read its numbers at ``workload``."""
    lenses = (lens,) if lens else tuple(Lens)
    rows = tuple(
        LensRow(
            lens=each,
            a=_quote(a, each),
            b=_quote(b, each),
            a_older=_older(a, each),
            b_older=_older(b, each),
        )
        for each in lenses
    )
    side_a = _side(a, tool_shares[0], spec_sheet(facts[0], workload))
    side_b = _side(b, tool_shares[1], spec_sheet(facts[1], workload))
    if lens:
        panel_sentence = lens_verdict(a.name, b.name, rows[0])
    else:
        panel_sentence = panel_verdict(side_a, side_b)
    return VerdictCard(
        heading=HEADING,
        title=f"{a.name} vs {b.name}",
        intro=INTRO,
        a=side_a,
        b=side_b,
        pricing_read=pricing_read(a, b, (side_a.specs, side_b.specs)),
        reviewer_split=rows,
        community=community,
        verdict=f"{panel_sentence} {community_verdict(a.name, b.name, community)}",
        lens=lens,
        card_id=card_id,
        page_url=page_url,
    )


def community_line(
    a_name: str, b_name: str, here: Split, everywhere: Split, minimum: int
) -> CommunityLine:
    """Phrase the pair's split honestly, e.g. "SmolLM3 38% · Mistral Medium 3 62% (n = 21 here,
    95% CI for SmolLM3 21–59%; 55% / 45%, n = 340 everywhere)"; "—" with no votes at all, and
    "too few votes" below ``minimum``. Who voted is never part of it."""
    if here.n == 0 and everywhere.n == 0:
        return CommunityLine(here=here, everywhere=everywhere, minimum=minimum, text=NO_VOTES)
    if here.enough(minimum):
        low, high = here.a_interval
        head = f"{a_name} {here.a_percent}% · {b_name} {here.b_percent}%"
        details = [
            f"n = {here.n} here, 95% CI for {a_name} {percent_float(low)}–{percent_float(high)}%"
        ]
    elif here.n:
        head, details = "too few votes here", [f"n = {here.n} here"]
    else:
        head, details = "no votes here yet", []
    if everywhere.n > here.n or not details:
        if everywhere.enough(minimum):
            details.append(
                f"{everywhere.a_percent}% / {everywhere.b_percent}%, n = {everywhere.n} everywhere"
            )
        else:
            details.append(f"too few everywhere, n = {everywhere.n}")
    text = f"{head} ({'; '.join(details)})"
    return CommunityLine(here=here, everywhere=everywhere, minimum=minimum, text=text)


def percent_float(value: float) -> int:
    return round(value * 100)


def panel_verdict(a: ToolSide, b: ToolSide) -> str:
    """Whom the panel favours and by how much."""
    pa, pb = a.panel.percent, b.panel.percent
    if pa is None and pb is None:
        return "No panel yet for either tool."
    if pa is None:
        return f"Only {b.name} has a panel ({b.panel.label}); {a.name} has no panel yet."
    if pb is None:
        return f"Only {a.name} has a panel ({a.panel.label}); {b.name} has no panel yet."
    if pa == pb:
        return f"The panel is even: both at {pa}% ship ({a.panel.label} vs {b.panel.label})."
    winner, loser = (a, b) if pa > pb else (b, a)
    gap = abs(pa - pb)
    return (
        f"The panel favours {winner.name}: {_fraction(winner)} ship vs "
        f"{_fraction(loser)} for {loser.name} (+{gap} points)."
    )


def _fraction(side: ToolSide) -> str:
    return f"{side.panel.ships}/{side.panel.reviews} ({side.panel.percent}%)"


def lens_verdict(a_name: str, b_name: str, row: LensRow) -> str:
    """The verdict line when only one lens is shown."""
    said = {name: q.verdict for name, q in ((a_name, row.a), (b_name, row.b)) if q}
    prefix = f"{row.label} lens:"
    if len(said) < 2:
        missing = [n for n in (a_name, b_name) if n not in said]
        return f"{prefix} no review yet for {' and '.join(missing)}."
    va, vb = said[a_name], said[b_name]
    if va == vb:
        return f"{prefix} both {va.value} — no tie-breaker from this reviewer."
    winner = a_name if va is Verdict.SHIP else b_name
    return f"{prefix} ships {winner} and skips the other."


def community_verdict(a_name: str, b_name: str, line: CommunityLine) -> str:
    here = line.here
    if here.n == 0:
        return "Community: no votes yet — react to vote."
    if not here.enough(line.minimum):
        return f"Community: too few votes so far (n = {here.n})."
    if here.a == here.b:
        return f"Community: split evenly (n = {here.n})."
    winner, share = (a_name, here.a_percent) if here.a > here.b else (b_name, here.b_percent)
    return f"Community: {share}% pick {winner} (n = {here.n})."


def pricing_read(
    a: Tool, b: Tool, specs: tuple[SpecSheet | None, SpecSheet | None] = (None, None)
) -> str:
    """The two entry tiers and any pricing notes, then (with spec sheets) both prices per 1M
    tokens and what the workload costs a month on each."""
    ra, rb = a.entry.cost_rank, b.entry.cost_rank
    if ra == rb:
        head = f"Both start at the same tier ({a.entry.value} vs {b.entry.value})."
        if a.entry.value == b.entry.value:
            head = f"Both are {a.entry.value} to start."
    else:
        cheap, dear = (a, b) if ra < rb else (b, a)
        head = (
            f"{cheap.name} is the cheaper way in ({cheap.entry.value}); "
            f"{dear.name} is {dear.entry.value}."
        )
    notes = " ".join(f"{t.name}: {t.pricing_note.rstrip('.')}." for t in (a, b) if t.pricing_note)
    numbers = quantitative_read(a.name, specs[0], a.pricing_note, b.name, specs[1], b.pricing_note)
    return " ".join(part for part in (head, notes, numbers) if part)


def _side(tool: Tool, community: str, specs: SpecSheet | None = None) -> ToolSide:
    ships = sum(1 for r in tool.reviews if r.verdict is Verdict.SHIP)
    return ToolSide(
        **profile_values(tool),
        tool_id=tool.id,
        panel=PanelScore(ships=ships, reviews=len(tool.reviews)),
        community=community,
        slug=tool.slug,
        specs=specs,
    )


def _quote(tool: Tool, lens: Lens) -> Quote | None:
    review = tool.review_for(lens)
    return None if review is None else quote_of(review)


def _older(tool: Tool, lens: Lens) -> tuple[Quote, ...]:
    return tuple(quote_of(r) for r in tool.history if r.lens is lens)


def quote_of(review: Review) -> Quote:
    return Quote(
        verdict=review.verdict,
        text=review.quote,
        reviewer=review.reviewer,
        kind=review.provenance.kind,
        provenance=review.provenance.label,
    )
