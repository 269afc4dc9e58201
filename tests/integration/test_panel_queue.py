"""The approval queue on a real database: nothing reaches a card before approval; approved
reviews carry provenance; the panel counts one review per lens, the newest approved."""

from __future__ import annotations

import pytest

from adapters.bootstrap import App
from bot.errors import InvalidInput, PermissionDenied
from bot.models import Community, Lens, ReviewKind
from bot.panel.models import DraftStatus
from tests.integration.panel_support import ADMIN, MEMBER

TAKE = (
    "The primitive here is a calm tool that does one thing; the moment of truth is the first "
    "refactor across three files."
)


async def _card(app: App, pair: str = "SmolLM3 vs Mistral Medium 3"):  # type: ignore[no-untyped-def]
    return await app.service.compare(pair, Community.console())


async def test_member_take_waits_then_shows_with_its_provenance(app: App) -> None:
    take = await app.reviews.submit_take(MEMBER, "cursor", "dx", "ship", TAKE)
    assert take.kind is ReviewKind.MEMBER_TAKE and take.status is DraftStatus.QUEUED
    assert take.author == "Mo" and take.tool_name == "Cursor"
    before = await _card(app, "Cursor vs Windsurf")
    assert before.a.panel.reviews == 0
    decision = await app.reviews.approve(ADMIN, [take.id])
    assert [d.id for d in decision.changed] == [take.id] and not decision.missing
    after = await _card(app, "Cursor vs Windsurf")
    quote = after.reviewer_split[0].a
    assert quote is not None and quote.text == TAKE
    assert quote.provenance == "member take by Mo, approved by Ada"
    assert after.a.panel.label == "100% · 1/1"


async def test_newest_approved_review_of_a_lens_counts_and_the_old_one_is_history(app: App) -> None:
    before = await _card(app)
    assert before.a.panel.label == "75% · 3/4"  # the seed's SmolLM3: business says skip
    take = await app.reviews.submit_take(MEMBER, "SmolLM3", "buyer", "ship", TAKE)
    await app.reviews.approve(ADMIN, [take.id])
    after = await _card(app)
    assert after.a.panel.label == "100% · 4/4"  # still four reviews: one per lens
    business = next(r for r in after.reviewer_split if r.lens is Lens.BUSINESS)
    assert business.a is not None and business.a.drafted
    assert [q.text[:26] for q in business.a_older] == ["There's no business here i"]
    assert business.a_older[0].provenance == "editorial"
    tool = await app.catalog.show("SmolLM3")
    assert len(tool.reviews) == 4 and len(tool.history) == 1


async def test_rejected_drafts_never_reach_the_card(app: App) -> None:
    take = await app.reviews.submit_take(MEMBER, "Cursor", "future", "skip", TAKE)
    decision = await app.reviews.reject(ADMIN, [take.id, 9999])
    assert decision.missing == (9999,)
    assert (await _card(app, "Cursor vs Windsurf")).a.panel.reviews == 0
    again = await app.reviews.approve(ADMIN, [take.id])  # already decided: nothing changes
    assert again.changed == () and again.missing == (take.id,)


async def test_only_admins_read_decide_and_edit(app: App) -> None:
    take = await app.reviews.submit_take(MEMBER, "Cursor", "future", "skip", TAKE)
    for attempt in (
        app.reviews.page(MEMBER),
        app.reviews.approve(MEMBER, [take.id]),
        app.reviews.reject(MEMBER, [take.id]),
        app.reviews.edit(MEMBER, take.id, quote=TAKE + " Edited."),
        app.reviews.approve_all(MEMBER),
    ):
        with pytest.raises(PermissionDenied):
            await attempt
    assert (await app.reviews.page(ADMIN)).total == 1


async def test_edit_changes_words_and_verdict_of_a_queued_draft(app: App) -> None:
    take = await app.reviews.submit_take(MEMBER, "Cursor", "future", "skip", TAKE)
    edited = await app.reviews.edit(ADMIN, take.id, quote=f"  {TAKE}\nReally.  ", verdict="SHIP")
    assert edited.quote == f"{TAKE} Really." and edited.verdict.value == "ship"
    with pytest.raises(InvalidInput, match="at least 40"):
        await app.reviews.edit(ADMIN, take.id, quote="too short")
    await app.reviews.approve(ADMIN, [take.id])
    with pytest.raises(InvalidInput, match="approved; only queued drafts change"):
        await app.reviews.edit(ADMIN, take.id, verdict="skip")


async def test_approve_all_publishes_every_queued_draft(app: App) -> None:
    for lens in ("developer", "competition", "future", "business"):
        await app.reviews.submit_take(MEMBER, "Cursor", lens, "ship", TAKE)
    decision = await app.reviews.approve_all(ADMIN)
    assert len(decision.changed) == 4
    assert (await app.reviews.page(ADMIN)).total == 0
    assert (await _card(app, "Cursor vs Windsurf")).a.panel.label == "100% · 4/4"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("Cursor", "vibes", "ship", TAKE), "No lens called 'vibes'"),
        (("Cursor", "dx", "maybe", TAKE), "The verdict is ship or skip."),
        (("Cursor", "dx", "ship", "short"), "at least 40"),
        (("Cursor", "dx", "ship", "x" * 1501), "the limit is 1500"),
        (("Cursor", "dx", "ship", TAKE + "\n\nSecond paragraph here."), "one paragraph"),
        (("Cursor", "dx", "ship", TAKE + "\u202e"), "invisible formatting"),
    ],
)
async def test_bad_take_is_refused_and_nothing_is_stored(
    app: App, fields: tuple[str, str, str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await app.reviews.submit_take(MEMBER, *fields)
    assert (await app.reviews.page(ADMIN)).total == 0


async def test_editorial_review_over_an_approved_take_becomes_the_newest(app: App) -> None:
    take = await app.reviews.submit_take(MEMBER, "SmolLM3", "dx", "skip", TAKE)
    await app.reviews.approve(ADMIN, [take.id])
    await app.catalog.put_review(
        "SmolLM3", {"lens": "developer", "verdict": "ship", "quote": TAKE + " (editors)"}, ADMIN
    )
    tool = await app.catalog.show("SmolLM3")
    dev = tool.review_for(Lens.DEVELOPER)
    assert dev is not None and dev.quote.endswith("(editors)")
    assert dev.provenance.kind is ReviewKind.EDITORIAL
    assert [r.provenance.kind for r in tool.history] == [
        ReviewKind.MEMBER_TAKE,
        ReviewKind.EDITORIAL,
    ]
