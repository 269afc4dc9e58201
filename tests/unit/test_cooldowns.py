"""The per-person cooldown: a sliding window, per key, off at 0."""

from __future__ import annotations

import pytest

from bot.cooldowns import Cooldown, CoolingDown


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_per_window_then_the_wait_then_free_again() -> None:
    clock = Clock()
    cooldown = Cooldown(3, 60, clock)
    for _ in range(3):
        cooldown.take("alice")
        clock.now += 10
    with pytest.raises(CoolingDown) as raised:
        cooldown.take("alice")
    assert raised.value.seconds == 30  # the first use (t=100) leaves the window at t=160
    assert "Try again in 30 s" in raised.value.message
    cooldown.take("bob")  # someone else is not slowed down
    clock.now = 160.0
    cooldown.take("alice")


def test_a_refused_use_is_not_counted() -> None:
    clock = Clock()
    cooldown = Cooldown(1, 10, clock)
    cooldown.take("a")
    for _ in range(5):
        clock.now += 1
        with pytest.raises(CoolingDown):
            cooldown.take("a")
    clock.now = 110.0
    cooldown.take("a")


def test_zero_turns_it_off() -> None:
    cooldown = Cooldown(0, 60)
    for _ in range(100):
        cooldown.take("a")
