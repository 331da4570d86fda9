"""The two charts, as SVG markup (pure: figures in, markup out).

* `bar_chart_svg(bars, ...)`: one horizontal bar a row, drawn from zero (or the scale's low
  end), with the 95 % interval as a whisker. A bar without a value (a figure held back below the
  minimum number of answers) draws no bar, only its note.
* `trend_chart_svg(points, ...)`: a line over the points in their order, each with its interval;
  a point without a value breaks the line.

An indicative figure (its margin over 20 points) is drawn pale and its value marked with "~".
Only presentation attributes are used (no style attributes: the page's CSP allows no inline
style), and colours are plain values so that a PDF renders them the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#0d6efd"
AXIS = "#6c757d"
TEXT = "#212529"
WHISKER = "#212529"

WIDTH = 640
LABEL_WIDTH = 170
VALUE_WIDTH = 60
ROW = 30


@dataclass(frozen=True)
class Point:
    """One bar or trend point: its label, value and interval (None when not shown), the number of
    answers behind it, a note (why there is no value) and whether it is indicative."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int | None = None
    note: str = ""
    indicative: bool = False


def chart_id(title: str, points: Sequence[Point], prefix: str = "chart") -> str:
    """A stable id for the title and description elements (the same chart, the same id)."""
    seed = title + "|" + "|".join(f"{p.label}:{p.value}" for p in points)
    return f"{prefix}-{hashlib.sha256(seed.encode()).hexdigest()[:10]}"


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _shown_value(point: Point, unit: str) -> str:
    return ("~" if point.indicative else "") + _fmt(point.value) + unit


def _head(uid: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="brm-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
    ]


def bar_chart_svg(
    bars: Iterable[Point],
    *,
    title: str,
    desc: str = "",
    domain: tuple[float, float] = (0, 100),
    unit: str = "",
    uid: str | None = None,
) -> SafeString:
    bars = list(bars)
    lo, hi = domain
    uid = uid or chart_id(title, bars)
    x0, x1 = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    height = ROW * max(len(bars), 1) + 28

    def x(value: float) -> float:
        value = max(lo, min(hi, value))
        return round(x0 + (value - lo) / (hi - lo) * (x1 - x0), 1)

    base = x(0) if lo < 0 < hi else x(lo)
    out = _head(uid, title, desc or title, WIDTH, height)
    out.append(
        f'<line x1="{base}" y1="4" x2="{base}" y2="{height - 22}" stroke="{AXIS}" '
        f'stroke-width="1"/>'
    )
    for tick in (lo, 0, hi) if lo < 0 < hi else (lo, hi):
        out.append(
            f'<text x="{x(tick)}" y="{height - 8}" text-anchor="middle" fill="{AXIS}">'
            f"{_fmt(tick)}{escape(unit)}</text>"
        )
    for i, bar in enumerate(bars):
        top = 6 + i * ROW
        mid = top + ROW / 2 - 3
        label = bar.label if len(bar.label) <= 26 else bar.label[:25] + "…"
        out.append(
            f'<text x="{x0 - 8}" y="{mid + 4}" text-anchor="end" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
        if bar.value is None:
            out.append(
                f'<text x="{base + 6}" y="{mid + 4}" fill="{AXIS}" font-style="italic">'
                f"{escape(bar.note)}</text>"
            )
            continue
        end = x(bar.value)
        left, width = min(base, end), abs(end - base)
        opacity = "0.45" if bar.indicative else "1"
        out.append(
            f'<rect x="{left}" y="{top + 4}" width="{max(round(width, 1), 1)}" height="{ROW - 14}" '
            f'fill="{BAR}" fill-opacity="{opacity}"/>'
        )
        if bar.low is not None and bar.high is not None:
            a, b = x(bar.low), x(bar.high)
            out.append(
                f'<path d="M{a} {mid}H{b}M{a} {mid - 5}V{mid + 5}M{b} {mid - 5}V{mid + 5}" '
                f'stroke="{WHISKER}" stroke-width="1.5" fill="none"/>'
            )
        out.append(
            f'<text x="{x1 + 6}" y="{mid + 4}" fill="{TEXT}">'
            f"{escape(_shown_value(bar, unit))}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def trend_chart_svg(
    points: Iterable[Point],
    *,
    title: str,
    desc: str = "",
    domain: tuple[float, float] = (0, 100),
    unit: str = "",
    uid: str | None = None,
    height: int = 240,
) -> SafeString:
    points = list(points)
    lo, hi = domain
    uid = uid or chart_id(title, points, "trend")
    left, right, top, bottom = 48, WIDTH - 20, 12, height - 40

    def y(value: float) -> float:
        value = max(lo, min(hi, value))
        return round(bottom - (value - lo) / (hi - lo) * (bottom - top), 1)

    def x(i: int) -> float:
        if len(points) == 1:
            return (left + right) / 2
        return round(left + i * (right - left) / (len(points) - 1), 1)

    out = _head(uid, title, desc or title, WIDTH, height)
    ticks = (lo, 0, hi) if lo < 0 < hi else (lo, (lo + hi) / 2, hi)
    for tick in ticks:
        out.append(
            f'<line x1="{left}" y1="{y(tick)}" x2="{right}" y2="{y(tick)}" stroke="{AXIS}" '
            f'stroke-width="{1 if tick == ticks[0] or tick == 0 else 0.5}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" fill="{AXIS}">'
            f"{_fmt(tick)}{escape(unit)}</text>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, point in enumerate(points):
        label = point.label if len(point.label) <= 18 else point.label[:17] + "…"
        out.append(
            f'<text x="{x(i)}" y="{bottom + 18}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
        if point.value is None:
            if segment:
                segments.append(segment)
            segment = []
            out.append(
                f'<text x="{x(i)}" y="{bottom - 6}" text-anchor="middle" fill="{AXIS}" '
                f'font-style="italic">–</text>'
            )
            continue
        segment.append(f"{x(i)},{y(point.value)}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            out.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" stroke-width="2"/>'
            )
    for i, point in enumerate(points):
        if point.value is None:
            continue
        if point.low is not None and point.high is not None:
            a, b = y(point.low), y(point.high)
            out.append(
                f'<path d="M{x(i)} {a}V{b}M{x(i) - 4} {a}H{x(i) + 4}M{x(i) - 4} {b}H{x(i) + 4}" '
                f'stroke="{WHISKER}" stroke-width="1" fill="none"/>'
            )
        opacity = "0.45" if point.indicative else "1"
        out.append(
            f'<circle cx="{x(i)}" cy="{y(point.value)}" r="4" fill="{BAR}" '
            f'fill-opacity="{opacity}"/>'
        )
        out.append(
            f'<text x="{x(i) + 7}" y="{y(point.value) - 6}" fill="{TEXT}">'
            f"{escape(_shown_value(point, unit))}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
