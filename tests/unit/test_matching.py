"""ToolMatcher on a catalog of real tools: accuracy targets, version safety, edits and speed.

The query set (``matching_cases/queries.txt``) holds several hundred names typed the ways
people type them.  The targets mirror the held-out evaluation: at least 98% of known names
resolve to exactly the right tool, at most 1% of unknown names are accepted, and no query is
ever answered with a version sibling of what was asked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.matching import Ambiguous, Match, NotFound, ToolMatcher, normalize

CASES = Path(__file__).parent / "matching_cases"


@dataclass(frozen=True)
class Case:
    group: str
    query: str
    expected: str | None  # None: not in the catalog, must not be a Match


def load_catalog() -> list[tuple[str, list[str]]]:
    entries: list[tuple[str, list[str]]] = []
    for line in (CASES / "catalog.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *aliases = (part.strip() for part in line.split("|"))
        entries.append((name, aliases))
    return entries


def load_cases() -> list[Case]:
    cases: list[Case] = []
    group = ""
    for line in (CASES / "queries.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line.strip("[]")
            continue
        query, expected = (part.strip() for part in line.rsplit("=>", 1))
        cases.append(Case(group, query, None if expected == "!" else expected))
    return cases


CATALOG = load_catalog()
CASES_ALL = load_cases()


@pytest.fixture(scope="module")
def matcher() -> ToolMatcher:
    return ToolMatcher(CATALOG)


SUFFIXES = {
    "mini",
    "nano",
    "pro",
    "flash",
    "turbo",
    "plus",
    "max",
    "lite",
    "ultra",
    "large",
    "medium",
    "small",
    "vision",
    "coder",
    "opus",
    "sonnet",
    "haiku",
}


def _family(name: str) -> str:
    words = normalize(name).split()
    return words[0] if words else ""


def _version_words(name: str) -> set[str]:
    """Numbers, sizes and suffix words: what tells siblings in one family apart."""
    return {w for w in normalize(name).split() if w[0].isdigit() or w in SUFFIXES}


def test_case_files_are_consistent() -> None:
    names = {name for name, _ in CATALOG}
    assert len(names) == len(CATALOG) >= 300
    known = [c for c in CASES_ALL if c.expected is not None]
    unknown = [c for c in CASES_ALL if c.expected is None]
    assert len(CASES_ALL) >= 300 and len(unknown) >= 80
    assert not [c.expected for c in known if c.expected not in names]


def test_known_names_resolve_to_the_right_tool(matcher: ToolMatcher) -> None:
    known = [c for c in CASES_ALL if c.expected is not None]
    failures = []
    per_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in known:
        got = matcher.resolve(case.query)
        per_group[case.group][1] += 1
        if got == Match(str(case.expected)):
            per_group[case.group][0] += 1
        else:
            failures.append(f"{case.query!r}: expected {case.expected!r}, got {got}")
    accuracy = 1 - len(failures) / len(known)
    summary = ", ".join(f"{g} {ok}/{n}" for g, (ok, n) in per_group.items())
    assert accuracy >= 0.98, f"top-1 {accuracy:.1%} ({summary}); failures:\n" + "\n".join(failures)


def test_unknown_names_are_not_accepted(matcher: ToolMatcher) -> None:
    unknown = [c for c in CASES_ALL if c.expected is None]
    accepted = [
        f"{c.query!r} -> {got}"
        for c in unknown
        if isinstance(got := matcher.resolve(c.query), Match)
    ]
    rate = len(accepted) / len(unknown)
    assert rate <= 0.01, f"{rate:.1%} of unknown names accepted:\n" + "\n".join(accepted)


def test_no_query_is_ever_answered_with_a_version_sibling(matcher: ToolMatcher) -> None:
    siblings = []
    for case in CASES_ALL:
        got = matcher.resolve(case.query)
        if not isinstance(got, Match) or got.name == case.expected:
            continue
        asked = case.expected or case.query
        same_family = _family(got.name) in (_family(asked), _family(case.query))
        if same_family and _version_words(got.name) != _version_words(asked):
            siblings.append(f"{case.query!r} -> {got.name!r} (asked for {asked!r})")
    assert not siblings, "version siblings returned:\n" + "\n".join(siblings)


@pytest.mark.parametrize(
    ("query", "sibling"),
    [
        ("gpt-4o", "GPT-4o mini"),
        ("GPT 4o", "GPT-4o mini"),
        ("4o", "GPT-4o mini"),
        ("o3", "o3-mini"),
        ("Command R", "Command R+"),
        ("Gemini 2.0 Flash", "Gemini 2.0 Flash-Lite"),
        ("Qwen2.5 3B", "Qwen2.5 32B"),
        ("Stable Diffusion 3.5 Large", "Stable Diffusion 3.5 Large Turbo"),
    ],
)
def test_gpt4o_never_resolves_to_gpt4o_mini_or_any_sibling(
    matcher: ToolMatcher, query: str, sibling: str
) -> None:
    got = matcher.resolve(query)
    assert isinstance(got, Match) and got.name != sibling


@pytest.mark.parametrize(
    "query", ["GPT-4o nano", "Claude 3.5 Opus", "Llama 3.1 13B", "gpt-4o+", "Command R++", "o3-max"]
)
def test_a_version_that_never_existed_is_not_found(matcher: ToolMatcher, query: str) -> None:
    assert not isinstance(matcher.resolve(query), Match)


def test_unknown_name_suggests_the_same_family(matcher: ToolMatcher) -> None:
    got = matcher.resolve("gpt-7")
    assert isinstance(got, NotFound)
    assert 1 <= len(got.suggestions) <= 3
    assert all(s.lower().startswith("gpt") for s in got.suggestions)
    claude = matcher.resolve("Claude 3.5 Opus")
    assert isinstance(claude, NotFound)
    assert claude.suggestions and all("Claude" in s for s in claude.suggestions)


def test_suggest_is_best_first_and_limited(matcher: ToolMatcher) -> None:
    assert matcher.suggest("gpt-4o nano", k=3)[0] in {"GPT-4o", "GPT-4o mini", "GPT-4.1 nano"}
    assert len(matcher.suggest("gemini", k=5)) == 5
    assert matcher.suggest("zzzzqqq") == ()


def test_alias_claimed_by_two_tools_is_ambiguous() -> None:
    m = ToolMatcher([("GitHub Copilot", ["copilot"]), ("Microsoft Copilot", ["copilot"])])
    got = m.resolve("Copilot")
    assert isinstance(got, Ambiguous)
    assert set(got.candidates) == {"GitHub Copilot", "Microsoft Copilot"}


def test_add_and_remove_are_live_at_once(matcher: ToolMatcher) -> None:
    m = ToolMatcher(CATALOG)
    assert not isinstance(m.resolve("Grok 5"), Match)
    m.add("Grok 5", ["grok-5-0101"])
    assert m.resolve("grok5") == Match("Grok 5")
    assert "Grok 5" in m and len(m) == len(CATALOG) + 1
    m.add("Grok 5", ["grok five"])
    assert m.resolve("Grok Five") == Match("Grok 5")
    m.remove("Grok 5")
    assert "Grok 5" not in m and not isinstance(m.resolve("grok5"), Match)
    assert m.resolve("Grok 4") == Match("Grok 4")
    assert len(m) == len(CATALOG) and "Grok 5" not in m.names


def test_complete_returns_catalog_names_for_a_prefix(matcher: ToolMatcher) -> None:
    assert matcher.complete("gpt-4o")[:2] == ("GPT-4o", "GPT-4o mini")
    assert all(n.startswith("Claude") for n in matcher.complete("clau", k=10))
    assert "Claude 3.5 Sonnet" in matcher.complete("sonnet")
    assert len(matcher.complete("", k=25)) == 25
    assert len(matcher.complete("l", k=25)) == 25
    assert matcher.complete("zzzz") == ()


def test_normalize_is_canonical_and_documented_examples_hold() -> None:
    assert normalize("GPT\u20114o mini") == "gpt 4o mini"
    assert normalize("DALL·E 3") == normalize("dall-e 3") == "dall e 3"
    assert normalize("Llama-3.1-70B") == "llama 3.1 70b"
    assert normalize("claude-3-5-sonnet") == "claude 3.5 sonnet"
    assert normalize("Command R+") == "command r plus"
    assert normalize("  ") == ""
    assert normalize(normalize("Qwen2.5-Coder 32B")) == normalize("Qwen2.5-Coder 32B")


def test_names_and_contains_use_exact_catalog_names(matcher: ToolMatcher) -> None:
    assert "GPT-4o" in matcher and "gpt-4o" not in matcher
    assert matcher.names[0] == CATALOG[0][0] and len(matcher.names) == len(CATALOG)


def test_a_name_spelled_out_wins_a_tie_with_a_tool_that_lacks_its_makers_word() -> None:
    """Two catalog entries that differ only by a maker's word: each exact name is its own tool."""
    both = ToolMatcher([("Meta Llama Guard 4 12B", ()), ("Llama Guard 4 12B", ("llama-guard-4",))])
    assert both.resolve("Meta Llama Guard 4 12B") == Match("Meta Llama Guard 4 12B")
    assert both.resolve("llama guard 4 12b") == Match("Llama Guard 4 12B")
    assert both.resolve("llama-guard-4") == Match("Llama Guard 4 12B")
