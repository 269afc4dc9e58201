"""Drafting panels through the real ``openai`` client against a fake endpoint on 127.0.0.1:
receipts, structured output and its tool-call fallback, every fault, and the caps."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator

import pytest

from adapters.bootstrap import build_app
from bot.facts import FactKey, fact_label
from bot.models import Community, Lens, ReviewKind
from bot.panel.drafting import PanelNotConfigured
from bot.panel.models import DraftStatus
from bot.panel.prompt import PROMPT_VERSION
from bot.settings import Settings
from tests.fakes.openai import FakeChatServer, Reply
from tests.integration.panel_support import ADMIN, panel_app

TOOL = "Cursor"  # a seed tool with no panel
OTHER = "Claude Code"


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatServer]:
    server = FakeChatServer()
    await server.start()
    yield server
    await server.close()


async def _queued(app) -> list:  # type: ignore[no-untyped-def]
    return list((await app.reviews.page(ADMIN, 0, 100)).items)


async def test_draft_queues_four_reviews_with_receipts(
    database_url: str, fake: FakeChatServer
) -> None:
    async with panel_app(database_url, fake) as app:
        job = await app.panel.job_for(TOOL.lower())
        summary = await app.panel.run([job])
        queued = await _queued(app)
        card = await app.service.compare(f"{TOOL} vs {OTHER}", Community.console())
    assert summary.drafted == 4 and not summary.failed
    assert [q.lens for q in queued] == list(Lens)
    first = queued[0]
    assert first.kind is ReviewKind.AI_DRAFT and first.status is DraftStatus.QUEUED
    assert first.receipt is not None
    assert first.receipt.model == "fake-panel-1"
    assert first.receipt.provider == "127.0.0.1"
    assert first.receipt.prompt_version == PROMPT_VERSION
    assert first.receipt.usage.total > 0
    assert first.receipt.facts and first.receipt.facts[0].startswith(f"{TOOL} is in the category")
    assert 0 < summary.usage.total - sum(q.receipt.usage.total for q in queued) < 8  # shares
    # Nothing drafted reaches a card before approval.
    assert card.a.panel.reviews == 0
    body = fake.completions[0].body
    assert body["model"] == "fake-panel-1"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert "tools" not in body


async def test_prompt_holds_only_the_profile_and_competitors(
    database_url: str, fake: FakeChatServer
) -> None:
    async with panel_app(database_url, fake) as app:
        await app.panel.run([await app.panel.job_for("SmolLM3", [Lens.DEVELOPER])])
        smol = await app.catalog.show("SmolLM3")
        medium = await app.catalog.show("Mistral Medium 3")
    prompt = "\n".join(m["content"] for m in fake.completions[0].body["messages"])
    assert smol.description in prompt and "Competitor in Developer Tools: " in prompt
    # No review text of any tool goes into the prompt, its own included.
    for review in (*smol.reviews, *medium.reviews):
        assert review.quote[:60] not in prompt
    assert "- developer:" in prompt and "- business:" not in prompt


async def test_a_synced_models_prompt_holds_its_sourced_facts_with_dates(
    database_url: str, fake: FakeChatServer
) -> None:
    async with panel_app(database_url, fake) as app:
        await app.panel.run([await app.panel.job_for("GPT-4o", [Lens.DEVELOPER])])
        _, held = await app.catalog.facts("GPT-4o")
        queued = await _queued(app)
    prompt = "\n".join(m["content"] for m in fake.completions[0].body["messages"])
    context = held.shown(FactKey.CONTEXT)
    offer = held.official_offering()
    assert context is not None and offer is not None
    assert f"GPT-4o context: {fact_label(FactKey.CONTEXT, context.value)}." in prompt
    assert f"(source: {context.source}, as of {context.as_of.isoformat()})" in prompt
    assert f"costs ${offer.price.input:g} per 1M input tokens" in prompt
    assert queued and queued[0].lens is Lens.DEVELOPER


async def test_server_without_structured_output_gets_a_tool_call(
    database_url: str, fake: FakeChatServer
) -> None:
    fake.without_structured_output = True
    async with panel_app(database_url, fake) as app:
        jobs = [await app.panel.job_for(TOOL), await app.panel.job_for(OTHER)]
        summary = await app.panel.run(jobs)
    assert summary.drafted == 8 and not summary.failed
    first, second, third = fake.completions
    assert "response_format" in first.body and first.body.get("tools") is None
    assert second.body["tools"][0]["function"]["name"] == "panel_reviews"
    assert second.body["tool_choice"]["function"]["name"] == "panel_reviews"
    assert "response_format" not in third.body  # remembered for the rest of the run


async def test_429_with_retry_after_is_waited_out_by_the_sdk(
    database_url: str, fake: FakeChatServer
) -> None:
    fake.script(Reply.rate_limited("0.4"), Reply.panel())
    async with panel_app(database_url, fake) as app:
        summary = await app.panel.run([await app.panel.job_for(TOOL)])
    assert summary.drafted == 4
    first, second = fake.completions
    assert second.at - first.at >= 0.35


async def test_each_fault_costs_its_tool_only_and_the_run_goes_on(
    database_url: str, fake: FakeChatServer
) -> None:
    fake.script(
        Reply.rate_limited("0.1"),
        Reply.rate_limited("0.1"),  # 429 after the SDK's one retry
        Reply.panel(),
    )
    async with panel_app(database_url, fake) as app:
        jobs = [await app.panel.job_for(TOOL), await app.panel.job_for(OTHER)]
        summary = await app.panel.run(jobs)
        queued = await _queued(app)
    assert [o.tool for o in summary.failed] == [TOOL]
    assert "429" in summary.failed[0].error and "retry after 0.1 s" in summary.failed[0].error
    assert {q.tool_name for q in queued} == {OTHER}
    assert f"- {TOOL}: the endpoint is rate-limiting" in summary.text()


FAULTS = [
    pytest.param(
        [Reply.text("{not json"), Reply.text("still not json")],
        "not valid JSON",
        id="malformed-json",
    ),
    pytest.param(
        [
            Reply.text(
                json.dumps(
                    {
                        "reviews": [
                            {
                                "lens": "developer",
                                "verdict": "maybe",
                                "quote": "x" * 80,
                                "facts": ["F1"],
                            }
                        ]
                    }
                )
            )
        ]
        * 2,
        "breaks the schema at reviews.0.verdict",
        id="schema-violation",
    ),
    pytest.param(
        [Reply.text(json.dumps({"reviews": []}))] * 2, "exactly these lenses", id="missing-lenses"
    ),
    pytest.param([Reply.text("")] * 2, "the answer was empty", id="empty"),
    pytest.param(
        [Reply(refusal="I can't help with that.")], "the model refused: I can't help", id="refused"
    ),
    pytest.param(
        [Reply(quote_length=1600)] * 2,
        "the developer quote is 1599 characters; the limit is 1500",
        id="over-long",
    ),
    pytest.param(
        [Reply.text('{"reviews": [', finish_reason="length")] * 2, "cut off", id="cut-off"
    ),
    pytest.param([Reply(raw="<html>bad gateway</html>")], "unusable", id="not-a-completion"),
    pytest.param(
        [Reply.error(400, "model 'fake-panel-1' does not exist")],
        "answered 400: model",
        id="bad-request",
    ),
    pytest.param([Reply.error(500, "boom")] * 2, "answered 500: boom", id="server-error"),
]


@pytest.mark.parametrize(("replies", "message"), FAULTS)
async def test_fault_gives_a_clear_message_and_stores_nothing(
    database_url: str, fake: FakeChatServer, replies: list[Reply], message: str
) -> None:
    fake.script(*replies)
    async with panel_app(database_url, fake) as app:
        jobs = [await app.panel.job_for(TOOL), await app.panel.job_for(OTHER)]
        summary = await app.panel.run(jobs)
        queued = await _queued(app)
    assert [o.tool for o in summary.failed] == [TOOL]
    assert message in summary.failed[0].error
    assert {q.tool_name for q in queued} == {OTHER}  # the next tool was drafted


async def test_invalid_answer_is_retried_with_what_was_wrong(
    database_url: str, fake: FakeChatServer
) -> None:
    fake.script(Reply.text("{oops"), Reply.panel())
    async with panel_app(database_url, fake) as app:
        summary = await app.panel.run([await app.panel.job_for(TOOL)])
    assert summary.drafted == 4
    retry = fake.completions[1].body["messages"][-1]["content"]
    assert "previous answer was rejected: the answer is not valid JSON" in retry
    assert len(fake.completions) == 2


async def test_endpoint_down(database_url: str, fake: FakeChatServer) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with panel_app(database_url, fake, panel_base_url=f"http://127.0.0.1:{port}/v1") as app:
        summary = await app.panel.run([await app.panel.job_for(TOOL)])
        queued = await _queued(app)
    assert "unreachable" in summary.failed[0].error and not queued


async def test_slow_endpoint_times_out(database_url: str, fake: FakeChatServer) -> None:
    fake.default_delay = 1.0
    async with panel_app(database_url, fake, panel_timeout_seconds=0.3, panel_max_retries=0) as app:
        summary = await app.panel.run([await app.panel.job_for(TOOL)])
        queued = await _queued(app)
    assert "did not answer within 0.3 s" in summary.failed[0].error and not queued


async def test_token_cap_stops_the_run_before_it_spends_past_it(
    database_url: str, fake: FakeChatServer
) -> None:
    cap = 6000
    async with panel_app(
        database_url, fake, panel_token_cap=cap, panel_max_output_tokens=1000
    ) as app:
        jobs = await app.panel.missing()
        summary = await app.panel.run(jobs)
    assert summary.stopped.startswith("the next request could pass the token cap of 6000")
    assert 0 < len(summary.outcomes) < len(jobs)
    assert summary.usage.total <= cap
    assert summary.skipped and summary.skipped[0] == jobs[len(summary.outcomes)].tool.name
    assert len(fake.completions) == len(summary.outcomes)


async def test_cost_cap_stops_the_run(database_url: str, fake: FakeChatServer) -> None:
    async with panel_app(
        database_url,
        fake,
        panel_cost_cap=0.01,
        panel_price_input=2.0,
        panel_price_output=6.0,
        panel_max_output_tokens=500,
    ) as app:
        summary = await app.panel.run(await app.panel.missing())
    assert "cost cap of $0.01" in summary.stopped
    assert summary.cost <= 0.01


async def test_a_number_not_in_the_facts_is_flagged(
    database_url: str, fake: FakeChatServer
) -> None:
    fake.script(Reply(quote_suffix=" It saves 42 hours a month."))
    async with panel_app(database_url, fake) as app:
        summary = await app.panel.run([await app.panel.job_for(TOOL)])
        queued = await _queued(app)
    assert summary.outcomes[0].flagged == 4
    assert queued[0].flags == ("names a number not in its facts: 42",)


async def test_missing_covers_the_whole_catalog_and_a_capped_run_queues_each_tool_once(
    database_url: str, fake: FakeChatServer
) -> None:
    async with panel_app(database_url, fake, panel_token_cap=20_000) as app:
        tools = await app.catalog.list()
        jobs = await app.panel.missing()
        with_panel = [t for t in tools if len(t.reviews) == 4]
        assert len(jobs) == len(tools) - len(with_panel) > 1000  # the synced catalog too
        assert "SmolLM3" not in {j.tool.name for j in jobs}
        seen: list[str] = []
        summary = await app.panel.run(jobs, progress=lambda o: seen.append(o.tool))
        drafted = len(seen)
        assert 0 < drafted < len(jobs) and not summary.failed
        assert summary.stopped  # the token cap ends the run…
        assert seen == [j.tool.name for j in jobs[:drafted]]  # …after whole tools, in order
        assert summary.skipped == tuple(j.tool.name for j in jobs[drafted:])
        queued = (await app.reviews.page(ADMIN)).total
        assert queued == sum(len(j.lenses) for j in jobs[:drafted])
        left = await app.panel.missing()  # queued drafts count as covered
        assert [j.tool.name for j in left] == list(summary.skipped)
        limited = await app.panel.missing(limit=3)
    assert [j.tool.name for j in limited] == list(summary.skipped[:3])


async def test_auto_publish_puts_drafts_on_the_card(
    database_url: str, fake: FakeChatServer
) -> None:
    async with panel_app(database_url, fake, panel_auto_publish=True) as app:
        await app.panel.run([await app.panel.job_for(TOOL)])
        card = await app.service.compare(f"{TOOL} vs {OTHER}", Community.console())
        assert (await app.reviews.page(ADMIN)).total == 0
    assert card.a.panel.reviews == 4
    assert card.reviewer_split[0].a is not None
    assert (
        card.reviewer_split[0].a.provenance
        == "AI-drafted with fake-panel-1, approved by auto-publish"
    )


async def test_without_settings_drafting_names_the_variables(settings: Settings) -> None:
    app = await build_app(settings, migrate=False)
    try:
        assert app.panel_model is None
        with pytest.raises(PanelNotConfigured) as raised:
            await app.panel.job_for(TOOL)
    finally:
        await app.close()
    message = raised.value.message
    assert "SHIPBOT_PANEL_BASE_URL" in message and "SHIPBOT_PANEL_MODEL" in message
    assert "SHIPBOT_PANEL_API_KEY" in message
