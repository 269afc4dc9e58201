"""Vote arithmetic: shares, Wilson intervals and the honest community line."""

from __future__ import annotations

import math
from dataclasses import dataclass

# z for a two-sided 95 % interval.
Z95 = 1.959963984540054


def wilson_interval(successes: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion: honest even for tiny n (never below 0 or above 1)."""
    if total <= 0:
        return (0.0, 1.0)
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    # At the edges the bound is exactly 0 or 1; floating point would leave a 1e-17 crumb.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == total else min(1.0, centre + half)
    return (low, high)


def percent(part: int, whole: int) -> int:
    """A whole-number percentage, rounded half up (3/4 → 75, 2/3 → 67)."""
    if whole <= 0:
        return 0
    return math.floor(100 * part / whole + 0.5)


@dataclass(frozen=True)
class Split:
    """Votes for the left and right tool of a card, with the maths people need to read it."""

    a: int
    b: int

    @property
    def n(self) -> int:
        return self.a + self.b

    @property
    def a_percent(self) -> int:
        return percent(self.a, self.n)

    @property
    def b_percent(self) -> int:
        return 100 - self.a_percent if self.n else 0

    @property
    def a_interval(self) -> tuple[float, float]:
        return wilson_interval(self.a, self.n)

    def enough(self, minimum: int) -> bool:
        return self.n >= minimum
