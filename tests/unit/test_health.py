"""The check registry behind /healthz: up only when the database and every platform are up."""

from __future__ import annotations

import asyncio

from bot.health import HealthChecks, HealthReport


async def up_async() -> bool:
    return True


def broken() -> bool:
    raise ConnectionError("gone")


async def test_all_up_is_ok_with_every_platform_named() -> None:
    checks = HealthChecks()
    checks.register("discord", lambda: True)
    checks.register("slack", up_async)
    report = await checks.report(up_async)
    assert report.ok and report.down() == []
    assert report.as_json() == {
        "status": "ok",
        "database": "up",
        "platforms": {"discord": "up", "slack": "up"},
    }


async def test_one_platform_down_is_unavailable_and_named() -> None:
    checks = HealthChecks()
    checks.register("discord", lambda: False)
    checks.register("web", lambda: True)
    report = await checks.report(lambda: True)
    assert not report.ok and report.down() == ["discord"]
    assert report.as_json()["status"] == "unavailable"
    assert report.as_json()["platforms"] == {"discord": "down", "web": "up"}


async def test_a_check_that_raises_or_hangs_counts_as_down() -> None:
    async def hangs() -> bool:
        await asyncio.sleep(60)
        return True

    checks = HealthChecks(timeout=0.05)
    checks.register("slack", hangs)
    checks.register("discord", broken)
    report = await asyncio.wait_for(checks.report(broken), timeout=5)
    assert report == HealthReport(database=False, platforms={"slack": False, "discord": False})
    assert report.down() == ["database", "slack", "discord"]


async def test_the_database_alone_decides_when_nothing_is_registered() -> None:
    checks = HealthChecks()
    assert (await checks.report(lambda: True)).as_json() == {
        "status": "ok",
        "database": "up",
        "platforms": {},
    }
    assert not (await checks.report(lambda: False)).ok


async def test_register_replaces_and_unregister_removes() -> None:
    checks = HealthChecks()
    checks.register("slack", lambda: False)
    checks.register("slack", lambda: True)
    assert checks.names == ["slack"] and (await checks.report(lambda: True)).ok
    checks.unregister("slack")
    checks.unregister("missing")  # no error
    assert checks.names == []
