"""The pure Slack pieces: escaping, Block Kit rendering within limits, and small parsers."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.commands import split_alias
from adapters.slack.escape import ZWSP, escape, mrkdwn, plain, unescape
from adapters.slack.events import side_of
from adapters.slack.limits import BUTTON_TEXT, HEADER_TEXT, limit_problems
from adapters.slack.modals import read_values
from adapters.slack.render import (
    render_card,
    render_choices,
    render_full_reviews,
)
from bot.cards import build_card, community_line
from bot.models import Entry, Lens, Review, Side, Tool, Verdict
from bot.votes import Split
from tests.support.seed_page import catalog_tool

NASTY = "&<>*_~`@channel <!here> <@U1> \n"


def seed_card(card_id: int | None = 7) -> object:
    a, b = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(a.name, b.name, Split(0, 0), Split(0, 0), 5)
    return build_card(a, b, community=line, card_id=card_id)


def test_escape_makes_mentions_and_links_inert() -> None:
    text = "<!channel> <!here> <@U123> <https://x|y> a & b @here @everyone"
    out = mrkdwn(text)
    assert "<" not in out and ">" not in out
    assert "&lt;!channel&gt;" in out and "a &amp; b" in out
    assert "@here" not in out and "@everyone" not in out
    assert unescape(out) == text
    assert escape("fine text") == "fine text"


def test_formatting_markers_in_user_text_are_fenced() -> None:
    assert mrkdwn("*bold*") == f"{ZWSP}*{ZWSP}bold{ZWSP}*{ZWSP}"
    assert unescape(mrkdwn("snake_case ~x~ `y`")) == "snake_case ~x~ `y`"


def test_plain_text_has_no_mention_tokens_but_reads_the_same() -> None:
    out = plain("<!here> hi @channel")
    assert "<!here>" not in out and "@channel" not in out
    assert unescape(out) == "<!here> hi @channel"


def test_seed_card_renders_within_limits_with_vote_buttons() -> None:
    message = render_card(seed_card())  # type: ignore[arg-type]
    blocks = message.block_dicts()
    assert limit_problems(blocks, message.text) == []
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "vote_a",
        "vote_b",
        "full_reviews",
        "vote_chart",
        "my_vote",
        "vote_close",
    ]
    assert {e["value"] for e in actions[0]["elements"]} == {"7"}
    assert not any(e.get("style") for e in actions[0]["elements"])  # none primary
    no_id = render_card(seed_card(None)).block_dicts()  # type: ignore[arg-type]
    assert not [b for b in no_id if b["type"] == "actions"]


def test_a_closed_card_has_no_ship_or_close_buttons() -> None:
    closed = replace(seed_card(7), voting_closed="3 May 2026, 14:00 UTC")
    actions = [b for b in render_card(closed).block_dicts() if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "full_reviews",
        "vote_chart",
        "my_vote",
    ]


def test_limit_problems_catches_broken_blocks() -> None:
    too_many = [{"type": "divider"}] * 51
    assert limit_problems(too_many)
    long_header = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    assert limit_problems(long_header)
    fields = [{"type": "section", "fields": [{"type": "mrkdwn", "text": "x"}] * 11}]
    assert limit_problems(fields)
    button = {"type": "button", "text": {"type": "plain_text", "text": "x" * 76}, "value": "1"}
    assert limit_problems([{"type": "actions", "elements": [button]}])
    assert limit_problems([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}])


def _tool(tool_id: int, name: str, text: str, reviews: tuple[Review, ...]) -> Tool:
    return Tool(
        id=tool_id,
        name=name,
        category=text[:60] or "c",
        tagline=text[:200] or "t",
        entry=Entry.PAID,
        description=(text * 40)[:2000] or "d",
        pricing_note=text[:200],
        url="https://example.com/" + "&" * 270,
        aliases=(),
        reviews=reviews,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(alphabet=NASTY + "abcXYZ", min_size=1, max_size=100),
    text=st.text(alphabet=NASTY + "abc", min_size=0, max_size=300),
    quote_char=st.sampled_from(["&", "<", "*", "a b ", "x"]),
    lens=st.sampled_from([None, *Lens]),
)
def test_any_card_stays_within_block_kit_limits(
    name: str, text: str, quote_char: str, lens: Lens | None
) -> None:
    quote = (quote_char * 4000)[:4000]
    reviews = tuple(Review(lens=each, verdict=Verdict.SKIP, quote=quote) for each in Lens)
    a = _tool(1, name, text, reviews)
    b = _tool(2, name[::-1] + "2", text, reviews[:2])
    line = community_line(a.name, b.name, Split(3, 9), Split(30, 90), 5)
    card = build_card(a, b, community=line, lens=lens, card_id=123456789)
    for message in (render_card(card), render_full_reviews(card)):
        blocks = message.block_dicts()
        assert limit_problems(blocks, message.text) == []
        dump = str(blocks) + message.text
        assert "<!here>" not in dump and "<@U1>" not in dump and "@channel" not in dump
    full = unescape(" ".join(str(b) for b in render_full_reviews(card).block_dicts()))
    assert full.count(quote_char.strip() or " ") >= 1
    header = render_card(card).block_dicts()[0]["text"]["text"]
    assert len(header) <= HEADER_TEXT


def test_did_you_mean_buttons_fit() -> None:
    message = render_choices("No tool called 'x'.", [("n" * 200, "{}"), ("GPT-4o", "{}")])
    blocks = message.block_dicts()
    assert limit_problems(blocks, message.text) == []
    labels = [e["text"]["text"] for e in blocks[1]["elements"]]
    assert len(labels[0]) == BUTTON_TEXT and labels[1] == "GPT-4o"
    assert [e["action_id"] for e in blocks[1]["elements"]] == ["pick_0", "pick_1"]


def test_reaction_names_and_skin_tones() -> None:
    assert side_of("a") is Side.A
    assert side_of("b::skin-tone-2") is Side.B
    assert side_of("a::skin-tone-6") is Side.A
    assert side_of("ab") is None and side_of("+1::skin-tone-2") is None and side_of("") is None


def test_split_alias_forms() -> None:
    assert split_alias("Mistral Medium 3 = mm3") == ("Mistral Medium 3", "mm3")
    assert split_alias('"Mistral Medium 3" "Mistral M3"') == ("Mistral Medium 3", "Mistral M3")
    assert split_alias("SmolLM3 smol") == ("SmolLM3", "smol")
    assert split_alias("SmolLM3") is None and split_alias(" = x") is None


def test_read_values_takes_text_and_selects() -> None:
    state = {
        "name": {"value": {"type": "plain_text_input", "value": "X"}},
        "entry": {"value": {"type": "static_select", "selected_option": {"value": "Paid"}}},
        "url": {"value": {"type": "plain_text_input", "value": None}},
    }
    assert read_values(state) == {"name": "X", "entry": "Paid", "url": ""}


def test_manifest_declares_every_command_scope_and_event() -> None:
    from pathlib import Path

    import yaml

    from adapters.slack.app import BOT_SCOPES

    manifest = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "adapters/slack/manifest.yml").read_text()
    )
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/compare", "/review", "/shipbot"}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    settings_ = manifest["settings"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # DMs: questions
    assert set(settings_["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "message.im",
        "app_uninstalled",
        "tokens_revoked",
        "reaction_added",
        "reaction_removed",
    }
    assert settings_["interactivity"]["is_enabled"] is True
    assert settings_["socket_mode_enabled"] is True


def test_vote_modes_change_the_buttons_and_say_who_can_see_votes() -> None:
    from bot.models import VoteMode

    def parts(mode: VoteMode) -> tuple[list[str], str, list[str]]:
        blocks = render_card(seed_card(), mode).block_dicts()  # type: ignore[arg-type]
        actions = next(b for b in blocks if b["type"] == "actions")["elements"]
        footer = next(b for b in blocks if b.get("block_id") == "footer")
        styles = [e.get("style", "") for e in actions]
        return [e["action_id"] for e in actions], footer["elements"][0]["text"], styles

    ids, text, styles = parts(VoteMode.BOTH)
    assert ids[:2] == ["vote_a", "vote_b"] and "Everyone can see who reacted" in text
    assert styles.count("primary") <= 1  # Slack allows one primary button per set
    ids, text, _ = parts(VoteMode.REACTIONS)
    assert "vote_a" not in ids and "react" in text and "Everyone can see" in text
    ids, text, _ = parts(VoteMode.BUTTONS)
    assert ids[:2] == ["vote_a", "vote_b"] and ":a:" not in text
    assert "Nobody else sees who voted" in text


def test_links_are_sent_as_url_and_label_with_only_entities_escaped() -> None:

    from adapters.slack.escape import link

    url = "https://github.com/paul-gauthier/aider_chat?a=1&b=2"
    assert link(url, "github.com") == (
        "<https://github.com/paul-gauthier/aider_chat?a=1&amp;b=2|github.com>"
    )
    for hostile in ("https://x.example/a b", "https://evil|<!here>", "javascript:alert(1)"):
        assert not link(hostile, "x").startswith("<"), hostile  # shown as inert text
    smol = replace(catalog_tool("SmolLM3"), url="https://huggingface.co/HuggingFaceTB/smol_lm")
    card = build_card(
        smol,
        catalog_tool("Mistral Medium 3"),
        community=community_line("SmolLM3", "Mistral Medium 3", Split(0, 0), Split(0, 0), 5),
        card_id=3,
    )
    profiles = next(b for b in render_card(card).block_dicts() if b.get("block_id") == "profiles")
    text = profiles["fields"][0]["text"]
    assert "<https://huggingface.co/HuggingFaceTB/smol_lm|huggingface.co>" in text
    assert ZWSP not in text.split("<https://")[1].split("|")[0]


def test_fallback_text_stays_under_4000_characters() -> None:
    long = _tool(1, "A" * 100, "x" * 300, ())
    other = _tool(2, "B" * 100, "y" * 300, ())
    line = community_line(long.name, other.name, Split(3, 4), Split(30, 40), 5)
    message = render_card(build_card(long, other, community=line, card_id=9))
    assert len(message.text) < 4000
    assert limit_problems(message.block_dicts(), message.text) == []


def test_spec_sheets_render_side_by_side_within_limits() -> None:

    from bot.spec_sheet import ROW_LABELS, SpecRow, SpecSheet

    card = seed_card()
    long = SpecSheet(
        rows=tuple(
            SpecRow(label, "<!here> " * 60, "src", "2025-01-01", "x" * 400) for label in ROW_LABELS
        )
    )
    card = replace(card, a=replace(card.a, specs=long), b=replace(card.b, specs=long))  # type: ignore[type-var]
    message = render_card(card)  # type: ignore[arg-type]
    blocks = message.block_dicts()
    assert limit_problems(blocks, message.text) == []
    specs = next(b for b in blocks if b.get("block_id") == "specs")
    assert len(specs["fields"]) == 2 and "<!here>" not in str(specs)


def test_a_message_too_long_in_all_is_shortened_and_full_reviews_point_to_the_web() -> None:

    from adapters.slack.limits import MESSAGE_BLOCK_TEXT, block_text_length

    quote = "word " * 800
    reviews = tuple(Review(lens=each, verdict=Verdict.SHIP, quote=quote) for each in Lens)
    a, b = _tool(1, "Alpha", "x" * 300, reviews), _tool(2, "Beta", "y" * 300, reviews)
    line = community_line(a.name, b.name, Split(3, 4), Split(30, 40), 5)
    card = replace(build_card(a, b, community=line, card_id=9), page_url="https://ship.example/p")
    seed = render_card(seed_card())  # type: ignore[arg-type]
    assert "“" + catalog_tool("SmolLM3", 1).reviews[0].quote[:200] in str(seed.block_dicts())
    for message in (render_card(card), render_full_reviews(card)):
        assert block_text_length(message.block_dicts()) <= MESSAGE_BLOCK_TEXT
    last = render_full_reviews(card).block_dicts()[-1]
    assert "Too long for one Slack message" in str(last) and "ship.example/p" in str(last)
