"""The Discord renderer is pure: every card fits every embed limit and shows user text literally."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.markdown import escape, fit, split_long, units
from adapters.discord.render import (
    BUTTON_LABEL,
    CONTENT,
    full_reviews,
    limit_problems,
    message_size,
    pair_label,
    render_card,
    vote_label,
)
from bot.cards import (
    CommunityLine,
    LensRow,
    PanelScore,
    Quote,
    ToolSide,
    VerdictCard,
    build_card,
    community_line,
)
from bot.models import Lens, Tool, Verdict
from bot.votes import Split
from data.catalog_files import seed_catalog
from tests.support.seed_page import catalog_tool, seed_page

NO_VOTES = community_line("a", "b", Split(0, 0), Split(0, 0), 5)
BIGGEST_PARTNERS = 3


@functools.cache
def catalog() -> list[Tool]:
    names = [raw["name"] for raw in seed_catalog()["tools"]]
    return [catalog_tool(name, i + 1) for i, name in enumerate(names)]


def shown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("@\u200b", "@")


def side(name: str, text: str) -> ToolSide:
    return ToolSide(
        tool_id=1,
        name=name,
        category=text[:60],
        tagline=text[:200],
        entry="Free",
        pricing_note=text[:200],
        description=text[:4096],
        url="https://example.com/" + "x" * 280,
        panel=PanelScore(3, 4),
        community="55% · n = 1000000",
    )


def pathological(name_a: str, name_b: str, quote: str, text: str) -> VerdictCard:
    rows = tuple(
        LensRow(lens, Quote(Verdict.SHIP, quote, "R" * 100), Quote(Verdict.SKIP, quote, ""))
        for lens in Lens
    )
    line = CommunityLine(Split(10**6, 10**6), Split(10**7, 10**7), 5, text[:1500])
    return VerdictCard(
        heading="AI tool comparison",
        title=f"{name_a} vs {name_b}",
        intro=text[:500],
        a=side(name_a, text),
        b=side(name_b, text),
        pricing_read=text[:1500],
        reviewer_split=rows,
        community=line,
        verdict=text[:1500],
        card_id=2**63 - 1,
    )


def test_every_card_in_the_catalog_fits_every_limit() -> None:
    """Every tool, in both orders, beside each of the partners that make the biggest cards.

    Each side's fields have limits of their own and the message total grows with each side's
    text, so the biggest partners bound every pair (all pairs would be O(n^2) cards).
    """
    tools = catalog()

    def embeds(a: Tool, b: Tool) -> list[discord.Embed]:
        return render_card(build_card(a, b, community=NO_VOTES, card_id=123))

    def size(tool: Tool) -> int:
        return message_size(embeds(tool, tools[1] if tool is tools[0] else tools[0]))

    biggest = sorted(tools, key=size, reverse=True)[:BIGGEST_PARTNERS]
    for big in biggest:
        for other in tools:
            if other is not big:
                assert limit_problems(embeds(big, other)) == [], (big.name, other.name)
                assert limit_problems(embeds(other, big)) == [], (other.name, big.name)


def test_the_longest_card_fits_with_every_lens_and_both_orders() -> None:
    tools = sorted(catalog(), key=lambda t: sum(len(r.quote) for r in t.reviews), reverse=True)
    big_a, big_b = tools[0], tools[1]  # the seed pair: the only tools with eight long quotes
    assert {big_a.name, big_b.name} == {"SmolLM3", "Mistral Medium 3"}
    busy = community_line(big_a.name, big_b.name, Split(612, 388), Split(61200, 38800), 5)
    for a, b in ((big_a, big_b), (big_b, big_a)):
        for lens in (None, *Lens):
            card = build_card(a, b, community=busy, lens=lens, card_id=10**12)
            embeds = render_card(card)
            assert limit_problems(embeds) == [], (a.name, lens)
            for text in full_reviews(card):
                assert units(text) <= CONTENT


def test_pathological_input_fits_every_limit() -> None:
    name = "N" * 255 + "*"
    quote = ("@everyone **bold** _it_ `code` > quote <@123456789012345678> " * 70)[:4000]
    text = "~~strike~~ |spoiler| # heading\n- item [link](https://x.y) " * 100
    card = pathological(name, "M" * 256, quote, text)
    embeds = render_card(card)
    assert limit_problems(embeds) == []
    assert len(embeds[1].fields) == len(Lens)  # every lens still on the card
    assert message_size(embeds) <= 6000


def test_astral_characters_count_as_two() -> None:
    card = pathological("🚀" * 256, "🅱️" * 128, "😀" * 4000, "🧪" * 4000)
    embeds = render_card(card)
    assert limit_problems(embeds) == []
    for text in full_reviews(card):
        assert units(text) <= CONTENT


def test_full_reviews_carry_every_quote_whole_within_2000_characters() -> None:
    quote = ("word " * 900).strip()  # 4,499 characters: spans several messages
    nospace = "x" * 4000
    card = pathological("A", "B", quote, "t")
    rows = (LensRow(Lens.FUTURE, Quote(Verdict.SHIP, nospace), None), *card.reviewer_split[1:])
    card = replace(card, reviewer_split=rows)
    texts = full_reviews(card)
    assert all(units(t) <= CONTENT for t in texts)
    joined = "".join(line.removeprefix("> ") for t in texts for line in t.split("\n"))
    assert nospace in joined
    spaced = " ".join(line.removeprefix("> ") for t in texts for line in t.split("\n"))
    assert quote in spaced
    assert "no review yet" in texts[0] + "".join(texts)


def test_seed_full_reviews_are_verbatim_and_escaped() -> None:
    card = build_card(
        catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2), community=NO_VOTES
    )
    texts = full_reviews(card)
    raw = "\n".join(texts)
    assert "\\`from\\_pretrained\\`" in raw  # markdown shown literally
    spaced = " ".join(line.removeprefix("> ") for line in shown(raw).split("\n"))
    for quote in seed_page().quotes:
        assert quote in spaced


def test_user_text_is_escaped_on_the_card() -> None:
    card = pathological("@everyone", "<@123456789012345678>", "@here **x** quote", "*t*")
    parts = []
    for embed in render_card(card):
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
    blob = "\n".join(parts)
    assert "@everyone" not in blob and "<@123456789012345678>" not in blob
    assert "@here" not in blob and "**x**" not in blob
    assert "@\u200beveryone" in blob


def test_button_labels_fit() -> None:
    long = "L" * 300
    assert len(vote_label(long)) <= BUTTON_LABEL and vote_label("SmolLM3") == "Ship SmolLM3"
    assert len(pair_label(long, long)) <= BUTTON_LABEL
    assert pair_label("SmolLM3", "Mistral Medium 3") == "SmolLM3 vs Mistral Medium 3"


@settings(max_examples=60, deadline=None)
@given(
    names=st.tuples(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=300)),
    quote=st.text(min_size=1, max_size=4000),
    text=st.text(max_size=2000),
)
def test_any_text_fits_every_limit(names: tuple[str, str], quote: str, text: str) -> None:
    card = pathological(names[0], names[1], quote, text)
    assert limit_problems(render_card(card)) == []
    assert all(units(t) <= CONTENT for t in full_reviews(card))


@given(text=st.text(max_size=500), limit=st.integers(min_value=1, max_value=300))
def test_fit_never_exceeds_its_limit_and_never_splits_an_escape(text: str, limit: int) -> None:
    out = fit(text, limit)
    assert units(out) <= limit
    assert not re.search(r"(?<!\\)(\\\\)*\\$", out.removesuffix("…"))


@given(text=st.text(max_size=3000), limit=st.integers(min_value=10, max_value=500))
def test_split_long_keeps_every_character(text: str, limit: int) -> None:
    escaped = escape(text)
    pieces = split_long(escaped, limit)
    assert all(units(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(escaped.split())


def test_embed_limits_are_discord_py_compatible() -> None:
    embeds = render_card(pathological("a", "b", "q" * 4000, "t" * 4000))
    for embed in embeds:
        assert discord.Embed.from_dict(embed.to_dict()).to_dict() == embed.to_dict()


def test_spec_sheets_fit_every_limit_however_long() -> None:
    from dataclasses import replace

    from bot.spec_sheet import ROW_LABELS, SpecRow, SpecSheet

    long = SpecSheet(
        rows=tuple(
            SpecRow(label, "v" * 400, "s" * 40, "2025-01-01", "d" * 500) for label in ROW_LABELS
        )
    )
    card = pathological("N" * 255, "M" * 256, "q" * 4000, "t" * 4000)
    card = replace(card, a=replace(card.a, specs=long), b=replace(card.b, specs=long))
    embeds = render_card(card)
    assert limit_problems(embeds) == []
    assert any((f.name or "").startswith("Specs") for f in embeds[0].fields)
