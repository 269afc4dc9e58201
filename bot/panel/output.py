"""The answer a model must give, as a pydantic model and the JSON Schema sent with the request,
and the checks that turn an answer into drafts (or say why it is no good)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.models import Lens, Verdict
from bot.panel.facts import Fact
from bot.panel.ports import OutputSchema
from bot.panel.rules import QUOTE_MAX, QUOTE_MIN, QuoteProblem, clean_quote, flags_for

LensName = Literal["developer", "competition", "future", "business"]


class LensReview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lens: LensName
    verdict: Literal["ship", "skip"]
    quote: str
    facts: list[str]


class PanelAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviews: list[LensReview]


def output_schema() -> OutputSchema:
    """Strict-mode JSON Schema (every property required, no extra ones) for ``PanelAnswer``."""
    review = {
        "type": "object",
        "additionalProperties": False,
        "required": ["lens", "verdict", "quote", "facts"],
        "properties": {
            "lens": {"type": "string", "enum": [lens.value for lens in Lens]},
            "verdict": {"type": "string", "enum": ["ship", "skip"]},
            "quote": {
                "type": "string",
                "description": f"One paragraph, {QUOTE_MIN}-{QUOTE_MAX} characters.",
            },
            "facts": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Ids of the facts the quote relies on, e.g. F1.",
            },
        },
    }
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["reviews"],
        "properties": {"reviews": {"type": "array", "items": review}},
    }
    return OutputSchema(
        name="panel_reviews",
        description="The reviewer panel's reviews of one tool, one per requested lens.",
        schema=schema,
    )


@dataclass(frozen=True)
class DraftedReview:
    """One lens's review as the model wrote it, with the facts it relied on and its flags."""

    lens: Lens
    verdict: Verdict
    quote: str
    facts: tuple[Fact, ...]
    flags: tuple[str, ...]


class InvalidAnswer(ValueError):
    """The answer is not what was asked; the message says how (and is sent back on a retry)."""


def read_answer(
    text: str, lenses: Sequence[Lens], facts: Sequence[Fact]
) -> tuple[DraftedReview, ...]:
    """Parse and check one answer: JSON, the schema, each requested lens once, quote rules and
    fact ids that exist. ``InvalidAnswer`` says what is wrong."""
    if not text.strip():
        raise InvalidAnswer("the answer was empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidAnswer(f"the answer is not valid JSON ({error.msg} at {error.pos})") from None
    try:
        answer = PanelAnswer.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        raise InvalidAnswer(f"the answer breaks the schema at {where}: {first['msg']}") from None
    by_id = {fact.id: fact for fact in facts}
    wanted = list(lenses)
    got = [Lens(r.lens) for r in answer.reviews]
    if sorted(got) != sorted(wanted):
        names = ", ".join(lens.value for lens in wanted)
        raise InvalidAnswer(
            f"the answer must review exactly these lenses once each: {names} "
            f"(got {', '.join(lens.value for lens in got) or 'none'})"
        )
    drafts = []
    for review in answer.reviews:
        lens = Lens(review.lens)
        try:
            quote = clean_quote(review.quote)
        except QuoteProblem as problem:
            raise InvalidAnswer(f"the {lens.value} quote {problem}") from None
        unknown = [f for f in review.facts if f not in by_id]
        if unknown:
            raise InvalidAnswer(
                f"the {lens.value} review cites facts that were not given: {unknown}"
            )
        if not review.facts:
            raise InvalidAnswer(f"the {lens.value} review lists no facts it relied on")
        used = tuple(dict.fromkeys(by_id[f] for f in review.facts))
        drafts.append(
            DraftedReview(
                lens=lens,
                verdict=Verdict(review.verdict),
                quote=quote,
                facts=used,
                flags=flags_for(quote, [f.text for f in used]),
            )
        )
    order = list(Lens)
    return tuple(sorted(drafts, key=lambda d: order.index(d.lens)))
