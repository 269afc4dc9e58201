"""A drafting run: for each tool, ask the model for its missing lenses, check the answer, queue
the drafts. Faults are per tool (clear message, nothing stored, the run goes on); the token and
cost caps stop a run before a request could spend past them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.cards import VerdictCard
from bot.catalog_index import CatalogIndex
from bot.errors import InvalidInput, NotFoundError, UserFacingError
from bot.models import Lens, ReviewKind, Tool
from bot.panel.facts import facts_for
from bot.panel.models import DraftStatus, NewDraft, Receipt, RunSummary, ToolOutcome, Usage
from bot.panel.output import DraftedReview, InvalidAnswer, output_schema, read_answer
from bot.panel.ports import ChatMessage, ModelFault, ModelRequest, PanelModel
from bot.panel.prompt import PROMPT_VERSION, build_messages, retry_message
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

AUTO_PUBLISHER = "auto-publish"
CHARS_PER_TOKEN = 3  # a cautious estimate of a prompt's tokens before the endpoint counts them

PANEL_VARIABLES = (
    "SHIPBOT_PANEL_BASE_URL (an OpenAI-compatible endpoint, e.g. https://api.mistral.ai/v1 or "
    "http://127.0.0.1:8000/v1), SHIPBOT_PANEL_MODEL (the model name) and, if the endpoint needs "
    "one, SHIPBOT_PANEL_API_KEY"
)


def tools_to_draft(card: VerdictCard) -> list[str]:
    """The card's tools with no panel: what its **Draft panel** button drafts (on any platform).
    InvalidInput when both have one (the button was on an older render of the card)."""
    names = [side.name for side in (card.a, card.b) if not side.panel.reviews]
    if not names:
        raise InvalidInput("Both tools have a panel already.")
    return names


class PanelNotConfigured(UserFacingError):
    def __init__(self) -> None:
        super().__init__(f"Drafting panels needs a chat model. Set {PANEL_VARIABLES}.")


@dataclass(frozen=True)
class PanelConfig:
    """Limits and choices of a drafting run (from settings)."""

    model: str
    max_output_tokens: int = 2000
    invalid_retries: int = 2  # further tries after an answer that breaks the schema or rules
    token_cap: int = 200_000  # per run, prompt + completion
    cost_cap: float = 5.0  # per run, in dollars, at the prices below
    price_in: float = 0.0  # dollars per million prompt tokens
    price_out: float = 0.0  # dollars per million completion tokens
    auto_publish: bool = False


@dataclass
class Budget:
    """What a run has spent, and whether the next request may go out."""

    config: PanelConfig
    usage: Usage = field(default_factory=Usage)

    def cost_of(self, usage: Usage) -> float:
        c = self.config
        return (usage.prompt_tokens * c.price_in + usage.completion_tokens * c.price_out) / 1e6

    @property
    def cost(self) -> float:
        return self.cost_of(self.usage)

    def refuses(self, messages: Sequence[ChatMessage]) -> str:
        """Why a request of these messages might spend past a cap ("" when it may go)."""
        prompt = sum(len(m.content) for m in messages) // CHARS_PER_TOKEN + 1
        worst = Usage(prompt, self.config.max_output_tokens)
        if self.usage.total + worst.total > self.config.token_cap:
            return (
                f"the next request could pass the token cap of {self.config.token_cap} "
                f"({self.usage.total} spent, up to {worst.total} more)"
            )
        if self.cost + self.cost_of(worst) > self.config.cost_cap:
            return (
                f"the next request could pass the cost cap of ${self.config.cost_cap:.2f} "
                f"(${self.cost:.4f} spent)"
            )
        return ""

    def spend(self, usage: Usage) -> None:
        self.usage = self.usage + usage


@dataclass(frozen=True)
class DraftJob:
    """One tool to draft, and which lenses."""

    tool: Tool
    lenses: tuple[Lens, ...]


class CapReached(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Progress = Callable[[ToolOutcome], None]


class PanelDrafter:
    """Runs drafting jobs against one chat model and queues what passes the checks."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        index: CatalogIndex,
        model: PanelModel | None,
        config: PanelConfig,
    ) -> None:
        self._uow = uow
        self._index = index
        self._model = model
        self._config = config

    @property
    def configured(self) -> bool:
        return self._model is not None and bool(self._config.model)

    def require(self) -> PanelModel:
        if self._model is None or not self._config.model:
            raise PanelNotConfigured()
        return self._model

    async def job_for(self, name: str, lenses: Sequence[Lens] = ()) -> DraftJob:
        """One tool by name (matched like a compare), with the lenses asked (default: all)."""
        self.require()
        async with self._uow() as uow:
            exact = await self._index.resolve(uow.tools, name)
            tool = await uow.tools.get_by_name(exact)
        if tool is None:
            raise NotFoundError(f"'{exact}' is no longer in the catalog.")
        return DraftJob(tool, tuple(dict.fromkeys(lenses)) or tuple(Lens))

    async def missing(self, limit: int | None = None) -> list[DraftJob]:
        """Tools with lenses that have neither an approved review nor a queued draft."""
        async with self._uow() as uow:
            tools = await uow.tools.list_all()
            covered = await uow.reviews.covered_lenses()
        jobs = []
        for tool in tools:
            lenses = tuple(lens for lens in Lens if lens not in covered.get(tool.id, set()))
            if lenses:
                jobs.append(DraftJob(tool, lenses))
        return jobs[:limit] if limit is not None else jobs

    async def run(
        self, jobs: Sequence[DraftJob], *, model: str = "", progress: Progress | None = None
    ) -> RunSummary:
        """Draft every job in turn; a fault costs that tool only, a cap ends the run."""
        panel = self.require()
        if model and not model.strip():
            raise InvalidInput("The model name is empty.")
        chosen = model.strip() or self._config.model
        async with self._uow() as uow:
            catalog = await uow.tools.list_all()
        budget = Budget(self._config)
        outcomes: list[ToolOutcome] = []
        stopped, skipped = "", tuple[str, ...]()
        for index, job in enumerate(jobs):
            try:
                outcome = await self._draft(panel, chosen, job, catalog, budget)
            except CapReached as cap:
                stopped = cap.reason
                skipped = tuple(j.tool.name for j in jobs[index:])
                break
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        summary = RunSummary(
            outcomes=tuple(outcomes),
            usage=budget.usage,
            cost=budget.cost,
            stopped=stopped,
            skipped=skipped,
        )
        log.info(
            "panel run",
            extra={"drafted": summary.drafted, "failed": len(summary.failed), "stopped": stopped},
        )
        return summary

    async def _draft(
        self,
        panel: PanelModel,
        model: str,
        job: DraftJob,
        catalog: Sequence[Tool],
        budget: Budget,
    ) -> ToolOutcome:
        tool = job.tool
        async with self._uow() as uow:
            sourced = (await uow.facts.for_tools([tool.id])).get(tool.id)
        facts = facts_for(tool, catalog, sourced)
        messages = build_messages(tool, facts, job.lenses)
        spent = Usage()
        problem = ""
        for _ in range(self._config.invalid_retries + 1):
            if reason := budget.refuses(messages):
                if spent.total:
                    return ToolOutcome(tool.name, error=f"stopped: {reason}", usage=spent)
                raise CapReached(reason)
            request = ModelRequest(
                messages=messages,
                schema=output_schema(),
                model=model,
                max_output_tokens=self._config.max_output_tokens,
            )
            try:
                reply = await panel.complete(request)
            except ModelFault as fault:
                budget.spend(fault.usage)
                return ToolOutcome(tool.name, error=fault.message, usage=spent + fault.usage)
            budget.spend(reply.usage)
            spent = spent + reply.usage
            if reply.refusal:
                return ToolOutcome(
                    tool.name, error=f"the model refused: {_short(reply.refusal)}", usage=spent
                )
            try:
                if reply.truncated:
                    raise InvalidAnswer(
                        f"the answer was cut off at {self._config.max_output_tokens} tokens"
                    )
                drafts = read_answer(reply.text, job.lenses, facts)
            except InvalidAnswer as invalid:
                problem = str(invalid)
                messages = (*build_messages(tool, facts, job.lenses), retry_message(problem))
                continue
            receipt_model = reply.model or model
            ids = await self._store(tool, drafts, panel.provider, receipt_model, spent)
            flagged = sum(1 for d in drafts if d.flags)
            return ToolOutcome(tool.name, queued=ids, usage=spent, flagged=flagged)
        tries = self._config.invalid_retries + 1
        return ToolOutcome(
            tool.name, error=f"no usable answer in {tries} tries: {problem}", usage=spent
        )

    async def _store(
        self, tool: Tool, drafts: Sequence[DraftedReview], provider: str, model: str, usage: Usage
    ) -> tuple[int, ...]:
        auto = self._config.auto_publish
        share = Usage(
            usage.prompt_tokens // max(len(drafts), 1),
            usage.completion_tokens // max(len(drafts), 1),
        )
        ids = []
        async with self._uow() as uow:
            for draft in drafts:
                receipt = Receipt(
                    provider=provider,
                    model=model,
                    prompt_version=PROMPT_VERSION,
                    usage=share,
                    facts=tuple(f.receipt for f in draft.facts),
                )
                ids.append(
                    await uow.reviews.add(
                        NewDraft(
                            tool_id=tool.id,
                            lens=draft.lens,
                            verdict=draft.verdict,
                            quote=draft.quote,
                            kind=ReviewKind.AI_DRAFT,
                            receipt=receipt,
                            flags=draft.flags,
                            status=DraftStatus.APPROVED if auto else DraftStatus.QUEUED,
                            decided_by=AUTO_PUBLISHER if auto else "",
                        )
                    )
                )
            await uow.commit()
        return tuple(ids)


def _short(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
