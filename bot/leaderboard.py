"""Bradley–Terry ratings from head-to-head votes, with honest intervals.

Each vote on a pair is one "win" for the chosen tool over the other. The fit maximises the
Bradley–Terry likelihood P(i beats j) = 1 / (1 + exp(θj − θi)) with a weak Gaussian prior on θ
(ridge), which keeps the fit finite when a tool has only wins (perfect separation) and shrinks
tools with a handful of votes toward the middle, so one lucky vote can't top the board. Strengths are
centred on zero; intervals come from the inverse Hessian at the optimum (a Laplace approximation),
projected onto the centred ratings. Ratings are shown on the familiar Elo scale: 1500 + 400/ln(10) · θ.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.models import Win

if TYPE_CHECKING:  # numpy is imported where the fit runs, not when the CLI starts
    import numpy as np

ELO_SCALE = 400 / math.log(10)
ELO_BASE = 1500.0
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Strength:
    """A fitted strength θ with its standard error; ``n`` counts the votes involving the tool."""

    theta: float
    se: float
    n: int
    wins: int

    @property
    def rating(self) -> float:
        return ELO_BASE + ELO_SCALE * self.theta

    @property
    def interval(self) -> tuple[float, float]:
        half = Z95 * self.se * ELO_SCALE
        return (self.rating - half, self.rating + half)


def fit_bradley_terry(wins: Mapping[Win, int], prior: float = 1.0) -> dict[int, Strength]:
    """Fit strengths from ``wins[(winner, loser)] = count``. ``prior`` is the ridge precision λ."""
    import numpy as np

    tools = sorted({t for pair in wins for t in pair})
    if not tools:
        return {}
    index = {tool: i for i, tool in enumerate(tools)}
    winner = np.array([index[w] for (w, _), c in wins.items() if c > 0], dtype=np.int64)
    loser = np.array([index[lo] for (_, lo), c in wins.items() if c > 0], dtype=np.int64)
    count = np.array([c for c in wins.values() if c > 0], dtype=np.float64)
    size = len(tools)

    theta = _newton(winner, loser, count, prior, size)
    hessian = _hessian(theta, winner, loser, count, prior, size)
    # Ratings only mean something relative to each other: report the spread around the mean
    # (P Σ P with P the centring projection), so the prior-only uncertainty of the common offset
    # does not widen every interval.
    centring = np.eye(size) - 1.0 / size
    covariance = centring @ np.linalg.inv(hessian) @ centring
    theta = theta - theta.mean()
    played = np.zeros(size)
    won = np.zeros(size)
    np.add.at(played, winner, count)
    np.add.at(played, loser, count)
    np.add.at(won, winner, count)
    return {
        tool: Strength(
            theta=float(theta[i]),
            se=float(math.sqrt(max(covariance[i, i], 0.0))),
            n=int(played[i]),
            wins=int(won[i]),
        )
        for tool, i in index.items()
    }


def _newton(
    winner: np.ndarray, loser: np.ndarray, count: np.ndarray, prior: float, size: int
) -> np.ndarray:
    """The ridge-penalised likelihood is strictly convex, so Newton's method with a halving
    line search finds its unique minimum in a handful of steps."""
    import numpy as np

    def nll(theta: np.ndarray) -> float:
        diff = theta[winner] - theta[loser]  # −log σ(diff) = log(1 + e^(−diff)), stably
        return float(np.sum(count * np.logaddexp(0.0, -diff))) + 0.5 * prior * float(theta @ theta)

    theta = np.zeros(size)
    value = nll(theta)
    for _ in range(100):
        weight = count * _sigmoid(-(theta[winner] - theta[loser]))  # d nll/d diff = −count·σ(−diff)
        grad = prior * theta
        np.add.at(grad, winner, -weight)
        np.add.at(grad, loser, weight)
        if float(np.max(np.abs(grad))) < 1e-9:
            break
        step = np.linalg.solve(_hessian(theta, winner, loser, count, prior, size), grad)
        scale = 1.0
        while scale > 1e-6:
            candidate = theta - scale * step
            candidate_value = nll(candidate)
            if candidate_value <= value:
                break
            scale /= 2
        theta, value = candidate, candidate_value
    return theta


def _sigmoid(x: np.ndarray) -> np.ndarray:
    import numpy as np

    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def _hessian(
    theta: np.ndarray,
    winner: np.ndarray,
    loser: np.ndarray,
    count: np.ndarray,
    prior: float,
    size: int,
) -> np.ndarray:
    import numpy as np

    p = _sigmoid(theta[winner] - theta[loser])
    w = count * p * (1 - p)
    hessian = np.eye(size) * prior
    np.add.at(hessian, (winner, winner), w)
    np.add.at(hessian, (loser, loser), w)
    np.add.at(hessian, (winner, loser), -w)
    np.add.at(hessian, (loser, winner), -w)
    return hessian
