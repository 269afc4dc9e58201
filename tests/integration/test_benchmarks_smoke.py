"""The store benchmarks run end to end at a tiny size and print one JSON document per run.

Figures are never asserted (they belong in the issue note); only that each script works on the
backend under test and that the ingest check of exact tallies holds.
"""

from __future__ import annotations

import json
import os

import pytest

from benchmarks import compare, ingest, memory, startup
from data.catalog_files import seed_catalog
from tests.support.databases import POSTGRES_ENV, backend

# The benchmarks load the real catalog and fill up to --tools with synthetic ones: sizes just
# above the bundled catalog keep each run tiny whatever the catalog grows to.
SEED_TOOLS = len(seed_catalog()["tools"])


def _arguments(*extra: str) -> list[str]:
    arguments = ["--backend", backend(), *extra]
    if backend() == "postgresql":
        arguments += ["--postgres-url", os.environ[POSTGRES_ENV]]
    return arguments


def _documents(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


async def test_compare_prints_latency_figures(capsys: pytest.CaptureFixture[str]) -> None:
    args = compare.parser().parse_args(
        _arguments("--tools", str(SEED_TOOLS + 30), "--votes", "800", "--iterations", "5")
    )
    await compare.main(args)
    (document,) = _documents(capsys)
    # The scratch database holds the synced models too, so it is already past the size asked.
    assert document["benchmark"] == "compare" and document["tools"] > SEED_TOOLS + 1000
    assert document["votes"] == 800
    assert {"p50", "p99", "mean"} <= set(document["compare_ms"])  # type: ignore[arg-type]


async def test_ingest_counts_every_vote_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    args = ingest.parser().parse_args(
        _arguments(
            "--writers", "1,4", "--votes", "60", "--tools", str(SEED_TOOLS + 10), "--preload", "200"
        )
    )
    await ingest.main(args)
    (document,) = _documents(capsys)
    assert document["exact"] is True
    assert set(document["votes_per_s"]) == {"1", "4"}  # type: ignore[arg-type]


async def test_memory_reports_rss(capsys: pytest.CaptureFixture[str]) -> None:
    await memory.main(memory.parser().parse_args(_arguments("--tools", str(SEED_TOOLS + 20))))
    (document,) = _documents(capsys)
    assert document["catalog_tools"] > SEED_TOOLS + 1000  # with the synced models
    assert document["rss_mb"]["name_index"] > 0  # type: ignore[index]


@pytest.mark.skipif(backend() != "sqlite", reason="start-up is measured on a SQLite file only")
def test_startup_reports_ratios_to_the_bare_imports(capsys: pytest.CaptureFixture[str]) -> None:
    startup.main(["--runs", "1"])
    (document,) = _documents(capsys)
    assert document["help"]["ratio"] > 0 and document["compare"]["rss_mb"] > 0  # type: ignore[index]
