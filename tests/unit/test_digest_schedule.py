"""When the weekly digest runs, in the community's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.digest import next_run, parse_weekday
from bot.errors import InvalidInput


def test_next_monday_nine_in_paris_is_eight_utc_in_winter() -> None:
    after = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday
    assert next_run(after, 0, 9, "Europe/Paris") == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_the_same_day_later_and_exactly_on_time() -> None:
    tuesday = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert next_run(tuesday, 1, 9, "UTC") == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    on_time = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert next_run(on_time, 1, 9, "UTC") == datetime(2026, 12, 1, 9, 0, tzinfo=UTC), (
        "strictly after"
    )


def test_local_hour_survives_a_dst_change() -> None:
    before_switch = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)  # Europe switches on 29 March 2026
    run = next_run(before_switch, 0, 9, "Europe/Berlin")
    assert run == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST


def test_bad_zone_and_weekday_are_user_errors() -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        next_run(datetime(2026, 1, 1, tzinfo=UTC), 0, 9, "Mars/Olympus")
    assert parse_weekday("fri") == 4 and parse_weekday("Sunday") == 6
    with pytest.raises(InvalidInput):
        parse_weekday("someday")
