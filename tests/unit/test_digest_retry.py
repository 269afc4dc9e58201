"""The digest's retry policy: exponential, capped, and bounded in count and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.digest_retry import GIVE_UP_AFTER, MAX_FAILURES, MAX_RETRY, retry_at

NOW = datetime(2026, 12, 4, 16, tzinfo=UTC)


def test_backoff_doubles_from_a_minute_and_gives_up_after_the_bound() -> None:
    waits = [retry_at(n, NOW, NOW) for n in range(1, MAX_FAILURES)]
    assert [w - NOW for w in waits if w] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert retry_at(MAX_FAILURES, NOW, NOW) is None


def test_the_wait_is_capped_and_a_day_of_failures_gives_up() -> None:
    assert all((w := retry_at(n, NOW, NOW)) is None or w - NOW <= MAX_RETRY for n in range(1, 40))
    assert retry_at(1, NOW - GIVE_UP_AFTER, NOW) is None
    assert retry_at(1, NOW - GIVE_UP_AFTER + timedelta(minutes=1), NOW) is not None
