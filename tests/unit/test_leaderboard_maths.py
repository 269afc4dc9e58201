"""Bradley–Terry against cases with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bot.leaderboard import ELO_SCALE, fit_bradley_terry


def test_two_tools_three_to_one_gives_log_three() -> None:
    # The BT maximum-likelihood answer for 3 wins to 1 is θa − θb = ln 3 (odds 3:1).
    fit = fit_bradley_terry({(1, 2): 3, (2, 1): 1}, prior=1e-9)
    assert fit[1].theta - fit[2].theta == pytest.approx(math.log(3), abs=1e-4)
    assert (fit[1].n, fit[1].wins, fit[2].wins) == (4, 3, 1)
    # Fisher information for the difference: n·p(1−p) = 4·0.75·0.25 = 0.75 → SE(diff) = 1/√0.75.
    assert fit[1].rating - fit[2].rating == pytest.approx(ELO_SCALE * math.log(3), abs=0.05)


def test_recovers_known_strengths_from_simulated_votes() -> None:
    rng = np.random.default_rng(7)
    truth = {1: 1.0, 2: 0.3, 3: -0.2, 4: -1.1}
    wins: dict[tuple[int, int], int] = {}
    for i in truth:
        for j in truth:
            if i < j:
                p = 1 / (1 + math.exp(truth[j] - truth[i]))
                k = int(rng.binomial(2000, p))
                wins[(i, j)] = k
                wins[(j, i)] = 2000 - k
    fit = fit_bradley_terry(wins, prior=1e-6)
    centre = sum(s.theta for s in fit.values()) / 4
    for tool, value in truth.items():
        assert fit[tool].theta - centre == pytest.approx(value - sum(truth.values()) / 4, abs=0.08)
    order = sorted(fit, key=lambda t: fit[t].theta, reverse=True)
    assert order == [1, 2, 3, 4]


def test_perfect_record_stays_finite_and_uncertain_with_few_votes() -> None:
    fit = fit_bradley_terry({(1, 2): 2})
    assert math.isfinite(fit[1].theta) and fit[1].theta > fit[2].theta
    low, high = fit[1].interval
    assert high - low > 200, "two votes must not look like certainty"


def test_more_votes_narrow_the_interval() -> None:
    few = fit_bradley_terry({(1, 2): 3, (2, 1): 1})
    many = fit_bradley_terry({(1, 2): 300, (2, 1): 100})
    width = lambda s: s.interval[1] - s.interval[0]  # noqa: E731
    assert width(many[1]) < width(few[1]) / 5


def test_no_votes_no_ratings() -> None:
    assert fit_bradley_terry({}) == {}


def test_the_fit_solves_the_ridge_score_equations() -> None:
    """At the optimum each tool's wins minus its expected wins equal λ·θ (before centring;
    the centred θ differ by a constant, and Σθ = 0 at the ridge optimum, so nothing moves)."""
    rng = np.random.default_rng(3)
    wins = {(i, j): int(rng.integers(0, 9)) for i in range(1, 9) for j in range(1, 9) if i != j}
    prior = 0.5
    fit = fit_bradley_terry(wins, prior=prior)
    for tool in fit:
        residual = 0.0
        for (w, lo), c in wins.items():
            p = 1 / (1 + math.exp(fit[lo].theta - fit[w].theta))
            if w == tool:
                residual += c * (1 - p)
            elif lo == tool:
                residual -= c * (1 - p)
        assert residual == pytest.approx(prior * fit[tool].theta, abs=1e-6)
