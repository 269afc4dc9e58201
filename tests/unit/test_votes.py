"""Vote arithmetic against hand-computed cases."""

from __future__ import annotations

import pytest

from bot.models import Pair
from bot.votes import Split, percent, wilson_interval


def test_wilson_interval_matches_hand_computed_values() -> None:
    low, high = wilson_interval(8, 21)
    assert low == pytest.approx(0.2075, abs=1e-4)
    assert high == pytest.approx(0.5912, abs=1e-4)  # by hand: centre 0.3993, half-width 0.1919


def test_wilson_interval_stays_inside_zero_and_one() -> None:
    assert wilson_interval(0, 3)[0] == 0.0
    assert wilson_interval(3, 3)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(4, 3)


def test_percent_rounds_half_up() -> None:
    assert (percent(3, 4), percent(2, 3), percent(1, 8), percent(0, 0)) == (75, 67, 13, 0)


def test_split_percentages_add_up_to_100() -> None:
    split = Split(1, 2)
    assert (split.a_percent, split.b_percent, split.n) == (33, 67, 3)
    assert Split(0, 0).b_percent == 0


def test_pair_is_unordered_and_rejects_self_pairs() -> None:
    assert Pair.of(5, 2) == Pair.of(2, 5) == Pair(2, 5)
    with pytest.raises(ValueError):
        Pair.of(3, 3)
