"""Benchmark ToolMatcher against plain rapidfuzz on 1k / 10k / 100k names; prints JSON.

Names are the real catalog (``tests/unit/matching_cases/models_catalog.txt``: ~1,300 current
models from models.dev with their provider ids, plus the hand-written ``catalog.txt``) followed
by synthetic ones built from real-looking family words, versions, sizes and suffixes (with
API-id and Hugging Face-id aliases).  Only local data is used.

    .venv/bin/python benchmarks/resolve.py              # 1k, 10k, 100k names in all
    .venv/bin/python benchmarks/resolve.py 1000 10000    # chosen sizes
    .venv/bin/python benchmarks/resolve.py +100000       # the whole real catalog + 100k synthetic

Queries mix what people type: names as written, re-spelled, typo'd, ids and aliases, routed
ids (``openrouter/org/model``), names with asides (``X (beta)``, ``X from Acme``), unknown
versions, made-up names and bare family words.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matching import ToolMatcher  # noqa: E402

CASES = ROOT / "tests" / "unit" / "matching_cases"
CATALOGS = (CASES / "models_catalog.txt", CASES / "catalog.txt")
FAMILIES = [
    "Nova",
    "Zephyr",
    "Orion",
    "Atlas",
    "Helix",
    "Quill",
    "Falcon",
    "Lumen",
    "Vega",
    "Aurora",
    "Cobalt",
    "Ember",
    "Pixel",
    "Cipher",
    "Nimbus",
    "Sable",
    "Tensor",
    "Vertex",
    "Kestrel",
    "Mosaic",
    "Onyx",
    "Prism",
    "Raven",
    "Solace",
    "Titan",
    "Umbra",
    "Vireo",
    "Wren",
    "Xenon",
]
SUFFIXES = [
    "",
    "",
    "",
    "mini",
    "nano",
    "pro",
    "flash",
    "turbo",
    "Plus",
    "Lite",
    "Max",
    "Coder",
    "Vision",
    "Instruct",
    "Ultra",
]
SIZES = ["", "", "1B", "3B", "7B", "8B", "13B", "32B", "70B", "8x7B", "405B", "0.5B"]
ORGS = ["acme-ai", "openlab", "nimbus-research", "deepfield", "bigmodel", "tinyco"]
SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "zen",
    "tor",
    "mi",
    "qua",
    "vel",
    "dra",
    "sy",
    "no",
    "bex",
    "lu",
    "ph",
    "ar",
    "gon",
    "ti",
    "ux",
    "ve",
    "om",
]


def load_real() -> list[tuple[str, list[str]]]:
    entries: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for catalog in CATALOGS:
        for line in catalog.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, *aliases = (part.strip() for part in line.split("|"))
                if name not in seen:
                    seen.add(name)
                    entries.append((name, aliases))
    return entries


def synthetic(count: int, seed: int = 7) -> list[tuple[str, list[str]]]:
    """Distinct made-up tool names shaped like real ones, each with one or two aliases."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, list[str]]] = []
    while len(out) < count:
        if rng.random() < 0.5:
            family = rng.choice(FAMILIES)
        else:
            family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
        version = rng.choice(
            ["", str(rng.randint(1, 9)), f"{rng.randint(1, 5)}.{rng.randint(0, 9)}"]
        )
        parts = [family + rng.choice(["", "-", " "]) + version if version else family]
        parts += [rng.choice(SIZES), rng.choice(SUFFIXES)]
        name = " ".join(p for p in parts if p)
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        api_id = name.lower().replace(" ", "-") + rng.choice(["", "-2024-08-06", "-latest"])
        aliases = [api_id]
        if rng.random() < 0.4:
            aliases.append(f"{rng.choice(ORGS)}/{name.replace(' ', '-')}")
        out.append((name, aliases))
    return out


def queries(entries: Sequence[tuple[str, list[str]]], n: int, seed: int = 11) -> list[str]:
    """A mix like real traffic: exact, re-spelled, typo'd, alias/id, routed, with asides,
    unknown, made-up and bare family words."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        name, aliases = rng.choice(entries)
        kind = rng.random()
        if kind < 0.2:
            out.append(name)
        elif kind < 0.35:
            out.append(name.lower().replace("-", " ").replace(".", ""))
        elif kind < 0.47 and aliases:
            out.append(rng.choice(aliases))
        elif kind < 0.52 and aliases:
            out.append("openrouter/" + rng.choice(aliases))
        elif kind < 0.62:
            out.append(name + rng.choice([" (beta)", " from Acme", " (pro plan)", " model"]))
        elif kind < 0.75:
            i = rng.randrange(max(1, len(name) - 1))
            out.append(name[:i] + name[i + 1 : i + 2] + name[i : i + 1] + name[i + 2 :])
        elif kind < 0.88:
            out.append(name + rng.choice([" Pro", " 9", " Ultra Max", "-42B"]))
        elif kind < 0.95:
            out.append(
                "".join(rng.choice(SYLLABLES) for _ in range(3)) + " " + str(rng.randint(1, 9))
            )
        else:
            out.append(name.split()[0])  # a bare family word
    return out


def prefixes(entries: Sequence[tuple[str, list[str]]], n: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        name = rng.choice(entries)[0]
        out.append(name[: rng.randint(1, min(len(name), 8))])
    return out


def timings(fn: Callable[[str], object], items: Sequence[str]) -> dict[str, float]:
    samples = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 3),
    }


def measure(size: int, real: list[tuple[str, list[str]]]) -> dict[str, object]:
    entries = (real + synthetic(max(0, size - len(real))))[:size]
    names = [name for name, _ in entries]
    n_queries = 2000 if size <= 10_000 else 1000
    qs, ps = queries(entries, n_queries), prefixes(entries, n_queries)

    gc.collect()
    tracemalloc.start()
    traced = ToolMatcher(entries)  # memory is measured on a separate, traced build
    index_mb, peak_mb = (v / 2**20 for v in tracemalloc.get_traced_memory())
    tracemalloc.stop()
    del traced
    gc.collect()
    start = time.perf_counter()
    matcher = ToolMatcher(entries)
    build = time.perf_counter() - start

    ours = {
        "build_s": round(build, 3),
        "index_mb": round(index_mb, 1),
        "build_peak_mb": round(peak_mb, 1),
        "resolve": timings(matcher.resolve, qs),
        "autocomplete_25": timings(lambda p: matcher.complete(p, 25), ps),
    }

    def add_then_remove(name: str) -> None:
        matcher.add(name, [name.lower()])
        matcher.remove(name)

    edit = timings(add_then_remove, [f"Admin Tool {i}" for i in range(200)])

    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    choices = [utils.default_process(name) for name in names]
    ref_build = time.perf_counter() - start
    ref_mb = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    ref_n = min(len(qs), 300 if size >= 100_000 else len(qs))
    reference = {
        "build_s": round(ref_build, 3),
        "index_mb": round(ref_mb, 1),
        "resolve": timings(
            lambda q: (
                process.extractOne(
                    q, choices, scorer=fuzz.WRatio, processor=None, score_cutoff=None
                )
                if (q := utils.default_process(q))
                else None
            ),
            qs[:ref_n],
        ),
        "autocomplete_25": timings(
            lambda p: process.extract(
                utils.default_process(p), choices, scorer=fuzz.WRatio, processor=None, limit=25
            ),
            ps[:ref_n],
        ),
    }
    return {
        "names": size,
        "aliases": sum(len(a) for _, a in entries),
        "queries": len(qs),
        "shipbot": {**ours, "add_then_remove": edit},
        "rapidfuzz_extractOne": reference,
    }


def main(argv: list[str]) -> None:
    real = load_real()
    sizes = [len(real) + int(a[1:]) if a.startswith("+") else int(a) for a in argv]
    sizes = sizes or [1_000, 10_000, 100_000]
    print(json.dumps([measure(size, real) for size in sizes], indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
