"""The satisfaction figures, computed from counts (pure: no database, no Django).

The selectors (satisfaction/results.py) count in SQL; this module turns the counts into figures
with their n, their 95 % interval and the two honesty marks:

* **suppressed**: fewer answers than the office's minimum (SatisfactionSettings.minimum_answers,
  default 5). The value and the interval are then not given at all: the page says "fewer than 5
  answers", never the number.
* **indicative**: the margin (half the interval's width) is more than 20 points. For NPS and
  CSAT a point is a percentage point; for an average it is a percent of the scale's range
  (a 1-5 average with a margin of more than 0.8 is indicative).

NPS is the share of promoters (9-10) less the share of detractors (0-6), in points (-100..100),
with the adjusted Wald interval (add 3 answers, 3/4 of them promoters and 3/4 detractors).
CSAT is the share of 4-5 answers (percent), with the Wilson score interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Z95 = 1.959963984540054  # the two-sided 95 % normal quantile
INDICATIVE_MARGIN = 20.0  # points
DEFAULT_MINIMUM = 5

NPS = "nps"
CSAT = "csat"
AVERAGE = "average"
RATE = "rate"


@dataclass(frozen=True)
class Figure:
    """One shown figure: its value and 95 % interval (None when suppressed or empty), the number
    of answers behind it and the minimum it was held against."""

    kind: str
    n: int
    minimum: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    # The margin in points (see the module's docstring), for the indicative mark.
    margin_points: float | None = None
    scale: tuple[int, int] | None = None

    @property
    def suppressed(self) -> bool:
        return self.n < self.minimum

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None

    @property
    def indicative(self) -> bool:
        return (
            self.shown and self.margin_points is not None and self.margin_points > INDICATIVE_MARGIN
        )

    def as_dict(self) -> dict:
        """The figure as the API and the charts give it: nothing of a suppressed one but its n."""
        shown = self.shown
        return {
            "n": self.n,
            "suppressed": self.suppressed,
            "value": _round(self.value) if shown else None,
            "low": _round(self.low) if shown else None,
            "high": _round(self.high) if shown else None,
            "indicative": self.indicative,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def nps_value(promoters: int, passives: int, detractors: int) -> float | None:
    """NPS in points, or None without answers."""
    n = promoters + passives + detractors
    if n == 0:
        return None
    return 100.0 * (promoters - detractors) / n


def nps_interval(promoters: int, passives: int, detractors: int) -> tuple[float, float]:
    """The adjusted Wald 95 % interval of NPS, in points, clipped to [-100, 100]."""
    n = promoters + passives + detractors
    p = (promoters + 0.75) / (n + 3)
    q = (detractors + 0.75) / (n + 3)
    centre = p - q
    variance = (p + q - centre**2) / (n + 3)
    half = Z95 * math.sqrt(max(variance, 0.0))
    return _clip(100 * (centre - half), -100.0, 100.0), _clip(100 * (centre + half), -100.0, 100.0)


def nps_figure(promoters: int, passives: int, detractors: int, *, minimum: int) -> Figure:
    n = promoters + passives + detractors
    if n == 0 or n < minimum:
        return Figure(kind=NPS, n=n, minimum=minimum, scale=(-100, 100))
    low, high = nps_interval(promoters, passives, detractors)
    return Figure(
        kind=NPS,
        n=n,
        minimum=minimum,
        value=nps_value(promoters, passives, detractors),
        low=low,
        high=high,
        margin_points=(high - low) / 2,
        scale=(-100, 100),
    )


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """The Wilson score 95 % interval of a proportion, as fractions (0..1)."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = Z95**2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return _clip(centre - half, 0.0, 1.0), _clip(centre + half, 0.0, 1.0)


def csat_figure(satisfied: int, n: int, *, minimum: int) -> Figure:
    """CSAT: the share of answers of 4 or 5 (`satisfied` of `n`), in percent."""
    if n == 0 or n < minimum:
        return Figure(kind=CSAT, n=n, minimum=minimum, scale=(0, 100))
    low, high = wilson_interval(satisfied, n)
    return Figure(
        kind=CSAT,
        n=n,
        minimum=minimum,
        value=100.0 * satisfied / n,
        low=100 * low,
        high=100 * high,
        margin_points=50 * (high - low),
        scale=(0, 100),
    )


def average_figure(
    total: float, squares: float, n: int, *, scale: tuple[int, int], minimum: int
) -> Figure:
    """The average of `n` scores on `scale` from their sum and sum of squares, with a normal 95 %
    interval (sample standard deviation), clipped to the scale."""
    if n == 0 or n < minimum:
        return Figure(kind=AVERAGE, n=n, minimum=minimum, scale=scale)
    mean = total / n
    lowest, highest = scale
    if n > 1:
        variance = max((squares - n * mean * mean) / (n - 1), 0.0)
        half = Z95 * math.sqrt(variance / n)
    else:
        half = float(highest - lowest)
    low, high = _clip(mean - half, lowest, highest), _clip(mean + half, lowest, highest)
    return Figure(
        kind=AVERAGE,
        n=n,
        minimum=minimum,
        value=mean,
        low=low,
        high=high,
        margin_points=100 * (high - low) / 2 / (highest - lowest),
        scale=scale,
    )


def response_rate(responses: int, delivered: int) -> float | None:
    """Responses per invitation delivered, in percent (None when none was delivered). Not
    suppressed: it says how many took part, not what anyone answered."""
    if delivered == 0:
        return None
    return 100.0 * responses / delivered


def account_weighted_nps(per_customer: Iterable[tuple[int, int, int]], *, minimum: int) -> Figure:
    """NPS where each customer counts once: the mean of the customers' own NPS.

    `per_customer` holds (promoters, passives, detractors) of each customer. A customer of five
    answers weighs as much as one of forty: that is the point (the office serves organisations,
    not respondents). A customer with fewer answers than the minimum is left out: its own NPS is
    not shown, and the mean with and without it would give it away. `n` is the number of answers
    of the customers counted; the interval is a normal one over the customers' values (the
    spread between customers, so one customer alone gives the whole scale).
    """
    values, n = [], 0
    for promoters, passives, detractors in per_customer:
        count = promoters + passives + detractors
        if count and count >= minimum:
            values.append(nps_value(promoters, passives, detractors))
            n += count
    if n == 0 or n < minimum:
        return Figure(kind=NPS, n=n, minimum=minimum, scale=(-100, 100))
    k = len(values)
    mean = sum(values) / k
    if k > 1:
        variance = sum((v - mean) ** 2 for v in values) / (k - 1)
        half = Z95 * math.sqrt(variance / k)
    else:
        half = 200.0
    low, high = _clip(mean - half, -100.0, 100.0), _clip(mean + half, -100.0, 100.0)
    return Figure(
        kind=NPS,
        n=n,
        minimum=minimum,
        value=mean,
        low=low,
        high=high,
        margin_points=(high - low) / 2,
        scale=(-100, 100),
    )
