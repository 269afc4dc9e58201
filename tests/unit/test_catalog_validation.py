"""Catalog files and admin forms are validated with errors that name the entry and field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.catalog import CatalogFile, ReviewEntry, ToolEntry, format_errors, plain_errors
from bot.models import Entry, Lens, Verdict
from data.catalog_files import seed_catalog

GOOD = {
    "name": "Example Tool",
    "category": "Developer Tools",
    "tagline": "Does a thing",
    "entry": "free",
    "description": "A tool used in tests.",
}


def test_bundled_catalog_is_valid_and_big_enough() -> None:
    catalog = CatalogFile.model_validate(seed_catalog())
    assert len(catalog.tools) >= 32
    names = [t.name for t in catalog.tools]
    assert names[:2] == ["SmolLM3", "Mistral Medium 3"]
    assert all(not t.reviews for t in catalog.tools[2:]), "reviewer quotes are never invented"


def test_seed_pair_reviews_have_explicit_lens_and_verdict() -> None:
    smol = CatalogFile.model_validate(seed_catalog()).tools[0]
    assert [(r.lens, r.verdict) for r in smol.reviews] == [
        (Lens.DEVELOPER, Verdict.SHIP),
        (Lens.COMPETITION, Verdict.SHIP),
        (Lens.FUTURE, Verdict.SHIP),
        (Lens.BUSINESS, Verdict.SKIP),
    ]


def test_entry_is_parsed_forgivingly() -> None:
    assert ToolEntry.model_validate(GOOD | {"entry": "open-source"}).entry is Entry.OPEN_SOURCE


def test_errors_point_at_entry_and_field() -> None:
    raw = {"tools": [GOOD, GOOD | {"name": "Broken", "entry": "cheap", "url": "ftp://x"}]}
    with pytest.raises(ValidationError) as caught:
        CatalogFile.model_validate(raw)
    lines = format_errors(caught.value, raw["tools"])
    assert any(line.startswith("tools[1] (Broken) → entry: entry must be one of") for line in lines)
    assert any(
        line.startswith("tools[1] (Broken) → url: must start with https://") for line in lines
    )


def test_duplicate_names_and_lenses_are_rejected() -> None:
    with pytest.raises(ValidationError, match=r"already tools\[0\] \(Example Tool\)"):
        CatalogFile.model_validate({"tools": [GOOD, GOOD | {"name": "example tool"}]})
    review = {"lens": "buyer", "verdict": "ship", "quote": "A quote long enough."}
    with pytest.raises(ValidationError, match="same lens"):
        ToolEntry.model_validate(GOOD | {"reviews": [review, review | {"lens": "business"}]})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 101),
        ("name", "bad\x00name"),
        ("tagline", "two\nlines"),
        ("aliases", [""]),
    ],
)
def test_bad_fields_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        ToolEntry.model_validate(GOOD | {field: value})


def test_pydantic_errors_read_in_the_products_words() -> None:
    with pytest.raises(ValidationError) as short:
        ReviewEntry.model_validate({"lens": "buyer", "verdict": "ship", "quote": "short"})
    assert plain_errors(short.value) == "The quote must be at least 10 characters."
    with pytest.raises(ValidationError) as missing:
        ToolEntry.model_validate({"name": "X", "tagline": "T", "entry": "free", "description": ""})
    assert plain_errors(missing.value) == (
        "The category is required. The description must not be empty."
    )
    with pytest.raises(ValidationError) as tab:
        ToolEntry.model_validate(
            {"name": "X", "category": "A\tB", "tagline": "T", "entry": "free", "description": "D"}
        )
    assert "tab" in plain_errors(tab.value)
