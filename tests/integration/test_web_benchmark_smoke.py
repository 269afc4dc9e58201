"""benchmarks/web.py runs end to end at a tiny size and prints one JSON document (figures are
never asserted: they belong in the issue note)."""

from __future__ import annotations

import json
import os

import pytest

from benchmarks import web
from data.catalog_files import seed_catalog
from tests.support.databases import POSTGRES_ENV, backend


async def test_web_benchmark_prints_server_times_and_page_weight(
    capsys: pytest.CaptureFixture[str],
) -> None:
    tools = len(seed_catalog()["tools"]) + 30  # the real catalog and a few synthetic tools
    arguments = ["--backend", backend(), "--tools", str(tools), "--votes", "800"]
    arguments += ["--iterations", "5"]
    if backend() == "postgresql":
        arguments += ["--postgres-url", os.environ[POSTGRES_ENV]]
    await web.main(web.parser().parse_args(arguments))
    (line,) = [line for line in capsys.readouterr().out.splitlines() if line]
    document = json.loads(line)
    assert document["benchmark"] == "web" and document["tools"] >= tools  # + the synced models
    for series in ("page_seed_ms", "page_mixed_ms", "api_seed_ms", "api_mixed_ms", "page_304_ms"):
        assert {"p50", "p99", "mean"} <= set(document[series])
    assert document["weight"]["requests"] >= 3 and document["weight"]["total_bytes"] > 10_000
