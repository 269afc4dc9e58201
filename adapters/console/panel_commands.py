"""``shipbot panel …``: draft panels with a chat model, and work the approval queue; and
``shipbot review submit``: a member's take from the terminal."""

from __future__ import annotations

import getpass
import json
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from adapters.console.render import verdict_mark
from adapters.console.runtime import err, fail, out, run_with_app, settings_or_exit
from bot.admin import Actor
from bot.panel.drafting import PanelNotConfigured
from bot.panel.models import QueuedReview, RunSummary, ToolOutcome, Usage
from bot.panel.queue import parse_lens

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

panel_app = typer.Typer(
    help="Drafted reviewer panels (any OpenAI-compatible endpoint) and the approval queue.",
    no_args_is_help=True,
)

Ids = Annotated[list[int] | None, typer.Argument(help="Draft ids, as `shipbot panel queue` shows.")]


def _admin() -> Actor:
    """Whoever runs the CLI on the host: a local admin, named by their login."""
    return Actor(id="console", display=_login(), is_admin=True, is_local=True)


def _login() -> str:
    try:
        return getpass.getuser() or "console"
    except (KeyError, OSError):
        return "console"


@panel_app.command("draft")
def draft(
    tool: Annotated[str | None, typer.Argument(help="The tool to draft a panel for.")] = None,
    lens: Annotated[
        list[str] | None, typer.Option("--lens", help="Only this lens; repeat for more.")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Another model than SHIPBOT_PANEL_MODEL.")
    ] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Every tool with lenses not reviewed or queued.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="With --missing: at most N tools.")
    ] = None,
) -> None:
    """Ask the chat model for a tool's reviews (or every tool's missing ones); they wait in the
    queue for an admin unless SHIPBOT_PANEL_AUTO_PUBLISH is on."""
    if (tool is None) == (not missing):
        raise typer.BadParameter("name one tool, or use --missing (not both)")
    if limit is not None and not missing:
        raise typer.BadParameter("--limit goes with --missing")
    settings = settings_or_exit()
    if not (settings.panel_base_url and settings.panel_model):
        fail(PanelNotConfigured().message, code=2)
    lenses = [parse_lens(word) for word in lens or []]

    async def action(shipbot: App) -> RunSummary:
        if missing:
            jobs = await shipbot.panel.missing(limit)
            if not jobs:
                out.print("Every tool's four lenses are reviewed or queued: nothing to draft.")
                return RunSummary(outcomes=(), usage=Usage(), cost=0.0)
        else:
            jobs = [await shipbot.panel.job_for(tool or "", lenses)]
        with Progress(
            TextColumn("[bold]Drafting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=len(jobs) < 2,
        ) as bar:
            task = bar.add_task("", total=len(jobs))

            def advance(outcome: ToolOutcome) -> None:
                bar.update(task, advance=1, description=Text(outcome.tool).plain)

            summary = await shipbot.panel.run(jobs, model=model or "", progress=advance)
        out.print(Text(summary.text()))
        if summary.drafted and not shipbot.settings.panel_auto_publish:
            out.print("Review them with `shipbot panel queue`.", markup=False)
        return summary

    summary = run_with_app(action)
    if summary.outcomes and not summary.drafted:
        raise typer.Exit(1)


@panel_app.command("queue")
def queue(
    as_json: Annotated[bool, typer.Option("--json", help="Print the queue as JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N drafts.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip the first N.")] = 0,
) -> None:
    """List the drafts waiting for approval, oldest first, with their receipts and flags."""

    async def action(shipbot: App) -> None:
        page = await shipbot.reviews.page(_admin(), offset, limit)
        if as_json:
            print(
                json.dumps(
                    {
                        "total": page.total,
                        "offset": page.offset,
                        "items": [queued_json(item) for item in page.items],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        if not page.total:
            out.print("The queue is empty.")
            return
        shown = f"{page.offset + 1}–{page.offset + len(page.items)}"
        out.print(f"{page.total} drafts wait for approval (showing {shown}).", markup=False)
        for item in page.items:
            out.print(describe(item))

    run_with_app(action)


def describe(item: QueuedReview) -> Text:
    """One draft for the terminal: literal text (never rich markup)."""
    text = Text()
    text.append(f"\n#{item.id} ", style="bold")
    text.append(f"{item.tool_name} · {item.lens.label} · ")
    text.append(
        verdict_mark(item.verdict), style="green" if item.verdict.value == "ship" else "red"
    )
    text.append(f" · {item.source}\n", style="dim")
    text.append(f"“{item.quote}”\n")
    for flag in item.flags:
        text.append(f"⚠ {flag}\n", style="yellow")
    if item.receipt:
        r = item.receipt
        text.append(
            f"{r.provider} · {r.model} · prompt {r.prompt_version} · "
            f"{r.usage.prompt_tokens}+{r.usage.completion_tokens} tokens\n",
            style="dim",
        )
        for fact in r.facts:
            text.append(f"  relied on: {fact}\n", style="dim")
    return text


def queued_json(item: QueuedReview) -> dict[str, object]:
    """The ``shipbot panel queue --json`` shape of one draft (a documented contract)."""
    receipt = item.receipt
    return {
        "id": item.id,
        "tool": item.tool_name,
        "lens": item.lens.value,
        "verdict": item.verdict.value,
        "quote": item.quote,
        "kind": item.kind.value,
        "source": item.source,
        "author": item.author,
        "status": item.status.value,
        "created_at": item.created_at.isoformat(),
        "flags": list(item.flags),
        "receipt": None
        if receipt is None
        else {
            "provider": receipt.provider,
            "model": receipt.model,
            "prompt_version": receipt.prompt_version,
            "prompt_tokens": receipt.usage.prompt_tokens,
            "completion_tokens": receipt.usage.completion_tokens,
            "facts": list(receipt.facts),
        },
    }


@panel_app.command("approve")
def approve(
    ids: Ids = None,
    every: Annotated[bool, typer.Option("--all", help="Approve every queued draft.")] = False,
) -> None:
    """Publish drafts: they show on cards with their provenance."""
    if bool(ids) == every:
        raise typer.BadParameter("give draft ids, or --all (not both)")

    async def action(shipbot: App) -> None:
        actor = _admin()
        if every:
            decision = await shipbot.reviews.approve_all(actor)
        else:
            decision = await shipbot.reviews.approve(actor, ids or [])
        _report(decision.changed, decision.missing, "Approved")

    run_with_app(action)


@panel_app.command("reject")
def reject(ids: Ids = None) -> None:
    """Turn drafts down: they never reach a card (they stay in the database's history)."""
    if not ids:
        raise typer.BadParameter("give one or more draft ids")

    async def action(shipbot: App) -> None:
        decision = await shipbot.reviews.reject(_admin(), ids)
        _report(decision.changed, decision.missing, "Rejected")

    run_with_app(action)


def _report(changed: tuple[QueuedReview, ...], missing: tuple[int, ...], verb: str) -> None:
    if changed:
        listed = ", ".join(f"#{d.id} ({d.tool_name}, {d.lens.label})" for d in changed)
        out.print(f"{verb} {len(changed)}: {listed}.", markup=False)
    else:
        out.print(f"{verb} nothing.", markup=False)
    if missing:
        ids = ", ".join(f"#{i}" for i in missing)
        out.print(f"Not queued (unknown or already decided): {ids}.", markup=False)


@panel_app.command("edit")
def edit(
    review_id: Annotated[int, typer.Argument(help="The draft's id.")],
    quote: Annotated[str | None, typer.Option("--quote", help="The new words.")] = None,
    verdict: Annotated[str | None, typer.Option("--verdict", help="ship or skip.")] = None,
) -> None:
    """Change a queued draft's quote or verdict; with neither option, open the quote in $EDITOR."""

    async def action(shipbot: App) -> None:
        actor = _admin()
        words = quote
        if quote is None and verdict is None:
            current = await shipbot.reviews.get(actor, review_id)
            words = click.edit(current.quote)
            if words is None or words.strip() == current.quote:
                out.print("Unchanged.", markup=False)
                return
        edited = await shipbot.reviews.edit(actor, review_id, quote=words, verdict=verdict)
        out.print(describe(edited))

    run_with_app(action)


def submit_take(
    name: Annotated[str, typer.Argument(help="The tool your take is on.")],
    lens: Annotated[str, typer.Option(help="developer, competition, future or buyer.")],
    verdict: Annotated[str, typer.Option(help="ship or skip.")],
    quote: Annotated[str, typer.Option(help="Your take: one paragraph, 40–1500 characters.")],
    author: Annotated[
        str | None, typer.Option("--name", help="How you are credited (default: your login).")
    ] = None,
) -> None:
    """Submit your take on one lens of a tool; it shows on cards once an admin approves it."""
    credited = (author or _login()).strip()
    if not credited:
        raise typer.BadParameter("--name must not be empty")

    async def action(shipbot: App) -> None:
        actor = Actor(id=f"console:{credited}", display=credited, is_admin=False)
        take = await shipbot.reviews.submit_take(actor, name, lens, verdict, quote)
        out.print(
            f"Thanks: take #{take.id} on {take.tool_name} ({take.lens.label}) waits for an "
            "admin's approval.",
            markup=False,
        )

    run_with_app(action)
