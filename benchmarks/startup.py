"""Start-up cost of the command line: wall time and peak RSS of whole processes.

Measures ``shipbot --help`` and ``shipbot compare "SmolLM3 vs Mistral Medium 3"`` (on a scratch
SQLite file that is created and seeded before timing starts) against a bare
``python -c "import typer, rich, sqlalchemy, pydantic_settings"`` on the same machine, and reports
the ratios (targets: ``--help`` ≤ 1.5×, ``compare`` ≤ 2×) and the size of the installed
dependencies. Each command runs ``--runs`` times; the median is reported.

    .venv/bin/python -m benchmarks.startup --runs 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from benchmarks._common import emit, note

BARE = "import typer, rich, sqlalchemy, pydantic_settings"
CLI = "from adapters.console.cli import main; main()"
PAIR = "SmolLM3 vs Mistral Medium 3"


def timed(argv: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median wall time (ms) and median peak RSS (MB) of ``argv`` over ``runs`` runs."""
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        walls.append((time.perf_counter() - start) * 1000)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"{argv} exited {child.returncode}")
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
    return {
        "median_ms": round(statistics.median(walls), 1),
        "rss_mb": round(statistics.median(peaks), 1),
    }


def site_packages_mb() -> float:
    root = Path(sysconfig.get_paths()["purelib"])
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    return round(total / 1e6, 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        env["SHIPBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}"
        python = sys.executable
        note("seeding the scratch database")
        subprocess.run(
            [python, "-c", CLI, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            [python, "-c", CLI, "compare", PAIR], env=env, check=True, stdout=subprocess.DEVNULL
        )
        bare = timed([python, "-c", BARE], env, args.runs)
        help_ = timed([python, "-c", CLI, "--help"], env, args.runs)
        compare = timed([python, "-c", CLI, "compare", PAIR], env, args.runs)
    emit(
        {
            "benchmark": "startup",
            "runs": args.runs,
            "bare_imports": bare,
            "help": help_ | {"ratio": round(help_["median_ms"] / bare["median_ms"], 2)},
            "compare": compare | {"ratio": round(compare["median_ms"] / bare["median_ms"], 2)},
            "targets": {"help_ratio": 1.5, "compare_ratio": 2.0},
            "site_packages_mb": site_packages_mb(),
        }
    )


if __name__ == "__main__":
    main()
