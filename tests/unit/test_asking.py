"""Questions in plain words read as a compare (``bot.asking``), against the bundled catalog."""

from __future__ import annotations

import pytest

from bot.asking import ask_hint, read_question, strip_mentions
from bot.facts import Workload
from bot.help import Commands
from bot.matching import ToolMatcher
from bot.models import Lens
from data.catalog_files import seed_catalog


@pytest.fixture(scope="module")
def matcher() -> ToolMatcher:
    tools = seed_catalog()["tools"]
    return ToolMatcher([(t["name"], t.get("aliases") or []) for t in tools])


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("<@123> should we ship with SmolLM3 or Mistral Medium 3?", "SmolLM3", "Mistral Medium 3"),
        ("<@!123> SmolLM3 vs Mistral Medium 3", "SmolLM3", "Mistral Medium 3"),
        ("<@U0BOT> which is better for RAG, Qdrant or Pinecone", "Qdrant", "Pinecone"),
        ("@shipbot Qdrant vs. Pinecone for RAG?", "Qdrant", "Pinecone"),
        ("which is better for RAG, Qdrant or Pinecone?", "Qdrant", "Pinecone"),
        ("is LanceDB better than Qdrant?", "LanceDB", "Qdrant"),
        ("Mistral Medium 3 versus smollm3", "Mistral Medium 3", "smollm3"),
        ("ChatGPT or Perplexity, which one should we use?", "ChatGPT", "Perplexity"),
        ("should I use Cursor or GitHub Copilot for coding", "Cursor", "GitHub Copilot"),
        ('"SmolLM3" vs "Mistral Medium 3"', "SmolLM3", "Mistral Medium 3"),
        ("SmolLM3 against Mistral Medium 3\nthanks!", "SmolLM3", "Mistral Medium 3"),
        ("compare pgvector and Qdrant", "pgvector", "Qdrant"),
    ],
)
def test_two_tools_are_found_in_plain_words(
    matcher: ToolMatcher, text: str, a: str, b: str
) -> None:
    request = read_question(text, matcher)
    assert request is not None and (request.a, request.b) == (a, b)


def test_a_lens_and_a_workload_at_the_end_are_kept(matcher: ToolMatcher) -> None:
    request = read_question("<@1> compare pgvector and Qdrant as buyer", matcher)
    assert request is not None and request.lens is Lens.BUSINESS
    request = read_question("SmolLM3 vs Mistral Medium 3 for 50M tokens?", matcher)
    assert request is not None and request.workload == Workload.parse("50M")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<@123>",
        "hello there",
        "what do you think about SmolLM3?",
        "tell me a joke or two",
        "what about SmolLM3 and stuff",
        "SmolLM3 or SmolLM3",
        "Qdrant, Pinecone or pgvector?",  # three tools
        "Qwxzzyq Plorb vs SmolLM3",
        "x" * 600 + " SmolLM3 vs Mistral Medium 3",
    ],
)
def test_anything_but_two_known_tools_is_not_a_question(matcher: ToolMatcher, text: str) -> None:
    assert read_question(text, matcher) is None


def test_mentions_of_every_platform_are_stripped() -> None:
    assert strip_mentions("<@123> a <@!45> b <@U0BOT|shipbot> c") == "a b c"
    assert strip_mentions("@shipbot, SmolLM3 vs X") == "SmolLM3 vs X"


def test_the_hint_names_the_surfaces_commands() -> None:
    hint = ask_hint(Commands(compare="/compare", help="/help"), "@shipbot")
    assert "`/compare SmolLM3 vs Mistral Medium 3`" in hint and "`/help`" in hint
    assert "`@shipbot should we ship with SmolLM3 or Mistral Medium 3?`" in hint
