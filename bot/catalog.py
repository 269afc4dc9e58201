"""The catalog file format, validated with pydantic.

The same models validate a whole imported file and a single admin's ``tool add`` / ``review add``,
so every way into the catalog enforces the same limits and gives errors that name the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import FieldProblem, InvalidInput
from bot.matching import normalize
from bot.models import Entry, Lens, Review, Tool, ToolDraft, ToolProfile, Verdict, profile_values

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
NAME_MAX = 100


def name_text(value: str) -> str:
    """The one rule for every tool name and alias, wherever it comes from (a form, the CLI, an
    import): one line of 1 to 100 printable characters — no control, zero-width or
    direction-override characters (U+200B, U+202E …), which would make two names look alike — with
    at least one letter or digit to match on."""
    if not value:
        raise ValueError("must not be empty")
    if len(value) > NAME_MAX:
        raise ValueError(f"must be at most {NAME_MAX} characters")
    if not value.isprintable():
        raise ValueError(
            "must be one line of printable characters (no control, zero-width or "
            "direction-override characters)"
        )
    if not normalize(value):
        raise ValueError("must contain a letter or digit")
    return value


def each_label_once(labels: Sequence[str]) -> None:
    """A new tool's name and aliases are distinct as matched: "eta one" and "Eta-One" would
    silently become one alias, so that is an error naming both."""
    seen: dict[str, str] = {}
    for label in labels:
        first = seen.get(key := normalize(label))
        if first is not None:
            raise InvalidInput(
                f"'{label}' and '{first}' are the same name to shipbot; give it once."
            )
        seen[key] = label


OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _one_line(value: str) -> str:
    """A one-line field (category, tagline …): like a name, no tab or other control character."""
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    if not value.isprintable():
        raise ValueError("must be one line of printable characters (no tab or control characters)")
    return value


class ReviewEntry(BaseModel):
    """One reviewer's quote on a tool. The verdict is explicit, never inferred from the words."""

    model_config = ConfigDict(extra="forbid")

    lens: Lens
    verdict: Verdict
    quote: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=4000)]
    reviewer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""

    @field_validator("lens", mode="before")
    @classmethod
    def _lens_words(cls, value: object) -> object:
        if isinstance(value, str) and (lens := Lens.parse(value)) is not None:
            return lens
        return value

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict_case(cls, value: object) -> object:
        return value.strip().casefold() if isinstance(value, str) else value

    @field_validator("quote")
    @classmethod
    def _quote_text(cls, value: str) -> str:
        return _no_control(value)

    def to_review(self) -> Review:
        return Review(
            lens=self.lens, verdict=self.verdict, quote=self.quote, reviewer=self.reviewer
        )


class ToolEntry(BaseModel):
    """One tool's profile as it appears in a catalog file or an admin's form."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    category: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    tagline: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    entry: Entry
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
    pricing_note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    aliases: list[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    ] = Field(default_factory=list, max_length=50)
    reviews: list[ReviewEntry] = Field(default_factory=list, max_length=len(Lens))

    @field_validator("entry", mode="before")
    @classmethod
    def _entry_words(cls, value: object) -> object:
        return Entry.parse(value) if isinstance(value, str) else value

    @field_validator("name")
    @classmethod
    def _name_rule(cls, value: str) -> str:
        return name_text(value)

    @field_validator("category", "tagline", "pricing_note", "url")
    @classmethod
    def _single_line(cls, value: str) -> str:
        return _one_line(value)

    @field_validator("description")
    @classmethod
    def _description_text(cls, value: str) -> str:
        return _no_control(value)

    @field_validator("aliases")
    @classmethod
    def _alias_lines(cls, values: list[str]) -> list[str]:
        return [name_text(v) for v in values]

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value

    @model_validator(mode="after")
    def _one_review_per_lens(self) -> ToolEntry:
        lenses = [r.lens for r in self.reviews]
        if len(lenses) != len(set(lenses)):
            raise ValueError("has two reviews for the same lens; each lens reviews a tool once")
        return self

    @property
    def profile(self) -> ToolProfile:
        return ToolProfile(**profile_values(self))

    def to_draft(self) -> ToolDraft:
        return ToolDraft(
            **profile_values(self),
            aliases=tuple(self.aliases),
            reviews=tuple(r.to_review() for r in self.reviews),
        )

    @classmethod
    def of(cls, tool: Tool) -> ToolEntry:
        """A catalog tool as a file entry (what ``catalog export`` writes)."""
        return cls(
            **profile_values(tool),
            aliases=list(tool.aliases),
            reviews=[
                ReviewEntry(lens=r.lens, verdict=r.verdict, quote=r.quote, reviewer=r.reviewer)
                for r in tool.reviews
            ],
        )


class CatalogFile(BaseModel):
    """A whole catalog: what ``shipbot catalog import`` reads and ``export`` writes."""

    model_config = ConfigDict(extra="forbid")

    tools: list[ToolEntry]

    @model_validator(mode="after")
    def _unique_names(self) -> CatalogFile:
        """Each name and alias (as matched: normalized) belongs to one entry of the file."""
        seen: dict[str, tuple[int, str]] = {}
        for index, tool in enumerate(self.tools):
            labels = [("name", tool.name)]
            labels += [(f"aliases[{i}]", alias) for i, alias in enumerate(tool.aliases)]
            for field, label in labels:
                key = normalize(label)
                first = seen.get(key)
                if first is not None and first[0] != index:
                    other = self.tools[first[0]]
                    raise ValueError(
                        f"tools[{index}] ({tool.name}) → {field}: '{label}' is already "
                        f"tools[{first[0]}] ({other.name}) → {first[1]}; each name and alias "
                        "points to one tool"
                    )
                seen.setdefault(key, (index, field))
        return self


def field_problems(error: ValidationError) -> tuple[FieldProblem, ...]:
    """One problem per pydantic error, named by the field it concerns, in plain words."""
    problems = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        problems.append(
            FieldProblem(
                field=loc[0] if loc else "",
                path=".".join(loc) or "(entry)",
                message=plain_problem(item),
            )
        )
    return tuple(problems)


_LABELS = {"pricing_note": "pricing note", "url": "link", "aliases": "alias", "reviews": "review"}


def plain_problem(item: Mapping[str, Any]) -> str:
    """What is wrong, in the product's words ("must be at least 10 characters"), for pydantic's
    common error types; our own validators' messages as they are."""
    kind, ctx = str(item["type"]), item.get("ctx") or {}
    if kind == "string_too_short":
        least = int(ctx.get("min_length", 1))
        return "must not be empty" if least <= 1 else f"must be at least {least} characters"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"can have at most {ctx.get('max_length')} entries"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of a tool"
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected')}"
    if kind.startswith("url"):
        return "must be a web address starting with https:// or http://"
    if kind in ("string_type", "list_type", "dict_type", "model_type"):
        return "has the wrong kind of value (text, a list or an entry)"
    return str(item["msg"]).removeprefix("Value error, ")


def plain_errors(error: ValidationError) -> str:
    """Every problem as a sentence naming its field: "The quote must be at least 10
    characters." """
    sentences = []
    for item in error.errors():
        words: list[str] = []
        for part in item["loc"]:
            if isinstance(part, int) and words:
                words[-1] += f" #{part + 1}"
            else:
                words.append(_LABELS.get(str(part), str(part).replace("_", " ")))
        label, problem = " ".join(words), plain_problem(item)
        if label and problem.startswith(f"{label} "):  # our own message names its field
            problem = problem.removeprefix(f"{label} ")
        sentence = f"The {label} {problem}" if label else problem[:1].upper() + problem[1:]
        sentences.append(sentence.rstrip(".") + ".")
    return " ".join(sentences)


def format_errors(error: Exception, entries: list[object] | None = None) -> list[str]:
    """Readable lines such as ``tools[3] (GPT-4o) → entry: must be one of …``."""
    if not isinstance(error, ValidationError):
        return [str(error)]
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "tools" and isinstance(loc[1], int):
            index = loc[1]
            name = ""
            entry = entries[index] if entries and index < len(entries) else None
            if isinstance(entry, dict):
                name = str(entry.get("name", ""))
            where = f"tools[{index}]" + (f" ({name})" if name else "")
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or "(entry)"
        message = plain_problem(item)
        if not loc and not where:  # a whole-file rule: its message names entry and field
            lines.append(message)
            continue
        lines.append(f"{where + ' → ' if where else ''}{field}: {message}")
    return lines
