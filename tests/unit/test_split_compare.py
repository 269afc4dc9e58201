"""split_compare: separators, quotes, names that contain separator letters, and clear errors."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, SameTool
from bot.matching import ToolMatcher, split_compare

CATALOG = [
    ("SmolLM3", ["HuggingFaceTB/SmolLM3-3B"]),
    ("Mistral Medium 3", ["mistral-medium-2505"]),
    ("GPT-4o", ["gpt4o", "4o"]),
    ("GPT-4o mini", ["gpt-4o-mini"]),
    ("Claude 3.5 Sonnet", ["claude-3-5-sonnet-20241022"]),
    ("VS Code", ["Visual Studio Code", "vscode"]),
    ("Cursor", []),
    ("v0", ["v0.dev"]),
    ("Vicuna 13B", ["lmsys/vicuna-13b-v1.5"]),
    ("Weights & Biases", ["wandb", "W&B"]),
    ("Black Forest Labs FLUX.1 [dev]", ["FLUX.1 dev", "black-forest-labs/FLUX.1-dev"]),
    ("Orca 2", []),
    ("Stable Diffusion 3", ["SD3"]),
    ("Midjourney v6", ["midjourney 6"]),
    ("Command R+", ["command-r-plus"]),
    ("Command R", ["command-r"]),
    ("Salesforce Einstein", []),
    ("Ollama", []),
    ("Tabnine", []),
    ("Rock and Roll AI", []),
    ("Either/Or", []),
]


@pytest.fixture(scope="module")
def matcher() -> ToolMatcher:
    return ToolMatcher(CATALOG)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/compare SmolLM3 vs Mistral Medium 3", ("SmolLM3", "Mistral Medium 3")),
        ("SmolLM3 vs Mistral Medium 3", ("SmolLM3", "Mistral Medium 3")),
        ("/COMPARE gpt-4o VS claude 3.5 sonnet", ("gpt-4o", "claude 3.5 sonnet")),
        ("gpt-4o vs. cursor", ("gpt-4o", "cursor")),
        ("gpt-4o versus cursor", ("gpt-4o", "cursor")),
        ("gpt-4o v cursor", ("gpt-4o", "cursor")),
        ("gpt-4o V. cursor", ("gpt-4o", "cursor")),
        ("gpt-4o or cursor", ("gpt-4o", "cursor")),
        ("gpt-4o and cursor", ("gpt-4o", "cursor")),
        ("gpt-4o AGAINST cursor", ("gpt-4o", "cursor")),
        ("gpt-4o, cursor", ("gpt-4o", "cursor")),
        ("gpt-4o,cursor", ("gpt-4o", "cursor")),
        ("gpt-4o / cursor", ("gpt-4o", "cursor")),
        ('"gpt-4o" vs "cursor"', ("gpt-4o", "cursor")),
        ("\u201cgpt-4o\u201d vs \u2018cursor\u2019", ("gpt-4o", "cursor")),
        ("`gpt-4o` vs `cursor`", ("gpt-4o", "cursor")),
        ("  gpt-4o \t vs\t\tcursor  ", ("gpt-4o", "cursor")),
        ("gpt-4o vs cursor?", ("gpt-4o", "cursor")),
        ("gpt-4o vs cursor ??", ("gpt-4o", "cursor")),
        ("gpt-4o\nvs\ncursor", ("gpt-4o", "cursor")),
    ],
)
def test_every_separator_and_quoting_style_splits(
    matcher: ToolMatcher, text: str, expected: tuple[str, str]
) -> None:
    assert split_compare(text, matcher) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VS Code vs Cursor", ("VS Code", "Cursor")),
        ("Cursor vs VS Code", ("Cursor", "VS Code")),
        ("v0 vs Cursor", ("v0", "Cursor")),
        ("Cursor vs v0", ("Cursor", "v0")),
        ("Vicuna 13B vs Orca 2", ("Vicuna 13B", "Orca 2")),
        ("Orca 2 or Vicuna 13B", ("Orca 2", "Vicuna 13B")),
        ("Tabnine or Ollama", ("Tabnine", "Ollama")),
        ("Midjourney v6 vs Stable Diffusion 3", ("Midjourney v6", "Stable Diffusion 3")),
        ("Weights & Biases vs Cursor", ("Weights & Biases", "Cursor")),
        ("W&B vs Cursor", ("W&B", "Cursor")),
        ("black-forest-labs/FLUX.1-dev vs SD3", ("black-forest-labs/FLUX.1-dev", "SD3")),
        ("Command R+ vs Command R", ("Command R+", "Command R")),
        ("Rock and Roll AI vs Cursor", ("Rock and Roll AI", "Cursor")),
        ("Cursor and Rock and Roll AI", ("Cursor", "Rock and Roll AI")),
        ("Either/Or vs Cursor", ("Either/Or", "Cursor")),
        ("Visual Studio Code or Cursor", ("Visual Studio Code", "Cursor")),
    ],
)
def test_letters_inside_a_name_are_never_a_separator(
    matcher: ToolMatcher, text: str, expected: tuple[str, str]
) -> None:
    assert split_compare(text, matcher) == expected


def test_unknown_sides_still_split_for_did_you_mean(matcher: ToolMatcher) -> None:
    assert split_compare("gpt-7 vs cursr", matcher) == ("gpt-7", "cursr")
    assert split_compare("Foo Bar vs Baz", matcher) == ("Foo Bar", "Baz")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "two tools"),
        ("   ", "two tools"),
        ("/compare", "two tools"),
        ("/compare ?", "two tools"),
        ("gpt-4o", "two tools"),
        ("gpt-4o vs", "two tools"),
        ("vs cursor", "two tools"),
        ("gpt-4o vs cursor vs ollama", "more than two"),
        ("gpt-4o, cursor, ollama", "more than two"),
        ("gpt-4o and cursor and ollama", "more than two"),
        ("gpt-4o vs " + "x" * 600, "too long"),
        ("gpt-4o\x00 vs cursor", "control characters"),
        ("gpt-4o vs cursor\x1b[31m", "control characters"),
    ],
)
def test_malformed_compare_raises_a_clear_invalid_input(
    matcher: ToolMatcher, text: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        split_compare(text, matcher)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_zero_width_characters_are_stripped(matcher: ToolMatcher) -> None:
    assert split_compare("gpt\u200b-4o vs cursor", matcher) == ("gpt-4o", "cursor")


@pytest.mark.parametrize(
    "text", ["gpt-4o vs GPT4o", "4o vs gpt-4o", "Cursor or cursor", "wandb vs W&B"]
)
def test_same_tool_twice_is_rejected(matcher: ToolMatcher, text: str) -> None:
    with pytest.raises(SameTool):
        split_compare(text, matcher)


def test_version_siblings_are_not_the_same_tool(matcher: ToolMatcher) -> None:
    assert split_compare("gpt-4o vs gpt-4o mini", matcher) == ("gpt-4o", "gpt-4o mini")
    assert split_compare("Command R+ vs Command R", matcher) == ("Command R+", "Command R")
